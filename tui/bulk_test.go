package tui

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

// bulkFixture: four runs of a labelling flow, three asking the same thing
// and one asking for text; img-3 fails when resumed.
func bulkFixture(t *testing.T) *tuitest.FakeAPI {
	api := tuitest.NewFake()
	var runs []apiclient.Run
	for i, id := range []string{"img-1", "img-2", "img-3", "img-4"} {
		runs = append(runs, tuitest.MkRun(t, tuitest.RunSpec{ID: id, Name: id, Flow: "label", PausedAgo: time.Duration(10-i) * time.Minute, ExpiresIn: tuitest.In(time.Hour)}))
		api.Inputs[id] = &apiclient.InputRequest{Schema: json.RawMessage(animalSchema)}
	}
	api.Inputs["img-4"] = &apiclient.InputRequest{Schema: json.RawMessage(tuitest.StrSchema)}
	api.SetRuns(runs...)
	api.ResumeResult = func(id string, _ json.RawMessage) (*apiclient.ActionResult, error) {
		if id == "img-3" {
			return nil, &apiclient.Error{Op: "resume run", Kind: apiclient.ErrServer, StatusCode: 500, Reason: "boom"}
		}
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeResumed, State: &apiclient.State{Type: "RUNNING", Name: "Running", Timestamp: tuitest.Now}}, nil
	}
	return api
}

func TestBulkAnswerGoesToEveryMarkedRunThatAsksTheSame(t *testing.T) {
	api := bulkFixture(t)
	h := newHarness(t, api)
	h.keys("*") // every run shown
	h.mustSee("4 runs marked")
	h.keys("a")
	h.mustSee("one answer for 4 marked runs")
	h.keys("2") // dog: the numbered choice goes to review
	h.mustSee("This exact JSON will be sent")
	h.keys("y")
	got := map[string]string{}
	for _, c := range api.ResumeCalls() {
		got[c.ID] = string(c.Input)
	}
	for _, id := range []string{"img-1", "img-2", "img-3"} {
		if got[id] != `{"value":"dog"}` {
			t.Errorf("%s got %q, want the one answer", id, got[id])
		}
	}
	if _, sent := got["img-4"]; sent {
		t.Errorf("img-4 asks for other fields but was sent %q", got["img-4"])
	}
	h.mustSee("Sent to 4 runs: 2 resumed, 1 failed, 1 skipped (schema differs)",
		"img-4 (label): Skipped: it asks for other fields.", "img-3 (label):")
	h.keys("esc")
	if h.m.screen != scrInbox || h.m.inbox.MarkedCount() != 0 {
		t.Errorf("after the results: screen %v, %d marked", h.m.screen, h.m.inbox.MarkedCount())
	}
	var left []string
	for _, r := range h.m.inbox.Rows() {
		left = append(left, r.ID)
	}
	slices.Sort(left)
	if strings.Join(left, ",") != "img-3,img-4" {
		t.Errorf("inbox keeps %v, want the failed and the skipped run", left)
	}
	if len(h.m.inFlight) != 0 {
		t.Errorf("runs still in flight after the results: %v", h.m.inFlight)
	}
}

func TestSpaceMarksRowByRowAndEscClears(t *testing.T) {
	h := newHarness(t, bulkFixture(t))
	h.keys("space", "space")
	h.mustSee("2 runs marked")
	if h.m.inbox.MarkedCount() != 2 {
		t.Fatalf("%d marked", h.m.inbox.MarkedCount())
	}
	h.keys("esc")
	h.mustSee("Marks cleared.")
	if h.m.inbox.MarkedCount() != 0 {
		t.Fatal("esc did not clear the marks")
	}
}

package tui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/tui/drafts"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

// animalSchema is what Prefect sends for the image-label fixture,
// pause_flow_run(wait_for_input=Animal) with Animal a str Enum
// (src/prefect/input/run_input.py, AutomaticRunInput).
const animalSchema = `{"$defs":{"Animal":{"enum":["pig","dog"],"title":"Animal","type":"string"}},"properties":{"value":{"$ref":"#/$defs/Animal"}},"required":["value"],"title":"AnimalAutomaticRunInput","type":"object"}`

const boolSchema = `{"properties":{"approve":{"title":"Approve","type":"boolean"}},"required":["approve"],"title":"Approval","type":"object"}`

// labelRuns makes n waiting runs of the image-label flow, img-1 first in
// the inbox, each asking schema, and one run of another flow.
func labelRuns(t testing.TB, n int, schema string) *tuitest.FakeAPI {
	api := tuitest.NewFake()
	var rs []apiclient.Run
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("r-%d", i)
		rs = append(rs, tuitest.MkRun(t, tuitest.RunSpec{
			ID: id, Name: fmt.Sprintf("img-%d", i), Flow: "unpause-image-label",
			PausedAgo: time.Minute, ExpiresIn: tuitest.In(time.Duration(i) * time.Hour),
		}))
		api.Inputs[id] = &apiclient.InputRequest{Schema: json.RawMessage(schema)}
	}
	rs = append(rs, tuitest.MkRun(t, tuitest.RunSpec{ID: "r-other", Name: "other", Flow: "other-flow", PausedAgo: time.Minute, ExpiresIn: tuitest.In(30 * time.Minute)}))
	api.Inputs["r-other"] = &apiclient.InputRequest{Schema: json.RawMessage(schema)}
	api.SetRuns(rs...)
	return api
}

// openFirst answers img-1 from the inbox (the other flow's run sorts first).
func openFirst(t *testing.T, h *harness) {
	t.Helper()
	h.keys("j", "a")
	h.mustSee("Answer: img-1", "1 pig  2 dog")
}

func sentInputs(api *tuitest.FakeAPI) string {
	var out []string
	for _, c := range api.ResumeCalls() {
		out = append(out, c.ID+"="+string(c.Input))
	}
	return strings.Join(out, " ")
}

func TestQueueOpensTheNextRunOfTheFlowAfterAResume(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	h := newHarness(t, api)
	openFirst(t, h)
	h.mustNotSee("queue:") // no queue before the first answer
	h.keys("1")
	h.mustSee("Review the answer for img-1", `"value": "pig"`)
	if n := len(api.ResumeCalls()); n != 0 {
		t.Fatalf("a digit sent %d resumes before y", n)
	}
	h.keys("y")
	if got := sentInputs(api); got != `r-1={"value":"pig"}` {
		t.Fatalf("sent %s", got)
	}
	h.mustSee("Answer: img-2", "queue: unpause-image-label · 2 left", "1 pig  2 dog", "img-1: Resumed")
	h.keys("2", "y")
	h.mustSee("Answer: img-3", "queue: unpause-image-label · 1 left")
	h.keys("1", "y")
	if got := sentInputs(api); got != `r-1={"value":"pig"} r-2={"value":"dog"} r-3={"value":"pig"}` {
		t.Fatalf("sent %s", got)
	}
	// None left: back to the inbox, where the other flow's run still waits.
	h.mustSee("Queue done: 3 answered", "1 run waiting")
	if h.m.screen != scrInbox || h.m.queue != nil {
		t.Fatalf("screen %d, queue %v", h.m.screen, h.m.queue)
	}
}

func TestAResumeWithNothingElseOfItsFlowStaysOnTheRun(t *testing.T) {
	api := labelRuns(t, 1, animalSchema)
	h := newHarness(t, api)
	openFirst(t, h)
	h.keys("1", "y")
	if h.m.screen != scrRun || h.m.queue != nil {
		t.Fatalf("screen %d, queue %v", h.m.screen, h.m.queue)
	}
	h.mustSee("Resumed")
}

func TestQueueSkipsARunThatAsksAnotherQuestion(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	api.Inputs["r-2"] = &apiclient.InputRequest{Schema: json.RawMessage(strings.Replace(animalSchema, `"dog"]`, `"dog","cat"]`, 1))}
	h := newHarness(t, api)
	openFirst(t, h)
	h.keys("1", "y")
	h.mustSee("Answer: img-3", "Skipped img-2: it asks a different question", "queue: unpause-image-label · 1 left")
	h.keys("2", "y")
	h.mustSee("Queue done: 2 answered")
	if got := sentInputs(api); got != `r-1={"value":"pig"} r-3={"value":"dog"}` {
		t.Fatalf("sent %s", got)
	}
}

func TestQueueSkipKeys(t *testing.T) {
	api := labelRuns(t, 4, animalSchema)
	h := newHarness(t, api)
	openFirst(t, h)
	h.keys("1", "y")
	h.mustSee("Answer: img-2", "3 left")
	h.keys("n")
	h.mustSee("Answer: img-3", "3 left")
	h.keys("n", "n") // wraps round to img-2
	h.mustSee("Answer: img-2")
	h.keys("p")
	h.mustSee("Answer: img-4")
	h.keys("ctrl+p")
	h.mustSee("Answer: img-3")
	// n and p also skip in the run view.
	h.keys("esc")
	if h.m.queue != nil || h.m.screen != scrRun {
		t.Fatal("esc did not leave the queue")
	}
	h.mustSee("Left the queue (1 answered)")
	h.keys("n") // outside a queue, n does nothing here
	if h.m.cur.id != "r-3" {
		t.Fatalf("n outside a queue opened %s", h.m.cur.id)
	}
	// Answering again starts a queue; skipped runs come after the others.
	h.keys("a", "2", "y")
	h.mustSee("Answer: img-2", "2 left")
	h.keys("esc", "n")
	h.mustSee("Left the queue")
	if h.m.cur.id != "r-2" {
		t.Fatalf("n after leaving opened %s", h.m.cur.id)
	}
}

func TestQueueDoesNotReopenSkippedRuns(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	h := newHarness(t, api)
	openFirst(t, h)
	h.keys("1", "y")
	h.mustSee("Answer: img-2")
	h.keys("n") // img-2 skipped
	h.mustSee("Answer: img-3")
	h.keys("1", "y")
	h.mustSee("Queue done: 2 answered, 1 skipped", "img-2")
	if got := sentInputs(api); got != `r-1={"value":"pig"} r-3={"value":"pig"}` {
		t.Fatalf("sent %s", got)
	}
}

func TestQueueGeneralFormTypesNAndSkipsWithCtrl(t *testing.T) {
	api := labelRuns(t, 3, tuitest.StrSchema)
	h := newHarness(t, api)
	h.keys("j", "a")
	h.mustSee("Answer: img-1")
	h.mustNotSee("1 pig")
	h.typeText("nope")
	h.keys("enter")
	h.mustSee("Review the answer for img-1", `"value": "nope"`)
	h.keys("y")
	h.mustSee("Answer: img-2", "queue: unpause-image-label · 2 left")
	h.typeText("pn")
	if h.m.cur.id != "r-2" {
		t.Fatalf("n typed in the form moved to %s", h.m.cur.id)
	}
	h.mustSee("> pn")
	h.keys("ctrl+n")
	h.mustSee("Answer: img-3")
	h.keys("ctrl+p")
	h.mustSee("Answer: img-2")
	h.mustSee("> pn") // kept while skipping
	h.mustSee("ctrl+n next in queue")
}

func TestNumberedChoiceForABool(t *testing.T) {
	for _, c := range []struct{ key, want string }{{"1", `{"approve":true}`}, {"2", `{"approve":false}`}} {
		api := labelRuns(t, 1, boolSchema)
		h := newHarness(t, api)
		h.keys("j", "a")
		h.mustSee("1 yes  2 no")
		h.keys(c.key)
		h.mustSee("Review the answer for img-1")
		h.keys("y")
		if got := sentInputs(api); got != "r-1="+c.want {
			t.Fatalf("%s sent %s", c.key, got)
		}
	}
}

func TestReviewAfterADigitGoesBackToTheFormWithTheChoice(t *testing.T) {
	api := labelRuns(t, 1, animalSchema)
	h := newHarness(t, api)
	openFirst(t, h)
	h.keys("2", "n")
	h.mustSee("Answer: img-1", "1 pig  2 dog")
	if v := h.m.currentAnswer().Values()["value"]; v != "dog" {
		t.Fatalf("value %v", v)
	}
	if len(api.ResumeCalls()) != 0 {
		t.Fatal("sent")
	}
}

// quickOn opens img-1 and turns quick answers on for its flow.
func quickOn(t *testing.T, h *harness) {
	t.Helper()
	openFirst(t, h)
	h.keys("Q")
	h.mustSee("Quick answers ON for unpause-image-label: a digit sends after 3 s; u undoes")
}

func TestQuickAnswerIsSentWhenTheUndoWindowEnds(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	h := newHarness(t, api)
	quickOn(t, h)
	h.keys("1")
	h.mustSee("Answer: img-2", "Sending 'pig' to img-1 in 3 s · u undo", "queue: unpause-image-label · 2 left")
	h.mustNotSee("Resumed")
	if len(api.ResumeCalls()) != 0 {
		t.Fatal("sent before the undo window ended")
	}
	h.keys("2") // a second one overlaps the first
	h.mustSee("Answer: img-3", "Sending 'dog' to img-2")
	h.advance(2 * time.Second)
	if len(api.ResumeCalls()) != 0 {
		t.Fatal("sent before 3 s")
	}
	h.advance(time.Second + time.Millisecond)
	if got := sentInputs(api); got != `r-1={"value":"pig"} r-2={"value":"dog"}` {
		t.Fatalf("sent %s", got)
	}
	h.mustSee("Answer: img-3", "img-2: Resumed")
	h.keys("1")
	h.advance(3 * time.Second)
	h.mustSee("img-3: Resumed")
	if h.m.queue != nil {
		t.Fatal("queue still open")
	}
	if len(api.ResumeCalls()) != 3 || len(h.m.inFlight) != 0 {
		t.Fatalf("%d sent, %d in flight", len(api.ResumeCalls()), len(h.m.inFlight))
	}
	// Q turns them off again: a digit opens the review.
	api2 := labelRuns(t, 2, animalSchema)
	h2 := newHarness(t, api2)
	quickOn(t, h2)
	h2.keys("Q")
	h2.mustSee("Quick answers OFF")
	h2.keys("1")
	h2.mustSee("Review the answer for img-1")
}

func TestQuickAnswerUndoSendsNothingAndReopensTheForm(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	h := newHarness(t, api)
	quickOn(t, h)
	h.keys("1")
	h.mustSee("Answer: img-2")
	h.advance(time.Second)
	h.keys("u")
	h.mustSee("Answer: img-1", "1 pig  2 dog", "Not sent: 'pig' to img-1 (undone)")
	if h.m.currentAnswer().Stage() != 0 {
		t.Fatal("undo did not reopen the form")
	}
	h.advance(10 * time.Second)
	if n := len(api.ResumeCalls()); n != 0 {
		t.Fatalf("undone answer sent (%d resumes)", n)
	}
	h.keys("u")
	h.mustSee("No quick answer to undo.")
	// It is still in the queue: answering it goes on to img-2.
	h.keys("2")
	h.advance(3 * time.Second)
	if got := sentInputs(api); got != `r-1={"value":"dog"}` {
		t.Fatalf("sent %s", got)
	}
	h.mustSee("Answer: img-2")
}

func TestQuitWithAPendingQuickAnswerKeepsItAsADraft(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	h := newHarness(t, api)
	quickOn(t, h)
	h.keys("1", "2")
	h.send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if !h.quit {
		t.Fatal("did not quit")
	}
	h.advance(10 * time.Second)
	if n := len(api.ResumeCalls()); n != 0 {
		t.Fatalf("quitting sent %d pending answers", n)
	}
	err := h.m.UnsentError()
	if err == nil || err.Error() != "2 quick answers were not sent (kept as drafts): open their runs and press a to send them" {
		t.Fatalf("UnsentError %v", err)
	}
	if h.m.QuitError() != nil {
		t.Fatalf("nothing was in flight: %v", h.m.QuitError())
	}
	store, oerr := drafts.Open(h.m.opts.StateDir, tuitest.FixedNow)
	if oerr != nil {
		t.Fatal(oerr)
	}
	for id, want := range map[string]string{"r-1": "pig", "r-2": "dog"} {
		d, lerr := store.Load(id)
		if lerr != nil || d == nil || d.Values["value"] != want {
			t.Fatalf("draft of %s: %+v %v", id, d, lerr)
		}
	}
}

func TestPickRun(t *testing.T) {
	ids := []string{"a", "b", "c", "d"}
	none := func(string) bool { return false }
	skipB := func(id string) bool { return id == "b" }
	cases := []struct {
		cur  string
		dir  int
		excl func(string) bool
		want string
	}{
		{"", 0, none, "a"},
		{"a", 0, none, "b"},
		{"a", 0, skipB, "c"},
		{"b", 1, none, "c"},
		{"d", 1, none, "a"},
		{"a", -1, none, "d"},
		{"c", -1, skipB, "a"},
		{"gone", 1, none, "a"},
		{"gone", -1, none, "d"},
		{"a", 1, func(id string) bool { return id != "a" }, ""},
	}
	for _, c := range cases {
		if got := pickRun(ids, c.cur, c.dir, c.excl); got != c.want {
			t.Errorf("pickRun(%q, %d) = %q, want %q", c.cur, c.dir, got, c.want)
		}
	}
	if got := pickRun(nil, "", 0, none); got != "" {
		t.Errorf("empty: %q", got)
	}
}

func TestHelpAndKeyBarShowQueueKeys(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	h := newHarness(t, api)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("?")
	h.mustSee("Queue: n/p skip (ctrl/alt+n/p in a form) · 1-9 answer · Q quick · u undo", "╰")
	h.keys("esc", "j", "a")
	h.send(tea.WindowSizeMsg{Width: 120, Height: 30})
	h.mustSee("1-2 answer", "Q quick answers on/off")
	h.keys("1", "y")
	h.mustSee("n next in queue", "p previous in queue")
}

func TestQuickAnswerToTheOnlyRunOfItsFlowStaysOnIt(t *testing.T) {
	api := labelRuns(t, 1, animalSchema)
	h := newHarness(t, api)
	quickOn(t, h)
	h.keys("2")
	if h.m.screen != scrRun || h.m.queue != nil {
		t.Fatalf("screen %d, queue %v", h.m.screen, h.m.queue)
	}
	h.mustSee("img-1", "Sending 'dog' to img-1 in 3 s · u undo")
	h.mustNotSee("Resumed", "Queue done")
	h.advance(3 * time.Second)
	if got := sentInputs(api); got != `r-1={"value":"dog"}` {
		t.Fatalf("sent %s", got)
	}
	h.mustSee("Resumed")
}

func TestDigitsTypeInAnOpenChoiceFilter(t *testing.T) {
	api := labelRuns(t, 2, `{"properties":{"size":{"enum":["s1","m2","l3"],"type":"string"}},"type":"object"}`)
	h := newHarness(t, api)
	h.keys("j", "a")
	h.mustSee("1 s1  2 m2  3 l3")
	h.keys("/", "2")
	if h.m.currentAnswer().Stage() != 0 {
		t.Fatal("a digit typed in the filter picked a choice")
	}
	h.keys("Q")
	h.mustNotSee("Quick answers ON")
	h.keys("esc") // closes the filter, not the form
	if h.m.screen != scrAnswer {
		t.Fatal("esc in an open filter left the form")
	}
	h.keys("3")
	h.mustSee("Review the answer for img-1", `"size": "l3"`)
}

func TestProfileSwitchKeepsPendingQuickAnswersAsDrafts(t *testing.T) {
	api := labelRuns(t, 2, animalSchema)
	h := newHarness(t, api, func(o *Options) {
		o.SwitchProfile = func(name string) (API, ProfileInfo, error) {
			return tuitest.NewFake(), ProfileInfo{Name: name, ServerURL: "https://staging.example/api"}, nil
		}
	})
	quickOn(t, h)
	h.keys("1", "esc", "P", "j", "enter")
	h.mustSee("profile staging", "1 quick answer was not sent (kept as a draft)")
	h.advance(5 * time.Second)
	if n := len(api.ResumeCalls()); n != 0 {
		t.Fatalf("sent %d after the switch", n)
	}
	if d, ok := h.m.drafts.Peek("r-1"); !ok || d.Values["value"] != "pig" {
		t.Fatalf("draft %+v %v", d, ok)
	}
}

// listSchema asks for a list of strings: the form gives it a text area,
// where ctrl+n and ctrl+p move the cursor between lines.
const listSchema = `{"properties":{"labels":{"items":{"type":"string"},"title":"Labels","type":"array"}},"required":["labels"],"title":"Labels","type":"object"}`

// twoChoiceSchema has two selects: no digit answers it, and in a select
// ctrl+n and ctrl+p move between options.
const twoChoiceSchema = `{"properties":{"animal":{"enum":["pig","dog"],"title":"Animal","type":"string"},"size":{"enum":["small","large"],"title":"Size","type":"string"}},"required":["animal","size"],"title":"Two","type":"object"}`

func TestQueueCtrlNInAFieldThatMovesWithItStaysOnTheRun(t *testing.T) {
	for _, tc := range []struct {
		name, schema string
		answer       func(h *harness) // fills img-1's form and submits it
	}{
		{"text area", listSchema, func(h *harness) { h.typeText("x"); h.keys("enter") }},
		{"select", twoChoiceSchema, func(h *harness) { h.keys("j", "enter", "j", "enter") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := labelRuns(t, 3, tc.schema)
			h := newHarness(t, api)
			h.keys("j", "a")
			h.mustSee("Answer: img-1")
			tc.answer(h)
			h.mustSee("Review the answer for img-1")
			h.keys("y")
			h.mustSee("Answer: img-2", "2 left")
			h.keys("ctrl+n")
			if h.m.cur.id != "r-2" {
				t.Fatalf("ctrl+n in a %s moved the queue to %s; the field uses the key", tc.name, h.m.cur.id)
			}
			h.keys("ctrl+p")
			if h.m.cur.id != "r-2" {
				t.Fatalf("ctrl+p in a %s moved the queue to %s", tc.name, h.m.cur.id)
			}
			h.mustSee("alt+n next in queue")
			h.send(tea.KeyPressMsg{Code: 'n', Mod: tea.ModAlt})
			h.mustSee("Answer: img-3")
			h.send(tea.KeyPressMsg{Code: 'p', Mod: tea.ModAlt})
			h.mustSee("Answer: img-2")
		})
	}
}

// q with a quick answer in its undo window asks first; q again quits and
// keeps it as a draft. Any other key in between disarms it.
func TestQuitWithAPendingQuickAnswerAsksFirst(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	h := newHarness(t, api)
	quickOn(t, h)
	h.keys("1", "esc")
	h.mustNotSee("Answer: img-2")
	h.keys("q")
	if h.quit {
		t.Fatal("q quit with a quick answer not sent yet")
	}
	h.mustSee("1 quick answer is not sent yet. q again quits and keeps it as a draft; u takes it back.")
	h.keys("j", "q") // j disarms: q asks again
	if h.quit {
		t.Fatal("q after another key quit without asking again")
	}
	h.keys("q")
	if !h.quit {
		t.Fatal("the second q did not quit")
	}
	if err := h.m.UnsentError(); err == nil || !strings.Contains(err.Error(), "1 quick answer was not sent (kept as a draft)") {
		t.Fatalf("UnsentError %v", err)
	}
	if n := len(api.ResumeCalls()); n != 0 {
		t.Fatalf("%d answers sent", n)
	}
}

// Once the undo window is over the answer is sent, and q quits at once.
func TestQuitAfterTheQuickAnswerWentDoesNotAsk(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	h := newHarness(t, api)
	quickOn(t, h)
	h.keys("1", "esc")
	h.advance(4 * time.Second)
	if n := len(api.ResumeCalls()); n != 1 {
		t.Fatalf("%d answers sent after the window", n)
	}
	h.keys("q")
	if !h.quit || h.m.UnsentError() != nil {
		t.Fatalf("quit %v, unsent %v", h.quit, h.m.UnsentError())
	}
}

// From the bulk results screen too, the second q quits.
func TestQuitFromBulkResultsWithAPendingQuickAnswer(t *testing.T) {
	api := labelRuns(t, 3, animalSchema)
	h := newHarness(t, api)
	quickOn(t, h)
	h.keys("1", "esc")
	h.m.screen, h.m.bulk = scrBulk, &bulkState{}
	h.keys("q")
	if h.quit {
		t.Fatal("q quit with a quick answer not sent yet")
	}
	h.keys("q")
	if !h.quit {
		t.Fatal("the second q on the bulk results did not quit")
	}
}

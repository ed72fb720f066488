package tui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

const shirtRefused = "Invalid shirt order: Value error, Green is only in stock in medium and large."

// shirtPausedAgain is the shirt run after the flow refused an answer: it
// paused again a minute ago (a new keyset), the earlier answer is on the
// server, and the flow logged why it refused it just before pausing.
func shirtPausedAgain(t *testing.T, refusal string) *tuitest.FakeAPI {
	api := tuitest.Fixture(t)
	pausedAt := tuitest.Now.Add(-time.Minute)
	api.Runs[0] = tuitest.MkRun(t, tuitest.RunSpec{ID: "r-shirt", Name: "shirt-1", Flow: "unpause-shirt-order", PausedAgo: time.Minute, ExpiresIn: tuitest.In(45 * time.Minute), Tags: []string{"shop"}, PauseKey: "2"})
	api.Inputs["r-shirt"] = &apiclient.InputRequest{
		Schema:      tuitest.ReadSchema(t, "shirt_schema.json"),
		Description: "**That combination is not available.**\n\nPick another size or colour.\n\n- small: red, blue\n- medium: all\n- large: all\n",
	}
	api.ResponsesByRun["r-shirt"] = []apiclient.Response{
		{Key: "paused-1-response", Created: pausedAt.Add(-3 * time.Second), Value: json.RawMessage(`{"size":"small","color":"green"}`)},
	}
	api.LogsByRun["r-shirt"] = []apiclient.LogLine{
		{Timestamp: tuitest.Now.Add(-20 * time.Minute), Level: 30, Message: "Waiting for a shirt order"},
		{Timestamp: pausedAt.Add(-2 * time.Second), Level: 20, Message: "Resuming flow run"},
		{Timestamp: pausedAt.Add(-time.Second), Level: 40, Message: refusal},
	}
	return api
}

func TestFormShowsDescriptionAndRefusal(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys []string
	}{
		{"from the run view", []string{"j", "j", "enter", "a"}},
		{"from the inbox row", []string{"j", "j", "a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, shirtPausedAgain(t, shirtRefused))
			h.keys(tc.keys...)
			if h.m.screen != scrAnswer {
				t.Fatalf("screen %v, want the form", h.m.screen)
			}
			h.mustSee("That combination is not available.", "description continues: esc to the run view",
				"The flow refused the previous answer: Invalid shirt order: Value error,", "medium and large.", "Size")
			h.mustNotSee("**That", "Waiting for a shirt order", "large: all")
		})
	}
}

func TestFormRefusalArrivesWithLaterLogs(t *testing.T) {
	api := shirtPausedAgain(t, shirtRefused)
	logs := api.LogsByRun["r-shirt"]
	api.LogsByRun["r-shirt"] = logs[:1] // Prefect ships logs in batches: not there yet
	h := newHarness(t, api)
	h.keys("j", "j", "a")
	h.mustSee("That combination is not available.")
	h.mustNotSee("refused")
	api.Mu.Lock()
	api.LogsByRun["r-shirt"] = logs
	api.Mu.Unlock()
	h.run(h.m.logsCmd("r-shirt"))
	h.mustSee("The flow refused the previous answer: Invalid shirt order: Value error,", "medium and large.")
}

func TestFormNoRefusalWithoutEarlierAnswer(t *testing.T) {
	api := shirtPausedAgain(t, shirtRefused)
	api.ResponsesByRun["r-shirt"] = nil
	h := newHarness(t, api)
	h.keys("j", "j", "a")
	h.mustSee("That combination is not available.")
	h.mustNotSee("refused")
}

func TestFormRefusalHostileLogSanitised(t *testing.T) {
	hostile := "Invalid \x1b]0;owned\x07order\x1b[2J: \x1b]52;c;aGVsbG8=\x07green\u202e \x9b31m"
	h := newHarness(t, shirtPausedAgain(t, hostile))
	h.keys("j", "j", "a")
	// termsafe.Line drops the controls; what is left shows as plain text.
	h.mustSee("The flow refused the previous answer: Invalid ", "green")
	raw := h.m.Render()
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\u202e", "\x9b"} {
		if strings.Contains(raw, bad) {
			t.Fatalf("screen holds %q raw", bad)
		}
	}
}

func TestFormContextLeavesRoomAt80x24(t *testing.T) {
	h := newHarness(t, shirtPausedAgain(t, shirtRefused+" "+strings.Repeat("Pick again. ", 8)))
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("j", "j", "a")
	h.fireTicks(func(m tea.Msg) bool { _, ok := m.(resizeRenderMsg); return ok })
	lines := strings.Split(h.view(), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines at 80x24", len(lines))
	}
	h.mustSee("The flow refused the previous answer", "That combination is not available.", "Pick aga…")
	size, options := -1, 0
	for i, l := range lines {
		if strings.Contains(l, "Size") && size < 0 {
			size = i
		}
		if strings.Contains(l, "small") || strings.Contains(l, "medium") || strings.Contains(l, "large") {
			options++
		}
	}
	if size < 0 || size > 12 || options < 3 {
		t.Fatalf("the first field does not show whole (title at line %d, %d options):\n%s", size, options, h.view())
	}
}

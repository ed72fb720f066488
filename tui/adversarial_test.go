package tui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/termsafe"
)

// hostile carries terminal attacks: OSC 52 clipboard write, OSC 0 title,
// screen clear, C1 CSI, bidi override, zero-width, raw ESC colour, a
// character reference glamour would turn into ESC, and a lone CR.
const hostile = "A\x1b]52;c;cm0gLXJmIH4=\x07B\x1b]0;pwned\x07C\x1b[2JD\u009b31mE\u202eF\u200bG\x1b[31mH&#27;[31mI\rJ\x07K\x1bP+q\x1b\\L"

func hostileSchema() json.RawMessage {
	s := map[string]any{
		"title": "Evil" + hostile, "type": "object", "additionalProperties": false,
		"properties": map[string]any{
			"choice": map[string]any{
				"title": "Pick" + hostile, "description": "Help" + hostile, "type": "string",
				"enum": []any{"ok", "bad" + hostile}, "default": "ok",
			},
			"note": map[string]any{"title": "Note" + hostile, "description": "More" + hostile, "type": "string", "default": "x" + hostile},
		},
	}
	b, _ := json.Marshal(s)
	return b
}

func hostileFixture(t *testing.T) *fakeAPI {
	api := newFake()
	r := mkRun(t, runSpec{
		ID: "evil", Name: "run" + hostile, Flow: "flow" + hostile, Deployment: "dep" + hostile,
		PausedAgo: time.Hour, ExpiresIn: in(3 * time.Minute), Tags: []string{"tag" + hostile, "\x1b]8;;http://x\x07link\x1b]8;;\x07"}, Pool: "pool" + hostile,
	})
	r.Parameters = json.RawMessage(`{"p":"` + strings.ReplaceAll(hostile, "\x1b", `\u001b`) + `", "raw":"\u009b2J"}`)
	r.State.Name = "Paused" + hostile
	nr := mkRun(t, runSpec{ID: "evil2", Name: "plain" + hostile, Flow: "etl", PausedAgo: time.Minute, NoInput: true})
	api.setRuns(r, nr)
	api.inputs["evil"] = &apiclient.InputRequest{
		Schema: hostileSchema(),
		Description: "# Title" + hostile + "\n\n`&#27;[2J` and ~~&**#27;**[31mFAKE~~ and [link" + hostile + "](https://e.x/" + hostile + ")\n\n" +
			"<img src=x onerror=alert(1)>&#x1b;]52;c;Zm9v&#7;\n\n```\ncode" + hostile + "\n```\n",
	}
	api.logs["evil"] = []apiclient.LogLine{{Timestamp: testNow, Level: 40, Message: "log" + hostile + "\nsecond line" + hostile}}
	api.responses["evil"] = []apiclient.Response{{Key: "paused-0-response" + hostile, Created: testNow, Value: json.RawMessage(`{"a":"\u001b]52;c;x\u0007"}`), Sender: "s" + hostile}}
	api.resumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeRejected, Reason: "Reason: Validation failed for field 'note'. Failure reason: " + hostile}, nil
	}
	api.cancelResult = func(string, string) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeNotPaused, Reason: "no" + hostile, State: &apiclient.State{Type: "COMPLETED", Name: "Done" + hostile}}, nil
	}
	return api
}

func assertSafe(t *testing.T, where, s string) {
	t.Helper()
	if !termsafe.OnlySGR(s) {
		t.Fatalf("%s: output carries more than SGR: %q", where, s)
	}
	for _, bad := range []string{"pwned\x07", "\x1b]", "\x1b[2J", "\u202e", "\r"} {
		if strings.Contains(s, bad) {
			t.Fatalf("%s: output contains %q", where, bad)
		}
	}
}

func TestHostileStringsNeverReachTheTerminal(t *testing.T) {
	api := hostileFixture(t)
	h := newHarness(t, api, func(o *Options) {
		o.Profiles = []string{"prod", "evil" + hostile}
		o.SwitchProfile = func(string) (API, ProfileInfo, error) {
			return api, ProfileInfo{Name: "evil" + hostile, ServerURL: "http://x/" + hostile}, nil
		}
	})
	check := func(where string) {
		t.Helper()
		assertSafe(t, where, h.m.Render())
		v := h.m.View()
		assertSafe(t, where+" (tea.View)", v.Content)
	}
	check("inbox")
	h.keys("/")
	h.send(tea.PasteMsg{Content: "x" + hostile})
	check("filter with pasted escapes")
	h.keys("esc")
	h.keys("?")
	check("help")
	h.keys("esc", "P")
	check("profile picker")
	h.keys("esc")

	h.keys("g", "enter")
	check("run view")
	if !strings.Contains(h.view(), "Title") {
		t.Fatalf("description not rendered:\n%s", h.view())
	}
	h.keys("G")
	check("run view scrolled")
	// Every run view section separately, as components.
	assertSafe(t, "runview component", h.m.runview.View())

	h.keys("a")
	check("form")
	assertSafe(t, "form component", h.m.currentAnswer().View())
	h.keys("down") // the hostile enum label
	check("form select")
	h.keys("up", "enter", "enter")
	check("review")
	h.keys("y")
	check("rejected with hostile reason")
	if !strings.Contains(h.view(), "refused") {
		t.Fatalf("rejection not shown:\n%s", h.view())
	}
	h.keys("esc", "x")
	h.send(tea.PasteMsg{Content: "because" + hostile})
	check("cancel reason")
	h.keys("enter")
	check("cancel confirm")
	h.keys("y")
	check("not-paused banner with hostile state")

	// Profile switch to a hostile name and server.
	h.keys("esc", "P", "j", "enter")
	check("header after hostile profile switch")

	// The error screen with a hostile error text.
	api.mu.Lock()
	api.listErr = &apiclient.Error{Op: "list" + hostile, Kind: apiclient.ErrConnection, Reason: hostile}
	api.runs = nil
	api.mu.Unlock()
	h.keys("r")
	check("error screen")
}

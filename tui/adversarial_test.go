package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

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
	api := tuitest.HostileFixture(t)
	h := newHarness(t, api, func(o *Options) {
		o.Profiles = []string{"prod", "evil" + tuitest.Hostile}
		o.SwitchProfile = func(string) (API, ProfileInfo, error) {
			return api, ProfileInfo{Name: "evil" + tuitest.Hostile, ServerURL: "http://x/" + tuitest.Hostile}, nil
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
	h.send(tea.PasteMsg{Content: "x" + tuitest.Hostile})
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
	h.send(tea.PasteMsg{Content: "because" + tuitest.Hostile})
	check("cancel reason")
	h.keys("enter")
	check("cancel confirm")
	h.keys("y")
	check("not-paused banner with hostile state")

	// Profile switch to a hostile name and server.
	h.keys("esc", "P", "j", "enter")
	check("header after hostile profile switch")

	// The error screen with a hostile error text.
	api.Mu.Lock()
	api.ListErr = &apiclient.Error{Op: "list" + tuitest.Hostile, Kind: apiclient.ErrConnection, Reason: tuitest.Hostile}
	api.Runs = nil
	api.Mu.Unlock()
	h.keys("r")
	check("error screen")
}

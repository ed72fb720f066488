package cancel

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/tui/common"
)

func key(s string) tea.KeyPressMsg {
	switch s {
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	}
	return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
}

func newFlow(sending *bool) *Model {
	m := New(common.New(time.Now()), common.Subject{
		Title:   func() string { return "run-1" },
		Sending: func() bool { return *sending },
	})
	m.SetSize(80, 20)
	m.Start()
	return m
}

func TestReasonThenConfirm(t *testing.T) {
	sending := false
	m := newFlow(&sending)
	for _, k := range []string{"n", "o", "p", "e"} {
		if _, ev := m.Update(key(k)); ev != EventNone {
			t.Fatalf("typing %q gave event %v", k, ev)
		}
	}
	if _, ev := m.Update(key("enter")); ev != EventNone || !m.Confirming() {
		t.Fatalf("enter: event %v, confirming %v", ev, m.Confirming())
	}
	if v := m.View(); !strings.Contains(v, "Reason: nope") || !strings.Contains(v, "[y/N]") {
		t.Fatalf("confirmation does not show the reason:\n%s", v)
	}
	if _, ev := m.Update(key("esc")); ev != EventNone || m.Confirming() || m.Reason() != "nope" {
		t.Fatalf("esc in the confirmation: event %v, confirming %v, reason %q", ev, m.Confirming(), m.Reason())
	}
	m.Update(key("enter"))
	sending = true
	if _, ev := m.Update(key("y")); ev != EventNone {
		t.Fatalf("y while sending gave event %v", ev)
	}
	sending = false
	if _, ev := m.Update(key("y")); ev != EventCancel || m.Reason() != "nope" {
		t.Fatalf("y: event %v, reason %q", ev, m.Reason())
	}
}

func TestBack(t *testing.T) {
	sending := false
	m := newFlow(&sending)
	if _, ev := m.Update(key("esc")); ev != EventBack {
		t.Fatalf("esc in the reason: event %v", ev)
	}
	m.Start()
	m.Update(key("enter"))
	if v := m.View(); !strings.Contains(v, "(no reason given)") {
		t.Fatalf("empty reason not shown as such:\n%s", v)
	}
	if _, ev := m.Update(key("n")); ev != EventBack {
		t.Fatalf("n in the confirmation: event %v", ev)
	}
}

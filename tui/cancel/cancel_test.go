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
	m.Start("Its runner will stop the flow's process.")
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
	if v := m.View(); !strings.Contains(v, "Reason: nope") || !strings.Contains(v, "[y/N]") || !strings.Contains(v, "Its runner will stop") {
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
	m.Start("")
	if _, ev := m.Update(key("n")); ev != EventNone {
		t.Fatalf("typing: event %v", ev)
	}
	m.Update(key("enter"))
	if _, ev := m.Update(key("n")); ev != EventBack {
		t.Fatalf("n in the confirmation: event %v", ev)
	}
}

// A reason is required, as on the command line: enter with none (or only
// blanks) stays on the reason and says why; typing clears the message.
func TestReasonRequired(t *testing.T) {
	sending := false
	m := newFlow(&sending)
	m.Update(key(" "))
	if _, ev := m.Update(key("enter")); ev != EventNone || m.Confirming() {
		t.Fatalf("enter with a blank reason: event %v, confirming %v", ev, m.Confirming())
	}
	if v := m.View(); !strings.Contains(v, "A reason is required") {
		t.Fatalf("no word on the missing reason:\n%s", v)
	}
	m.Update(key("x"))
	if v := m.View(); strings.Contains(v, "A reason is required") {
		t.Fatalf("the message stays after typing:\n%s", v)
	}
	if m.Update(key("enter")); !m.Confirming() {
		t.Fatal("a reason typed: no confirmation")
	}
}

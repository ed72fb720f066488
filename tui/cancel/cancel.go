// Package cancel asks why a run is cancelled, then confirms. It reports the
// outcome (cancel with this reason, or back) to the parent, which does the
// API call.
package cancel

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui/common"
	"github.com/unpause-dev/unpause/tui/confirm"
)

// Event tells the parent what happened.
type Event int

// Events.
const (
	EventNone   Event = iota
	EventCancel       // confirmed: cancel with Reason()
	EventBack         // left without cancelling
)

// Model is the cancel flow for one run: the reason, then the confirmation.
type Model struct {
	c          *common.Common
	subject    common.Subject
	reason     common.LineInput
	confirm    *confirm.Model
	confirming bool
	effect     string // what cancelling will do (domain.CancelEffect)
	missing    bool   // enter was pressed with no reason
	width      int
}

var _ common.Component[Event] = (*Model)(nil)

// New returns the cancel flow about subject.
func New(c *common.Common, subject common.Subject) *Model {
	return &Model{
		c: c, subject: subject,
		reason:  common.LineInput{Prompt: "> ", Limit: 500},
		confirm: confirm.New(c, subject, "Cancel this run?", nil, "Cancel this run? [y/N] "),
	}
}

// Start begins again at an empty reason; effect says what cancelling this
// run will do.
func (m *Model) Start(effect string) {
	m.reason.Reset()
	m.confirming, m.missing, m.effect = false, false, effect
}

// Reason is the reason typed (never empty once EventCancel is reported).
func (m *Model) Reason() string { return m.reason.Value() }

// Confirming reports whether the confirmation step is shown.
func (m *Model) Confirming() bool { return m.confirming }

// SetSize sets the area of the flow.
func (m *Model) SetSize(w, h int) {
	m.width = w
	m.confirm.SetSize(w, h)
}

// Update edits the reason (enter goes on to the confirmation, esc leaves)
// or answers the confirmation (esc goes back to the reason, text kept).
func (m *Model) Update(msg tea.Msg) (tea.Cmd, Event) {
	if m.confirming {
		_, ev := m.confirm.Update(msg)
		switch ev {
		case confirm.EventConfirmed:
			return nil, EventCancel
		case confirm.EventBack:
			m.confirming = false
		case confirm.EventDeclined:
			return nil, EventBack
		}
		return nil, EventNone
	}
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch kp.String() {
		case "esc":
			return nil, EventBack
		case "enter":
			reason := strings.TrimSpace(m.reason.Value())
			if reason == "" {
				m.missing = true
				return nil, EventNone
			}
			m.confirming = true
			m.confirm.Lines = []string{m.effect, "Reason: " + reason}
			return nil, EventNone
		}
	}
	m.missing = false
	m.reason.Update(msg)
	return nil, EventNone
}

// View renders the current step.
func (m *Model) View() string {
	if m.confirming {
		return m.confirm.View()
	}
	s := m.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render("Cancel run") + "\n\n")
	b.WriteString(s.Label.Render("Run: ") + m.subject.Title() + "\n\n")
	if m.effect != "" {
		b.WriteString(common.Wrap(m.effect, m.width) + "\n\n")
	}
	b.WriteString("Reason (required; kept on the run's Cancelled state):\n")
	b.WriteString(m.reason.View(s, m.width) + "\n")
	if m.missing {
		b.WriteString(s.Error.Render("A reason is required: "+domain.CancelReasonWhy+".") + "\n")
	}
	b.WriteString("\n")
	b.WriteString(s.KeyDesc.Render("enter continue · esc go back"))
	return b.String()
}

// Package confirm is a "[y/N]" prompt about one run (resume a run that asks
// for no input; the last step of cancelling). It reports what was chosen to
// the parent, which does the API call.
package confirm

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/tui/common"
)

// Event tells the parent what happened.
type Event int

// Events.
const (
	EventNone      Event = iota
	EventConfirmed       // y or Y
	EventBack            // esc: go back one step
	EventDeclined        // any other key: not confirmed
)

// Model is the prompt. Title, Lines and Prompt are what it says.
type Model struct {
	c       *common.Common
	subject common.Subject
	Title   string
	Lines   []string
	Prompt  string
	width   int
}

var _ common.Component[Event] = (*Model)(nil)

// New returns a prompt about subject.
func New(c *common.Common, subject common.Subject, title string, lines []string, prompt string) *Model {
	return &Model{c: c, subject: subject, Title: title, Lines: lines, Prompt: prompt}
}

// SetSize sets the area of the prompt.
func (m *Model) SetSize(w, h int) { m.width = w }

// Update reads the answer to the prompt; keys are ignored while the
// subject's action is being sent.
func (m *Model) Update(msg tea.Msg) (tea.Cmd, Event) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok || m.subject.Sending() {
		return nil, EventNone
	}
	switch kp.String() {
	case "y", "Y":
		return nil, EventConfirmed
	case "esc":
		return nil, EventBack
	}
	return nil, EventDeclined
}

// View renders the prompt, or "Sending…" once confirmed.
func (m *Model) View() string {
	s := m.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render(m.Title) + "\n\n")
	b.WriteString(s.Label.Render("Run: ") + m.subject.Title() + "\n")
	for _, l := range m.Lines {
		b.WriteString(common.Wrap(l, m.width) + "\n")
	}
	b.WriteString("\n")
	if m.subject.Sending() {
		b.WriteString(s.Info.Render("Sending…"))
	} else {
		b.WriteString(s.KeyHint.Render(m.Prompt))
	}
	return b.String()
}

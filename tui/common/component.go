package common

import tea "charm.land/bubbletea/v2"

// Component is what the root model asks of a screen component, after
// soft-serve's common.Component (pkg/ssh/ui/common/component.go): it is
// sized, updated and viewed. Update also returns what happened for the
// parent to act on (E, e.g. confirmed or back), the way answer.Model reports
// its events: in the same Update call, so a second key cannot act before the
// parent has seen the first one's event.
type Component[E any] interface {
	SetSize(width, height int)
	Update(msg tea.Msg) (tea.Cmd, E)
	View() string
}

// Subject is the run a prompt is about, read when the prompt is drawn or a
// key arrives: its title (sanitised) and whether its action is being sent.
type Subject struct {
	Title   func() string
	Sending func() bool
}

package tui

import (
	"slices"
	"strings"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// InFlightAction is a resume or cancel that was sent and whose answer had
// not come when the program ended.
type InFlightAction struct {
	RunID, RunName string
	Kind           domain.ActionKind
	Answering      bool // a resume carrying the form's answer
}

// QuitInFlightError is what Run returns when the operator quit while
// actions were in flight: the request may well have reached the server, so
// what became of the run is unknown (the command exits with
// domain.ExitUnknown).
type QuitInFlightError struct{ Actions []InFlightAction }

func (e *QuitInFlightError) Error() string {
	parts := make([]string, len(e.Actions))
	for i, a := range e.Actions {
		what, done := "the resume of ", "resumed"
		switch {
		case a.Kind == domain.Cancel:
			what, done = "the cancellation of ", "cancelled"
		case a.Answering:
			what = "the answer to "
		}
		name := termsafe.Line(a.RunName)
		if name == "" {
			name = termsafe.Line(a.RunID)
		}
		parts[i] = "quit while " + what + name + " was being sent: whether it was " + done +
			" is unknown; check with 'unpause show " + termsafe.Line(a.RunID) + "'"
	}
	return strings.Join(parts, "; and ")
}

// sent records an action in flight on the run on screen.
func (m *Model) sent(kind domain.ActionKind, answering bool) {
	m.cur.sending = true
	m.dismissFailure() // acting again
	m.inFlight[m.cur.id] = InFlightAction{RunID: m.cur.id, RunName: runName(m.cur.run), Kind: kind, Answering: answering}
}

// QuitError reports the actions still in flight when the program ended (nil
// when none was).
func (m *Model) QuitError() error {
	if len(m.inFlight) == 0 {
		return nil
	}
	e := &QuitInFlightError{}
	for _, a := range m.inFlight {
		e.Actions = append(e.Actions, a)
	}
	slices.SortFunc(e.Actions, func(a, b InFlightAction) int { return strings.Compare(a.RunID, b.RunID) })
	return e
}

// runName is a run's name for messages.
func runName(r *apiclient.Run) string {
	if r == nil {
		return ""
	}
	return r.Name
}

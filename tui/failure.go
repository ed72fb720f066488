package tui

import (
	"strings"

	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui/common"
)

// A failed resume or cancel (domain.Failed: the server gave no answer, or
// its outcome is unknown) is pinned above the key bar, word-wrapped in full
// instead of cut to the one-line status, and stays there: status messages
// and failed refreshes do not replace it. The next key dismisses it and does
// nothing else, so a y pressed to read on is not a second send.

// pinFailure shows a failure until the operator dismisses it.
func (m *Model) pinFailure(failed domain.Message) {
	m.failure = failed.TUI
	m.resize() // the footer grows
}

// dismissFailure removes a pinned failure; it reports whether there was one.
func (m *Model) dismissFailure() bool {
	if m.failure == "" {
		return false
	}
	m.failure = ""
	m.resize()
	return true
}

// failureHint is the key bar while a failure is pinned.
const failureHint = "any key dismisses this message · ctrl+c quit"

// failureLines is the pinned failure wrapped to the screen, leaving at
// least one line of body (nil when none is pinned).
func (m *Model) failureLines() []string {
	if m.failure == "" || m.width <= 0 {
		return nil
	}
	lines := strings.Split(common.Wrap(m.failure, m.width), "\n")
	if room := max(1, m.height-3); len(lines) > room {
		lines = lines[:room]
	}
	return lines
}

// Package common holds what every tui component shares: the program context
// (size, clock reading, theme, read-only), styles, key bindings and small
// text helpers. Components keep a *Common; only the root model mutates it.
package common

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Common is the shared program context (gh-dash's ProgramContext,
// soft-serve's common.Common).
type Common struct {
	Width, Height int

	// Now is the clock reading used for every age and countdown on screen.
	// It moves on refresh ticks only, so an idle screen does not redraw.
	Now time.Time

	IsDark   bool
	ReadOnly bool

	Styles *Styles
	Keys   *KeyMap
}

// New returns a context with dark styles and the default key map.
func New(now time.Time) *Common {
	c := &Common{Now: now, IsDark: true, Keys: DefaultKeyMap()}
	c.Styles = NewStyles(true)
	return c
}

// SetDark switches the styles for the terminal background.
func (c *Common) SetDark(dark bool) {
	c.IsDark = dark
	c.Styles = NewStyles(dark)
}

// Width is the display width of s in cells, with a fast path for plain
// ASCII (most table cells).
func Width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == 0x1b {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// Fit cuts every line of s to width cells and pads or cuts s to exactly
// height lines, so a component's output never breaks the screen layout.
func Fit(s string, width, height int) string {
	if height <= 0 || width <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if Width(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Truncate cuts a single line to width cells with an ellipsis.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if Width(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// PadRight pads s with spaces to width cells (cutting it when longer).
func PadRight(s string, width int) string {
	s = Truncate(s, width)
	if w := Width(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// PadLeft right-aligns s in width cells (cutting it when longer).
func PadLeft(s string, width int) string {
	s = Truncate(s, width)
	if w := Width(s); w < width {
		return strings.Repeat(" ", width-w) + s
	}
	return s
}

// Wrap word-wraps plain (already sanitised) text to width cells.
func Wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	return ansi.Wrap(s, width, " ,/-")
}

// Clock formats a timestamp for status lines, in the local zone of t.
func Clock(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format("15:04:05")
}

// Stamp formats a timestamp with its date.
func Stamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format("2006-01-02 15:04:05 MST")
}

// Plural counts n things: "1 run", "3 runs".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Package common holds what every tui component shares: the program context
// (size, clock reading, theme, read-only), styles, key bindings and small
// text helpers. Components keep a *Common; only the root model mutates it.
package common

import (
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

// Duration formats d compactly for tables: 45s, 12m, 3h05m, 2d04h.
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		h := int(d / time.Hour)
		m := int((d % time.Hour) / time.Minute)
		return itoa(h) + "h" + pad2(m) + "m"
	default:
		days := int(d / (24 * time.Hour))
		h := int((d % (24 * time.Hour)) / time.Hour)
		return itoa(days) + "d" + pad2(h) + "h"
	}
}

// Countdown formats the time left until a pause deadline: "expired" when it
// has passed, "never" without a deadline.
func Countdown(expires *time.Time, now time.Time) string {
	if expires == nil {
		return "never"
	}
	left := expires.Sub(now)
	if left <= 0 {
		return "expired"
	}
	if left < time.Minute {
		return "<1m"
	}
	return Duration(left)
}

// ExpiryUrgency classifies a pause deadline for colouring.
type ExpiryUrgency int

const (
	ExpiryNone    ExpiryUrgency = iota // no deadline
	ExpiryLater                        // more than 10 minutes left
	ExpirySoon                         // under 10 minutes left
	ExpiryExpired                      // deadline passed
)

// SoonThreshold is the time left under which a deadline is marked.
const SoonThreshold = 10 * time.Minute

// Urgency classifies expires relative to now.
func Urgency(expires *time.Time, now time.Time) ExpiryUrgency {
	if expires == nil {
		return ExpiryNone
	}
	left := expires.Sub(now)
	switch {
	case left <= 0:
		return ExpiryExpired
	case left < SoonThreshold:
		return ExpirySoon
	default:
		return ExpiryLater
	}
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

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

func pad2(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

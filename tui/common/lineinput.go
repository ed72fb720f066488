package common

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
)

// LineInput is a minimal single-line editor (filter, cancel reason). The
// cursor stays at the end and never blinks: an idle screen sends nothing
// over SSH.
type LineInput struct {
	Prompt string
	value  []rune
	Limit  int // runes; 0 = 512
}

// Value returns the text typed so far.
func (l *LineInput) Value() string { return string(l.value) }

// SetValue replaces the text.
func (l *LineInput) SetValue(s string) { l.value = []rune(clean(s)) }

// Reset clears the text.
func (l *LineInput) Reset() { l.value = l.value[:0] }

// Update edits the text for a key press or a paste and reports whether the
// text changed. Keys it does not handle are left to the caller.
func (l *LineInput) Update(msg tea.Msg) (changed, handled bool) {
	limit := l.Limit
	if limit <= 0 {
		limit = 512
	}
	switch msg := msg.(type) {
	case tea.PasteMsg:
		l.insert(clean(msg.Content), limit)
		return true, true
	case tea.KeyPressMsg:
		switch msg.String() {
		case "backspace", "ctrl+h":
			if len(l.value) == 0 {
				return false, true
			}
			l.value = l.value[:len(l.value)-1]
			return true, true
		case "ctrl+u":
			changed := len(l.value) > 0
			l.value = l.value[:0]
			return changed, true
		case "ctrl+w", "alt+backspace":
			v := l.value
			i := len(v)
			for i > 0 && unicode.IsSpace(v[i-1]) {
				i--
			}
			for i > 0 && !unicode.IsSpace(v[i-1]) {
				i--
			}
			changed := i != len(v)
			l.value = v[:i]
			return changed, true
		case "space":
			l.insert(" ", limit)
			return true, true
		}
		if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
			l.insert(clean(msg.Text), limit)
			return true, true
		}
	}
	return false, false
}

func (l *LineInput) insert(s string, limit int) {
	for _, r := range s {
		if len(l.value) >= limit {
			return
		}
		l.value = append(l.value, r)
	}
}

// View renders the prompt, the text and a static cursor block.
func (l *LineInput) View(s *Styles, width int) string {
	text := string(l.value)
	avail := width - len([]rune(l.Prompt)) - 1
	if avail < 1 {
		avail = 1
	}
	// Show the end of long text: that is where the cursor is.
	if r := []rune(text); len(r) > avail {
		text = "…" + string(r[len(r)-avail+1:])
	}
	return s.KeyHint.Render(l.Prompt) + text + s.Selected.Render(" ")
}

// clean keeps typed text on one line and free of control characters.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return -1 // zero-width and bidi controls
		}
		return r
	}, s)
}

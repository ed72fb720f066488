package common

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestFitAndPad(t *testing.T) {
	out := Fit("abcdef\n\x1b[1mbold text here\x1b[m\nx", 4, 5)
	lines := strings.Split(out, "\n")
	if len(lines) != 5 {
		t.Fatalf("lines %d", len(lines))
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 4 {
			t.Fatalf("too wide: %q", l)
		}
	}
	if Fit("a\nb\nc", 3, 2) != "a\nb" {
		t.Fatal("height cut")
	}
	if PadRight("ab", 4) != "ab  " || PadLeft("ab", 4) != "  ab" || PadRight("abcdef", 4) != "abc…" {
		t.Fatal("pad")
	}
	if Width("héllo") != 5 || Width("日本") != 4 || Width("plain") != 5 {
		t.Fatal("width")
	}
}

func TestLineInput(t *testing.T) {
	var l LineInput
	press := func(s string) {
		if len([]rune(s)) == 1 {
			l.Update(tea.KeyPressMsg{Code: []rune(s)[0], Text: s})
			return
		}
		switch s {
		case "backspace":
			l.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
		case "ctrl+w":
			l.Update(tea.KeyPressMsg{Code: 'w', Mod: tea.ModCtrl})
		case "ctrl+u":
			l.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
		case "space":
			l.Update(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
		}
	}
	for _, k := range []string{"h", "i", "space", "y", "o", "u"} {
		press(k)
	}
	if l.Value() != "hi you" {
		t.Fatalf("%q", l.Value())
	}
	press("ctrl+w")
	if l.Value() != "hi " {
		t.Fatalf("ctrl+w: %q", l.Value())
	}
	press("backspace")
	if l.Value() != "hi" {
		t.Fatalf("backspace: %q", l.Value())
	}
	l.Update(tea.PasteMsg{Content: "\x1b]52;c;x\x07 pasted\nline\u202e"})
	if strings.ContainsAny(l.Value(), "\x1b\x07\n\u202e") {
		t.Fatalf("paste not cleaned: %q", l.Value())
	}
	if _, handled := l.Update(tea.KeyPressMsg{Code: tea.KeyEnter}); handled {
		t.Fatal("enter should be left to the caller")
	}
	press("ctrl+u")
	if l.Value() != "" {
		t.Fatal("ctrl+u")
	}
}

func TestHelpSectionsReadOnly(t *testing.T) {
	k := DefaultKeyMap()
	count := func(ro bool) int {
		n := 0
		for _, s := range k.HelpSections(ro) {
			for _, b := range s.Bindings {
				if b.Help().Desc == "answer" || b.Help().Desc == "cancel run" {
					n++
				}
			}
		}
		return n
	}
	if count(false) == 0 || count(true) != 0 {
		t.Fatalf("read-only help: %d / %d", count(false), count(true))
	}
}

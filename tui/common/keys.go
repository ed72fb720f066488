package common

import (
	"charm.land/bubbles/v2/key"
)

// KeyMap holds every binding of the app; the help overlay lists them all.
type KeyMap struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	Open             key.Binding
	Back             key.Binding
	Quit             key.Binding
	ForceQuit        key.Binding
	Help             key.Binding
	Filter           key.Binding
	Sort             key.Binding
	Refresh          key.Binding
	Answer           key.Binding
	Cancel           key.Binding
	Profiles         key.Binding
	Confirm          key.Binding
	Deny             key.Binding
	FormNext         key.Binding
	FormPrev         key.Binding
}

// DefaultKeyMap returns the bindings (k9s / gh-dash conventions).
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Up:        key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+b", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
		Top:       key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:    key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open run")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit (anywhere)")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Sort:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Refresh:   key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
		Answer:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "answer")),
		Cancel:    key.NewBinding(key.WithKeys("x", "c"), key.WithHelp("x/c", "cancel run")),
		Profiles:  key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "profiles")),
		// Only y sends: an enter held through the form must not resume a run.
		Confirm:  key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "confirm")),
		Deny:     key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "go back")),
		FormNext: key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter/tab", "next field")),
		FormPrev: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
	}
}

// HelpSection is one titled group of bindings in the help overlay.
type HelpSection struct {
	Title    string
	Bindings []key.Binding
}

// HelpSections lists every binding by context. In read-only mode the
// bindings that change runs (answer, cancel) are left out: they only say
// "read-only" there.
func (k *KeyMap) HelpSections(readOnly bool) []HelpSection {
	act := func(b ...key.Binding) []key.Binding {
		if readOnly {
			return nil
		}
		return b
	}
	return []HelpSection{
		{"Inbox", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Filter, k.Sort, k.Refresh}},
		{"Run (or the selected row)", append(act(k.Answer, k.Cancel), k.Down, k.Back)},
		{"Form and review", []key.Binding{k.FormNext, k.FormPrev, k.Back, k.Confirm, k.Deny}},
		{"Everywhere", []key.Binding{k.Help, k.Profiles, k.Quit, k.ForceQuit}},
	}
}

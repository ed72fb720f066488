package common

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
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
	Mark             key.Binding // space: mark the row for a bulk answer
	MarkAll          key.Binding // *: mark every row shown
	OpenLink         key.Binding // o: a link of the description, in the browser
	EditAnswer       key.Binding // ctrl+e: the whole answer in $EDITOR, from the form
	EditInReview     key.Binding // e in review
	Deny             key.Binding
	FormNext         key.Binding
	FormPrev         key.Binding
	// Queue mode (tui/queue.go): n/p skip on the numbered-choice screen and
	// in the run view; in a form, where n and p are text, ctrl+n/ctrl+p, or
	// alt+n/alt+p in a field that moves with ctrl+n/ctrl+p (a text area, a
	// select).
	QueueNext, QueuePrev           key.Binding
	FormQueueNext, FormQueuePrev   key.Binding
	FieldQueueNext, FieldQueuePrev key.Binding
	QuickToggle                    key.Binding // quick answers on/off for the flow
	Undo                           key.Binding // take back a quick answer
	// SwitchProfile is enter in the profile picker.
	SwitchProfile key.Binding
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
		Confirm:      key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "confirm")),
		Mark:         key.NewBinding(key.WithKeys("space"), key.WithHelp("space, *", "mark, all")),
		MarkAll:      key.NewBinding(key.WithKeys("*"), key.WithHelp("*", "mark all shown")),
		OpenLink:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open a link")),
		EditAnswer:   key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "answer in $EDITOR")),
		EditInReview: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "(review) $EDITOR")),
		Deny:         key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "go back")),
		FormNext:     key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter/tab", "next field")),
		FormPrev:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),

		QueueNext:      key.NewBinding(key.WithKeys("n", "ctrl+n"), key.WithHelp("n", "next in queue")),
		QueuePrev:      key.NewBinding(key.WithKeys("p", "ctrl+p"), key.WithHelp("p", "previous in queue")),
		FormQueueNext:  key.NewBinding(key.WithKeys("ctrl+n", "alt+n"), key.WithHelp("ctrl+n", "next in queue")),
		FormQueuePrev:  key.NewBinding(key.WithKeys("ctrl+p", "alt+p"), key.WithHelp("ctrl+p", "previous in queue")),
		FieldQueueNext: key.NewBinding(key.WithKeys("alt+n"), key.WithHelp("alt+n", "next in queue")),
		FieldQueuePrev: key.NewBinding(key.WithKeys("alt+p"), key.WithHelp("alt+p", "previous in queue")),
		QuickToggle:    key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "quick answers on/off")),
		Undo:           key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo quick answer")),

		SwitchProfile: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "switch profile")),
	}
}

// ChoiceHint is the key bar's hint for a numbered choice of n answers.
func ChoiceHint(n int) key.Binding {
	return helpOnly("1-"+strconv.Itoa(min(n, 9)), "answer")
}

// helpOnly is a line of the help overlay for keys the app does not handle
// itself (huh's, in forms) or for two bindings shown as one.
func helpOnly(keys, desc string) key.Binding { return key.NewBinding(key.WithHelp(keys, desc)) }

// formHelp is what works inside a form besides moving between fields: huh's
// own keys (charm.land/huh/v2 keymap.go: space toggles a multi-select
// option, ctrl+j adds a line; its per-field ctrl+e is replaced by the
// whole-answer editor) and the text commands of forms/inputschema/text.go
// (NullCommand, DefaultCommand, EmptyCommand).
func formHelp() []key.Binding {
	return []key.Binding{
		helpOnly("space", "toggle an option"),
		helpOnly("ctrl+j", "new line (lists, JSON)"),
		helpOnly(`\default`, "the field's default"),
		helpOnly(`\null`, "send null"),
		helpOnly(`\empty`, "send empty text or list"),
	}
}

// QueueHelp is the help overlay's line for queue mode (one line: the
// overlay fills 80x24 already). In read-only mode nothing is answered, so
// there is no queue.
func (k *KeyMap) QueueHelp(readOnly bool) string {
	if readOnly {
		return ""
	}
	return "Queue: n/p skip (ctrl/alt+n/p in a form) · 1-9 answer · Q quick · u undo"
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
		{"Inbox and run view", []key.Binding{
			k.Up, k.Down, helpOnly("pgup/pgdn", "page up/down"), helpOnly("g/G", "first/last"), k.Refresh,
		}},
		{"Inbox", append([]key.Binding{k.Open, k.Filter, k.Sort}, act(k.Mark)...)},
		{"Run (or the selected row)", append(act(k.Answer, k.Cancel), k.OpenLink, k.Back)},
		{"Form and review", append(append([]key.Binding{k.FormNext, k.FormPrev, k.Back, k.Confirm, k.Deny, k.EditAnswer}, act(k.EditInReview)...), formHelp()...)},
		{"Everywhere", []key.Binding{k.Help, helpOnly(k.Profiles.Help().Key, "switch profile"), k.Quit, k.ForceQuit}},
	}
}

// Scroll moves vp by a moving key (up, down, page, first, last), as every
// scrolling screen does; it reports whether msg was one.
func (k *KeyMap) Scroll(vp *viewport.Model, msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}

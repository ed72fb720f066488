package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/common"
)

// The help overlay lists every key. Where the screen is too short for all
// of it (80x24 and smaller), it shows what fits with a line saying how much
// more there is, and j/k, pgup/pgdn, g/G scroll it.

// openHelp shows the help overlay from its first line.
func (m *Model) openHelp() {
	m.overlay = ovHelp
	m.helpTop = 0
}

// keyHelp handles a key while the help overlay is open: it closes or
// scrolls; every other key does nothing.
func (m *Model) keyHelp(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	page := max(1, m.helpRoom()-1)
	switch {
	case key.Matches(msg, k.Help, k.Back, k.Quit):
		m.overlay = ovNone
	case key.Matches(msg, k.Down):
		m.helpTop++
	case key.Matches(msg, k.Up):
		m.helpTop--
	case key.Matches(msg, k.PageDown):
		m.helpTop += page
	case key.Matches(msg, k.PageUp):
		m.helpTop -= page
	case key.Matches(msg, k.Top):
		m.helpTop = 0
	case key.Matches(msg, k.Bottom):
		m.helpTop = len(m.helpLines())
	}
	m.helpTop = clampHelpTop(m.helpTop, len(m.helpLines()), m.helpRoom())
	return nil
}

// helpRoom is how many lines of help fit inside the overlay's border.
func (m *Model) helpRoom() int { return max(1, m.bodyHeight()-2) }

// helpScrolls reports whether the help is taller than the screen.
func (m *Model) helpScrolls() bool { return len(m.helpLines()) > m.helpRoom() }

// clampHelpTop keeps the first line shown within what can scroll: with n
// lines and room for room (one of them the "more" line when it scrolls).
func clampHelpTop(top, n, room int) int {
	if n <= room {
		return 0
	}
	return max(0, min(top, n-(room-1)))
}

// helpWindow is the part of lines shown from top in room lines: all of
// them when they fit, else room-1 of them and a line saying what is above
// and below.
func helpWindow(lines []string, top, room int, dim lipgloss.Style) []string {
	if len(lines) <= room {
		return lines
	}
	top = clampHelpTop(top, len(lines), room)
	end := min(len(lines), top+room-1)
	shown := append([]string(nil), lines[top:end]...)
	var more []string
	if top > 0 {
		more = append(more, "↑ "+strconv.Itoa(top)+" above")
	}
	if below := len(lines) - end; below > 0 {
		more = append(more, "↓ "+strconv.Itoa(below)+" more")
	}
	shown = append(shown, dim.Render(strings.Join(more, " · ")+" · j/k scroll"))
	// The box keeps the width of the whole help while it scrolls.
	w := common.Width(shown[len(shown)-1])
	for _, l := range lines {
		w = max(w, common.Width(l))
	}
	for i := range shown {
		shown[i] = common.PadRight(shown[i], w)
	}
	return shown
}

func (m *Model) helpView() string {
	lines := helpWindow(m.helpLines(), m.helpTop, m.helpRoom(), m.c.Styles.Dim)
	return m.c.Styles.Overlay.Render(strings.Join(lines, "\n"))
}

// helpLines is the whole help, a line each: the title, the queue's keys,
// then the sections in columns.
func (m *Model) helpLines() []string {
	s := m.c.Styles
	title := s.OverlayTitle.Render("Keys") + s.Dim.Render("   (? or esc closes)")
	if v := termsafe.Line(m.opts.Version); v != "" {
		title += s.Dim.Render("   unpause " + v)
	}
	if m.c.ReadOnly {
		title += "  " + s.Warning.Render("read-only: answer and cancel are disabled")
	}
	out := []string{title}
	if q := m.c.Keys.QueueHelp(m.c.ReadOnly); q != "" {
		out = append(out, s.KeyDesc.Render(q))
	}
	return append(out, strings.Split(m.helpColumns(), "\n")...)
}

// helpColumns lays the sections out side by side: two columns at 80
// columns, three from 110.
func (m *Model) helpColumns() string {
	s := m.c.Styles
	var cols []string
	for _, sec := range m.c.Keys.HelpSections(m.c.ReadOnly) {
		var b strings.Builder
		b.WriteString(s.OverlayTitle.Render(sec.Title))
		for _, bnd := range sec.Bindings {
			h := bnd.Help()
			b.WriteString("\n" + s.KeyHint.Render(common.PadRight(h.Key, 10)) + s.KeyDesc.Render(h.Desc))
		}
		cols = append(cols, b.String())
	}
	// Sections (common.KeyMap.HelpSections): 0 moving, 1 inbox, 2 run,
	// 3 form, 4 everywhere.
	groups := [][]int{{0, 1, 4}, {2, 3}}
	if m.width >= 110 {
		groups = [][]int{{0, 1}, {2, 4}, {3}}
	}
	styled := make([]string, len(groups))
	for i, g := range groups {
		parts := make([]string, len(g))
		for j, c := range g {
			parts[j] = cols[c]
		}
		col := strings.Join(parts, "\n\n")
		if i < len(groups)-1 {
			col = lipgloss.NewStyle().MarginRight(3).Render(col)
		}
		styled[i] = col
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, styled...)
}

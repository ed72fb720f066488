package tui

import (
	"strconv"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

func TestHelpWindow(t *testing.T) {
	lines := make([]string, 10)
	for i := range lines {
		lines[i] = "line " + strconv.Itoa(i)
	}
	for _, tc := range []struct {
		top, room int
		first     string // the first line shown
		last      string // the last line: the "more" line when it scrolls
	}{
		{0, 10, "line 0", "line 9"}, // fits: all of it
		{5, 12, "line 0", "line 9"}, // fits: top ignored
		{0, 4, "line 0", "↓ 7 more · j/k scroll"},
		{3, 4, "line 3", "↑ 3 above · ↓ 4 more · j/k scroll"},
		{7, 4, "line 7", "↑ 7 above · j/k scroll"},
		{99, 4, "line 7", "↑ 7 above · j/k scroll"}, // clamped to the end
		{-5, 4, "line 0", "↓ 7 more · j/k scroll"},  // and to the start
	} {
		got := helpWindow(lines, tc.top, tc.room, lipgloss.NewStyle())
		if len(got) > tc.room {
			t.Errorf("top %d room %d: %d lines shown", tc.top, tc.room, len(got))
		}
		if f, l := strings.TrimSpace(got[0]), strings.TrimSpace(got[len(got)-1]); f != tc.first || l != tc.last {
			t.Errorf("top %d room %d: first %q last %q, want %q %q", tc.top, tc.room, f, l, tc.first, tc.last)
		}
	}
}

package inbox

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui/common"
)

var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

func run(id, flow, dep, name string, since time.Duration, expires *time.Duration, tags ...string) apiclient.Run {
	st := &apiclient.State{Type: "PAUSED", Name: "Paused", Timestamp: now.Add(-since)}
	if expires != nil {
		st.Details.PauseTimeout = ptr(now.Add(*expires))
	}
	st.Details.RunInputKeyset = &apiclient.Keyset{Schema: "paused-1-schema", Description: "paused-1-description", Response: "paused-1-response"}
	return apiclient.Run{
		FlowRun:        apiclient.FlowRun{ID: id, Name: name, State: st, Tags: tags, WorkPoolName: "pool-a"},
		FlowName:       flow,
		DeploymentName: dep,
	}
}

func dur(d time.Duration) *time.Duration { return &d }

func press(s string) tea.KeyPressMsg {
	switch s {
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func ids(m *Model) []string {
	var out []string
	for _, r := range m.Rows() {
		out = append(out, r.ID)
	}
	return out
}

func sample() []apiclient.Run {
	return []apiclient.Run{
		run("a", "billing", "prod", "calm-fox", 2*time.Hour, dur(50*time.Minute), "finance"),
		run("b", "approve", "", "brave-owl", 5*time.Hour, nil, "ops", "prod"),
		run("c", "approve", "eu", "shy-cat", 30*time.Minute, dur(5*time.Minute)),
		run("d", "zeta", "", "able-ant", 3*time.Hour, dur(-time.Minute)), // expired
		run("e", "billing", "prod", "dark-elk", 6*time.Hour, dur(50*time.Minute)),
	}
}

func newModel() *Model {
	m := New(common.New(now))
	m.SetSize(120, 20)
	m.SetRuns(sample())
	return m
}

func TestSortOrders(t *testing.T) {
	m := newModel()
	// Soonest expiry first (expired first), ties by oldest; no deadline last.
	if got, want := strings.Join(ids(m), ","), "d,c,e,a,b"; got != want {
		t.Fatalf("expiry order = %s, want %s", got, want)
	}
	m.CycleSort()
	if got, want := strings.Join(ids(m), ","), "e,b,d,a,c"; got != want || m.Sort() != domain.SortAge {
		t.Fatalf("age order = %s, want %s", got, want)
	}
	m.CycleSort()
	if got, want := strings.Join(ids(m), ","), "b,c,a,e,d"; got != want || m.Sort() != domain.SortFlow {
		t.Fatalf("flow order = %s, want %s", got, want)
	}
	m.CycleSort()
	if got, want := strings.Join(ids(m), ","), "d,b,a,e,c"; got != want || m.Sort() != domain.SortName {
		t.Fatalf("name order = %s, want %s", got, want)
	}
	m.CycleSort()
	if m.Sort() != domain.SortExpiry {
		t.Fatalf("sort did not cycle back to expiry")
	}
}

func TestNavigationAndSelectionKeptAcrossRefresh(t *testing.T) {
	m := newModel()
	m.Update(press("j"))
	m.Update(press("down"))
	if m.SelectedID() != "e" {
		t.Fatalf("selected %q after two downs, want e", m.SelectedID())
	}
	m.Update(press("G"))
	if m.SelectedID() != "b" {
		t.Fatalf("G selected %q", m.SelectedID())
	}
	m.Update(press("g"))
	if m.SelectedID() != "d" {
		t.Fatalf("g selected %q", m.SelectedID())
	}
	m.Update(press("k")) // stays at top
	if m.Cursor() != 0 {
		t.Fatalf("cursor %d", m.Cursor())
	}
	m.Select("a")
	// A refresh where a new run sorts before "a" keeps "a" selected.
	runs := append(sample(), run("f", "new", "", "new-run", time.Minute, dur(time.Minute)))
	m.SetRuns(runs)
	if m.SelectedID() != "a" || m.Selected().ID != "a" {
		t.Fatalf("selection moved to %q after refresh", m.SelectedID())
	}
	// The selected run disappears: the cursor stays at the same position.
	pos := m.Cursor()
	var without []apiclient.Run
	for _, r := range runs {
		if r.ID != "a" {
			without = append(without, r)
		}
	}
	m.SetRuns(without)
	if m.Cursor() != pos || m.SelectedID() == "a" || m.SelectedID() == "" {
		t.Fatalf("after removal cursor=%d selected=%q", m.Cursor(), m.SelectedID())
	}
}

func TestFilterLive(t *testing.T) {
	m := newModel()
	m.Update(press("/"))
	if !m.Filtering() {
		t.Fatal("/ did not start filtering")
	}
	for _, r := range "bill" {
		m.Update(press(string(r)))
	}
	if got := strings.Join(ids(m), ","); got != "e,a" {
		t.Fatalf("filter bill = %s", got)
	}
	// q and j are text while filtering.
	m.Update(press("backspace"))
	m.Update(press("backspace"))
	m.Update(press("backspace"))
	m.Update(press("backspace"))
	for _, r := range "prod" {
		m.Update(press(string(r)))
	}
	// "prod" matches the deployment of billing runs and the tag of b.
	if got := strings.Join(ids(m), ","); got != "e,a,b" {
		t.Fatalf("filter prod = %s", got)
	}
	m.Update(press("enter"))
	if m.Filtering() || m.Filter() != "prod" {
		t.Fatalf("enter should keep the filter: filtering=%v filter=%q", m.Filtering(), m.Filter())
	}
	// Multiple terms must all match.
	m.SetFilter("approve EU")
	if got := strings.Join(ids(m), ","); got != "c" {
		t.Fatalf("filter 'approve EU' = %s", got)
	}
	m.Update(press("esc"))
	if m.Filter() != "" || m.Shown() != 5 {
		t.Fatalf("esc did not clear the filter")
	}
	m.Update(press("/"))
	m.Update(press("x"))
	m.Update(press("esc"))
	if m.Filtering() || m.Filter() != "" || m.Shown() != 5 {
		t.Fatal("esc while editing should clear and stop filtering")
	}
}

func TestFilterByTag(t *testing.T) {
	m := newModel()
	m.SetFilter("finance")
	if got := strings.Join(ids(m), ","); got != "a" {
		t.Fatalf("tag filter = %s", got)
	}
}

func TestViewCells(t *testing.T) {
	m := newModel()
	out := ansi.Strip(m.View())
	lines := strings.Split(out, "\n")
	if len(lines) != 6 {
		t.Fatalf("want header + 5 rows, got %d lines:\n%s", len(lines), out)
	}
	for _, want := range []string{"FLOW/DEPLOYMENT", "RUN", "STATE", "WAITING", "EXPIRES▾", "INPUT", "TAGS", "WORK POOL"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("header lacks %q: %s", want, lines[0])
		}
	}
	if !strings.HasPrefix(lines[1], "▸ ") || !strings.Contains(lines[1], "expired") {
		t.Errorf("first row should be the selected expired run: %q", lines[1])
	}
	if !strings.Contains(lines[2], "! 5m") {
		t.Errorf("run expiring in 5 minutes should be marked: %q", lines[2])
	}
	if !strings.Contains(lines[5], "never") {
		t.Errorf("run without deadline should say never: %q", lines[5])
	}
	if !strings.Contains(lines[3], "billing/prod") || !strings.Contains(lines[3], "6h00m") {
		t.Errorf("flow/deployment or age missing: %q", lines[3])
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 120 {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
}

func TestScrollKeepsCursorVisible(t *testing.T) {
	m := New(common.New(now))
	m.SetSize(80, 6) // 5 rows visible
	var runs []apiclient.Run
	for i := range 50 {
		runs = append(runs, run(fmt.Sprintf("r%02d", i), "flow", "", fmt.Sprintf("run-%02d", i), time.Duration(50-i)*time.Minute, nil))
	}
	m.SetRuns(runs)
	for range 12 {
		m.Update(press("j"))
	}
	out := ansi.Strip(m.View())
	if !strings.Contains(out, "▸ ") || !strings.Contains(out, "run-12") {
		t.Fatalf("cursor row not visible:\n%s", out)
	}
	if strings.Count(out, "\n") != 5 {
		t.Fatalf("view should be 6 lines:\n%s", out)
	}
	m.Update(press(" ")) // page down
	if m.Cursor() <= 12 {
		t.Fatalf("page down did not move: %d", m.Cursor())
	}
}

// The column the inbox is sorted by shows its whole title and the arrow at
// every width, whatever the sort.
func TestSortArrowAndTitleFit(t *testing.T) {
	full := map[domain.SortKey]string{
		domain.SortExpiry: "EXPIRES▾", domain.SortAge: "WAITING▾",
		domain.SortFlow: "FLOW/DEPLOYMENT▾", domain.SortName: "RUN▾",
	}
	for _, w := range []int{40, 60, 80, 100, 120, 140, 200} {
		for s := range domain.SortKey(domain.NumSortKeys) {
			m := newModel()
			m.SetSize(w, 20)
			m.SetSort(s)
			head := strings.Split(ansi.Strip(m.View()), "\n")[0]
			// At 40 columns the waiting time is not shown at all (the
			// footer says the sort).
			if !strings.Contains(head, "▾") && (w > 40 || s != domain.SortAge) {
				t.Errorf("width %d, sort %s: no arrow in %q", w, s, head)
			}
			if ansi.StringWidth(head) > w {
				t.Errorf("width %d, sort %s: header %d wide", w, s, ansi.StringWidth(head))
			}
			// At 80 columns and wider the title is whole (flow names here
			// are short, so the flow column is as wide as its title).
			if w >= 80 && !strings.Contains(head, full[s]) {
				t.Errorf("width %d, sort %s: %q lacks %q", w, s, head, full[s])
			}
		}
	}
}

func markedIDs(m *Model) string {
	var out []string
	for _, r := range m.Marked() {
		out = append(out, r.ID)
	}
	return strings.Join(out, ",")
}

func TestMarks(t *testing.T) {
	m := newModel() // order d,c,e,a,b
	m.ToggleMark()  // d, cursor to c
	m.ToggleMark()  // c, cursor to e
	if got := markedIDs(m); got != "d,c" || m.Selected().ID != "e" {
		t.Fatalf("marked %s, selected %s; want d,c and e", got, m.Selected().ID)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, " ✓") || strings.Count(v, "✓") != 2 {
		t.Errorf("marks not drawn:\n%s", v)
	}
	m.setCursor(0)
	m.ToggleMark() // d again: unmarked
	if got := markedIDs(m); got != "c" {
		t.Fatalf("after unmarking d: %s", got)
	}
	m.SetFilter("billing")
	m.MarkAllShown() // e and a
	if got := markedIDs(m); got != "c,e,a" {
		t.Fatalf("* marks the shown runs: %s, want c,e,a", got)
	}
	m.MarkAllShown() // all shown already marked: unmark them
	if got := markedIDs(m); got != "c" {
		t.Fatalf("* again unmarks the shown runs: %s, want c", got)
	}
	m.SetFilter("")
	m.Remove("c")
	if m.MarkedCount() != 0 {
		t.Errorf("a removed run stays marked")
	}
	m.Select("d")
	m.ToggleMark()
	runs := sample()
	m.SetRuns(runs[:2]) // a refresh without d
	if m.MarkedCount() != 0 {
		t.Errorf("a run gone from the refresh stays marked: %s", markedIDs(m))
	}
}

// Package inbox is the table of paused and suspended runs: selection,
// filtering and a width-aware layout. What a row says and the orders are
// domain's (domain.Row, domain.SortKey).
package inbox

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui/common"
)

// Prepared is a run list made ready for display: sanitised rows and column
// widths. Preparing 10,000 runs takes tens of milliseconds, so the root
// model does it in the command that fetched them, not in Update.
type Prepared struct {
	rows []domain.Row
	want [numColumns]int
}

// Prepare builds the display rows for runs.
func Prepare(runs []apiclient.Run) *Prepared {
	p := &Prepared{rows: domain.NewRows(runs)}
	for i := range p.rows {
		r := &p.rows[i]
		p.want[ColFlow] = max(p.want[ColFlow], min(common.Width(r.Flow), 64))
		p.want[ColName] = max(p.want[ColName], min(common.Width(r.Name), 64))
		p.want[ColTags] = max(p.want[ColTags], min(common.Width(r.Tags), 64))
		p.want[ColPool] = max(p.want[ColPool], min(common.Width(r.Pool), 64))
	}
	return p
}

// Model is the inbox component.
type Model struct {
	c *common.Common

	all     []domain.Row // as received
	gone    []bool       // per row of all: removed locally (resumed or cancelled) until the next refresh
	order   []int32      // indices into all, in the current sort order
	visible []int        // indices into all that pass the filter, in order
	want    [numColumns]int

	sort       domain.SortKey
	filter     string
	terms      []string
	filterEdit common.LineInput
	filtering  bool

	cursor     int // index into visible
	offset     int // first visible row shown
	selectedID string
	marked     map[string]bool // run ids marked for a bulk answer (space, *)

	width, height int
	loaded        bool
	removed       int
}

// New returns an empty inbox.
func New(c *common.Common) *Model {
	return &Model{c: c, filterEdit: common.LineInput{Prompt: "/", Limit: 200}}
}

// SetSize sets the area the table may use.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.clampOffset()
}

// Loaded reports whether runs were set at least once.
func (m *Model) Loaded() bool { return m.loaded }

// Len is the number of runs loaded; Shown the number passing the filter.
func (m *Model) Len() int   { return len(m.all) - m.removed }
func (m *Model) Shown() int { return len(m.visible) }

// Sort is the current ordering.
func (m *Model) Sort() domain.SortKey { return m.sort }

// Filter is the current filter text.
func (m *Model) Filter() string { return m.filter }

// Filtering reports whether the filter is being edited.
func (m *Model) Filtering() bool { return m.filtering }

// FilterView is the filter line for the footer while editing it.
func (m *Model) FilterView(width int) string { return m.filterEdit.View(m.c.Styles, width) }

// SetRuns replaces the runs (a refresh), keeping the selection on the same
// run when it is still there.
func (m *Model) SetRuns(runs []apiclient.Run) { m.SetPrepared(Prepare(runs)) }

// SetPrepared replaces the runs with prepared rows.
func (m *Model) SetPrepared(p *Prepared) {
	m.all = p.rows
	m.gone = make([]bool, len(p.rows))
	m.removed = 0
	m.want = p.want
	m.loaded = true
	m.sortRows()
	m.applyFilter()
	m.dropGoneMarks()
}

// dropGoneMarks forgets marks of runs no longer in the inbox.
func (m *Model) dropGoneMarks() {
	if len(m.marked) == 0 {
		return
	}
	here := make(map[string]bool, len(m.all))
	for i := range m.all {
		if !m.gone[i] {
			here[m.all[i].ID] = true
		}
	}
	for id := range m.marked {
		if !here[id] {
			delete(m.marked, id)
		}
	}
}

// ToggleMark marks or unmarks the selected run and moves down, so a run of
// rows is marked with space, space, space.
func (m *Model) ToggleMark() {
	r := m.Selected()
	if r == nil {
		return
	}
	if m.marked == nil {
		m.marked = map[string]bool{}
	}
	if m.marked[r.ID] {
		delete(m.marked, r.ID)
	} else {
		m.marked[r.ID] = true
	}
	m.setCursor(m.cursor + 1)
}

// MarkAllShown marks every run the filter shows, or, when all of them are
// marked already, unmarks them.
func (m *Model) MarkAllShown() {
	if m.marked == nil {
		m.marked = map[string]bool{}
	}
	all := len(m.visible) > 0
	for _, idx := range m.visible {
		all = all && m.marked[m.all[idx].ID]
	}
	for _, idx := range m.visible {
		if all {
			delete(m.marked, m.all[idx].ID)
		} else {
			m.marked[m.all[idx].ID] = true
		}
	}
}

// ClearMarks unmarks every run.
func (m *Model) ClearMarks() { m.marked = nil }

// MarkedCount is how many runs are marked.
func (m *Model) MarkedCount() int { return len(m.marked) }

// IsMarked reports whether a run is marked.
func (m *Model) IsMarked(id string) bool { return m.marked[id] }

// Marked returns the marked runs in the inbox's current order (shown or not).
func (m *Model) Marked() []*apiclient.Run {
	var out []*apiclient.Run
	for _, idx := range m.order {
		if !m.gone[idx] && m.marked[m.all[idx].ID] {
			out = append(out, m.all[idx].Run)
		}
	}
	return out
}

// Rows returns the rows passing the filter, in display order.
func (m *Model) Rows() []domain.Row {
	out := make([]domain.Row, len(m.visible))
	for i, idx := range m.visible {
		out[i] = m.all[idx]
	}
	return out
}

// Remove drops a run (it was resumed or cancelled) until the next refresh
// says otherwise.
func (m *Model) Remove(id string) {
	for i := range m.all {
		if m.all[i].ID == id && !m.gone[i] {
			m.gone[i] = true
			m.removed++
			if m.selectedID == id {
				// keep the cursor on the same screen position
				m.selectedID = ""
			}
			delete(m.marked, id)
			m.applyFilter()
			return
		}
	}
}

// CycleSort switches to the next ordering.
func (m *Model) CycleSort() domain.SortKey {
	m.sort = m.sort.Next()
	m.sortRows()
	m.applyFilter()
	return m.sort
}

// SetSort sets the ordering.
func (m *Model) SetSort(s domain.SortKey) {
	m.sort = s % domain.NumSortKeys
	m.sortRows()
	m.applyFilter()
}

// SetFilter filters the runs: every whitespace-separated term must occur
// (case-insensitively) in the flow, deployment, run name or tags.
func (m *Model) SetFilter(s string) {
	m.filter = s
	m.filterEdit.SetValue(s)
	m.terms = domain.SearchTerms(s)
	m.applyFilter()
}

// StartFilter begins editing the filter (the "/" key).
func (m *Model) StartFilter() {
	m.filtering = true
	m.filterEdit.SetValue(m.filter)
}

// Selected returns the selected run, or nil.
func (m *Model) Selected() *apiclient.Run {
	if m.cursor < 0 || m.cursor >= len(m.visible) {
		return nil
	}
	return m.all[m.visible[m.cursor]].Run
}

// SelectedID is the id of the selected run ("" when none).
func (m *Model) SelectedID() string { return m.selectedID }

// Select moves the cursor to a run by id.
func (m *Model) Select(id string) bool {
	for i, idx := range m.visible {
		if m.all[idx].ID == id {
			m.setCursor(i)
			return true
		}
	}
	return false
}

// Cursor is the position of the selection among the shown rows.
func (m *Model) Cursor() int { return m.cursor }

// Update handles keys meant for the inbox: navigation, and while the filter
// is edited, the filter text (typed live; enter keeps it; esc clears it).
// It reports whether it used the key.
func (m *Model) Update(msg tea.Msg) bool {
	k := m.c.Keys
	if m.filtering {
		if kp, ok := msg.(tea.KeyPressMsg); ok {
			switch kp.String() {
			case "esc":
				m.filtering = false
				m.SetFilter("")
				return true
			case "enter":
				m.filtering = false
				return true
			case "up", "down", "pgup", "pgdown":
				return m.navigate(kp)
			}
		}
		if changed, handled := m.filterEdit.Update(msg); handled {
			if changed {
				m.filter = m.filterEdit.Value()
				m.terms = domain.SearchTerms(m.filter)
				m.applyFilter()
			}
			return true
		}
		return false
	}
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return false
	}
	switch {
	case key.Matches(kp, k.Filter):
		m.StartFilter()
		return true
	case key.Matches(kp, k.Back) && m.filter != "":
		m.SetFilter("")
		return true
	}
	return m.navigate(kp)
}

func (m *Model) navigate(kp tea.KeyPressMsg) bool {
	k := m.c.Keys
	page := max(1, m.rowsHeight()-1)
	switch {
	case key.Matches(kp, k.Up):
		m.setCursor(m.cursor - 1)
	case key.Matches(kp, k.Down):
		m.setCursor(m.cursor + 1)
	case key.Matches(kp, k.PageUp):
		m.setCursor(m.cursor - page)
	case key.Matches(kp, k.PageDown):
		m.setCursor(m.cursor + page)
	case key.Matches(kp, k.Top):
		m.setCursor(0)
	case key.Matches(kp, k.Bottom):
		m.setCursor(len(m.visible) - 1)
	default:
		return false
	}
	return true
}

func (m *Model) setCursor(i int) {
	if len(m.visible) == 0 {
		m.cursor, m.offset = 0, 0
		m.selectedID = ""
		return
	}
	m.cursor = max(0, min(i, len(m.visible)-1))
	m.selectedID = m.all[m.visible[m.cursor]].ID
	m.clampOffset()
}

func (m *Model) rowsHeight() int { return max(0, m.height-1) } // one line of column titles

func (m *Model) clampOffset() {
	h := m.rowsHeight()
	if h <= 0 {
		m.offset = m.cursor
		return
	}
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	if maxOff := max(0, len(m.visible)-h); m.offset > maxOff {
		m.offset = maxOff
	}
	if m.offset < 0 {
		m.offset = 0
	}
}

func (m *Model) sortRows() {
	if cap(m.order) < len(m.all) {
		m.order = make([]int32, len(m.all))
	}
	m.order = m.order[:len(m.all)]
	for i := range m.order {
		m.order[i] = int32(i)
	}
	all := m.all
	less := m.sort.Compare()
	// Indices, not rows, are sorted: 10,000 rows move less. The order is
	// total (domain breaks ties by id), so an unstable sort is deterministic.
	slices.SortFunc(m.order, func(i, j int32) int { return less(&all[i], &all[j]) })
}

func (m *Model) applyFilter() {
	m.visible = m.visible[:0]
	for _, i := range m.order {
		if !m.gone[i] && m.all[i].Matches(m.terms) {
			m.visible = append(m.visible, int(i))
		}
	}
	// Keep the selection on the same run; else stay at the same position.
	if m.selectedID != "" {
		for i, idx := range m.visible {
			if m.all[idx].ID == m.selectedID {
				m.setCursor(i)
				return
			}
		}
	}
	m.setCursor(m.cursor)
}

// Columns returns the layout for the current width.
func (m *Model) Columns() []Placed { return Layout(m.width, m.want) }

// View renders the column titles and the rows that fit. Empty, loading and
// "nothing matches" states are the caller's (it knows the server and the
// error); View renders whatever rows there are.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.c.Styles
	cols := m.Columns()
	gap := strings.Repeat(" ", Gap(m.width))
	var b strings.Builder

	// Column titles.
	b.WriteString(strings.Repeat(" ", MarkerWidth))
	for i, c := range cols {
		if i > 0 {
			b.WriteString(gap)
		}
		b.WriteString(s.TableHeader.Render(common.PadRight(m.title(c), c.Width)))
	}

	h := m.rowsHeight()
	end := min(len(m.visible), m.offset+h)
	now := m.c.Now
	cells := make([]string, len(cols))
	for vi := m.offset; vi < end; vi++ {
		r := &m.all[m.visible[vi]]
		selected := vi == m.cursor
		b.WriteByte('\n')
		for i, c := range cols {
			text, style := m.cell(r, c.ID, now)
			text = common.PadRight(text, c.Width)
			if !selected && style != nil {
				text = style.Render(text)
			}
			cells[i] = text
		}
		line := strings.Join(cells, gap)
		mark := " "
		if m.marked[r.ID] {
			mark = "✓"
		}
		if selected {
			line = s.Selected.Render("▸" + mark + line)
		} else {
			line = " " + mark + line
		}
		b.WriteString(line)
	}
	return b.String()
}

// title is a column's title, with the sort arrow on the sorted column; a
// title cut to a narrow column keeps the arrow.
func (m *Model) title(c Placed) string {
	if sortColumn(m.sort) != c.ID {
		return c.Title
	}
	if common.Width(c.Title)+1 > c.Width {
		return common.Truncate(c.Title, c.Width-1) + SortArrow
	}
	return c.Title + SortArrow
}

func sortColumn(s domain.SortKey) Column {
	switch s {
	case domain.SortAge:
		return ColWaiting
	case domain.SortFlow:
		return ColFlow
	case domain.SortName:
		return ColName
	default:
		return ColExpires
	}
}

type styler interface{ Render(...string) string }

func (m *Model) cell(r *domain.Row, c Column, now time.Time) (string, styler) {
	s := m.c.Styles
	switch c {
	case ColFlow:
		return r.Flow, nil
	case ColName:
		return r.Name, nil
	case ColState:
		if r.Suspend {
			return r.State(), s.Suspended
		}
		return r.State(), nil
	case ColWaiting:
		if r.Since.IsZero() {
			return "?", s.Dim
		}
		return domain.Age(r.Since, now), nil
	case ColExpires:
		text := domain.Countdown(r.Expires, now)
		switch domain.Urgency(r.Expires, now) {
		case domain.ExpiryExpired:
			return text, s.Expired
		case domain.ExpirySoon:
			return "! " + text, s.Soon
		case domain.ExpiryNone:
			return text, s.Dim
		}
		return text, nil
	case ColInput:
		if r.Input {
			return "yes", nil
		}
		return "no", s.Dim
	case ColTags:
		return r.Tags, s.Tag
	case ColPool:
		if r.Pool == "" {
			return "-", s.Dim
		}
		return r.Pool, nil
	}
	return "", nil
}

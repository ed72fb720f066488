package inbox

// Column identifies one inbox column.
type Column int

// Columns in display order.
const (
	ColFlow Column = iota
	ColName
	ColState
	ColWaiting
	ColExpires
	ColInput
	ColTags
	ColPool
	numColumns
)

// ColumnSpec describes how a column may be sized. Priority 0 columns are
// always shown; higher numbers are dropped first when space runs out.
type ColumnSpec struct {
	ID       Column
	Title    string
	Priority int
	Min      int // narrowest useful width
	Comfort  int // width it gets before lower-priority columns are added
	Max      int // never wider than this
	Flex     bool
	Sortable bool // the inbox can be sorted by it: its title has room for the arrow
}

// Specs lists the columns in display order.
var Specs = [numColumns]ColumnSpec{
	{ID: ColFlow, Title: "FLOW/DEPLOYMENT", Priority: 1, Min: 8, Comfort: 20, Max: 48, Flex: true, Sortable: true},
	{ID: ColName, Title: "RUN", Priority: 0, Min: 8, Comfort: 20, Max: 40, Flex: true, Sortable: true},
	{ID: ColState, Title: "STATE", Priority: 4, Min: 9, Comfort: 9, Max: 9},
	{ID: ColWaiting, Title: "WAITING", Priority: 2, Min: 8, Comfort: 8, Max: 8, Sortable: true},
	{ID: ColExpires, Title: "EXPIRES", Priority: 0, Min: 8, Comfort: 8, Max: 8, Sortable: true},
	{ID: ColInput, Title: "INPUT", Priority: 3, Min: 5, Comfort: 5, Max: 5},
	{ID: ColTags, Title: "TAGS", Priority: 5, Min: 8, Comfort: 14, Max: 40, Flex: true},
	{ID: ColPool, Title: "WORK POOL", Priority: 6, Min: 9, Comfort: 12, Max: 24, Flex: true},
}

// MarkerWidth is the selection marker column ("▸ ").
const MarkerWidth = 2

// SortArrow marks the column the inbox is sorted by, after its title.
const SortArrow = "▾"

// titleWidth is the room a column's title needs: a sortable column's has
// the arrow too, so that sorting does not move the columns.
func titleWidth(s ColumnSpec) int {
	if s.Sortable {
		return len(s.Title) + 1
	}
	return len(s.Title)
}

// Placed is a column chosen for the current width.
type Placed struct {
	ID    Column
	Title string
	Width int
}

// Gap is the space between columns for a terminal width.
func Gap(width int) int {
	if width >= 120 {
		return 2
	}
	return 1
}

// Layout chooses which columns fit in width and how wide each is. want holds
// the widest content (or title) of each column; flexible columns never grow
// beyond it. It is a pure function of its inputs, so narrow and wide
// terminals are tested without one.
//
// Columns are added in priority order at their comfortable width while they
// fit (low-value ones such as work pool and tags go first in narrow
// terminals); then flexible columns grow towards their content width; when
// even the essential columns do not fit, they shrink to their minimum.
func Layout(width int, want [numColumns]int) []Placed {
	avail := width - MarkerWidth
	order := priorityOrder()
	chosen, used := addColumns(order, want, Gap(width), avail)
	used = shrinkColumns(order, &chosen, used, avail)
	growColumns(order, want, &chosen, used, avail)

	var out []Placed
	for _, s := range Specs {
		if chosen[s.ID] > 0 {
			out = append(out, Placed{ID: s.ID, Title: s.Title, Width: chosen[s.ID]})
		}
	}
	return out
}

// wantOf is the width a column's content asks for, within its bounds.
func wantOf(s ColumnSpec, want [numColumns]int) int {
	w := max(want[s.ID], titleWidth(s))
	if !s.Flex || w > s.Max {
		w = s.Max
	}
	return w
}

// priorityOrder is Specs by priority, stable in display order.
func priorityOrder() []ColumnSpec {
	order := make([]ColumnSpec, 0, numColumns)
	for p := 0; p <= 6; p++ {
		for _, s := range Specs {
			if s.Priority == p {
				order = append(order, s)
			}
		}
	}
	return order
}

// addColumns picks columns in priority order at their comfortable width
// while they fit; chosen holds the width per column (0 = not shown).
func addColumns(order []ColumnSpec, want [numColumns]int, gap, avail int) (chosen [numColumns]int, used int) {
	count := 0
	full := false
	for _, s := range order {
		w := max(s.Min, min(s.Comfort, wantOf(s, want)))
		g := 0
		if count > 0 {
			g = gap
		}
		if s.Priority != 0 {
			if full {
				continue
			}
			if used+g+w > avail {
				// A flexible column may still fit narrower; after the first
				// column that does not fit, no lower-value column is added.
				full = true
				if left := avail - used - g; s.Flex && left >= s.Min {
					w = left
				} else {
					continue
				}
			}
		}
		chosen[s.ID] = w
		used += g + w
		count++
	}
	return chosen, used
}

// shrinkColumns narrows flexible columns towards Min when even the
// essentials do not fit; it returns the width then used.
func shrinkColumns(order []ColumnSpec, chosen *[numColumns]int, used, avail int) int {
	for used > avail {
		shrunk := false
		for _, s := range order {
			if chosen[s.ID] > s.Min && s.Flex {
				chosen[s.ID]--
				used--
				shrunk = true
				if used <= avail {
					break
				}
			}
		}
		if !shrunk {
			break
		}
	}
	return used
}

// growColumns widens flexible columns towards their content, most important
// first, one cell at a time round-robin so they share the space.
func growColumns(order []ColumnSpec, want [numColumns]int, chosen *[numColumns]int, used, avail int) {
	for used < avail {
		grew := false
		for _, s := range order {
			if used >= avail {
				break
			}
			if chosen[s.ID] > 0 && s.Flex && chosen[s.ID] < wantOf(s, want) {
				chosen[s.ID]++
				used++
				grew = true
			}
		}
		if !grew {
			break
		}
	}
}

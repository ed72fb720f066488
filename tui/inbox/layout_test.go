package inbox

import (
	"testing"
)

func widths(cols []Placed) (map[Column]int, int) {
	m := map[Column]int{}
	total := MarkerWidth
	for i, c := range cols {
		m[c.ID] = c.Width
		total += c.Width
		if i > 0 {
			total += 0 // gaps added by caller
		}
	}
	return m, total
}

func totalWidth(cols []Placed, width int) int {
	t := MarkerWidth
	for i, c := range cols {
		if i > 0 {
			t += Gap(width)
		}
		t += c.Width
	}
	return t
}

func TestLayoutFitsAndDropsLowValueColumnsFirst(t *testing.T) {
	want := [numColumns]int{ColFlow: 30, ColName: 28, ColTags: 25, ColPool: 15}
	for _, w := range []int{40, 60, 80, 100, 120, 140, 200} {
		cols := Layout(w, want)
		if tw := totalWidth(cols, w); tw > w {
			t.Errorf("width %d: layout needs %d", w, tw)
		}
		got, _ := widths(cols)
		if got[ColName] == 0 || got[ColExpires] == 0 {
			t.Errorf("width %d: essential columns missing: %v", w, cols)
		}
		// Lower-value columns never appear while a higher-value one is missing.
		if got[ColPool] > 0 && got[ColTags] == 0 {
			t.Errorf("width %d: pool shown without tags", w)
		}
		if got[ColTags] > 0 && (got[ColState] == 0 || got[ColInput] == 0) {
			t.Errorf("width %d: tags shown before state/input", w)
		}
	}
	at80, _ := widths(Layout(80, want))
	if at80[ColFlow] == 0 || at80[ColWaiting] == 0 || at80[ColName] < 16 {
		t.Errorf("80 columns should show flow, waiting and a readable name: %v", at80)
	}
	if at80[ColPool] != 0 {
		t.Errorf("80 columns should drop the work pool: %v", at80)
	}
	at140, _ := widths(Layout(140, want))
	for c := range numColumns {
		if at140[c] == 0 {
			t.Errorf("140 columns should show every column, missing %s", Specs[c].Title)
		}
	}
	at170, _ := widths(Layout(170, want))
	if at170[ColFlow] != 30 || at170[ColName] != 28 || at170[ColTags] != 25 || at170[ColPool] != 15 {
		t.Errorf("wide layout should give flexible columns their content width: %v", at170)
	}
}

func TestLayoutNoLowValueColumnWhenHigherMissing(t *testing.T) {
	// Long tags, short pool: at 80 columns the tags (higher value) must win.
	want := [numColumns]int{ColFlow: 18, ColName: 15, ColTags: 26, ColPool: 1}
	for w := 40; w <= 200; w++ {
		got, _ := widths(Layout(w, want))
		for _, s := range Specs {
			if got[s.ID] > 0 {
				continue
			}
			for _, lower := range Specs {
				if lower.Priority > s.Priority && got[lower.ID] > 0 {
					t.Fatalf("width %d: %s shown while %s is not: %v", w, lower.Title, s.Title, got)
				}
			}
		}
	}
	got, _ := widths(Layout(80, want))
	if got[ColTags] == 0 || got[ColPool] != 0 {
		t.Fatalf("80 columns: %v", got)
	}
}

func TestLayoutNeverWiderThanContent(t *testing.T) {
	want := [numColumns]int{ColFlow: 5, ColName: 6, ColTags: 3, ColPool: 4}
	cols := Layout(200, want)
	got, _ := widths(cols)
	// The flow column is as wide as its title and the sort arrow.
	if got[ColFlow] != len("FLOW/DEPLOYMENT")+1 || got[ColName] != 8 {
		t.Errorf("short content: %v", got)
	}
}

func TestLayoutTinyTerminal(t *testing.T) {
	cols := Layout(20, [numColumns]int{ColName: 30})
	got, _ := widths(cols)
	if got[ColName] == 0 || got[ColExpires] == 0 {
		t.Fatalf("tiny: %v", cols)
	}
}

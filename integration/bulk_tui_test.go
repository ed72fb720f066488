package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestTUIBulkMarkedImageLabels marks 10 image-label runs in the inbox (the
// filter shows only this test's runs, * marks them all), answers once and
// sends: every flow receives the same animal, and the results screen says
// so.
func TestTUIBulkMarkedImageLabels(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	const n = 10
	tag := fmt.Sprintf("bulk-%d", time.Now().UnixNano())
	f := startManyOf(t, n, "image-label", "UNPAUSE_FIXTURE_TAGS="+tag)

	s := newTUISession(t, t.TempDir())
	s.startApp()
	s.keys("/")
	s.text(tag)
	s.waitFor("the filter", "/"+tag, fmt.Sprintf("(%d shown)", n))
	s.keys("Enter", "*")
	s.waitFor("the marks", fmt.Sprintf("%d runs marked", n))
	s.keys("a")
	s.waitFor("the form for all of them", fmt.Sprintf("one answer for %d marked runs", n), "1 pig  2 dog")
	s.keys("2")
	s.waitFor("the review", "This exact JSON will be sent", `"value": "dog"`)
	s.keys("y")
	screen := s.waitUntil("the results", func(sc string) bool { return strings.Contains(sc, fmt.Sprintf("Sent to %d runs: ", n)) })
	if !strings.Contains(screen, fmt.Sprintf("Sent to %d runs: %d resumed", n, n)) {
		// A busy SQLite server may refuse a write (503, rolled back): the
		// results say which; those runs are still waiting, so answer them
		// again the same way.
		t.Logf("not all resumed at once:\n%s", screen)
		s.keys("Escape", "*")
		s.waitFor("the marks again", "runs marked")
		s.keys("a", "2")
		s.waitFor("the review", `"value": "dog"`)
		s.keys("y")
		s.waitFor("the second results", "resumed")
	}
	for _, id := range f.runIDs {
		res := f.waitResultOf(t, id, tuiResultTimeout)
		assertEqual(t, "received by "+id, res["received"], "dog")
	}
}

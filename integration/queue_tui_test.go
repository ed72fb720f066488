package integration

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// answeringRe reads the run on the answer screen ("Answer: NAME   ...").
var answeringRe = regexp.MustCompile(`Answer: (\S+)`)

// TestTUIQueueAnswersImageLabels answers 20 image-label runs (Animal, a str
// Enum: a numbered choice) in queue mode: a opens the first, then a digit
// and y answer each one and the next opens by itself. Every flow receives
// the animal chosen for it.
func TestTUIQueueAnswersImageLabels(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	const n = 20
	tag := fmt.Sprintf("queue-%d", time.Now().UnixNano())
	f := startManyOf(t, n, "image-label", "UNPAUSE_FIXTURE_TAGS="+tag)
	idOf := map[string]string{}
	for _, id := range f.runIDs {
		idOf[mustGetRun(t, f.APIURL, id).Name] = id
	}

	s := newTUISession(t, t.TempDir())
	s.startApp()
	// Only this test's runs: the queue follows the inbox as filtered.
	s.keys("/")
	s.text(tag)
	s.waitFor("the filter", "/"+tag, fmt.Sprintf("(%d shown)", n))
	s.keys("Enter", "a")
	s.waitFor("the numbered choice", "1 pig  2 dog")

	want := map[string]string{}
	for i := range n {
		screen := s.waitFor("an answer screen", "1 pig  2 dog")
		m := answeringRe.FindStringSubmatch(screen)
		if m == nil || idOf[m[1]] == "" {
			t.Fatalf("answer %d: no run of this test on screen:\n%s", i, screen)
		}
		name := m[1]
		if _, dup := want[name]; dup {
			t.Fatalf("answer %d: %s opened again after it was answered:\n%s", i, name, screen)
		}
		if i > 0 && !strings.Contains(screen, fmt.Sprintf("queue: unpause-image-label · %d left", n-i)) {
			t.Fatalf("answer %d: no counter of %d left:\n%s", i, n-i, screen)
		}
		digit, animal := "1", "pig"
		if i%2 == 1 {
			digit, animal = "2", "dog"
		}
		want[name] = animal
		s.keys(digit)
		s.waitFor("the review of "+name, "Review the answer for "+name, `"value": "`+animal+`"`)
		s.confirmQueued(name, i == n-1)
	}
	s.waitFor("the end of the queue", fmt.Sprintf("Queue done: %d answered", n))
	for name, animal := range want {
		res := f.waitResultOf(t, idOf[name], tuiResultTimeout)
		assertEqual(t, "received by "+name, res["received"], animal)
	}
}

// confirmQueued presses y in the review of run name and waits until the
// queue moved on (the next run's form, or the end of the queue). A busy
// SQLite server answers some writes with 503; the review stays and y is
// pressed again, as confirmResume does.
func (s *tuiSession) confirmQueued(name string, last bool) {
	s.t.Helper()
	for attempt := 1; ; attempt++ {
		s.keys("y")
		screen := s.waitUntil("the queue moving on from "+name, func(sc string) bool {
			if strings.Contains(sc, "Resume failed") || strings.Contains(sc, "Queue done") {
				return true
			}
			m := answeringRe.FindStringSubmatch(sc)
			return !last && m != nil && m[1] != name && strings.Contains(sc, "1 pig  2 dog")
		})
		if !strings.Contains(screen, "Resume failed") {
			return
		}
		if attempt == 5 {
			s.t.Fatalf("resume of %s failed %d times:\n%s", name, attempt, screen)
		}
		s.t.Logf("resume attempt %d of %s failed, retrying:\n%s", attempt, name, screen)
		s.waitFor("the review again", "Send it?")
		time.Sleep(time.Second)
	}
}

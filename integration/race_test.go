package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRaceTwoOperatorsOneRun: two operators resume the same run at the same moment
// with different answers. Exactly one is told "resumed", and the flow receives that
// one's answer; the other is told the run is not paused any more (exit 4), never
// "resumed".
func TestRaceTwoOperatorsOneRun(t *testing.T) {
	t.Parallel()
	for round := range 3 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			t.Parallel()
			f := startFlow(t, "greeting")
			type result struct {
				answer, stdout, stderr string
				code                   int
			}
			results := make([]result, 2)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, answer := range []string{"alice", "bob"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					out, errOut, code := runUnpause(t, "resume", f.RunID, "--set", "value="+answer, "--yes", "-o", "json")
					results[i] = result{answer, out, errOut, code}
				}()
			}
			close(start)
			wg.Wait()
			winners := 0
			var winner string
			for _, r := range results {
				var res cliAction
				_ = json.Unmarshal([]byte(r.stdout), &res)
				switch {
				case r.code == 0 && res.Outcome == "resumed":
					winners++
					winner = r.answer
				case r.code == 4 && res.Outcome == "not-paused":
				default:
					t.Errorf("%s: exit %d outcome %q\n%s\n%s", r.answer, r.code, res.Outcome, r.stdout, r.stderr)
				}
			}
			if winners != 1 {
				t.Fatalf("%d operators told resumed, want exactly 1: %+v", winners, results)
			}
			assertEqual(t, "received", f.WaitResult(t, 60*time.Second)["received"], winner)
		})
	}
}

// TestRaceTwentyRunsAtOnce: twenty operators resume twenty runs at the same moment;
// every one is resumed, each flow receives its own answer.
func TestRaceTwentyRunsAtOnce(t *testing.T) {
	t.Parallel()
	const n = 20
	f := startMany(t, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, id := range f.runIDs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out, errOut, code := runUnpauseWith(t, UnpauseOpts{Timeout: 120 * time.Second}, "resume", id, "--set", fmt.Sprintf("value=operator-%d", i), "--yes")
			if code != 0 || !strings.Contains(out, "resumed") {
				t.Errorf("run %d: exit %d\n%s\n%s", i, code, out, errOut)
			}
		}()
	}
	close(start)
	wg.Wait()
	for i, id := range f.runIDs {
		res := f.waitResultOf(t, id, 90*time.Second)
		assertEqual(t, "received by run "+id, res["received"], fmt.Sprintf("operator-%d", i))
	}
}

// manyFlows is one fixture process running several greeting runs at once.
type manyFlows struct {
	*FixtureFlow
	runIDs []string
}

// startMany starts `fixtures.py many --count n` (with extraEnv, such as
// UNPAUSE_FIXTURE_TAGS=...) and waits until all its runs are paused.
func startMany(t *testing.T, n int, extraEnv ...string) *manyFlows {
	t.Helper()
	return startManyOf(t, n, "greeting", extraEnv...)
}

// startManyOf starts n runs of fixture at once (fixtures.py many --of).
func startManyOf(t *testing.T, n int, fixture string, extraEnv ...string) *manyFlows {
	t.Helper()
	apiURL, python := requireServer(t)
	dir := t.TempDir()
	f := &FixtureFlow{Name: "many", OutPath: filepath.Join(dir, "result.json"), APIURL: apiURL}
	env := append(fixtureEnv(apiURL, dir, f.OutPath), extraEnv...)
	f.start(t, python, []string{fixtureScript(t), "many", "--count", fmt.Sprint(n), "--of", fixture}, env, dir)
	m := &manyFlows{FixtureFlow: f}
	deadline := time.Now().Add(fixtureStartTimeout)
	for len(m.runIDs) < n {
		m.runIDs = m.runIDs[:0]
		for _, l := range f.stdout.snapshot() {
			if id, ok := strings.CutPrefix(l, "FLOW_RUN_ID="); ok {
				m.runIDs = append(m.runIDs, id)
			}
		}
		if f.exited() || time.Now().After(deadline) {
			f.fatalf(t, "%d of %d runs started", len(m.runIDs), n)
		}
		time.Sleep(pollEvery)
	}
	for _, id := range m.runIDs {
		waitRun(t, apiURL, id, fixtureStartTimeout, "paused", func(r *apiRun) bool {
			if r.StateType != "PAUSED" || r.State == nil {
				return false
			}
			_, found := readRunInput(t, apiURL, id, r.State.Details.RunInputKeyset["schema"])
			return found
		})
	}
	return m
}

// waitResultOf waits for the result file of one run of a many fixture.
func (m *manyFlows) waitResultOf(t *testing.T, runID string, timeout time.Duration) map[string]any {
	t.Helper()
	path := m.OutPath + "." + runID
	deadline := time.Now().Add(timeout)
	for {
		if data, err := os.ReadFile(path); err == nil {
			var res map[string]any
			if err := json.Unmarshal(data, &res); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			return res
		}
		if time.Now().After(deadline) {
			m.fatalf(t, "run %s wrote no result within %s", runID, timeout)
		}
		time.Sleep(pollEvery)
	}
}

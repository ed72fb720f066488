package integration

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestResumeAllTagged: ten greeting runs waiting at once, selected by a tag
// of their own, are resumed by one `resume --all`; each flow receives the
// value, and the JSON names each run once as resumed.
func TestResumeAllTagged(t *testing.T) {
	t.Parallel()
	const n = 10
	tag := fmt.Sprintf("bulk-%d", time.Now().UnixNano())
	f := startMany(t, n, "UNPAUSE_FIXTURE_TAGS="+tag)
	out, errOut, code := runUnpauseWith(t, UnpauseOpts{Timeout: 120 * time.Second},
		"resume", "--all", "--flow", "unpause-greeting", "--tag", tag, "--set", "value=everyone", "--yes", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var results []cliAction
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, out)
	}
	var got []string
	for _, r := range results {
		if r.Outcome != "resumed" {
			t.Errorf("run %s: outcome %q (%s)", r.RunID, r.Outcome, r.Reason)
		}
		got = append(got, r.RunID)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(f.runIDs))
	if !slices.Equal(got, want) {
		t.Fatalf("resumed %v, want exactly the tagged runs %v", got, want)
	}
	for _, id := range f.runIDs {
		assertEqual(t, "received by run "+id, f.waitResultOf(t, id, 90*time.Second)["received"], "everyone")
	}
}

package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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

// TestCLIResumeAnswerFileYAML: three greeting runs answered by one YAML
// file whose runs: section gives each its own answer, keyed by run id; each
// flow receives its own value, and YAML's `yes` arrives as the text "yes"
// (YAML 1.2: only true and false are booleans).
func TestCLIResumeAnswerFileYAML(t *testing.T) {
	t.Parallel()
	f := startMany(t, 3, "UNPAUSE_FIXTURE_TAGS="+fmt.Sprintf("answerfile-%d", time.Now().UnixNano()))
	want := map[string]string{f.runIDs[0]: "yes", f.runIDs[1]: "first answer", f.runIDs[2]: "42"}
	var file strings.Builder
	file.WriteString("# answers for the greeting runs\nruns:\n")
	for _, id := range f.runIDs {
		fmt.Fprintf(&file, "  %s:\n    value: %s\n", id, strconv.Quote(want[id]))
	}
	// The first run's value written bare, as a person would type it.
	text := strings.Replace(file.String(), strconv.Quote("yes"), "yes", 1)
	path := filepath.Join(t.TempDir(), "answers.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runUnpauseWith(t, UnpauseOpts{Timeout: 120 * time.Second},
		"resume", "--input-file", path, "--yes", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s\nfile:\n%s", code, out, errOut, text)
	}
	var results []cliAction
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, out)
	}
	if len(results) != len(want) {
		t.Fatalf("%d results, want %d: %s", len(results), len(want), out)
	}
	for _, r := range results {
		if r.Outcome != "resumed" {
			t.Errorf("run %s: outcome %q (%s)", r.RunID, r.Outcome, r.Reason)
		}
	}
	for _, id := range f.runIDs {
		assertEqual(t, "received by run "+id, f.waitResultOf(t, id, 90*time.Second)["received"], want[id])
	}
}

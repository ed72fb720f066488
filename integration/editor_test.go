package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTUIEditorRoundTrip: ctrl+e in the form opens $EDITOR on the whole
// answer as YAML; a value the schema refuses brings the editor back with
// the error at the top of the file, and the fixed answer goes to review and
// reaches the flow.
func TestTUIEditorRoundTrip(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	dir := t.TempDir()
	sawError := filepath.Join(dir, "saw-error")
	script := filepath.Join(dir, "edit.sh")
	// First round: a value that is not an integer. Second round: record
	// that the file now starts with the error, then write a good value.
	body := `#!/bin/sh
f="$1"
if [ ! -e "` + dir + `/round1" ]; then
	touch "` + dir + `/round1"
	sed -i 's/^value:.*/value: not-a-number/' "$f"
else
	grep -q '^# ERROR' "$f" && cp "$f" "` + sawError + `"
	sed -i 's/^value:.*/value: 42/' "$f"
fi
`
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	f := startFlow(t, "number")
	name := tuiRunName(t, f)
	s := newTUISession(t, t.TempDir())
	s.startAppWith("EDITOR=" + script)
	s.openRun(name)
	s.keys("a")
	s.waitFor("the form", "Answer: "+name)
	s.keys("C-e")
	s.waitFor("the review of the edited answer", "This exact JSON will be sent", "42")
	s.confirmResume()
	if got := f.WaitResult(t, tuiResultTimeout)["received"]; got != float64(42) {
		t.Fatalf("flow received %v, want 42", got)
	}
	errFile, err := os.ReadFile(sawError)
	if err != nil {
		t.Fatalf("the second round did not see the error at the top of the file: %v", err)
	}
	if !strings.Contains(string(errFile), "value: not-a-number") {
		t.Errorf("the typed value was lost in the second round:\n%s", errFile)
	}
}

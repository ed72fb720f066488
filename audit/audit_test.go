package audit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAppendCreatesPrivateFileAndAppends(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "unpause")
	l := New(dir)
	for i, outcome := range []string{"resumed", "cancelled"} {
		if err := l.Append(Entry{Identity: "alice", RunID: "id", RunName: "r\x1b[2J", Action: "resume", Outcome: outcome, Fields: []string{"token"}}); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	fi, err := os.Stat(l.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %o", fi.Mode().Perm())
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %o", di.Mode().Perm())
	}
	raw, _ := os.ReadFile(l.Path)
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), raw)
	}
	var e Entry
	if err := json.Unmarshal([]byte(lines[1]), &e); err != nil {
		t.Fatal(err)
	}
	if e.Outcome != "cancelled" || e.RunName != "r[2J" || e.Time.Location() != time.UTC || time.Since(e.Time) > time.Minute {
		t.Errorf("entry %+v", e)
	}
}

// An entry has no place for values: a secret given as a field name's value
// never reaches the file.
func TestEntryHoldsNoValues(t *testing.T) {
	var keys map[string]any
	b, _ := json.Marshal(Entry{Fields: []string{"password"}})
	_ = json.Unmarshal(b, &keys)
	for k := range keys {
		switch k {
		case "time", "identity", "profile", "server", "run_id", "run_name", "action", "outcome", "record_written", "fields":
		default:
			t.Errorf("unexpected field %q", k)
		}
	}
}

func TestConcurrentAppendsStayWholeLines(t *testing.T) {
	l := New(t.TempDir())
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = l.Append(Entry{RunName: strings.Repeat("x", 2000), Outcome: "resumed"})
		}()
	}
	wg.Wait()
	raw, _ := os.ReadFile(l.Path)
	for _, line := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("broken line %q", line[:40])
		}
	}
}

func TestAppendFailureIsAnError(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	_ = os.WriteFile(blocker, nil, 0o600)
	if err := (&Log{Path: filepath.Join(blocker, FileName)}).Append(Entry{}); err == nil || !strings.Contains(err.Error(), "audit log") {
		t.Errorf("got %v", err)
	}
}

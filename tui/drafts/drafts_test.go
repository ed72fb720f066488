package drafts

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/forms"
)

var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func clock() func() time.Time { return func() time.Time { return t0 } }

func TestSetFlushLoadDelete(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, clock())
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "drafts"))
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("draft dir mode: %v %v", st.Mode(), err)
	}
	s.Set("run-1", "paused-1-schema", map[string]any{"size": "small", "n": int64(3), "tags": []any{"a"}}, nil, nil)
	// Nothing on disk until Flush.
	if _, err := os.Stat(filepath.Join(dir, "drafts", "run-1.json")); !os.IsNotExist(err) {
		t.Fatalf("Set wrote to disk: %v", err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "drafts", "run-1.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("draft file mode: %v %v", fi, err)
	}
	// A new store (new process) reads it back.
	s2, _ := Open(dir, clock())
	d, err := s2.Load("run-1")
	if err != nil || d == nil {
		t.Fatalf("load: %v %v", d, err)
	}
	if d.Values["size"] != "small" || d.SchemaKey != "paused-1-schema" || !d.SavedAt.Equal(t0) {
		t.Fatalf("loaded %+v", d)
	}
	if err := s2.Delete("run-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "drafts", "run-1.json")); !os.IsNotExist(err) {
		t.Fatalf("draft not removed: %v", err)
	}
	if d, _ := s2.Load("run-1"); d != nil {
		t.Fatalf("deleted draft still loads: %+v", d)
	}
	// No temp files left behind.
	left, _ := filepath.Glob(filepath.Join(dir, "drafts", ".draft-*"))
	if len(left) != 0 {
		t.Fatalf("temp files left: %v", left)
	}
}

// A secret never reaches the disk: its value and its widget text are left
// out of the draft, top level and nested; the other values are kept.
func TestSecretsNeverWritten(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir, clock())
	secret := "hunter2-s3cret"
	text := secret
	values := map[string]any{"token": secret, "db": map[string]any{"password": secret, "host": "db1"}, "note": "keep me"}
	raw := forms.Entered{"token": {Text: &text}, "db.password": {Text: &text}, "note": {Text: new("keep me")}}
	s.Set("r", "k", values, raw, []string{"token", "db.password"})
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "drafts", "*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), secret) {
			t.Fatalf("%s holds the secret:\n%s", f, b)
		}
	}
	d, err := s.Load("r")
	if err != nil || d == nil || d.Values["note"] != "keep me" || d.Values["db"].(map[string]any)["host"] != "db1" {
		t.Fatalf("other values lost: %+v %v", d, err)
	}
	if values["token"] != secret {
		t.Error("Set changed the caller's values")
	}
}

// The copies of sent answers earlier versions kept (secrets included) are
// removed when the store opens.
func TestSentCopiesRemoved(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "drafts"), 0o700); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "drafts", "r.submitted.json")
	if err := os.WriteFile(old, []byte(`{"values":{"token":"x"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, clock()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("%s still there (%v)", old, err)
	}
}

func TestHostileRunIDStaysInDir(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir, clock())
	s.Set("../../etc/passwd", "", map[string]any{"x": 1}, nil, nil)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "drafts"))
	if len(entries) != 1 {
		t.Fatalf("entries: %v", entries)
	}
	if d, _ := s.Load("../../etc/passwd"); d == nil {
		t.Fatal("hashed name not found again")
	}
}

func TestConcurrentSetAndFlush(t *testing.T) {
	s, _ := Open(t.TempDir(), clock())
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				s.Set("run", "", map[string]any{"i": i, "j": j}, nil, nil)
				_ = s.Flush()
			}
		}()
	}
	wg.Wait()
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
}

func TestMemoryOnly(t *testing.T) {
	s, err := Open("", clock())
	if err != nil {
		t.Fatal(err)
	}
	s.Set("r", "", map[string]any{"a": "b"}, nil, nil)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Load("r"); d == nil || d.Values["a"] != "b" {
		t.Fatal("memory store lost the value")
	}
}

func TestNumbersKeepTheirTypes(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir, clock())
	s.Set("r", "", map[string]any{"n": int64(3), "x": json.Number("0.5"), "big": int64(9007199254740993), "l": []any{int64(1)}}, nil, nil)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	s2, _ := Open(dir, clock())
	d, err := s2.Load("r")
	if err != nil {
		t.Fatal(err)
	}
	if d.Values["n"] != int64(3) || d.Values["x"] != json.Number("0.5") || d.Values["big"] != int64(9007199254740993) || d.Values["l"].([]any)[0] != int64(1) {
		t.Fatalf("%#v", d.Values)
	}
}

func TestCurrentDeletesDraftsOfAPauseThatIsOver(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir, clock())
	s.Set("run-1", "paused-1-schema", map[string]any{"size": "small"}, nil, nil)
	s.Set("run-2", "paused-1-schema", map[string]any{"size": "large"}, nil, nil)
	s.Set("run-3", "paused-1-schema", map[string]any{"size": "medium"}, nil, nil)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	s2, _ := Open(dir, clock())
	// Same pause: kept.
	if d, err := s2.Current("run-1", "paused-1-schema"); err != nil || d == nil || d.Values["size"] != "small" {
		t.Fatalf("same pause: %+v %v", d, err)
	}
	// Paused again (another schema key) and not paused at all: removed.
	if d, err := s2.Current("run-2", "paused-2-schema"); err != nil || d != nil {
		t.Fatalf("new pause: %+v %v", d, err)
	}
	if d, err := s2.Current("run-3", ""); err != nil || d != nil {
		t.Fatalf("not paused: %+v %v", d, err)
	}
	for _, id := range []string{"run-2", "run-3"} {
		if _, err := os.Stat(filepath.Join(dir, "drafts", id+".json")); !os.IsNotExist(err) {
			t.Fatalf("%s: draft of an ended pause still on disk: %v", id, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "drafts", "run-1.json")); err != nil {
		t.Fatal(err)
	}
}

// A secret whose field name holds a dot is left out too.
func TestDottedSecretNeverWritten(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir, clock())
	s.Set("r", "k", map[string]any{"db.password": "hunter2-s3cret", "db": map[string]any{"host": "db1"}}, nil, []string{"db.password"})
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "drafts", "*"))
	for _, f := range files {
		if b, _ := os.ReadFile(f); strings.Contains(string(b), "hunter2") {
			t.Fatalf("%s holds the secret:\n%s", f, b)
		}
	}
}

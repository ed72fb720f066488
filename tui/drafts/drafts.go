// Package drafts keeps unfinished answers on disk so that nothing typed is
// lost to a failed submit, an SSH drop or a killed process.
//
// Layout under <state dir>/drafts (directory 0700, files 0600):
//
//	<run>.json            the draft being edited (removed once the run is resumed)
//
// Secret (SecretStr) values are never written: Set drops them, so a restored
// draft asks for them again. An answer that was sent is not kept here: the
// server holds it (the pause's "-response" input), and a flow that refuses it
// and pauses again is offered it from there (domain.PreviousAnswer).
//
// The store is safe for concurrent use: Update only records values in
// memory (Set); writes happen in Flush, which a tea.Cmd calls after a short
// debounce and the program calls synchronously on quit and on SIGHUP/SIGTERM.
package drafts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/unpause-dev/unpause/forms"
)

// Draft is one run's answer in progress (or last sent).
type Draft struct {
	RunID     string         `json:"run_id"`
	SchemaKey string         `json:"schema_key,omitempty"` // run_input_keyset.schema of the pause it was written for
	Values    map[string]any `json:"values"`
	// Raw is what each widget held, valid or not (forms.Entered), so text that
	// does not parse yet is not lost either.
	Raw     forms.Entered `json:"raw,omitempty"`
	SavedAt time.Time     `json:"saved_at"`
}

// Store reads and writes drafts.
type Store struct {
	dir string
	now func() time.Time

	mu      sync.Mutex        // guards mem and dirty
	mem     map[string]*Draft // latest values per run, including unsaved ones
	dirty   map[string]bool
	deleted map[string]bool // runs whose draft was removed since the last flush

	ioMu sync.Mutex // serialises file writes and removals
}

// Open returns a store under stateDir/drafts, creating the directory (0700).
// An empty stateDir gives a memory-only store (values survive going back and
// failed submits, not a restart).
func Open(stateDir string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	s := &Store{now: now, mem: map[string]*Draft{}, dirty: map[string]bool{}, deleted: map[string]bool{}}
	if stateDir == "" {
		return s, nil
	}
	s.dir = filepath.Join(stateDir, "drafts")
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("create draft directory: %w", err)
	}
	// MkdirAll keeps the mode of an existing directory; drafts may hold
	// sensitive answers, so tighten it.
	if err := os.Chmod(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("restrict draft directory: %w", err)
	}
	s.removeSentCopies()
	return s, nil
}

// removeSentCopies deletes the <run>.submitted.json copies of sent answers
// that earlier versions kept for a week, secrets included.
func (s *Store) removeSentCopies() {
	matches, _ := filepath.Glob(filepath.Join(s.dir, "*.submitted.json"))
	for _, p := range matches {
		_ = os.Remove(p)
	}
}

// Dir is the draft directory ("" for a memory-only store).
func (s *Store) Dir() string { return s.dir }

// Set records the current values of a run's draft in memory and marks it for
// the next Flush. It does no I/O, so Update may call it. The values and
// widget text at secrets (the schema's SecretPaths) are left out: a secret
// never reaches the disk.
func (s *Store) Set(runID, schemaKey string, values map[string]any, raw forms.Entered, secrets []string) {
	d := &Draft{RunID: runID, SchemaKey: schemaKey, Values: clone(values), Raw: cloneRaw(raw), SavedAt: s.now()}
	for _, p := range secrets {
		deletePath(d.Values, p)
		delete(d.Raw, p)
	}
	s.mu.Lock()
	s.mem[runID] = d
	s.dirty[runID] = true
	delete(s.deleted, runID)
	s.mu.Unlock()
}

// Peek returns the in-memory draft of a run, if one was Set or loaded in
// this process. It does no I/O.
func (s *Store) Peek(runID string) (*Draft, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deleted[runID] {
		return nil, false
	}
	d, ok := s.mem[runID]
	if !ok {
		return nil, false
	}
	cp := *d
	cp.Values = clone(d.Values)
	cp.Raw = cloneRaw(d.Raw)
	return &cp, true
}

// Load returns a run's draft: the in-memory one, else the file. (nil, nil)
// when there is none.
func (s *Store) Load(runID string) (*Draft, error) {
	if d, ok := s.Peek(runID); ok {
		return d, nil
	}
	s.mu.Lock()
	gone := s.deleted[runID]
	s.mu.Unlock()
	if gone || s.dir == "" {
		return nil, nil
	}
	d, err := s.read(s.path(runID, ""))
	if err != nil || d == nil {
		return nil, err
	}
	s.mu.Lock()
	if _, ok := s.mem[runID]; !ok && !s.deleted[runID] {
		s.mem[runID] = d
	}
	s.mu.Unlock()
	return d, nil
}

// Current returns a run's draft if it was written for the pause the run is
// in now: pause is that pause's schema key (run_input_keyset.schema), ""
// when the run is not paused or asks no input. A draft for a pause that is
// over (a send reported as failed that resumed the run after all, or a run
// that paused again) is deleted, and (nil, nil) returned. A draft from
// before schema keys were recorded is kept while the run is paused.
func (s *Store) Current(runID, pause string) (*Draft, error) {
	d, err := s.Load(runID)
	if err != nil || d == nil {
		return d, err
	}
	if pause != "" && (d.SchemaKey == "" || d.SchemaKey == pause) {
		return d, nil
	}
	return nil, s.Delete(runID)
}

// Flush writes every draft changed since the last Flush and removes the
// files of deleted drafts. Safe to call from any goroutine, any number of
// times (signal handlers and the quit path call it).
func (s *Store) Flush() error {
	s.ioMu.Lock()
	defer s.ioMu.Unlock()
	s.mu.Lock()
	var write []*Draft
	for id := range s.dirty {
		if d := s.mem[id]; d != nil {
			cp := *d
			write = append(write, &cp)
		}
	}
	var remove []string
	for id := range s.deleted {
		remove = append(remove, id)
	}
	s.dirty = map[string]bool{}
	s.deleted = map[string]bool{}
	s.mu.Unlock()
	if s.dir == "" {
		return nil
	}
	var errs []error
	for _, d := range write {
		if err := s.write(s.path(d.RunID, ""), d); err != nil {
			errs = append(errs, err)
			s.mu.Lock()
			s.dirty[d.RunID] = true // try again next time
			s.mu.Unlock()
		}
	}
	for _, id := range remove {
		if err := os.Remove(s.path(id, "")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove draft: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Delete forgets a run's draft (after it was resumed) and removes its file.
func (s *Store) Delete(runID string) error {
	s.mu.Lock()
	delete(s.mem, runID)
	delete(s.dirty, runID)
	s.deleted[runID] = true
	s.mu.Unlock()
	return s.Flush()
}

var safeID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// path maps a run id to a file name. Run ids come from the server: anything
// that is not a plain id is hashed, so no id can name a path outside dir.
func (s *Store) path(runID, suffix string) string {
	name := runID
	if !safeID.MatchString(runID) {
		sum := sha256.Sum256([]byte(runID))
		name = "h-" + hex.EncodeToString(sum[:16])
	}
	return filepath.Join(s.dir, name+suffix+".json")
}

func (s *Store) read(path string) (*Draft, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read draft: %w", err)
	}
	var d Draft
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("read draft %s: %w", filepath.Base(path), err)
	}
	d.Values, _ = numbers(d.Values).(map[string]any)
	return &d, nil
}

// write replaces path atomically (temp file in the same directory, fsync,
// rename), so a crash leaves the old draft or the new one, never half.
func (s *Store) write(path string, d *Draft) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("encode draft: %w", err)
	}
	f, err := os.CreateTemp(s.dir, ".draft-*.tmp")
	if err != nil {
		return fmt.Errorf("write draft: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("write draft: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("write draft: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write draft: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write draft: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write draft: %w", err)
	}
	ok = true
	return nil
}

// numbers restores the value types forms uses: integers as int64, other
// numbers as json.Number (exact, as typed).
func numbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = numbers(e)
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = numbers(e)
		}
		return t
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		return t
	}
	return v
}

// clone deep-copies JSON-like values so later edits do not race with a
// concurrent Flush.
func clone(v map[string]any) map[string]any {
	if v == nil {
		return nil
	}
	out := make(map[string]any, len(v))
	for k, x := range v {
		out[k] = cloneValue(x)
	}
	return out
}

func cloneValue(x any) any {
	switch t := x.(type) {
	case map[string]any:
		return clone(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = cloneValue(e)
		}
		return out
	case []string:
		return append([]string(nil), t...)
	default:
		return x
	}
}

func cloneRaw(d forms.Entered) forms.Entered {
	if d == nil {
		return nil
	}
	out := make(forms.Entered, len(d))
	for k, v := range d {
		if v.Text != nil {
			t := *v.Text
			v.Text = &t
		}
		v.Multi = append([]string(nil), v.Multi...)
		out[k] = v
	}
	return out
}

// deletePath removes the value at a dotted path of nested objects.
func deletePath(m map[string]any, path string) {
	for {
		if _, exact := m[path]; exact {
			delete(m, path) // a field whose name holds a dot ("a.b") wins over the dotted path
			return
		}
		head, rest, nested := strings.Cut(path, ".")
		if !nested {
			delete(m, head)
			return
		}
		sub, ok := m[head].(map[string]any)
		if !ok {
			return
		}
		m, path = sub, rest
	}
}

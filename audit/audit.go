// Package audit keeps the local audit log: one JSON line per resume or
// cancel, appended to a file only its owner can read. It never holds an
// answer's values (a secret field's least of all): only the names of the
// answer's fields.
package audit

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/unpause-dev/unpause/termsafe"
)

// FileName is the log's name in unpause's state directory.
const FileName = "audit.jsonl"

// Entry is one action. There is deliberately no field for an answer's values
// or a cancel's reason.
type Entry struct {
	Time     time.Time `json:"time"`
	Identity string    `json:"identity"`
	Profile  string    `json:"profile"`
	Server   string    `json:"server"` // the API URL, without credentials
	RunID    string    `json:"run_id"`
	RunName  string    `json:"run_name"`
	Action   string    `json:"action"` // resume or cancel
	// Outcome is the apiclient.Outcome, or "error" when the action got no
	// answer (Error then says which kind of failure).
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
	// Recorded: the answered-by (cancelled-by) record was written on the run.
	Recorded bool `json:"record_written"`
	// Fields names the answer's top-level fields (never their values).
	Fields []string `json:"fields,omitempty"`
}

// Log appends entries to the file at Path. It is safe for concurrent use.
type Log struct {
	Path string
	mu   sync.Mutex
}

// New is the log kept in stateDir.
func New(stateDir string) *Log { return &Log{Path: filepath.Join(stateDir, FileName)} }

// Append writes e as one line (directory 0700, file 0600, O_APPEND, one
// write per line so concurrent writers do not interleave). Strings from the
// API (the run's name) are sanitised first.
func (l *Log) Append(e Entry) error {
	e.RunName = termsafe.Line(e.RunName)
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(l.Path), 0o700); err != nil {
		return fmt.Errorf("audit log %s: %w", l.Path, err)
	}
	f, err := os.OpenFile(l.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit log %s: %w", l.Path, err)
	}
	_, werr := f.Write(append(line, '\n'))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("audit log %s: %w", l.Path, werr)
	}
	return nil
}

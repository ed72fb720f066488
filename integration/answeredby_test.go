package integration

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A resume through the CLI leaves who made it on the run, next to the
// pause's keys, with the sender unpause:<identity>, as the real server
// stores it; show reads it back; the audit log holds the action.
func TestCLIResumeLeavesAnsweredBy(t *testing.T) {
	t.Parallel()
	cases := []struct{ fixture, wantKey string }{
		{"greeting", "paused-1-answered-by"}, // the keyset's base (paused-1-response)
		{"no-input", "paused-1-answered-by"}, // no keyset: state name and pause key
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			t.Parallel()
			f := startFlow(t, c.fixture)
			state := t.TempDir()
			env := []string{"UNPAUSE_IDENTITY=alice@it", "UNPAUSE_STATE_DIR=" + state, "TZ=UTC"}
			args := []string{"resume", f.RunID, "--yes", "-o", "json"}
			if c.fixture == "greeting" {
				args = append(args, "--set", "value=Ada")
			}
			stdout, stderr, code := runUnpauseWith(t, UnpauseOpts{Env: env}, args...)
			var res struct {
				Outcome       string `json:"outcome"`
				RecordWritten bool   `json:"record_written"`
			}
			if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || res.Outcome != "resumed" || !res.RecordWritten {
				t.Fatalf("resume: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			value, sender := filterInput(t, f.APIURL, f.RunID, c.wantKey)
			if sender != "unpause:alice@it" {
				t.Errorf("sender %q, want unpause:alice@it", sender)
			}
			var rec map[string]any
			if err := json.Unmarshal([]byte(value), &rec); err != nil || rec["who"] != "alice@it" || rec["action"] != "resume" {
				t.Errorf("record %q: %v", value, err)
			}
			if when, _ := rec["when"].(string); !strings.HasSuffix(when, "Z") {
				t.Errorf("when %q is not UTC", when)
			}
			audit, err := os.ReadFile(filepath.Join(state, "audit.jsonl"))
			if err != nil || !strings.Contains(string(audit), `"outcome":"resumed"`) || !strings.Contains(string(audit), f.RunID) {
				t.Errorf("audit log %q: %v", audit, err)
			}
			if c.fixture != "greeting" {
				return
			}
			stdout, _, _ = runUnpauseWith(t, UnpauseOpts{Env: env}, "show", f.RunID)
			if !strings.Contains(stdout, "answered by alice@it at ") {
				t.Errorf("show does not say who answered:\n%s", stdout)
			}
		})
	}
}

// A cancel through the CLI leaves who made it too, under the pause's
// base with -cancelled-by.
func TestCLICancelLeavesCancelledBy(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "greeting")
	env := []string{"UNPAUSE_IDENTITY=bob@it", "UNPAUSE_STATE_DIR=" + t.TempDir()}
	stdout, stderr, code := runUnpauseWith(t, UnpauseOpts{Env: env}, "cancel", f.RunID, "--reason", "not today", "--yes", "-o", "json")
	if code != 0 || !strings.Contains(stdout, `"record_written": true`) {
		t.Fatalf("cancel: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	value, sender := filterInput(t, f.APIURL, f.RunID, "paused-1-cancelled-by")
	var rec map[string]any
	if sender != "unpause:bob@it" || json.Unmarshal([]byte(value), &rec) != nil || rec["who"] != "bob@it" || rec["action"] != "cancel" {
		t.Fatalf("cancelled-by record: sender %q value %q", sender, value)
	}
	// show says who cancelled it, in text and in JSON.
	stdout, stderr, code = runUnpause(t, "show", f.RunID)
	if code != 0 || !strings.Contains(stdout, "cancelled by bob@it at ") {
		t.Errorf("show does not say who cancelled: exit %d\n%s\n%s", code, stdout, stderr)
	}
	stdout, _, _ = runUnpause(t, "show", f.RunID, "-o", "json")
	var shown struct {
		CancelledBy struct {
			Who string `json:"who"`
		} `json:"cancelled_by"`
	}
	if err := json.Unmarshal([]byte(stdout), &shown); err != nil || shown.CancelledBy.Who != "bob@it" {
		t.Errorf("show -o json: cancelled_by %+v (%v)\n%s", shown.CancelledBy, err, stdout)
	}
}

// filterInput reads one input of the run with its sender (GET
// /input/{key} gives the value only).
func filterInput(t *testing.T, apiURL, runID, key string) (value, sender string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, data := apiCall(t, http.MethodPost, apiURL+"/flow_runs/"+runID+"/input/filter",
			map[string]any{"prefix": key, "limit": 10, "exclude_keys": []string{}})
		if status != http.StatusOK {
			t.Fatalf("input filter: HTTP %d %s", status, data)
		}
		var items []struct {
			Key    string  `json:"key"`
			Value  string  `json:"value"`
			Sender *string `json:"sender"`
		}
		if err := json.Unmarshal(data, &items); err != nil {
			t.Fatalf("input filter: %v: %s", err, data)
		}
		for _, it := range items {
			if it.Key == key {
				if it.Sender != nil {
					sender = *it.Sender
				}
				return it.Value, sender
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s holds no input %q: %s", runID, key, data)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

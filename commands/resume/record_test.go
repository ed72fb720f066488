package resume

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/domain"
)

// resume --yes leaves who answered on the run (the answered-by record) and
// one line in the audit log, which names the fields but holds no value.
func TestResumeRecordsWhoAndAudits(t *testing.T) {
	srv, id := approvalServer(t)
	io := cmdtest.Streams("", false)
	f := cmdtest.Factory(io, srv.APIURL())
	f.Settings.Identity = "alice@ops-1"
	f.NoAudit, f.AuditPath = false, filepath.Join(t.TempDir(), "state", "audit.jsonl")
	code, err := cmdtest.Run(t, NewCmdResume(f, nil), "deploy-run", "--set", "approved=true", "--set", "token=s3cret", "--yes")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	v, sender, ok := srv.Input(id, "paused-1-answered-by")
	if !ok || sender != "unpause:alice@ops-1" || !strings.Contains(v, `"who":"alice@ops-1"`) || !strings.Contains(v, `"action":"resume"`) {
		t.Errorf("record %q from %q (%v)", v, sender, ok)
	}
	raw, err := os.ReadFile(f.AuditPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "s3cret") || strings.Contains(string(raw), "checked") {
		t.Errorf("the audit log holds an answer's value: %s", raw)
	}
	var e map[string]any
	if err := json.Unmarshal(raw, &e); err != nil || strings.Count(string(raw), "\n") != 1 {
		t.Fatalf("audit log %q: %v", raw, err)
	}
	if e["identity"] != "alice@ops-1" || e["profile"] != "test" || e["run_id"] != id || e["run_name"] != "deploy-run" ||
		e["action"] != "resume" || e["outcome"] != "resumed" || e["record_written"] != true || e["server"] != srv.APIURL() {
		t.Errorf("audit entry %v", e)
	}
	if fi, _ := os.Stat(f.AuditPath); fi.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %o", fi.Mode().Perm())
	}
	if io.ErrBuf.Len() != 0 {
		t.Errorf("stderr %q", io.ErrBuf.String())
	}
}

// A record or audit log that cannot be written is a warning: the resume
// still counts, exit 0, and JSON says what failed.
func TestResumeRecordAndAuditFailuresAreWarnings(t *testing.T) {
	srv, id := approvalServer(t)
	// Refused outright (a 4xx is not retried, so the test does not wait).
	srv.Handle("POST /api/flow_runs/"+id+"/input", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"detail":"Forbidden"}`, http.StatusForbidden)
	})
	io := cmdtest.Streams("", false)
	f := cmdtest.Factory(io, srv.APIURL())
	f.Settings.Identity = "alice"
	blocker := filepath.Join(t.TempDir(), "file")
	_ = os.WriteFile(blocker, nil, 0o600)
	f.NoAudit, f.AuditPath = false, filepath.Join(blocker, "audit.jsonl")
	code, err := cmdtest.Run(t, NewCmdResume(f, nil), id, "--set", "approved=true", "--yes", "-o", "json")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if typ, _, _ := srv.State(id); typ != "RUNNING" {
		t.Errorf("run is %s", typ)
	}
	var out map[string]any
	if err := json.Unmarshal(io.OutBuf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out["outcome"] != "resumed" || out["record_written"] != false || out["record_error"] == nil || out["audit_error"] == nil {
		t.Errorf("JSON %v", out)
	}
	stderr := io.ErrBuf.String()
	if !strings.Contains(stderr, "warning: the answered-by record could not be written: ") ||
		!strings.Contains(stderr, "warning: the local audit log could not be written: ") {
		t.Errorf("stderr %q", stderr)
	}
}

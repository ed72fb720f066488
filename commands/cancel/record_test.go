package cancel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/domain"
)

// cancel --yes leaves who cancelled on the run and one audit line, which
// does not hold the reason.
func TestCancelRecordsWhoAndAudits(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "nightly", Suspended: true})
	io := cmdtest.Streams("", false)
	f := cmdtest.Factory(io, srv.APIURL())
	f.Settings.Identity = "bob"
	f.NoAudit, f.AuditPath = false, filepath.Join(t.TempDir(), "audit.jsonl")
	code, err := cmdtest.Run(t, NewCmdCancel(f, nil), id, "--reason", "wrong-target-db", "--yes", "-o", "json")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if _, sender, ok := srv.Input(id, "suspended-1-cancelled-by"); !ok || sender != "unpause:bob" {
		t.Errorf("record from %q (%v)", sender, ok)
	}
	var out map[string]any
	if err := json.Unmarshal(io.OutBuf.Bytes(), &out); err != nil || out["record_written"] != true {
		t.Errorf("JSON %v: %v", out, err)
	}
	raw, _ := os.ReadFile(f.AuditPath)
	if !strings.Contains(string(raw), `"action":"cancel"`) || !strings.Contains(string(raw), `"outcome":"cancelled"`) ||
		strings.Contains(string(raw), "wrong-target-db") {
		t.Errorf("audit log %s", raw)
	}
}

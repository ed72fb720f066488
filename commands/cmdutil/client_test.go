package cmdutil_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/commands/cmdutil"
)

// An action that failed outright is logged too ("error" and its kind); a
// log that cannot be written then joins the error without changing its exit
// code.
func TestClientLogsFailedActions(t *testing.T) {
	srv := prefecttest.New(t)
	const unknown = "0198c7a2-5b1e-7c4d-9e61-000000000099"
	f := cmdtest.Factory(cmdtest.Streams("", false), srv.APIURL())
	f.NoAudit, f.AuditPath = false, filepath.Join(t.TempDir(), "audit.jsonl")
	c, err := f.Client()
	if err != nil {
		t.Fatal(err)
	}
	_, plain := c.Resume(context.Background(), unknown, nil)
	raw, _ := os.ReadFile(f.AuditPath)
	if plain == nil || !strings.Contains(string(raw), `"outcome":"error"`) || !strings.Contains(string(raw), `"error":"`) {
		t.Fatalf("error %v, log %s", plain, raw)
	}

	blocker := filepath.Join(t.TempDir(), "file")
	_ = os.WriteFile(blocker, nil, 0o600)
	f = cmdtest.Factory(cmdtest.Streams("", false), srv.APIURL())
	f.NoAudit, f.AuditPath = false, filepath.Join(blocker, "audit.jsonl")
	c, _ = f.Client()
	_, err = c.Cancel(context.Background(), unknown, "why")
	if err == nil || !strings.Contains(err.Error(), "the local audit log could not be written") ||
		cmdutil.ExitCodeFor(err) != cmdutil.ExitCodeFor(plain) {
		t.Errorf("error %v (exit %d, want %d)", err, cmdutil.ExitCodeFor(err), cmdutil.ExitCodeFor(plain))
	}
}

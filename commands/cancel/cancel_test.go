package cancel

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/domain"
)

// Flags: what the command line sets in the options; the reason is required.
func TestNewCmdCancelFlags(t *testing.T) {
	cases := []struct {
		args []string
		want Options
		code domain.ExitCode
	}{
		{[]string{"r", "--reason", "wrong db"}, Options{Run: "r", Reason: "wrong db", Output: "text"}, domain.ExitOK},
		{[]string{"r", "--reason", "x", "-y", "-o", "json"}, Options{Run: "r", Reason: "x", Yes: true, Output: "json"}, domain.ExitOK},
		{[]string{"r"}, Options{}, domain.ExitUsage},
		{[]string{"r", "--reason", "  "}, Options{}, domain.ExitUsage},
		{[]string{"r", "--reason", "x", "-o", "table"}, Options{}, domain.ExitUsage},
		{[]string{"--reason", "x"}, Options{}, domain.ExitUsage},
		{[]string{"r", "--bogus"}, Options{}, domain.ExitUsage},
	}
	for _, c := range cases {
		io := cmdtest.Streams("", false)
		var got *Options
		cmd := NewCmdCancel(cmdtest.Factory(io, ""), func(_ context.Context, o *Options) error { got = o; return nil })
		code, err := cmdtest.Run(t, cmd, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d (%v), want %d", c.args, code, err, c.code)
			continue
		}
		if c.code != domain.ExitOK {
			if got != nil {
				t.Errorf("%v: the run function ran despite exit %d", c.args, code)
			}
			continue
		}
		if got.Run != c.want.Run || got.Reason != c.want.Reason || got.Yes != c.want.Yes || got.Output != c.want.Output {
			t.Errorf("%v: options %+v, want %+v", c.args, *got, c.want)
		}
	}
}

func pausedServer(t *testing.T) (*prefecttest.Server, string) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "deploy-run", Schema: cmdtest.ApprovalSchema})
	return srv, id
}

// --reason r --yes: set_state carries CANCELLING with the reason as message.
func TestCancelSendsReason(t *testing.T) {
	srv, id := pausedServer(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdCancel(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run", "--reason", "wrong target db", "--yes")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	bodies := srv.Bodies("POST", "/api/flow_runs/"+id+"/set_state")
	if len(bodies) != 1 {
		t.Fatalf("set_state requests: %q", bodies)
	}
	var body struct {
		State struct{ Type, Name, Message string } `json:"state"`
	}
	if err := json.Unmarshal([]byte(bodies[0]), &body); err != nil {
		t.Fatalf("body %q: %v", bodies[0], err)
	}
	if body.State.Type != "CANCELLING" || body.State.Message != "wrong target db" {
		t.Errorf("state sent: %+v", body.State)
	}
	if typ, _, msg := srv.State(id); typ != "CANCELLING" || msg != "wrong target db" {
		t.Errorf("run is %s %q after cancel", typ, msg)
	}
	if srv.Writes() != 1 || len(srv.Bodies("POST", "/api/flow_runs/"+id+"/resume")) != 0 {
		t.Errorf("writes: %d", srv.Writes())
	}
	if io.OutBuf.Len() == 0 {
		t.Error("nothing said on stdout")
	}
}

// JSON output: one object in the stable shape.
func TestCancelJSON(t *testing.T) {
	srv, id := pausedServer(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdCancel(cmdtest.Factory(io, srv.APIURL()), nil), id, "--reason", "no", "-y", "-o", "json")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	var got map[string]any
	if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, io.OutBuf.String())
	}
	if got["run_id"] != id || got["run_name"] != "deploy-run" || got["outcome"] == nil || got["state"] == nil {
		t.Errorf("result: %v", got)
	}
}

// Refusals: nothing is written.
func TestCancelRefusals(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		tty   bool
		stdin string
		code  domain.ExitCode
		want  string
	}{
		{"missing --reason", []string{"deploy-run", "--yes"}, false, "", domain.ExitUsage, "--reason"},
		{"no terminal, no --yes", []string{"deploy-run", "--reason", "r"}, false, "y\n", domain.ExitUsage, "--yes"},
		{"not confirmed", []string{"deploy-run", "--reason", "r"}, true, "n\n", domain.ExitUsage, "not confirmed"},
		{"unknown run", []string{"no-such-run", "--reason", "r", "--yes"}, false, "", domain.ExitNotFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, _ := pausedServer(t)
			io := cmdtest.Streams(c.stdin, c.tty)
			code, err := cmdtest.Run(t, NewCmdCancel(cmdtest.Factory(io, srv.APIURL()), nil), c.args...)
			if code != c.code || !strings.Contains(cmdtest.ErrText(err), c.want) {
				t.Errorf("exit %d (%v), want %d and %q", code, err, c.code, c.want)
			}
			if srv.Writes() != 0 {
				t.Errorf("%d writes", srv.Writes())
			}
		})
	}
}

// Confirmed on the terminal: cancelled.
func TestCancelConfirmed(t *testing.T) {
	srv, id := pausedServer(t)
	io := cmdtest.Streams("yes\n", true)
	if code, err := cmdtest.Run(t, NewCmdCancel(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run", "--reason", "r"); code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if !strings.Contains(io.ErrBuf.String(), "Proceed? [y/N]") {
		t.Errorf("prompt: %q", io.ErrBuf.String())
	}
	if typ, _, _ := srv.State(id); typ != "CANCELLING" {
		t.Errorf("run is %s", typ)
	}
}

// A run that no longer waits: the not-paused code, nothing sent.
func TestCancelNotPaused(t *testing.T) {
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "running-run", StateType: "RUNNING", StateName: "Running"})
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdCancel(cmdtest.Factory(io, srv.APIURL()), nil), "running-run", "--reason", "r", "--yes")
	if code != domain.ExitNotPaused {
		t.Errorf("exit %d (%v), want %d", code, err, domain.ExitNotPaused)
	}
	if srv.Writes() != 0 {
		t.Errorf("%d writes", srv.Writes())
	}
}

// Read-only settings refuse; nothing is written.
func TestCancelReadOnly(t *testing.T) {
	srv, _ := pausedServer(t)
	io := cmdtest.Streams("", false)
	f := cmdtest.Factory(io, srv.APIURL())
	f.Settings.ReadOnly = true
	code, err := cmdtest.Run(t, NewCmdCancel(f, nil), "deploy-run", "--reason", "r", "--yes")
	if code != domain.ExitUsage || !strings.Contains(cmdtest.ErrText(err), "read-only") {
		t.Errorf("exit %d (%v), want %d and read-only", code, err, domain.ExitUsage)
	}
	if srv.Writes() != 0 {
		t.Errorf("%d writes in read-only mode", srv.Writes())
	}
}

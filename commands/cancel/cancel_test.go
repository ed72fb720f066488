package cancel

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

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
		got, code, err := cmdtest.ParseFlags(t, NewCmdCancel, c.args...)
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

// --reason r --yes on each kind of paused run: what is sent, the state the
// run ends in (Cancelled with the reason), and what stdout and the JSON say
// about the flow's process.
func TestCancelEachKind(t *testing.T) {
	deadline := time.Date(2030, 1, 2, 3, 4, 0, 0, time.UTC)
	cases := []struct {
		name     string
		run      prefecttest.Run
		sent     []string
		stdout   string
		process  string
		waitsFor string
	}{
		{
			"suspended",
			prefecttest.Run{Suspended: true, Deployment: "nightly"},
			[]string{"CANCELLED"},
			"; state now Cancelled\n", "none", "",
		},
		{
			"served deployment",
			prefecttest.Run{Deployment: "nightly", RunnerStopsAfter: 20 * time.Millisecond},
			[]string{"CANCELLING", "CANCELLED"},
			"its runner stopped the flow's process", "stopped", "",
		},
		{
			"started by hand",
			prefecttest.Run{Timeout: &deadline},
			[]string{"CANCELLING", "CANCELLED"},
			"its process keeps waiting until 2030-01-02 03:04 UTC", "waiting", "2030-01-02T03:04:00Z",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := prefecttest.New(t)
			c.run.Name, c.run.Schema = "deploy-run", cmdtest.ApprovalSchema
			id := srv.Add(c.run)
			io := cmdtest.Streams("", false)
			code, err := cmdtest.Run(t, NewCmdCancel(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run", "--reason", "wrong target db", "--yes")
			if code != domain.ExitOK {
				t.Fatalf("exit %d: %v", code, err)
			}
			var sent []string
			for _, b := range srv.Bodies("POST", "/api/flow_runs/"+id+"/set_state") {
				var body struct {
					State struct{ Type, Message string } `json:"state"`
					Force bool                           `json:"force"`
				}
				if err := json.Unmarshal([]byte(b), &body); err != nil || body.Force || body.State.Message != "wrong target db" {
					t.Errorf("sent %s (%v): want force false and the reason", b, err)
				}
				sent = append(sent, body.State.Type)
			}
			if strings.Join(sent, ",") != strings.Join(c.sent, ",") {
				t.Errorf("sent %v, want %v", sent, c.sent)
			}
			if typ, _, msg := srv.State(id); typ != "CANCELLED" || msg != "wrong target db" {
				t.Errorf("run is %s %q after cancel, want CANCELLED with the reason", typ, msg)
			}
			if !strings.Contains(io.OutBuf.String(), c.stdout) {
				t.Errorf("stdout %q, want %q", io.OutBuf.String(), c.stdout)
			}
			// Cancelled now: a second cancel finds it not paused and sends nothing.
			writes := srv.Writes()
			if code, err := cmdtest.Run(t, NewCmdCancel(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run", "--reason", "again", "--yes"); code != domain.ExitNotPaused || srv.Writes() != writes {
				t.Errorf("second cancel: exit %d (%v), %d more writes; want %d and none", code, err, srv.Writes()-writes, domain.ExitNotPaused)
			}
		})
		t.Run(c.name+" json", func(t *testing.T) {
			srv := prefecttest.New(t)
			c.run.Name = "deploy-run"
			srv.Add(c.run)
			io := cmdtest.Streams("", false)
			if code, err := cmdtest.Run(t, NewCmdCancel(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run", "--reason", "r", "-y", "-o", "json"); code != domain.ExitOK {
				t.Fatalf("exit %d: %v", code, err)
			}
			var got map[string]any
			if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got["outcome"] != "cancelled" || got["state"] != "Cancelled" || got["process"] != c.process {
				t.Errorf("result %v, want cancelled, Cancelled, process %q", got, c.process)
			}
			if w, _ := got["process_waits_until"].(string); w != c.waitsFor {
				t.Errorf("process_waits_until %q, want %q", w, c.waitsFor)
			}
		})
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
	if typ, _, _ := srv.State(id); typ != "CANCELLED" {
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

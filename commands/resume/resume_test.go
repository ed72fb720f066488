package resume

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/domain"
)

// Flags: what the command line sets in the options.
func TestNewCmdResumeFlags(t *testing.T) {
	cases := []struct {
		args []string
		want Options
		code domain.ExitCode
	}{
		{[]string{"r"}, Options{Run: "r", Output: "text"}, domain.ExitOK},
		{
			[]string{"r", "--set", "a=1", "--set", "b.c=x", "--set", "d:=[1]", "-y", "--dry-run", "-o", "json"},
			Options{Run: "r", Sets: []string{"a=1", "b.c=x", "d:=[1]"}, Yes: true, DryRun: true, Output: "json"},
			domain.ExitOK,
		},
		{[]string{"r", "--input-json", `{"a":1}`}, Options{Run: "r", InputJSON: `{"a":1}`, Output: "text"}, domain.ExitOK},
		{[]string{"r", "--input-file", "-", "--yes"}, Options{Run: "r", InputFile: "-", Yes: true, Output: "text"}, domain.ExitOK},
		{[]string{"r", "--input-json", "{}", "--input-file", "f"}, Options{}, domain.ExitUsage},
		{[]string{"r", "-o", "table"}, Options{}, domain.ExitUsage},
		{nil, Options{}, domain.ExitUsage},
		{[]string{"r", "--bogus"}, Options{}, domain.ExitUsage},
		{[]string{"r", "--wait"}, Options{Run: "r", Output: "text", Wait: 2 * time.Minute}, domain.ExitOK},
		{[]string{"r", "--wait=30s"}, Options{Run: "r", Output: "text", Wait: 30 * time.Second}, domain.ExitOK},
		{[]string{"r", "--wait=-1s"}, Options{}, domain.ExitUsage},
		{[]string{"r", "--wait=soon"}, Options{}, domain.ExitUsage},
		{[]string{"r", "--skip-slow-pattern-checks"}, Options{Run: "r", Output: "text", SkipSlowPatterns: true}, domain.ExitOK},
	}
	for _, c := range cases {
		got, code, err := cmdtest.ParseFlags(t, NewCmdResume, c.args...)
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
		if got.Run != c.want.Run || strings.Join(got.Sets, "|") != strings.Join(c.want.Sets, "|") || got.InputJSON != c.want.InputJSON ||
			got.InputFile != c.want.InputFile || got.Yes != c.want.Yes || got.DryRun != c.want.DryRun || got.Output != c.want.Output ||
			got.Wait != c.want.Wait || got.SkipSlowPatterns != c.want.SkipSlowPatterns {
			t.Errorf("%v: options %+v, want %+v", c.args, *got, c.want)
		}
	}
}

func approvalServer(t *testing.T) (*prefecttest.Server, string) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "deploy-run", Schema: cmdtest.ApprovalSchema, Description: "Approve?"})
	return srv, id
}

func resumePath(id string) string { return "/api/flow_runs/" + id + "/resume" }

// --set values are typed by the schema; the defaults fill the rest; the
// secret is sent but never shown.
func TestResumeSendsTypedAnswer(t *testing.T) {
	srv, id := approvalServer(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil),
		"deploy-run", "--set", "approved=true", "--set", "notes=checked", "--set", "token=s3cret", "--yes")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	bodies := srv.Bodies("POST", resumePath(id))
	if len(bodies) != 1 {
		t.Fatalf("resume requests: %q", bodies)
	}
	var body struct {
		RunInput map[string]any `json:"run_input"`
	}
	if err := json.Unmarshal([]byte(bodies[0]), &body); err != nil {
		t.Fatalf("body %q: %v", bodies[0], err)
	}
	if body.RunInput["approved"] != true || body.RunInput["notes"] != "checked" || body.RunInput["token"] != "s3cret" || len(body.RunInput) != 3 {
		t.Errorf("run_input %v, want approved true (a bool), notes checked, token s3cret", body.RunInput)
	}
	if typ, _, _ := srv.State(id); typ != "RUNNING" {
		t.Errorf("run is %s after resume", typ)
	}
	if strings.Contains(io.OutBuf.String()+io.ErrBuf.String(), "s3cret") {
		t.Errorf("the secret was shown: stdout %q stderr %q", io.OutBuf.String(), io.ErrBuf.String())
	}
}

// JSON output: one object in the stable shape, the secret masked.
func TestResumeJSON(t *testing.T) {
	srv, id := approvalServer(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil),
		id, "--set", "approved=false", "--set", "token=s3cret", "-y", "-o", "json")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	var got map[string]any
	if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, io.OutBuf.String())
	}
	if got["run_id"] != id || got["run_name"] != "deploy-run" || got["outcome"] == "" || got["outcome"] == nil {
		t.Errorf("result: %v", got)
	}
	for _, key := range []string{"run_id", "run_name", "outcome", "state", "input"} {
		if _, ok := got[key]; !ok {
			t.Errorf("result has no %q: %v", key, got)
		}
	}
	input, _ := got["input"].(map[string]any)
	if input["approved"] != false || input["notes"] != "none" {
		t.Errorf("input shown: %v", got["input"])
	}
	if strings.Contains(io.OutBuf.String(), "s3cret") {
		t.Errorf("the secret is in the JSON: %s", io.OutBuf.String())
	}
}

// What the API cannot take is refused before anything is sent.
func TestResumeRefusals(t *testing.T) {
	cases := []struct {
		name string
		args []string
		tty  bool
		code domain.ExitCode
		want string
	}{
		{"value of the wrong type", []string{"deploy-run", "--set", "approved=maybe", "--yes"}, false, domain.ExitInvalidInput, "approved"},
		{"required field missing", []string{"deploy-run", "--set", "notes=x", "--yes"}, false, domain.ExitInvalidInput, "approved"},
		{"unknown field", []string{"deploy-run", "--set", "approved=true", "--set", "nope=1", "--yes"}, false, domain.ExitInvalidInput, "nope"},
		{"answer not JSON", []string{"deploy-run", "--input-json", "{", "--yes"}, false, domain.ExitInvalidInput, "JSON"},
		{"a malformed --set is a usage mistake", []string{"deploy-run", "--set", "approved=true", "--set", "reviewer", "--yes"}, false, domain.ExitUsage, "--set reviewer: expected field=value"},
		{
			"every wrong --set at once, no decoder words",
			[]string{"deploy-run", "--set", "approved:=notjson", "--set", "nope=1", "--yes"},
			false, domain.ExitInvalidInput,
			"--set approved:=notjson: approved expects yes/no: \"notjson\" is not JSON; give a JSON value such as true, 3, \"text\", [1, 2] or {\"a\": 1}\n--set nope=1: unknown field",
		},
		{"no terminal, no --yes", []string{"deploy-run", "--set", "approved=true"}, false, domain.ExitUsage, "--yes"},
		{"not confirmed", []string{"deploy-run", "--set", "approved=true"}, true, domain.ExitUsage, "not confirmed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, _ := approvalServer(t)
			io := cmdtest.Streams("n\n", c.tty)
			code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), c.args...)
			if code != c.code || !strings.Contains(cmdtest.ErrText(err), c.want) {
				t.Errorf("exit %d (%v), want %d and %q", code, err, c.code, c.want)
			}
			if n := srv.Writes(); n != 0 {
				t.Errorf("%d writes to the server", n)
			}
		})
	}
}

// Confirmed on the terminal: the answer is shown on stderr, then sent.
func TestResumeConfirmed(t *testing.T) {
	srv, id := approvalServer(t)
	io := cmdtest.Streams("y\n", true)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run", "--set", "approved=true")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if !strings.Contains(io.ErrBuf.String(), "Proceed? [y/N]") || !strings.Contains(io.ErrBuf.String(), `"approved": true`) {
		t.Errorf("prompt: %q", io.ErrBuf.String())
	}
	if len(srv.Bodies("POST", resumePath(id))) != 1 {
		t.Errorf("writes: %d", srv.Writes())
	}
}

// A run that no longer waits: the not-paused code, nothing sent.
func TestResumeNotPaused(t *testing.T) {
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "done-run", StateType: "COMPLETED", StateName: "Completed"})
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "done-run", "--yes")
	if code != domain.ExitNotPaused {
		t.Errorf("exit %d (%v), want %d", code, err, domain.ExitNotPaused)
	}
	if srv.Writes() != 0 {
		t.Errorf("%d writes", srv.Writes())
	}
}

// Read-only settings refuse before the server is asked anything; a dry run
// may go on.
func TestResumeReadOnly(t *testing.T) {
	srv, _ := approvalServer(t)
	io := cmdtest.Streams("", false)
	f := cmdtest.Factory(io, srv.APIURL())
	f.Settings.ReadOnly = true
	code, err := cmdtest.Run(t, NewCmdResume(f, nil), "deploy-run", "--set", "approved=true", "--yes")
	if code != domain.ExitUsage || !strings.Contains(cmdtest.ErrText(err), "read-only") {
		t.Errorf("exit %d (%v), want %d and read-only", code, err, domain.ExitUsage)
	}
	if srv.Writes() != 0 {
		t.Errorf("%d writes in read-only mode", srv.Writes())
	}

	io = cmdtest.Streams("", false)
	f = cmdtest.Factory(io, srv.APIURL())
	f.Settings.ReadOnly = true
	if code, err := cmdtest.Run(t, NewCmdResume(f, nil), "deploy-run", "--set", "approved=true", "--dry-run"); code != domain.ExitOK {
		t.Errorf("dry run in read-only mode: exit %d (%v)", code, err)
	}
	if srv.Writes() != 0 {
		t.Errorf("%d writes after a dry run", srv.Writes())
	}
}

// --dry-run validates and prints the masked answer as JSON, and sends nothing.
func TestResumeDryRun(t *testing.T) {
	srv, id := approvalServer(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil),
		"deploy-run", "--set", "approved=true", "--set", "token=s3cret", "--dry-run")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	var shown map[string]any
	if err := json.Unmarshal(io.OutBuf.Bytes(), &shown); err != nil {
		t.Fatalf("stdout is not the answer as JSON: %v\n%s", err, io.OutBuf.String())
	}
	if shown["approved"] != true || shown["notes"] != "none" || shown["token"] == "s3cret" {
		t.Errorf("answer shown: %v", shown)
	}
	if !strings.Contains(io.ErrBuf.String(), "nothing was sent") {
		t.Errorf("stderr: %q", io.ErrBuf.String())
	}
	if srv.Writes() != 0 {
		t.Errorf("%d writes in a dry run", srv.Writes())
	}
	if typ, _, _ := srv.State(id); typ != "PAUSED" {
		t.Errorf("run is %s after a dry run", typ)
	}
	// An invalid answer fails the dry run too.
	io = cmdtest.Streams("", false)
	if code, _ := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run", "--dry-run"); code != domain.ExitInvalidInput {
		t.Errorf("dry run without the required field: exit %d, want %d", code, domain.ExitInvalidInput)
	}
}

// A run that asks for nothing is resumed with no answer, and refuses one.
func TestResumeNoInput(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "plain-run"})
	io := cmdtest.Streams("", false)
	if code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "plain-run", "--set", "a=1", "--yes"); code != domain.ExitUsage {
		t.Errorf("--set for a run that asks for nothing: exit %d (%v), want %d", code, err, domain.ExitUsage)
	}
	if srv.Writes() != 0 {
		t.Fatalf("%d writes", srv.Writes())
	}
	io = cmdtest.Streams("", false)
	if code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "plain-run", "--yes"); code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	bodies := srv.Bodies("POST", resumePath(id))
	if len(bodies) != 1 || strings.Contains(bodies[0], "run_input") {
		t.Errorf("resume bodies: %q, want one without run_input", bodies)
	}
}

// --input-file - reads the whole answer from stdin; --set applies on top.
func TestResumeInputFromStdin(t *testing.T) {
	srv, id := approvalServer(t)
	io := cmdtest.Streams(`{"approved": false, "notes": "from stdin"}`, false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil),
		"deploy-run", "--input-file", "-", "--set", "approved=true", "--yes")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	bodies := srv.Bodies("POST", resumePath(id))
	if len(bodies) != 1 || !strings.Contains(bodies[0], `"approved":true`) || !strings.Contains(bodies[0], `"notes":"from stdin"`) {
		t.Errorf("resume bodies: %q", bodies)
	}
}

// --wait follows the run after the answer: a flow that refuses it and pauses
// again exits 9 with the reason it logged; one that completes exits 0; one
// that fails exits 10. JSON says where it went.
func TestResumeWait(t *testing.T) {
	cases := []struct {
		name   string
		next   func(srv *prefecttest.Server, id string)
		code   domain.ExitCode
		kind   string
		stdout string
	}{
		{
			"refused", func(srv *prefecttest.Server, id string) {
				srv.Log(id, 40, "Invalid order: Green is only in stock in medium and large.")
				srv.Pause(id, cmdtest.ApprovalSchema, "pick again")
			},
			domain.ExitRefused, "paused-again", "refused the answer and asks again: Invalid order: Green is only in stock in medium and large.",
		},
		{"completed", func(srv *prefecttest.Server, id string) { srv.SetState(id, "COMPLETED", "Completed", "") }, domain.ExitOK, "completed", "completed: deploy-run"},
		{"failed", func(srv *prefecttest.Server, id string) { srv.SetState(id, "FAILED", "Failed", "boom") }, domain.ExitRunFailed, "failed", "failed after the answer: deploy-run"},
	}
	for _, c := range cases {
		for _, output := range []string{"text", "json"} {
			t.Run(c.name+" "+output, func(t *testing.T) {
				srv, id := approvalServer(t)
				time.AfterFunc(300*time.Millisecond, func() { c.next(srv, id) })
				io := cmdtest.Streams("", false)
				code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil),
					"deploy-run", "--set", "approved=true", "--set", "token=s3cret", "--yes", "--wait=20s", "-o", output)
				if code != c.code {
					t.Fatalf("exit %d (%v), want %d\n%s", code, err, c.code, io.OutBuf.String())
				}
				if output == "text" {
					if out := io.OutBuf.String(); !strings.Contains(out, "resumed deploy-run") || !strings.Contains(out, c.stdout) {
						t.Errorf("stdout %q, want the resume and %q", out, c.stdout)
					}
					return
				}
				var got struct {
					Outcome string                         `json:"outcome"`
					After   struct{ Kind, Refusal string } `json:"after"`
				}
				if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
					t.Fatalf("%v\n%s", err, io.OutBuf.String())
				}
				if got.Outcome != "resumed" || got.After.Kind != c.kind {
					t.Errorf("JSON %s, want resumed and after.kind %s", io.OutBuf.String(), c.kind)
				}
			})
		}
	}
}

// A value whose pattern check does not finish in time is refused, even in a
// dry run, with the way out; --skip-slow-pattern-checks sends it anyway.
func TestResumeSlowPattern(t *testing.T) {
	const schema = `{"type":"object","properties":{"f":{"type":"string","pattern":"^(a+)+$"}},"required":["f"]}`
	evil := "f=" + strings.Repeat("a", 30) + "!"
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "slow-run", Schema: schema})
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "slow-run", "--set", evil, "--dry-run")
	if code != domain.ExitInvalidInput || !strings.Contains(cmdtest.ErrText(err), "--skip-slow-pattern-checks") {
		t.Errorf("dry run: exit %d (%v), want %d naming --skip-slow-pattern-checks", code, err, domain.ExitInvalidInput)
	}
	code, err = cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "slow-run", "--set", evil, "--yes")
	if code != domain.ExitInvalidInput || srv.Writes() != 0 {
		t.Errorf("without the flag: exit %d (%v), %d writes; want %d and none", code, err, srv.Writes(), domain.ExitInvalidInput)
	}
	code, err = cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "slow-run", "--set", evil, "--yes", "--skip-slow-pattern-checks")
	if code != domain.ExitOK || len(srv.Bodies("POST", resumePath(id))) != 1 {
		t.Errorf("with the flag: exit %d (%v), want it sent", code, err)
	}
}

// A property named with a dot (a pydantic alias "a.b") is set by its name
// and sent as it is, beside a model "a" set with the quoted form.
func TestResumeDottedFieldName(t *testing.T) {
	const schema = `{"type":"object","properties":{"a.b":{"type":"string"},` +
		`"a":{"type":"object","properties":{"b":{"type":"string"}},"additionalProperties":false}},` +
		`"required":["a.b"],"additionalProperties":false}`
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "dot-run", Schema: schema})
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "dot-run", "--set", "a.b=x", "--set", "[a].b=y", "--yes")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	bodies := srv.Bodies("POST", resumePath(id))
	if len(bodies) != 1 || !strings.Contains(bodies[0], `{"run_input":{"a.b":"x","a":{"b":"y"}}}`) {
		t.Errorf("sent %q, want a.b and a.b nested apart, in schema order", bodies)
	}
}

// A schema unpause cannot read: one error, one exit code, nothing sent.
func TestResumeUnreadableSchema(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 300) + "1" + strings.Repeat("}", 300)
	for _, schema := range []string{deep, `{"type":`, `{"type":"string"}`} {
		srv := prefecttest.New(t)
		srv.Add(prefecttest.Run{Name: "odd-run", Schema: schema})
		io := cmdtest.Streams("", false)
		code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "odd-run", "--set", "a=1", "--yes")
		if code != domain.ExitError || !strings.Contains(cmdtest.ErrText(err), "the run's input request cannot be read") || srv.Writes() != 0 {
			t.Errorf("%.20s: exit %d (%v), %d writes; want %d, nothing sent", schema, code, err, srv.Writes(), domain.ExitError)
		}
	}
}

package resume

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/domain"
)

// Flags: several RUNs, --all and its filters, and what they cannot go with.
func TestNewCmdResumeBulkFlags(t *testing.T) {
	cases := []struct {
		args []string
		want Options
		code domain.ExitCode
	}{
		{[]string{"a", "b", "--set", "x=1", "-y"}, Options{Runs: []string{"a", "b"}, Sets: []string{"x=1"}, Yes: true}, domain.ExitOK},
		{[]string{"r"}, Options{Run: "r", Runs: []string{"r"}}, domain.ExitOK},
		{
			[]string{"--all", "--flow", "etl/prod", "--tag", "a", "--tag", "b", "--needs-input", "--dry-run"},
			Options{All: true, Flows: []string{"etl/prod"}, Tags: []string{"a", "b"}, NeedsInput: true, DryRun: true},
			domain.ExitOK,
		},
		{[]string{"--input-file", "answers.yaml", "--yes"}, Options{InputFile: "answers.yaml", Yes: true}, domain.ExitOK},
		{[]string{"--all", "r"}, Options{}, domain.ExitUsage},
		{[]string{"r", "--flow", "etl"}, Options{}, domain.ExitUsage},
		{[]string{"--tag", "a", "--input-file", "f.yaml"}, Options{}, domain.ExitUsage},
		{[]string{"a", "b", "--wait"}, Options{}, domain.ExitUsage},
		{[]string{"--all", "--wait=1m"}, Options{}, domain.ExitUsage},
		{[]string{"--needs-input"}, Options{}, domain.ExitUsage},
		{[]string{"--input-json", "{}"}, Options{}, domain.ExitUsage},
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
		if got.Run != c.want.Run || !slices.Equal(got.Runs, c.want.Runs) || got.All != c.want.All ||
			!slices.Equal(got.Flows, c.want.Flows) || !slices.Equal(got.Tags, c.want.Tags) || got.NeedsInput != c.want.NeedsInput ||
			!slices.Equal(got.Sets, c.want.Sets) || got.InputFile != c.want.InputFile || got.Yes != c.want.Yes || got.DryRun != c.want.DryRun {
			t.Errorf("%v: options %+v, want %+v", c.args, *got, c.want)
		}
	}
	// --wait with a runs: file is refused when the file is read.
	srv := prefecttest.New(t)
	io := cmdtest.Streams("runs:\n  a: {approved: true}\n", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "--input-file", "-", "--wait", "--yes")
	if code != domain.ExitUsage || !strings.Contains(cmdtest.ErrText(err), "--wait works with one run") {
		t.Errorf("--wait with a runs: file: exit %d (%v)", code, err)
	}
}

// runInput is the run_input of each resume request the server got for id.
func runInput(t *testing.T, srv *prefecttest.Server, id string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, b := range srv.Bodies("POST", resumePath(id)) {
		var body struct {
			RunInput map[string]any `json:"run_input"`
		}
		if err := json.Unmarshal([]byte(b), &body); err != nil {
			t.Fatalf("body %q: %v", b, err)
		}
		out = append(out, body.RunInput)
	}
	return out
}

// fleet is a server with runs of two flows, some tagged.
func fleet(t *testing.T) (*prefecttest.Server, map[string]string) {
	srv := prefecttest.New(t)
	ids := map[string]string{
		"etl-1":   srv.Add(prefecttest.Run{Name: "etl-1", Flow: "etl", Tags: []string{"prod", "eu"}, Schema: cmdtest.ApprovalSchema}),
		"etl-2":   srv.Add(prefecttest.Run{Name: "etl-2", Flow: "etl", Tags: []string{"prod"}, Schema: cmdtest.ApprovalSchema}),
		"etl-dev": srv.Add(prefecttest.Run{Name: "etl-dev", Flow: "etl", Tags: []string{"dev"}, Schema: cmdtest.ApprovalSchema}),
		"other":   srv.Add(prefecttest.Run{Name: "other", Flow: "report", Tags: []string{"prod"}, Schema: cmdtest.ApprovalSchema}),
		"done":    srv.Add(prefecttest.Run{Name: "done", Flow: "etl", Tags: []string{"prod"}, StateType: "COMPLETED", StateName: "Completed"}),
	}
	return srv, ids
}

// --all with filters resumes exactly the runs they match, each with the
// answer typed by its schema; the summary counts them; exit 0.
func TestResumeAllFiltered(t *testing.T) {
	srv, ids := fleet(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil),
		"--all", "--flow", "etl", "--tag", "prod", "--set", "approved=true", "--set", "notes=bulk", "--yes")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v\n%s", code, err, io.OutBuf.String())
	}
	for name, id := range ids {
		got := runInput(t, srv, id)
		if name == "etl-1" || name == "etl-2" {
			if len(got) != 1 || got[0]["approved"] != true || got[0]["notes"] != "bulk" {
				t.Errorf("%s got %v, want one answer approved true, notes bulk", name, got)
			}
			continue
		}
		if len(got) != 0 {
			t.Errorf("%s (not matching) got %v", name, got)
		}
	}
	out := io.OutBuf.String()
	if !strings.Contains(out, "resumed etl-1 ("+ids["etl-1"]+")") || !strings.Contains(out, "resumed etl-2") || !strings.HasSuffix(out, "2 resumed\n") {
		t.Errorf("stdout %q", out)
	}
}

// Nothing matching: not found, nothing sent.
func TestResumeAllNoneMatching(t *testing.T) {
	srv, _ := fleet(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "--all", "--flow", "etl", "--tag", "nope", "--set", "approved=true", "--yes")
	if code != domain.ExitNotFound || !strings.Contains(cmdtest.ErrText(err), "no paused run matches --flow etl --tag nope") {
		t.Errorf("exit %d (%v), want %d", code, err, domain.ExitNotFound)
	}
	if srv.Writes() != 0 {
		t.Errorf("%d writes", srv.Writes())
	}
}

// A run whose schema differs from the first run's is named and left out;
// the others are resumed, and the exit code says some were.
func TestResumeSchemaDiffers(t *testing.T) {
	srv := prefecttest.New(t)
	a := srv.Add(prefecttest.Run{Name: "a", Schema: cmdtest.ApprovalSchema})
	b := srv.Add(prefecttest.Run{Name: "b", Schema: `{"type":"object","properties":{"approved":{"type":"string"}}}`})
	c := srv.Add(prefecttest.Run{Name: "c", Schema: cmdtest.ApprovalSchema})
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "a", "b", "c", "--set", "approved=true", "--yes")
	if code != domain.ExitSome {
		t.Fatalf("exit %d (%v), want %d\n%s", code, err, domain.ExitSome, io.OutBuf.String())
	}
	if len(runInput(t, srv, a)) != 1 || len(runInput(t, srv, c)) != 1 || len(srv.Bodies("POST", resumePath(b))) != 0 {
		t.Errorf("sent to a %d, b %d, c %d; want 1, 0, 1", len(runInput(t, srv, a)), len(srv.Bodies("POST", resumePath(b))), len(runInput(t, srv, c)))
	}
	out := io.OutBuf.String()
	if !strings.Contains(out, "skipped: schema differs: b ("+b+")") || !strings.Contains(out, "2 resumed, 1 skipped (schema differs)") {
		t.Errorf("stdout %q", out)
	}
}

// One run answered before (not paused any more) and one whose resume the
// server aborts do not stop the others: exit "some"; the JSON is an array
// of the single resume's objects, one per run, in order.
func TestResumeSomeFailJSON(t *testing.T) {
	srv := prefecttest.New(t)
	var ids []string
	for _, n := range []string{"r1", "r2", "r3", "r4", "r5", "r6"} {
		ids = append(ids, srv.Add(prefecttest.Run{Name: n, Schema: cmdtest.ApprovalSchema}))
	}
	srv.SetState(ids[1], "RUNNING", "Running", "")
	srv.Handle("POST /api/flow_runs/"+ids[4]+"/resume", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"state": null, "status": "ABORT", "details": {"type": "abort_details", "reason": "Cannot resume a flow run that is not paused."}}`))
	})
	io := cmdtest.Streams("", false)
	args := append(slices.Clone([]string{"r1", "r2", "r3", "r4", "r5", "r6", "nope"}), "--set", "approved=true", "--set", "token=s3cret", "-y", "-o", "json")
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), args...)
	if code != domain.ExitSome {
		t.Fatalf("exit %d (%v), want %d", code, err, domain.ExitSome)
	}
	var got []map[string]any
	if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, io.OutBuf.String())
	}
	want := []string{"resumed", "not-paused", "resumed", "resumed", "not-paused", "resumed", "not-found"}
	if len(got) != len(want) {
		t.Fatalf("%d objects, want %d: %s", len(got), len(want), io.OutBuf.String())
	}
	for i, o := range got {
		if o["outcome"] != want[i] {
			t.Errorf("object %d: outcome %v, want %s", i, o["outcome"], want[i])
		}
		if i < len(ids) && o["run_id"] != ids[i] {
			t.Errorf("object %d: run_id %v, want %s", i, o["run_id"], ids[i])
		}
		if _, ok := o["record_written"]; !ok {
			t.Errorf("object %d lacks the single resume's record_written: %v", i, o)
		}
	}
	if got[6]["ref"] != "nope" {
		t.Errorf("the run not found: %v", got[6])
	}
	if in, _ := got[0]["input"].(map[string]any); in["approved"] != true || strings.Contains(io.OutBuf.String(), "s3cret") {
		t.Errorf("input shown %v (secret masked?)", got[0]["input"])
	}
	for _, i := range []int{0, 2, 3, 5} {
		if typ, _, _ := srv.State(ids[i]); typ != "RUNNING" || len(runInput(t, srv, ids[i])) != 1 {
			t.Errorf("run %d is %s after %d resumes", i, typ, len(runInput(t, srv, ids[i])))
		}
	}
	if len(srv.Bodies("POST", resumePath(ids[1]))) != 0 {
		t.Errorf("the run already answered was sent an answer")
	}
	if s := io.ErrBuf.String(); !strings.Contains(s, "4 resumed, 2 not paused, 1 not found") {
		t.Errorf("stderr %q, want the summary", s)
	}
}

// None resumed: the code their failures share.
func TestResumeNoneResumed(t *testing.T) {
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "x", StateType: "COMPLETED", StateName: "Completed"})
	srv.Add(prefecttest.Run{Name: "y", StateType: "COMPLETED", StateName: "Completed"})
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "x", "y", "--yes")
	if code != domain.ExitNotPaused {
		t.Errorf("exit %d (%v), want %d", code, err, domain.ExitNotPaused)
	}
	code, err = cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "x", "nope", "--yes")
	if code != domain.ExitError {
		t.Errorf("failed in different ways: exit %d (%v), want %d", code, err, domain.ExitError)
	}
}

// Without a terminal and without --yes, nothing is sent; on a terminal the
// runs are listed, sanitised, and confirmed once.
func TestResumeManyConfirm(t *testing.T) {
	srv := prefecttest.New(t)
	a := srv.Add(prefecttest.Run{Name: "a\x1b[31mred", Flow: "etl", Schema: cmdtest.ApprovalSchema})
	b := srv.Add(prefecttest.Run{Name: "b", Flow: "etl", Schema: cmdtest.ApprovalSchema})
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), a, b, "--set", "approved=true")
	if code != domain.ExitUsage || !strings.Contains(cmdtest.ErrText(err), "--yes") || srv.Writes() != 0 {
		t.Errorf("no terminal: exit %d (%v), %d writes", code, err, srv.Writes())
	}
	io = cmdtest.Streams("y\n", true)
	code, err = cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "--all", "--set", "approved=true")
	if code != domain.ExitOK {
		t.Fatalf("confirmed: exit %d (%v)", code, err)
	}
	e := io.ErrBuf.String()
	if !strings.Contains(e, a+"  etl  a[31mred") || !strings.Contains(e, b+"  etl  b") || !strings.Contains(e, "Resume these 2 run(s) with this answer:") ||
		strings.Contains(e, "\x1b") || strings.Count(e, "Proceed? [y/N]") != 1 {
		t.Errorf("confirmation %q", e)
	}
	if len(runInput(t, srv, a)) != 1 || len(runInput(t, srv, b)) != 1 {
		t.Errorf("not sent to both after confirmation")
	}
}

// --dry-run shows what each run would get and sends nothing.
func TestResumeManyDryRun(t *testing.T) {
	srv, _ := fleet(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "--all", "--tag", "prod", "--set", "approved=true", "--dry-run", "-o", "json")
	if code != domain.ExitOK || srv.Writes() != 0 {
		t.Fatalf("exit %d (%v), %d writes", code, err, srv.Writes())
	}
	var got []struct {
		RunName string         `json:"run_name"`
		Outcome string         `json:"outcome"`
		Input   map[string]any `json:"input"`
	}
	if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, io.OutBuf.String())
	}
	if len(got) != 3 || got[0].Outcome != "dry-run" || got[0].Input["approved"] != true || got[0].Input["notes"] != "none" {
		t.Errorf("dry run %s", io.OutBuf.String())
	}
	if !strings.Contains(io.ErrBuf.String(), "3 to resume (dry run: nothing sent)") {
		t.Errorf("stderr %q, want the summary", io.ErrBuf.String())
	}
}

// A YAML answer file (by extension) is one answer; yes and on stay text for
// a string field.
func TestResumeYAMLAnswer(t *testing.T) {
	const schema = `{"type":"object","properties":{"ok":{"type":"boolean"},"word":{"type":"string"},"other":{"type":"string"},` +
		`"n":{"type":"integer"},"f":{"type":"number"},"list":{"type":"array","items":{"type":"string"}}},"required":["ok"]}`
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "y-run", Schema: schema})
	path := writeFile(t, "answer.yaml", "# the answer\nok: true\nword: yes\nother: on\nn: 12345678901234567890\nf: 1.50\nlist: [no, off]\n")
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "y-run", "--input-file", path, "--yes")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	bodies := srv.Bodies("POST", resumePath(id))
	want := `"run_input":{"ok":true,"word":"yes","other":"on","n":12345678901234567890,"f":1.50,"list":["no","off"]}`
	if len(bodies) != 1 || !strings.Contains(bodies[0], want) {
		t.Errorf("sent %q, want %s", bodies, want)
	}
}

// writeFile writes text to name in a temporary directory and returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// YAML that cannot be read says the line; nothing is sent.
func TestResumeYAMLErrors(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"syntax", "ok: true\nnotes: [unclosed\nother: x\n", "not valid YAML: line 2: did not find expected ',' or ']'"},
		{"syntax after a multi-line list", "ok: true\nnotes: [a,\n  b]\n- c\n", "not valid YAML: line 4: did not find expected key"},
		{"bad indentation", "ok: true\nnotes: 2\n  c: 3\n", "not valid YAML: line 3: mapping values are not allowed"},
		{"key not a string", "ok: true\n1: x\n", "line 2: a key must be a string"},
		{"duplicate key", "ok: true\nok: false\n", `line 2: the key "ok" is given twice`},
		{"billion laughs", laughs(), "expands to more than"},
		{"two documents", "ok: true\n---\nok: false\n", "more than one YAML document"},
		{"infinity", "ok: true\nf: .inf\n", "line 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, _ := approvalServer(t)
			io := cmdtest.Streams(c.text, false)
			code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run", "--input-file", "-", "--yes")
			if code != domain.ExitInvalidInput || !strings.Contains(cmdtest.ErrText(err), c.want) {
				t.Errorf("exit %d (%v), want %d and %q", code, err, domain.ExitInvalidInput, c.want)
			}
			if srv.Writes() != 0 {
				t.Errorf("%d writes", srv.Writes())
			}
		})
	}
}

func laughs() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 8; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// A runs: file answers exactly the runs it names, by id or by name, each
// with its own answer; a run that does not exist or no longer waits gets its
// result and the others still go.
func TestResumeRunsFile(t *testing.T) {
	const other = `{"type":"object","properties":{"size":{"type":"string","enum":["small","large"]}},"required":["size"]}`
	srv := prefecttest.New(t)
	a := srv.Add(prefecttest.Run{Name: "alpha", Schema: cmdtest.ApprovalSchema})
	b := srv.Add(prefecttest.Run{Name: "beta", Schema: other})
	c := srv.Add(prefecttest.Run{Name: "gamma", Schema: cmdtest.ApprovalSchema})
	done := srv.Add(prefecttest.Run{Name: "finished", StateType: "COMPLETED", StateName: "Completed"})
	path := writeFile(t, "answers.yml", "runs:\n"+
		"  alpha:\n    approved: true\n    notes: on\n"+
		"  "+b+":\n    size: large\n"+
		"  finished: {approved: true}\n"+
		"  ghost: {approved: false}\n")
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "--input-file", path, "--yes")
	if code != domain.ExitSome {
		t.Fatalf("exit %d (%v), want %d\n%s", code, err, domain.ExitSome, io.OutBuf.String())
	}
	if got := runInput(t, srv, a); len(got) != 1 || got[0]["approved"] != true || got[0]["notes"] != "on" {
		t.Errorf("alpha got %v, want approved true and notes the text on", got)
	}
	if got := runInput(t, srv, b); len(got) != 1 || got[0]["size"] != "large" || len(got[0]) != 1 {
		t.Errorf("beta (by id) got %v, want its own answer", got)
	}
	if n := len(srv.Bodies("POST", resumePath(c))) + len(srv.Bodies("POST", resumePath(done))); n != 0 {
		t.Errorf("%d resumes of runs the file does not name, or that are done", n)
	}
	out := io.OutBuf.String()
	for _, want := range []string{"resumed alpha", "resumed beta", "not paused: finished", "failed: ghost: ", "2 resumed, 1 not paused, 1 not found"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

// A runs: file with an invalid answer for one run: that run is refused
// locally, the others go; and one that is not an object of answers is
// refused before anything is sent.
func TestResumeRunsFileInvalid(t *testing.T) {
	srv := prefecttest.New(t)
	a := srv.Add(prefecttest.Run{Name: "alpha", Schema: cmdtest.ApprovalSchema})
	b := srv.Add(prefecttest.Run{Name: "beta", Schema: cmdtest.ApprovalSchema})
	io := cmdtest.Streams("runs:\n  alpha: {approved: maybe}\n  beta: {approved: false}\n", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "--input-file", "-", "--yes")
	if code != domain.ExitSome || len(srv.Bodies("POST", resumePath(a))) != 0 || len(runInput(t, srv, b)) != 1 {
		t.Errorf("exit %d (%v); alpha %d resumes, beta %d; want %d, 0, 1", code, err,
			len(srv.Bodies("POST", resumePath(a))), len(srv.Bodies("POST", resumePath(b))), domain.ExitSome)
	}
	if !strings.Contains(io.OutBuf.String(), "1 invalid, 1 resumed") {
		t.Errorf("stdout %q", io.OutBuf.String())
	}
	writes := srv.Writes()
	for _, text := range []string{"runs: [alpha]\n", "runs:\n  alpha: true\n", "approved: true\n"} {
		io := cmdtest.Streams(text, false)
		code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "--input-file", "-", "--yes")
		if code == domain.ExitOK || code == domain.ExitSome || srv.Writes() != writes {
			t.Errorf("%q: exit %d (%v), %d writes", text, code, err, srv.Writes())
		}
	}
}

// At most four resumes are in flight at once, and all of them are sent.
func TestResumeManyInFlight(t *testing.T) {
	srv := prefecttest.New(t)
	var (
		mu            sync.Mutex
		now, max, all int
	)
	for i := range 10 {
		id := srv.Add(prefecttest.Run{Name: fmt.Sprintf("run-%d", i), Flow: "greet"})
		srv.Handle("POST /api/flow_runs/"+id+"/resume", func(w http.ResponseWriter, _ *http.Request) {
			mu.Lock()
			now, all = now+1, all+1
			if now > max {
				max = now
			}
			mu.Unlock()
			time.Sleep(40 * time.Millisecond)
			mu.Lock()
			now--
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			_, _ = fmt.Fprintf(w, `{"state": {"id": "0198c7a9-1a22-7f00-8b3e-%012d", "type": "RUNNING", "name": "Running", `+
				`"timestamp": "2026-12-03T08:00:00Z", "message": null, "state_details": {}}, "status": "ACCEPT", "details": {"type": "accept_details"}}`, 100+i)
		})
	}
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdResume(cmdtest.Factory(io, srv.APIURL()), nil), "--all", "--flow", "greet", "--yes")
	if code != domain.ExitOK {
		t.Fatalf("exit %d (%v)\n%s", code, err, io.OutBuf.String())
	}
	if all != 10 || max > inFlight || max < 2 {
		t.Errorf("%d resumes sent, at most %d at once; want 10, at most %d (and some at once)", all, max, inFlight)
	}
	if !strings.HasSuffix(io.OutBuf.String(), "10 resumed\n") {
		t.Errorf("stdout %q", io.OutBuf.String())
	}
}

// The format of --input-file: by extension, else by content.
func TestToJSON(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"a.json", `{"a": 1}`, `{"a": 1}`},
		{"a.YML", "a: 1\nb: off\n", `{"a":1,"b":"off"}`},
		{"-", "a: yes\n", `{"a":"yes"}`},
		{"answer.txt", ` {"a": true}`, ` {"a": true}`},
		{"-", "", ""},
		{"-", "# nothing\n", ""},
	}
	for _, c := range cases {
		got, err := toJSON(c.name, []byte(c.text))
		if err != nil || string(got) != c.want {
			t.Errorf("toJSON(%q, %q) = %s, %v; want %s", c.name, c.text, got, err, c.want)
		}
	}
}

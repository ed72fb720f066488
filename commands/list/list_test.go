package list

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// Flags: what the command line sets in the options.
func TestNewCmdListFlags(t *testing.T) {
	cases := []struct {
		args []string
		want Options
		code domain.ExitCode
	}{
		{nil, Options{Output: "table"}, domain.ExitOK},
		{
			[]string{"--flow", "a", "--flow", "b", "--tag", "ops", "--needs-input", "-o", "json"},
			Options{Output: "json", Flows: []string{"a", "b"}, Tags: []string{"ops"}, NeedsInput: true},
			domain.ExitOK,
		},
		{[]string{"-o", "yaml"}, Options{}, domain.ExitUsage},
		{[]string{"extra"}, Options{}, domain.ExitUsage},
		{[]string{"--bogus"}, Options{}, domain.ExitUsage},
	}
	for _, c := range cases {
		got, code, err := cmdtest.ParseFlags(t, NewCmdList, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d (%v), want %d", c.args, code, err, c.code)
			continue
		}
		if c.code != domain.ExitOK {
			continue
		}
		if got.Output != c.want.Output || strings.Join(got.Flows, ",") != strings.Join(c.want.Flows, ",") ||
			strings.Join(got.Tags, ",") != strings.Join(c.want.Tags, ",") || got.NeedsInput != c.want.NeedsInput {
			t.Errorf("%v: options %+v, want %+v", c.args, *got, c.want)
		}
	}
}

func newServer(t *testing.T) *prefecttest.Server {
	s := prefecttest.New(t)
	soon := time.Now().Add(10 * time.Minute)
	s.Add(prefecttest.Run{Name: "later-run", Flow: "etl", Schema: cmdtest.ApprovalSchema})
	s.Add(prefecttest.Run{Name: "soon-run", Flow: "billing", Deployment: "nightly", Suspended: true, Timeout: &soon, Tags: []string{"ops"}})
	s.Add(prefecttest.Run{Name: "done-run", StateType: "COMPLETED", StateName: "Completed"})
	return s
}

// The table: paused runs only, soonest expiry first, on stdout.
func TestListTable(t *testing.T) {
	srv := newServer(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdList(cmdtest.Factory(io, srv.APIURL()), nil))
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	lines := strings.Split(strings.TrimSpace(io.OutBuf.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID ") {
		t.Fatalf("table:\n%s", io.OutBuf.String())
	}
	if !strings.Contains(lines[1], "soon-run") || !strings.Contains(lines[1], "billing/nightly") || !strings.Contains(lines[1], "suspended") {
		t.Errorf("first row is not the soonest expiry: %q", lines[1])
	}
	if !strings.Contains(lines[2], "later-run") || !strings.Contains(lines[2], "yes") {
		t.Errorf("second row: %q", lines[2])
	}
	if io.ErrBuf.Len() != 0 {
		t.Errorf("stderr: %q", io.ErrBuf.String())
	}
}

// JSON: an array and nothing else on stdout, in the stable shape.
func TestListJSON(t *testing.T) {
	srv := newServer(t)
	io := cmdtest.Streams("", false)
	if code, err := cmdtest.Run(t, NewCmdList(cmdtest.Factory(io, srv.APIURL()), nil), "-o", "json"); code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	var runs []map[string]any
	if err := json.Unmarshal(io.OutBuf.Bytes(), &runs); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, io.OutBuf.String())
	}
	if len(runs) != 2 || runs[0]["name"] != "soon-run" || runs[0]["state"] != "suspended" || runs[1]["needs_input"] != true {
		t.Fatalf("runs: %v", runs)
	}
	for _, key := range []string{"id", "name", "flow", "tags", "state", "state_name", "paused_since", "expires_at", "needs_input", "url"} {
		if _, ok := runs[1][key]; !ok {
			t.Errorf("run has no %q: %v", key, runs[1])
		}
	}
}

// No match: an empty array in JSON; in a table, a note on stderr and nothing on stdout.
func TestListEmpty(t *testing.T) {
	srv := prefecttest.New(t)
	io := cmdtest.Streams("", false)
	if code, _ := cmdtest.Run(t, NewCmdList(cmdtest.Factory(io, srv.APIURL()), nil)); code != domain.ExitOK || io.OutBuf.Len() != 0 ||
		!strings.Contains(io.ErrBuf.String(), "No paused or suspended runs match") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, io.OutBuf.String(), io.ErrBuf.String())
	}
	io = cmdtest.Streams("", false)
	if _, _ = cmdtest.Run(t, NewCmdList(cmdtest.Factory(io, srv.APIURL()), nil), "-o", "json"); strings.TrimSpace(io.OutBuf.String()) != "[]" {
		t.Errorf("JSON for no runs: %q", io.OutBuf.String())
	}
}

// No server configured: the usage code and what to do.
func TestListNoServer(t *testing.T) {
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdList(cmdtest.Factory(io, ""), nil))
	if code != domain.ExitUsage || !strings.Contains(cmdtest.ErrText(err), "PREFECT_API_URL") {
		t.Errorf("exit %d: %v", code, err)
	}
}

func run(id string, paused time.Time, expires *time.Time) apiclient.Run {
	var r apiclient.Run
	r.ID, r.Name, r.FlowName = id, "run-"+id, "flow"
	r.State = &apiclient.State{Type: "PAUSED", Name: "Paused", Timestamp: paused}
	r.State.Details.PauseTimeout = expires
	return r
}

// The plain table is for terminals too: names, flows and tags from the API
// must not carry control sequences through.
func TestRunTableIsSanitised(t *testing.T) {
	now := time.Now()
	r := run("0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88", now.Add(-time.Minute), nil)
	r.Name = "evil\x1b]52;c;aGk=\x07\u202Egnp.exe"
	r.FlowName = "flow\x1b[2J\u009b31m"
	r.Tags = []string{"ops\x1b]0;title\x07"}
	var b strings.Builder
	if err := writeRunTable(&b, domain.NewRows([]apiclient.Run{r}), now); err != nil {
		t.Fatal(err)
	}
	if !termsafe.OnlySGR(b.String()) || strings.ContainsRune(b.String(), '\x1b') {
		t.Errorf("table carries control sequences: %q", b.String())
	}
	if !strings.Contains(b.String(), "evil") || !strings.Contains(b.String(), "gnp.exe") {
		t.Errorf("table lost the visible text: %q", b.String())
	}
}

// --flow takes flow/deployment as the FLOW column shows it, as well as a
// flow name alone.
func TestListFlowDeployment(t *testing.T) {
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "nightly-a", Flow: "etl", Deployment: "nightly"})
	srv.Add(prefecttest.Run{Name: "hourly-a", Flow: "etl", Deployment: "hourly"})
	srv.Add(prefecttest.Run{Name: "by-hand", Flow: "etl"})
	srv.Add(prefecttest.Run{Name: "other", Flow: "report", Deployment: "nightly"})
	for _, c := range []struct {
		flags []string
		want  []string
	}{
		{[]string{"--flow", "etl/nightly"}, []string{"nightly-a"}},
		{[]string{"--flow", "etl"}, []string{"by-hand", "hourly-a", "nightly-a"}},
		{[]string{"--flow", "etl/nightly", "--flow", "report"}, []string{"nightly-a", "other"}},
		{[]string{"--flow", "etl/weekly"}, nil},
	} {
		io := cmdtest.Streams("", false)
		code, err := cmdtest.Run(t, NewCmdList(cmdtest.Factory(io, srv.APIURL()), nil), append(c.flags, "-o", "json")...)
		if code != domain.ExitOK {
			t.Fatalf("%v: exit %d: %v", c.flags, code, err)
		}
		var got []struct{ Name string }
		if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range got {
			names = append(names, r.Name)
		}
		slices.Sort(names)
		if !slices.Equal(names, c.want) {
			t.Errorf("%v: listed %v, want %v", c.flags, names, c.want)
		}
	}
}

package show

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/domain"
)

// Flags: what the command line sets in the options.
func TestNewCmdShowFlags(t *testing.T) {
	cases := []struct {
		args   []string
		output string
		code   domain.ExitCode
	}{
		{[]string{"my-run"}, "text", domain.ExitOK},
		{[]string{"my-run", "-o", "json"}, "json", domain.ExitOK},
		{[]string{"my-run", "--output", "yaml"}, "", domain.ExitUsage},
		{nil, "", domain.ExitUsage},
		{[]string{"a", "b"}, "", domain.ExitUsage},
		{[]string{"my-run", "--bogus"}, "", domain.ExitUsage},
	}
	for _, c := range cases {
		got, code, err := cmdtest.ParseFlags(t, NewCmdShow, c.args...)
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
		if got.Run != "my-run" || got.Output != c.output {
			t.Errorf("%v: options run %q output %q, want my-run %q", c.args, got.Run, got.Output, c.output)
		}
	}
}

// A description that tries terminal control: an OSC 52 clipboard write, a
// CSI clear, and a C1 CSI.
const evilDescription = "Approve the **deploy**\x1b]52;c;aGk=\x07 now\x1b[2J\u009b31m please"

func pausedWithInput(t *testing.T) (*prefecttest.Server, string) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{
		Name: "deploy-run", Flow: "release", Deployment: "prod", Tags: []string{"ops"},
		Schema: cmdtest.ApprovalSchema, Description: evilDescription,
	})
	return srv, id
}

func TestShowText(t *testing.T) {
	srv, id := pausedWithInput(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	out := io.OutBuf.String()
	for _, want := range []string{
		"deploy-run (" + id + ")", "release / prod", "Paused", "Tags:        ops",
		"Description:", "Approve the **deploy**", "please", "Fields (set with --set name=value):", "approved", "notes", "token",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text has no %q:\n%s", want, out)
		}
	}
	if strings.ContainsRune(out, '\x1b') || strings.ContainsRune(out, '\u009b') || strings.ContainsRune(out, '\x07') {
		t.Errorf("text carries control sequences from the description: %q", out)
	}
	if srv.Writes() != 0 {
		t.Errorf("show wrote to the server: %d writes", srv.Writes())
	}
}

func TestShowJSON(t *testing.T) {
	srv, id := pausedWithInput(t)
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), id, "-o", "json")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	raw := io.OutBuf.String()
	if strings.ContainsRune(raw, '\x1b') || strings.ContainsRune(raw, '\u009b') || strings.ContainsRune(raw, '\x07') {
		t.Errorf("JSON carries control runes raw: %q", raw)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, raw)
	}
	for _, key := range []string{"run", "description", "schema", "fields", "responses"} {
		if _, ok := got[key]; !ok {
			t.Errorf("JSON has no %q: %s", key, raw)
		}
	}
	var run map[string]any
	_ = json.Unmarshal(got["run"], &run)
	if run["id"] != id || run["name"] != "deploy-run" || run["needs_input"] != true || run["state"] != "paused" {
		t.Errorf("run: %v", run)
	}
	// Escaped, not dropped: a script decodes what the flow stored.
	var desc string
	if err := json.Unmarshal(got["description"], &desc); err != nil || desc != evilDescription {
		t.Errorf("description decodes to %q (%v), want %q", desc, err, evilDescription)
	}
	var fields []map[string]any
	if err := json.Unmarshal(got["fields"], &fields); err != nil || len(fields) != 3 {
		t.Errorf("fields: %s (%v)", got["fields"], err)
	}
	if strings.TrimSpace(string(got["responses"])) != "[]" {
		t.Errorf("responses: %s, want []", got["responses"])
	}
}

// A run that asks for nothing: no description or fields, and the hint.
func TestShowNoInput(t *testing.T) {
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "plain-run"})
	io := cmdtest.Streams("", false)
	if code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), "plain-run"); code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	out := io.OutBuf.String()
	if !strings.Contains(out, "asks for no input") || strings.Contains(out, "Fields") || strings.Contains(out, "Description") {
		t.Errorf("text:\n%s", out)
	}
}

// An unknown run, by name or by id: the not-found code, and nothing on stdout.
func TestShowUnknownRun(t *testing.T) {
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "other-run"})
	for _, arg := range []string{"no-such-run", "0198c7a2-5b1e-7c4d-9e61-999999999999"} {
		io := cmdtest.Streams("", false)
		code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), arg)
		if code != domain.ExitNotFound || err == nil {
			t.Errorf("%s: exit %d (%v), want %d", arg, code, err, domain.ExitNotFound)
		}
		if io.OutBuf.Len() != 0 {
			t.Errorf("%s: stdout %q", arg, io.OutBuf.String())
		}
	}
}

// A link pasted from a notification names the run; a link to another
// server, or to no flow run, is refused with the usage code before any
// request, and says so without repeating control characters.
func TestShowLink(t *testing.T) {
	srv, id := pausedWithInput(t)
	ui := strings.TrimSuffix(srv.APIURL(), "/api")
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), ui+"/runs/flow-run/"+id+"?tab=Logs")
	if code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if out := io.OutBuf.String(); !strings.Contains(out, "deploy-run ("+id+")") || !strings.Contains(out, "URL:         "+ui+"/runs/flow-run/"+id+"\n") {
		t.Errorf("text:\n%s", out)
	}
	other := strings.Replace(ui, "127.0.0.1", "localhost", 1)
	for _, c := range []struct {
		link string
		says []string
	}{
		{other + "/runs/flow-run/" + id, []string{other, ui, "are different hosts", "--profile", "PREFECT_API_URL"}},
		{"https://app.prefect.cloud/account/a/workspace/w/runs/flow-run/" + id, []string{"Prefect Cloud workspace", ui, "--profile"}},
		{ui + "/deployments/deployment/" + id, []string{"not a link to a flow run", "/runs/flow-run/<run-id>"}},
		{ui + "/runs/flow-run/\x1b]52;c;aGk=\x07", []string{"accepts a flow run's link", `\x1b]52`}},
	} {
		io := cmdtest.Streams("", false)
		code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), c.link)
		msg := cmdtest.ErrText(err)
		if code != domain.ExitUsage {
			t.Errorf("%q: exit %d (%s), want %d", c.link, code, msg, domain.ExitUsage)
		}
		for _, want := range c.says {
			if !strings.Contains(msg, want) {
				t.Errorf("%q: error lacks %q: %s", c.link, want, msg)
			}
		}
		if strings.ContainsAny(msg, "\x1b\x07") || io.OutBuf.Len() != 0 {
			t.Errorf("%q: error %q, stdout %q", c.link, msg, io.OutBuf.String())
		}
	}
	if n := len(srv.Bodies("GET", "/api/flow_runs/"+id)); n != 1 {
		t.Errorf("the run was read %d times, want once (refused links are not looked up)", n)
	}
}

// No server configured: the usage code and what to do, before any request.
func TestShowNoServer(t *testing.T) {
	io := cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, ""), nil), "my-run")
	if code != domain.ExitUsage || !strings.Contains(cmdtest.ErrText(err), "PREFECT_API_URL") {
		t.Errorf("exit %d: %v", code, err)
	}
}

// A run that no longer waits shows its true state: no "(paused)", no pause
// time or expiry, no offer to resume; in JSON the state is its own and the
// pause facts are null.
func TestShowNoLongerPaused(t *testing.T) {
	for _, typ := range []struct{ typ, name, word string }{
		{"COMPLETED", "Completed", "completed"},
		{"CANCELLING", "Cancelling", "cancelling"},
	} {
		srv := prefecttest.New(t)
		srv.Add(prefecttest.Run{Name: "done-run", StateType: typ.typ, StateName: typ.name, Schema: cmdtest.ApprovalSchema})
		io := cmdtest.Streams("", false)
		if code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), "done-run"); code != domain.ExitOK {
			t.Fatalf("exit %d: %v", code, err)
		}
		out := io.OutBuf.String()
		for _, bad := range []string{"(paused)", "Paused:", "Expires:", "resume"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: text says %q:\n%s", typ.typ, bad, out)
			}
		}
		for _, want := range []string{"State:       " + typ.name + " (no longer waiting)", "Since:", "no longer waits (it is " + typ.word + ")"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: text lacks %q:\n%s", typ.typ, want, out)
			}
		}
		io = cmdtest.Streams("", false)
		if code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), "done-run", "-o", "json"); code != domain.ExitOK {
			t.Fatalf("exit %d: %v", code, err)
		}
		var got struct {
			Run map[string]any `json:"run"`
		}
		if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Run["state"] != typ.word || got.Run["paused_since"] != nil || got.Run["expires_at"] != nil || got.Run["needs_input"] != false || got.Run["state_since"] == nil {
			t.Errorf("%s: JSON run %v", typ.typ, got.Run)
		}
	}
}

// A name shared by a paused run and finished ones resolves to the paused run,
// and says so on stderr; shared by two paused runs it is ambiguous (exit 2).
func TestShowSharedName(t *testing.T) {
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "nightly", StateType: "COMPLETED", StateName: "Completed"})
	paused := srv.Add(prefecttest.Run{Name: "nightly"})
	srv.Add(prefecttest.Run{Name: "nightly", StateType: "FAILED", StateName: "Failed"})
	io := cmdtest.Streams("", false)
	if code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), "nightly"); code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if !strings.Contains(io.OutBuf.String(), paused) {
		t.Errorf("show picked another run:\n%s", io.OutBuf.String())
	}
	if want := `2 other run(s) not paused are also named "nightly"; this is the paused one, ` + paused; !strings.Contains(io.ErrBuf.String(), want) {
		t.Errorf("stderr %q, want %q", io.ErrBuf.String(), want)
	}

	srv.Add(prefecttest.Run{Name: "nightly"})
	io = cmdtest.Streams("", false)
	code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), "nightly")
	if code != domain.ExitUsage || !strings.Contains(cmdtest.ErrText(err), "2 paused runs are named") {
		t.Errorf("two paused runs named alike: exit %d (%v), want %d", code, err, domain.ExitUsage)
	}

	// A name no paused run has resolves to the one run that has it, without a note.
	srv.Add(prefecttest.Run{Name: "weekly", StateType: "COMPLETED", StateName: "Completed"})
	io = cmdtest.Streams("", false)
	if code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), "weekly"); code != domain.ExitOK || io.ErrBuf.Len() != 0 {
		t.Errorf("weekly: exit %d (%v), stderr %q", code, err, io.ErrBuf.String())
	}
}

// A secret in an answer the run already received is masked in show's text
// and JSON, by the schema of the pause it answered.
func TestShowMasksSecretsInPastAnswers(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "deploy-run", Schema: cmdtest.ApprovalSchema})
	srv.Pause(id, cmdtest.ApprovalSchema, "again") // paused-2: paused-1's schema stays on the run
	// The answer to the first pause, as Prefect stores it.
	srv.SetInput(id, "paused-1-response", `{"approved": true, "notes": "ok", "token": "hunter2-s3cret"}`)
	for _, output := range []string{"text", "json"} {
		io := cmdtest.Streams("", false)
		if code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), "deploy-run", "-o", output); code != domain.ExitOK {
			t.Fatalf("exit %d: %v", code, err)
		}
		out := io.OutBuf.String()
		if strings.Contains(out, "hunter2") {
			t.Errorf("%s output shows the secret:\n%s", output, out)
		}
		if !strings.Contains(out, "ok") || !strings.Contains(out, "**********") {
			t.Errorf("%s output lacks the answer with its secret masked:\n%s", output, out)
		}
	}
}

// A schema unpause cannot read is one error with its true cause and one
// exit code, whatever the cause.
func TestShowUnreadableSchema(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 300) + "1" + strings.Repeat("}", 300)
	cases := []struct{ name, schema, want string }{
		{"too deep", deep, "nested more than 200 levels deep"},
		{"not JSON", `{"type":`, "not JSON"},
		{"not a schema unpause reads", `{"type":"string"}`, "not one unpause can read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := prefecttest.New(t)
			srv.Add(prefecttest.Run{Name: "odd-run", Schema: c.schema})
			io := cmdtest.Streams("", false)
			code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), "odd-run")
			msg := cmdtest.ErrText(err)
			if code != domain.ExitError || !strings.Contains(msg, "the run's input request cannot be read") || !strings.Contains(msg, c.want) {
				t.Errorf("exit %d (%s), want %d naming %q", code, msg, domain.ExitError, c.want)
			}
		})
	}
}

// Who gave each past answer, from the answered-by record next to it: an
// object in JSON (null without a record), a line in text, both sanitised.
func TestShowAnsweredBy(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "deploy-run", Schema: cmdtest.ApprovalSchema})
	srv.Pause(id, cmdtest.ApprovalSchema, "again")
	srv.Pause(id, cmdtest.ApprovalSchema, "and again")
	srv.SetInput(id, "paused-1-response", `{"approved": true}`)
	srv.SetInput(id, "paused-1-answered-by",
		`{"who":"alice@ops-1\u001b[2J","when":"2026-08-21T16:31:02Z","action":"resume","unpause_version":"1.2.3","host":"ops-1"}`)
	srv.SetInput(id, "paused-2-response", `{"approved": false}`)

	io := cmdtest.Streams("", false)
	if code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), id, "-o", "json"); code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if strings.Contains(io.OutBuf.String(), "\x1b") { // escaped as \u001b, as termsafe.JSON does
		t.Errorf("JSON holds a raw escape: %s", io.OutBuf.String())
	}
	var got struct {
		Responses []struct {
			Key        string          `json:"key"`
			AnsweredBy json.RawMessage `json:"answered_by"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil || len(got.Responses) != 2 {
		t.Fatalf("%v: %s", err, io.OutBuf.String())
	}
	var by map[string]any
	_ = json.Unmarshal(got.Responses[0].AnsweredBy, &by)
	if !strings.HasPrefix(by["who"].(string), "alice@ops-1") || by["when"] != "2026-08-21T16:31:02Z" || by["action"] != "resume" ||
		by["host"] != "ops-1" || by["unpause_version"] != "1.2.3" || len(by) != 5 {
		t.Errorf("answered_by %v", by)
	}
	if string(got.Responses[1].AnsweredBy) != "null" {
		t.Errorf("second answer: answered_by %s, want null", got.Responses[1].AnsweredBy)
	}

	io = cmdtest.Streams("", false)
	if code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), id); code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	out := io.OutBuf.String()
	if !strings.Contains(out, "answered by alice@ops-1") || strings.Count(out, "answered by") != 1 || strings.Contains(out, "\x1b") {
		t.Errorf("text:\n%s", out)
	}
}

// Who cancelled the run, from its cancelled-by record: an object in JSON
// (null for a run that is not cancelled, whatever its inputs hold), a line
// in text, sanitised; the latest record wins.
func TestShowCancelledBy(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "deploy-run", Schema: cmdtest.ApprovalSchema})
	srv.SetInput(id, "paused-1-cancelled-by",
		`{"who":"bob\u001b]0;x\u0007@ops","when":"2026-08-21T16:31:02Z","action":"cancel","unpause_version":"1.2.3","host":"ops"}`)
	srv.SetInput(id, "paused-0-cancelled-by",
		`{"who":"earlier@ops","when":"2026-08-20T10:00:00Z","action":"cancel","unpause_version":"1.2.3","host":"ops"}`)
	show := func(args ...string) string {
		io := cmdtest.Streams("", false)
		if code, err := cmdtest.Run(t, NewCmdShow(cmdtest.Factory(io, srv.APIURL()), nil), append([]string{id}, args...)...); code != domain.ExitOK {
			t.Fatalf("exit %d: %v", code, err)
		}
		return io.OutBuf.String()
	}
	var got struct {
		CancelledBy map[string]any `json:"cancelled_by"`
	}
	if err := json.Unmarshal([]byte(show("-o", "json")), &got); err != nil || got.CancelledBy != nil {
		t.Fatalf("a paused run: cancelled_by %v (%v), want null", got.CancelledBy, err)
	}
	srv.SetState(id, "CANCELLED", "Cancelled", "not today")
	out := show("-o", "json")
	if err := json.Unmarshal([]byte(out), &got); err != nil || !strings.HasPrefix(got.CancelledBy["who"].(string), "bob") || got.CancelledBy["action"] != "cancel" {
		t.Fatalf("cancelled_by %v (%v): %s", got.CancelledBy, err, out)
	}
	text := show()
	if !strings.Contains(text, "cancelled by bob") || strings.Contains(text, "earlier@ops") || strings.ContainsAny(text, "\x1b\x07") {
		t.Errorf("text:\n%s", text)
	}
}

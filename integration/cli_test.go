package integration

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// These tests drive the unpause binary's scriptable commands against the real
// Prefect server and the fixture flows, and assert what each flow received.

// unpauseJSON runs unpause, requires the exit code, and decodes stdout.
func unpauseJSON(t *testing.T, wantCode int, out any, args ...string) string {
	t.Helper()
	stdout, stderr, code := runUnpauseWith(t, UnpauseOpts{Env: []string{"TZ=UTC"}}, args...)
	if code != wantCode {
		t.Fatalf("unpause %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, wantCode, stdout, stderr)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(stdout), out); err != nil {
			t.Fatalf("unpause %s: stdout is not JSON (%v):\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
		}
	}
	return stderr
}

type cliRun struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Flow       string   `json:"flow"`
	State      string   `json:"state"`
	NeedsInput bool     `json:"needs_input"`
	Tags       []string `json:"tags"`
}

type cliAction struct {
	RunID   string          `json:"run_id"`
	Outcome string          `json:"outcome"`
	Reason  string          `json:"reason"`
	State   string          `json:"state"`
	Input   json.RawMessage `json:"input"`
}

// compact returns raw JSON without insignificant white space.
func compact(t *testing.T, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("not JSON: %v: %s", err, raw)
	}
	return b.String()
}

func findRun(runs []cliRun, id string) *cliRun {
	for i := range runs {
		if runs[i].ID == id {
			return &runs[i]
		}
	}
	return nil
}

func TestCLIListShowResumeGreeting(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "greeting")
	run := mustGetRun(t, f.APIURL, f.RunID)

	var runs []cliRun
	unpauseJSON(t, 0, &runs, "list", "--output", "json")
	got := findRun(runs, f.RunID)
	if got == nil {
		t.Fatalf("list --output json lacks run %s: %+v", f.RunID, runs)
	}
	if got.Flow != "unpause-greeting" || got.State != "paused" || !got.NeedsInput || got.Name != run.Name {
		t.Errorf("listed run = %+v, want flow unpause-greeting, paused, needs input, name %s", got, run.Name)
	}
	runs = nil
	unpauseJSON(t, 0, &runs, "list", "--output", "json", "--flow", "unpause-number")
	if findRun(runs, f.RunID) != nil {
		t.Errorf("list --flow unpause-number shows the greeting run")
	}
	runs = nil
	unpauseJSON(t, 0, &runs, "list", "--output", "json", "--flow", "unpause-greeting", "--needs-input", "--tag", "unpause-fixture")
	if findRun(runs, f.RunID) == nil {
		t.Errorf("list --flow unpause-greeting --needs-input --tag unpause-fixture lacks the run")
	}

	stdout, _, code := runUnpause(t, "show", run.Name)
	if code != 0 || !strings.Contains(stdout, "value") || !strings.Contains(stdout, "required") {
		t.Errorf("show %s: exit %d, want the required value field:\n%s", run.Name, code, stdout)
	}

	// No terminal and no --yes: refuse, send nothing.
	_, stderr, code := runUnpause(t, "resume", run.Name, "--set", "value=Ada")
	if code != 2 || !strings.Contains(stderr, "--yes") {
		t.Errorf("resume without --yes and without a terminal: exit %d, stderr %q; want 2 and a hint about --yes", code, stderr)
	}
	if r := mustGetRun(t, f.APIURL, f.RunID); r.StateType != "PAUSED" {
		t.Fatalf("run is %s after an unconfirmed resume; want still PAUSED", r.StateType)
	}

	var res cliAction
	unpauseJSON(t, 0, &res, "resume", run.Name, "--set", "value=Ada", "--yes", "--output", "json")
	if res.Outcome != "resumed" || res.RunID != f.RunID || compact(t, res.Input) != `{"value":"Ada"}` {
		t.Errorf("resume result = %+v (input %s), want resumed with {\"value\":\"Ada\"}", res, res.Input)
	}
	assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], "Ada")

	// Someone else already answered: exit 4, nothing sent.
	res = cliAction{}
	unpauseJSON(t, 4, &res, "resume", f.RunID, "--set", "value=Bob", "--yes", "--output", "json")
	if res.Outcome != "not-paused" {
		t.Errorf("second resume outcome = %q, want not-paused", res.Outcome)
	}
}

func TestCLIResumeTypedFieldsAndLocalValidation(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "everything")
	good := []string{
		"--set", "title=Fix the importer",
		"--set", "count=3",
		"--set", "labels=bug", "--set", "labels=docs",
		"--set", "due=2026-11-21 14:00",
		"--set", "home.street=1 Main St",
		"--set", "home.zip_code=12345",
	}

	// Invalid answers are refused locally (exit 3) and never reach the server.
	for _, bad := range [][]string{
		{"--set", "title=x"},         // minLength 2
		{"--set", "count=11"},        // maximum 10
		{"--set", "due=not-a-date"},  // format the server does not check
		{"--set", "home.zip_code=1"}, // pattern
		{"--set", "priority=urgent"}, // not an enum member
	} {
		args := append(append([]string{"resume", f.RunID}, good...), bad...)
		args = append(args, "--yes")
		_, stderr, code := runUnpauseWith(t, UnpauseOpts{Env: []string{"TZ=UTC"}}, args...)
		if code != 3 {
			t.Errorf("resume with %v: exit %d, want 3 (invalid input)\n%s", bad, code, stderr)
		}
		field := strings.SplitN(bad[1], "=", 2)[0]
		if !strings.Contains(stderr, field) {
			t.Errorf("resume with %v: stderr does not name field %q:\n%s", bad, field, stderr)
		}
	}
	if r := mustGetRun(t, f.APIURL, f.RunID); r.StateType != "PAUSED" {
		t.Fatalf("run is %s after refused answers; want still PAUSED", r.StateType)
	}

	var dry json.RawMessage
	unpauseJSON(t, 0, &dry, append(append([]string{"resume", f.RunID}, good...), "--dry-run")...)
	if d := compact(t, dry); !strings.Contains(d, `"count":3,`) || !strings.Contains(d, `"due":"2026-11-21T14:00:00Z"`) {
		t.Errorf("dry run printed %s; want count as an integer and due as RFC 3339 in UTC", dry)
	}
	if r := mustGetRun(t, f.APIURL, f.RunID); r.StateType != "PAUSED" {
		t.Fatalf("run is %s after --dry-run; want still PAUSED", r.StateType)
	}

	var res cliAction
	unpauseJSON(t, 0, &res, append(append([]string{"resume", f.RunID}, good...), "--yes", "-o", "json")...)
	if res.Outcome != "resumed" {
		t.Fatalf("resume outcome = %+v, want resumed", res)
	}
	got := f.WaitResult(t, 90*time.Second)["received"].(map[string]any)
	assertEqual(t, "title", got["title"], "Fix the importer")
	assertEqual(t, "count", got["count"], 3.0)
	assertEqual(t, "labels", got["labels"], []any{"bug", "docs"})
	assertEqual(t, "priority (default)", got["priority"], "normal")
	assertEqual(t, "home", got["home"], map[string]any{"street": "1 Main St", "city": "Springfield", "zip_code": "12345"})
	assertEqual(t, "billing (unset optional)", got["billing"], nil)
	if due, _ := got["due"].(string); !strings.HasPrefix(due, "2026-11-21T14:00:00") {
		t.Errorf("due = %v, want 2026-11-21T14:00:00 (UTC)", got["due"])
	}
}

func TestCLIResumeWithJSONAnswers(t *testing.T) {
	t.Parallel()
	t.Run("input-json", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "number")
		unpauseJSON(t, 0, nil, "resume", f.RunID, "--input-json", `{"value": 42}`, "--yes")
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], 42.0)
	})
	t.Run("input-file from stdin keeps initial data", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "markdown")
		stdout, stderr, code := runUnpauseWith(t, UnpauseOpts{Stdin: `{"reviewer": "Grace"}`},
			"resume", f.RunID, "--input-file", "-", "--yes")
		if code != 0 {
			t.Fatalf("resume --input-file -: exit %d\n%s\n%s", code, stdout, stderr)
		}
		got := f.WaitResult(t, 90*time.Second)["received"].(map[string]any)
		assertEqual(t, "reviewer", got["reviewer"], "Grace")
		assertEqual(t, "approve (with_initial_data)", got["approve"], true)
		assertEqual(t, "environment (with_initial_data)", got["environment"], "production")
	})
	t.Run("enum", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "image-label")
		unpauseJSON(t, 0, nil, "resume", f.RunID, "--set", "value=pig", "--yes")
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], "pig")
	})
}

// The shirt order's model_validator refuses small+green inside the flow, which
// then pauses again with a new input request; the second answer goes through.
func TestCLIFlowSideValidationPausesAgain(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "shirt")
	unpauseJSON(t, 0, nil, "resume", f.RunID, "--set", "size=small", "--set", "color=green", "--yes")
	waitRun(t, f.APIURL, f.RunID, 90*time.Second, "paused again with key paused-2", func(r *apiRun) bool {
		return r.StateType == "PAUSED" && r.State != nil && strings.HasPrefix(r.State.Details.RunInputKeyset["schema"], "paused-2")
	})
	stdout, _, _ := runUnpause(t, "show", f.RunID)
	if !strings.Contains(stdout, "not available") {
		t.Errorf("show after the refusal lacks the flow's new description:\n%s", stdout)
	}
	unpauseJSON(t, 0, nil, "resume", f.RunID, "--set", "size=medium", "--set", "color=green", "--yes")
	res := f.WaitResult(t, 90*time.Second)
	assertEqual(t, "received", res["received"], map[string]any{"size": "medium", "color": "green"})
	assertEqual(t, "attempts", res["attempts"], 2.0)
}

// resume --wait follows the run: the shirt flow refuses small+green and pauses again
// (exit 9, with the reason it logged); the corrected answer completes it (exit 0).
func TestCLIResumeWait(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "shirt")
	stdout, stderr, code := runUnpause(t, "resume", f.RunID, "--set", "size=small", "--set", "color=green", "--yes", "--wait=60s")
	if code != 9 || !strings.Contains(stdout, "refused the answer and asks again: Invalid shirt order: Value error, Green is only in stock in medium and large.") {
		t.Fatalf("resume --wait of a refused answer: exit %d, want 9 and the flow's reason\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	var res struct {
		Outcome string                       `json:"outcome"`
		After   struct{ Kind, State string } `json:"after"`
	}
	unpauseJSON(t, 0, &res, "resume", f.RunID, "--set", "size=medium", "--set", "color=green", "--yes", "--wait=60s", "-o", "json")
	if res.Outcome != "resumed" || res.After.Kind != "completed" || res.After.State != "Completed" {
		t.Errorf("resume --wait of the corrected answer: %+v, want resumed then completed", res)
	}
	assertEqual(t, "attempts", f.WaitResult(t, 30*time.Second)["attempts"], 2.0)
}

// TestCLICancelEachKind cancels each kind of paused run on the real server and checks
// that it ends Cancelled with the operator's reason, and that unpause says truly what
// became of the flow's process (src/prefect/server/orchestration/core_policy.py,
// src/prefect/runner/_cancel_finalizer.py, src/prefect/flow_runs.py pause_flow_run).
func TestCLICancelEachKind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fixture string
		process string // what unpause says became of the process
	}{
		{"suspend", "none"},            // suspended: no process left
		{"served-greeting", "stopped"}, // blocking pause in a served deployment: the Runner stops it
		{"greeting", "waiting"},        // blocking pause started by hand: nothing can stop it
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			f := startFlow(t, tc.fixture)
			paused, _ := getRun(t, f.APIURL, f.RunID)
			if tc.fixture == "greeting" {
				_, stderr, code := runUnpause(t, "cancel", f.RunID, "--yes")
				if code != 2 || !strings.Contains(stderr, "--reason") {
					t.Errorf("cancel without --reason: exit %d, stderr %q; want 2", code, stderr)
				}
			}
			reason := "wrong target database (" + tc.fixture + ")"
			var res struct {
				cliAction
				Process    string     `json:"process"`
				WaitsUntil *time.Time `json:"process_waits_until"`
			}
			unpauseJSON(t, 0, &res, "cancel", f.RunID, "--reason", reason, "--yes", "-o", "json")
			if res.Outcome != "cancelled" || res.State != "Cancelled" || res.Process != tc.process {
				t.Fatalf("cancel said %+v, want cancelled, Cancelled, process %s", res, tc.process)
			}
			// What unpause said is what the server shows, and it stays so (the Runner
			// writes its own message after stopping the process; unpause put the reason back).
			time.Sleep(2 * time.Second)
			r, _ := getRun(t, f.APIURL, f.RunID)
			if r.StateType != "CANCELLED" || r.State.Message == nil || *r.State.Message != reason {
				t.Fatalf("run is %s %v after cancel, want CANCELLED with message %q", r.StateType, r.State, reason)
			}
			switch tc.process {
			case "waiting":
				want := paused.State.Details.PauseTimeout
				if res.WaitsUntil == nil || want == nil || !res.WaitsUntil.Equal(*want) {
					t.Errorf("process_waits_until %v, want the pause timeout %v", res.WaitsUntil, want)
				}
				if f.exited() {
					t.Errorf("the fixture started by hand exited (%v); unpause said it keeps waiting", f.err)
				}
			case "stopped":
				if res.WaitsUntil != nil {
					t.Errorf("process_waits_until %v for a stopped process", res.WaitsUntil)
				}
			}
			// Cancelling again: the run is not paused any more, and nothing is written.
			unpauseJSON(t, 4, nil, "cancel", f.RunID, "--reason", "again", "--yes")
			if r2, _ := getRun(t, f.APIURL, f.RunID); r2.State.ID != r.State.ID {
				t.Errorf("a cancel of a cancelled run wrote a new state: %+v", r2.State)
			}
		})
	}
}

// TestCLICancelFinishedRun: a run that finished is never overwritten by a cancel.
func TestCLICancelFinishedRun(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "greeting")
	unpauseJSON(t, 0, nil, "resume", f.RunID, "--set", "value=hello", "--yes")
	f.WaitResult(t, 90*time.Second)
	done := waitRun(t, f.APIURL, f.RunID, 60*time.Second, "COMPLETED", func(r *apiRun) bool { return r.StateType == "COMPLETED" })
	var res cliAction
	unpauseJSON(t, 4, &res, "cancel", f.RunID, "--reason", "too late", "--yes", "-o", "json")
	if res.Outcome != "not-paused" || res.State != "Completed" {
		t.Errorf("cancel of a completed run said %+v, want not-paused, Completed", res)
	}
	if r, _ := getRun(t, f.APIURL, f.RunID); r.StateType != "COMPLETED" || r.State.ID != done.State.ID {
		t.Errorf("the completed run was overwritten: %s %+v", r.StateType, r.State)
	}
	// show tells the true state, and offers nothing that can no longer be done.
	var shown struct {
		Run map[string]any `json:"run"`
	}
	unpauseJSON(t, 0, &shown, "show", f.RunID, "-o", "json")
	if shown.Run["state"] != "completed" || shown.Run["paused_since"] != nil || shown.Run["expires_at"] != nil {
		t.Errorf("show -o json of a completed run: %v", shown.Run)
	}
	stdout, _, code := runUnpause(t, "show", f.RunID)
	if code != 0 || !strings.Contains(stdout, "State:       Completed (no longer waiting)") || strings.Contains(stdout, "resume") || strings.Contains(stdout, "Expires") {
		t.Errorf("show of a completed run (exit %d):\n%s", code, stdout)
	}
}

func TestCLIExpiredPause(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "expiring", "--timeout", "5")
	waitRun(t, f.APIURL, f.RunID, 90*time.Second, "FAILED after the pause expired", func(r *apiRun) bool {
		return r.StateType == "FAILED"
	})
	var res cliAction
	unpauseJSON(t, 5, &res, "resume", f.RunID, "--set", "value=late", "--yes", "-o", "json")
	if res.Outcome != "expired" {
		t.Errorf("resume of an expired pause: outcome %q, want expired", res.Outcome)
	}
}

func TestCLIResumeWithoutInputAndSuspended(t *testing.T) {
	t.Parallel()
	t.Run("no input", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "no-input")
		_, stderr, code := runUnpause(t, "resume", f.RunID, "--set", "x=1", "--yes")
		if code != 2 || !strings.Contains(stderr, "does not ask for input") {
			t.Errorf("resume --set on a run without input: exit %d, stderr %q; want 2", code, stderr)
		}
		unpauseJSON(t, 0, nil, "resume", f.RunID, "--yes")
		assertEqual(t, "outcome", f.WaitResult(t, 90*time.Second)["outcome"], "resumed")
	})
	t.Run("suspended in a served deployment", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "suspend")
		var runs []cliRun
		unpauseJSON(t, 0, &runs, "list", "-o", "json")
		if r := findRun(runs, f.RunID); r == nil || r.State != "suspended" {
			t.Fatalf("list shows the suspended run as %+v; want state suspended", r)
		}
		var res cliAction
		unpauseJSON(t, 0, &res, "resume", f.RunID, "--set", "approve=yes", "--set", "comment=ship it", "--yes", "-o", "json")
		if res.Outcome != "resumed" || res.State != "Resuming" {
			t.Errorf("resume of a suspended run = %+v; want resumed into Resuming", res)
		}
		got := f.WaitResult(t, 3*time.Minute)
		assertEqual(t, "received", got["received"], map[string]any{"approve": true, "comment": "ship it"})
	})
}

func TestCLIErrorsHaveStableExitCodes(t *testing.T) {
	t.Parallel()
	requireServer(t)
	if _, stderr, code := runUnpause(t, "show", "00000000-0000-4000-8000-000000000000"); code != 6 {
		t.Errorf("show of an unknown id: exit %d, want 6\n%s", code, stderr)
	}
	if _, stderr, code := runUnpause(t, "resume", "no-such-run-name-"+randomSuffix(), "--yes"); code != 6 {
		t.Errorf("resume of an unknown name: exit %d, want 6\n%s", code, stderr)
	}
	_, stderr, code := runUnpauseWith(t, UnpauseOpts{NoServer: true}, "list", "--api-url", "http://127.0.0.1:1/api")
	if code != 7 || !strings.Contains(stderr, "127.0.0.1:1") {
		t.Errorf("list against a closed port: exit %d, want 7, stderr naming the URL:\n%s", code, stderr)
	}
	_, stderr, code = runUnpauseWith(t, UnpauseOpts{NoServer: true}, "list")
	if code != 2 || !strings.Contains(stderr, "PREFECT_API_URL") {
		t.Errorf("list with nothing configured: exit %d, want 2 and how to set PREFECT_API_URL:\n%s", code, stderr)
	}
	_, stderr, code = runUnpause(t, "resume", "any-run", "--set", "value=x", "--yes", "--read-only")
	if code != 2 || !strings.Contains(stderr, "read-only") {
		t.Errorf("resume --read-only: exit %d, want 2 and a read-only message:\n%s", code, stderr)
	}
	_, stderr, code = runUnpauseWith(t, UnpauseOpts{Env: []string{"UNPAUSE_READ_ONLY=true"}}, "cancel", "any-run", "--reason", "r", "--yes")
	if code != 2 || !strings.Contains(stderr, "read-only") {
		t.Errorf("cancel with UNPAUSE_READ_ONLY=true: exit %d, want 2 and a read-only message:\n%s", code, stderr)
	}
	if _, stderr, code := runUnpause(t, "list", "--output", "yaml"); code != 2 {
		t.Errorf("list --output yaml: exit %d, want 2\n%s", code, stderr)
	}
}

// The line-by-line mode a screen reader follows, driven through a pipe: pick
// the run by name, keep the defaults, type the reviewer, confirm with "yes".
func TestAccessibleModeAnswersARun(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "markdown")
	run := mustGetRun(t, f.APIURL, f.RunID)
	input := run.Name + "\na\n\n\nGrace\n\nyes\nq\n"
	stdout, stderr, code := runUnpauseWith(t, UnpauseOpts{Stdin: input}, "--accessible")
	if code != 0 {
		t.Fatalf("unpause --accessible: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"Deploy approval", "Reviewer", "This exact JSON will be sent", "Resumed"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("accessible output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "\x1b") {
		t.Errorf("accessible output carries escape sequences")
	}
	got := f.WaitResult(t, 90*time.Second)["received"].(map[string]any)
	assertEqual(t, "reviewer", got["reviewer"], "Grace")
	assertEqual(t, "approve (initial data)", got["approve"], true)
	assertEqual(t, "environment (initial data)", got["environment"], "production")

	// End of input before the confirmation sends nothing (exit 2).
	g := startFlow(t, "greeting")
	grun := mustGetRun(t, g.APIURL, g.RunID)
	_, _, code = runUnpauseWith(t, UnpauseOpts{Stdin: grun.Name + "\na\nAda\n"}, "--accessible")
	if code != 2 {
		t.Errorf("accessible mode cut off before confirming: exit %d, want 2", code)
	}
	if r := mustGetRun(t, g.APIURL, g.RunID); r.StateType != "PAUSED" {
		t.Errorf("run is %s after input ended unconfirmed; want still PAUSED", r.StateType)
	}
}

// TestCLISecretNeverShownAgain: a SecretStr answer reaches the flow, and neither
// resume's output nor show (text or JSON) shows it afterwards.
func TestCLISecretNeverShownAgain(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "secret")
	const token = "tok-s3cret-9f1c"
	stdout, stderr, code := runUnpause(t, "resume", f.RunID, "--set", "token="+token, "--yes", "-o", "json")
	if code != 0 || strings.Contains(stdout+stderr, token) {
		t.Fatalf("resume: exit %d, or the secret shown:\n%s\n%s", code, stdout, stderr)
	}
	got := f.WaitResult(t, 60*time.Second)["received"].(map[string]any)
	assertEqual(t, "token the flow received", got["token"], token)
	for _, args := range [][]string{{"show", f.RunID}, {"show", f.RunID, "-o", "json"}} {
		stdout, stderr, code := runUnpause(t, args...)
		if code != 0 || strings.Contains(stdout+stderr, token) || !strings.Contains(stdout, "**********") {
			t.Errorf("unpause %v: exit %d; the secret must be masked:\n%s\n%s", args, code, stdout, stderr)
		}
	}
}

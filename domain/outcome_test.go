package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/termsafe"
)

func TestDescribeCLI(t *testing.T) {
	running := &apiclient.State{Type: "RUNNING", Name: "Running"}
	cancelledState := &apiclient.State{Type: "CANCELLED", Name: "Cancelled"}
	deadline := time.Date(2026, 12, 2, 22, 15, 0, 0, time.FixedZone("CET", 3600))
	cases := []struct {
		a    Action
		res  apiclient.ActionResult
		line string
		exit ExitCode
	}{
		{
			Action{RunID: "id", RunName: "r"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeResumed, State: running},
			"resumed r (id); state now Running", ExitOK,
		},
		{
			Action{RunID: "id", RunName: "r"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeResumed, Verified: true},
			"resumed r (id) (confirmed by re-reading the run after a network error)", ExitOK,
		},
		{
			Action{Kind: Cancel, RunID: "id", RunName: "r"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeCancelled, State: cancelledState, Process: apiclient.ProcessNone},
			"cancelled r (id); state now Cancelled", ExitOK,
		},
		{
			Action{Kind: Cancel, RunID: "id", RunName: "r"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeCancelled, State: cancelledState, Process: apiclient.ProcessStopped},
			"cancelled r (id); state now Cancelled; its runner stopped the flow's process", ExitOK,
		},
		{
			Action{Kind: Cancel, RunID: "id", RunName: "r"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeCancelled, State: cancelledState, Process: apiclient.ProcessWaiting, WaitsUntil: &deadline},
			"cancelled r (id); state now Cancelled; its process keeps waiting until 2026-12-02 21:15 UTC, when Prefect will mark the run Failed " +
				"(nothing supervises it, and no API call can stop it): stop it on its host to end it now", ExitOK,
		},
		{
			Action{Kind: Cancel, RunID: "id", RunName: "r"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeCancelling, State: &apiclient.State{Type: "CANCELLING", Name: "Cancelling"}},
			"cancelling: r (id) is not yet cancelled; state now Cancelling", ExitError,
		},
		{
			Action{RunID: "id", RunName: "r", Field: "count"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeRejected, Reason: "Validation failed for field 'count'"},
			"rejected: Validation failed for field 'count' (field count); r (id) is still paused", ExitInvalidInput,
		},
		{
			Action{RunID: "id", RunName: "r"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeNotPaused, State: &apiclient.State{Type: "COMPLETED", Name: "Completed"}},
			"not paused: r (id) is no longer waiting; state now Completed", ExitNotPaused,
		},
		{
			Action{RunID: "id", RunName: "r\x1b[2J"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeExpired},
			"expired: r[2J (id) can no longer be resumed", ExitExpired,
		},
		{
			Action{RunID: "id", RunName: "r"},
			apiclient.ActionResult{Outcome: apiclient.OutcomeWait, Delay: 2500 * time.Millisecond},
			"wait: r (id)", ExitConnection,
		},
		{Action{RunID: "id", RunName: "r"}, apiclient.ActionResult{Outcome: "odd"}, "odd: r (id)", ExitError},
	}
	for _, c := range cases {
		m := Describe(c.a, &c.res)
		if m.CLI != c.line || m.Exit != c.exit {
			t.Errorf("Describe(%+v, %s)\n got %q exit %d\nwant %q exit %d", c.a, c.res.Outcome, m.CLI, m.Exit, c.line, c.exit)
		}
		if (m.Exit == ExitOK) != (m.CLIError == "") {
			t.Errorf("%s: exit %d with CLI error %q", c.res.Outcome, m.Exit, m.CLIError)
		}
	}
}

// What the TUI and accessible mode say, including the forms that differ
// while an answer form is open.
func TestDescribeTUIAndAccessible(t *testing.T) {
	completed := &apiclient.State{Type: "COMPLETED", Name: "Completed"}
	reason := "Validation failed for field 'color'\x1b[2J"
	cases := []struct {
		a        Action
		res      apiclient.ActionResult
		tui, acc string
		tone     Tone
		final    bool
	}{
		{
			Action{},
			apiclient.ActionResult{Outcome: apiclient.OutcomeResumed},
			"Resumed: the run continues. It leaves the inbox on the next refresh.", "Resumed. The run continues.", ToneSuccess, true,
		},
		{Action{Kind: Cancel}, apiclient.ActionResult{Outcome: apiclient.OutcomeCancelled}, "Cancelled.", "Cancelled.", ToneSuccess, true},
		{
			Action{Kind: Cancel},
			apiclient.ActionResult{Outcome: apiclient.OutcomeCancelled, Process: apiclient.ProcessWaiting},
			"Marked Cancelled, but its process keeps waiting with no deadline (nothing supervises it, and no API call can stop it): stop it on its host to end it now.",
			"Marked Cancelled, but its process keeps waiting with no deadline (nothing supervises it, and no API call can stop it): stop it on its host to end it now.",
			ToneWarning, true,
		},
		{
			Action{Kind: Cancel},
			apiclient.ActionResult{Outcome: apiclient.OutcomeCancelling},
			"Asked to cancel, but the server still shows the run Cancelling, not Cancelled.",
			"Asked to cancel, but the server still shows the run Cancelling, not Cancelled.", ToneWarning, true,
		},
		{
			Action{Answering: true},
			apiclient.ActionResult{Outcome: apiclient.OutcomeRejected, Reason: reason},
			"The server refused the answer: Validation failed for field 'color'[2J", "The server refused the answer: Validation failed for field 'color'[2J", ToneError, false,
		},
		{
			Action{Kind: Cancel},
			apiclient.ActionResult{Outcome: apiclient.OutcomeRejected, Reason: "no"},
			"Cancel refused by the server: no", "Cancel refused by the server: no", ToneError, false,
		},
		{
			Action{},
			apiclient.ActionResult{Outcome: apiclient.OutcomeNotPaused, State: completed},
			"Not resumed: the run is no longer paused (now Completed): it was answered, or it ended.",
			"Not done: the run is no longer paused (now Completed): it was answered, or it ended.", ToneWarning, true,
		},
		{
			Action{Kind: Cancel},
			apiclient.ActionResult{Outcome: apiclient.OutcomeExpired},
			"Not cancelled: the pause expired and the run failed.", "Not done: the pause expired and the run failed.", ToneError, true,
		},
		{
			Action{Answering: true},
			apiclient.ActionResult{Outcome: apiclient.OutcomeWait, Delay: 2500 * time.Millisecond},
			"The server asked to wait 3s before trying again. Press y to send again.", "The server asked to wait 2.5s before trying again.", ToneWarning, false,
		},
		{
			Action{Kind: Cancel},
			apiclient.ActionResult{Outcome: apiclient.OutcomeWait, Delay: 2500 * time.Millisecond},
			"The server asked to wait 3s before trying again.", "The server asked to wait 2.5s; try again.", ToneWarning, false,
		},
		{
			Action{},
			apiclient.ActionResult{Outcome: "od\x1b[2Jd", Reason: "why"},
			"Resume: unexpected outcome od[2Jd why", "Unexpected outcome od[2Jd: why", ToneWarning, false,
		},
	}
	for _, c := range cases {
		m := Describe(c.a, &c.res)
		if m.TUI != c.tui || m.Accessible != c.acc || m.Tone != c.tone || m.Final != c.final {
			t.Errorf("Describe(%+v, %q)\n got %q / %q tone %d final %v\nwant %q / %q tone %d final %v",
				c.a, c.res.Outcome, m.TUI, m.Accessible, m.Tone, m.Final, c.tui, c.acc, c.tone, c.final)
		}
	}
}

func TestFailed(t *testing.T) {
	err := &apiclient.Error{Kind: apiclient.ErrConnection, Reason: "connection refused\x1b[2J"}
	m := Failed(Action{Kind: Cancel}, err)
	if m.TUI != "Cancel failed (nothing is lost; try again): "+termsafe.Line(err.Error()) ||
		m.Accessible != "Cancel failed: "+termsafe.Line(err.Error())+". Nothing is lost; you can try again." ||
		m.Exit != ExitConnection || m.Tone != ToneError || m.Final {
		t.Errorf("Failed cancel: %+v", m)
	}
	m = Failed(Action{Answering: true}, errors.New("boom"))
	if m.TUI != "Resume failed (nothing is lost; try again): boom" ||
		m.Accessible != "Sending failed: boom. Nothing is lost; you can try again." || m.Exit != ExitError {
		t.Errorf("Failed resume while answering: %+v", m)
	}
}

// What cancelling will do, said before it is confirmed, by how the run waits.
func TestCancelEffect(t *testing.T) {
	deadline := time.Date(2026, 12, 2, 22, 15, 0, 0, time.FixedZone("CET", 3600))
	run := func(suspended bool, dep string, timeout *time.Time) *apiclient.Run {
		r := &apiclient.Run{}
		r.DeploymentID = dep
		r.State = &apiclient.State{Type: "PAUSED", Details: apiclient.StateDetails{PauseReschedule: suspended, PauseTimeout: timeout}}
		return r
	}
	cases := []struct {
		r    *apiclient.Run
		want string
	}{
		{run(true, "d", nil), "It is suspended: it will be marked Cancelled at once and will not run again."},
		{run(false, "d", &deadline), "Its runner will stop the flow's process (a few seconds); the run will not continue."},
		{
			run(false, "", &deadline),
			"Its process was started by hand, and no API call can stop it: the run will be marked Cancelled, but the process keeps waiting until 2026-12-02 21:15 UTC, when Prefect will mark the run Failed.",
		},
		{
			run(false, "", nil),
			"Its process was started by hand, and no API call can stop it: the run will be marked Cancelled, but the process keeps waiting with no deadline.",
		},
	}
	for _, c := range cases {
		if got := CancelEffect(c.r); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}

func TestDescribeAfter(t *testing.T) {
	a := Action{RunID: "id", RunName: "shirt"}
	cases := []struct {
		after apiclient.AfterResume
		cli   string
		exit  ExitCode
	}{
		{
			apiclient.AfterResume{Kind: apiclient.AfterPausedAgain, Refusal: "Invalid order\x1b[2J"},
			"paused again: shirt (id) refused the answer and asks again: Invalid order[2J", ExitRefused,
		},
		{
			apiclient.AfterResume{Kind: apiclient.AfterPausedAgain},
			"paused again: shirt (id) refused the answer and asks again (it logged no reason; see 'unpause show id')", ExitRefused,
		},
		{apiclient.AfterResume{Kind: apiclient.AfterCompleted}, "completed: shirt (id) finished", ExitOK},
		{
			apiclient.AfterResume{Kind: apiclient.AfterFailed, State: &apiclient.State{Type: "FAILED", Name: "Failed", Message: "boom"}},
			"failed after the answer: shirt (id): boom", ExitRunFailed,
		},
		{
			apiclient.AfterResume{Kind: apiclient.AfterCancelled, State: &apiclient.State{Type: "CANCELLED", Name: "Cancelled"}},
			"cancelled after the answer: shirt (id)", ExitRunFailed,
		},
		{
			apiclient.AfterResume{Kind: apiclient.AfterRunning, State: &apiclient.State{Type: "RUNNING", Name: "Running"}},
			"still running: shirt (id) did not pause again within 2m0s", ExitOK,
		},
	}
	for _, c := range cases {
		m := DescribeAfter(a, &c.after, 2*time.Minute)
		if m.CLI != c.cli || m.Exit != c.exit || (m.Exit == ExitOK) != (m.CLIError == "") {
			t.Errorf("%s:\n got %q exit %d (error %q)\nwant %q exit %d", c.after.Kind, m.CLI, m.Exit, m.CLIError, c.cli, c.exit)
		}
	}
}

// An answer already recorded by another request is done with (exit 0); an
// unknown outcome never says "try again" and has its own exit code.
func TestDescribeAlreadyAnsweredAndUnknown(t *testing.T) {
	a := Action{RunID: "id", RunName: "r", Answering: true}
	m := Describe(a, &apiclient.ActionResult{Outcome: apiclient.OutcomeAlreadyAnswered})
	if m.Exit != ExitOK || !m.Final || m.CLI != "already answered: r (id) already holds this exact answer, sent by another request" {
		t.Errorf("already answered: %+v", m)
	}
	err := &apiclient.Error{Op: "resume run", Kind: apiclient.ErrUnknownOutcome, Reason: "it is unknown whether the resume took effect"}
	f := Failed(a, err)
	if f.Exit != ExitUnknown || strings.Contains(f.TUI, "try again") || !strings.Contains(f.TUI, "Unknown whether the run was resumed") {
		t.Errorf("unknown: %+v", f)
	}
	if ExitCodeFor(err) != ExitUnknown {
		t.Errorf("ExitCodeFor = %d", ExitCodeFor(err))
	}
}

// A REJECT with no reason says so, never "rejected: ;".
func TestDescribeRejectWithoutReason(t *testing.T) {
	m := Describe(Action{RunID: "id", RunName: "r"}, &apiclient.ActionResult{Outcome: apiclient.OutcomeRejected})
	if m.CLI != "rejected: it gave no reason; r (id) is still paused" || strings.Contains(m.TUI, ": ;") {
		t.Errorf("got %q / %q", m.CLI, m.TUI)
	}
}

// A record or audit log that could not be written is said by every front
// end, sanitised, and changes neither the exit code nor finality.
func TestDescribeNotesRecordAndAuditFailures(t *testing.T) {
	res := apiclient.ActionResult{Outcome: apiclient.OutcomeResumed, RecordErr: errors.New("HTTP 503\x1b[2J"), AuditErr: errors.New("disk full")}
	m := Describe(Action{RunID: "id", RunName: "r"}, &res)
	plain := Describe(Action{RunID: "id", RunName: "r"}, &apiclient.ActionResult{Outcome: apiclient.OutcomeResumed})
	want := []string{"the answered-by record could not be written: HTTP 503[2J", "the local audit log could not be written: disk full"}
	if strings.Join(m.Notes, "|") != strings.Join(want, "|") {
		t.Errorf("notes %q", m.Notes)
	}
	for _, s := range []string{m.TUI, m.Accessible} {
		if !strings.Contains(s, want[0]) || !strings.Contains(s, want[1]) || strings.Contains(s, "\x1b") {
			t.Errorf("not said: %q", s)
		}
	}
	if m.Exit != plain.Exit || m.Final != plain.Final || m.CLI != plain.CLI || m.Tone != ToneWarning || len(plain.Notes) != 0 {
		t.Errorf("the notes changed the outcome: %+v vs %+v", m, plain)
	}
	c := Describe(Action{Kind: Cancel}, &apiclient.ActionResult{Outcome: apiclient.OutcomeCancelled, RecordErr: errors.New("x")})
	if len(c.Notes) != 1 || !strings.HasPrefix(c.Notes[0], "the cancelled-by record could not be written") {
		t.Errorf("cancel notes %q", c.Notes)
	}
}

// The summary counts outcomes in the order they first appear, in words.
func TestBulkSummary(t *testing.T) {
	got := BulkSummary([]string{"resumed", "not-paused", "resumed", "rejected", "not-paused", "skipped", "evil\x1b[2J"})
	want := "2 resumed, 2 not paused, 1 rejected, 1 skipped (schema differs), 1 evil[2J"
	if got != want {
		t.Errorf("BulkSummary = %q, want %q", got, want)
	}
}

// A run left out, or one that failed, has its line for a resume of several.
func TestSchemaDiffersAndFailedCLI(t *testing.T) {
	m := SchemaDiffers(Action{RunID: "id", RunName: "r\x1b]0;x\a"})
	if m.CLI != "skipped: schema differs: r]0;x (id) asks for other fields than the first run; nothing was sent to it" || m.Exit != ExitInvalidInput {
		t.Errorf("SchemaDiffers: %q exit %d", m.CLI, m.Exit)
	}
	f := Failed(Action{RunName: "nope"}, &apiclient.Error{Op: "find run", Kind: apiclient.ErrNotFound, Reason: "no run named nope"})
	if !strings.HasPrefix(f.CLI, "failed: nope: ") || f.Exit != ExitNotFound {
		t.Errorf("Failed: %q exit %d", f.CLI, f.Exit)
	}
	u := Failed(Action{RunID: "id", RunName: "r"}, &apiclient.Error{Op: "resume run", Kind: apiclient.ErrUnknownOutcome})
	if !strings.HasPrefix(u.CLI, "unknown: r (id): ") || u.Exit != ExitUnknown {
		t.Errorf("Failed, unknown outcome: %q exit %d", u.CLI, u.Exit)
	}
}

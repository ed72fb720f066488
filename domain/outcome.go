package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/termsafe"
)

// ActionKind is what the operator asked for.
type ActionKind int

// The actions on a waiting run.
const (
	Resume ActionKind = iota
	Cancel
)

func (k ActionKind) verb() string {
	if k == Cancel {
		return "Cancel"
	}
	return "Resume"
}

func (k ActionKind) pastTense() string {
	if k == Cancel {
		return "cancelled"
	}
	return "resumed"
}

// Action is what an outcome is about.
type Action struct {
	Kind    ActionKind
	RunID   string
	RunName string // as the API gave it; Describe sanitises it
	// Answering is set when an answer form is open for the run: the
	// refusal and the wait then speak of the answer, which can be fixed
	// or sent again.
	Answering bool
	// Field is the schema field the server's refusal names, if known.
	Field string
}

// Tone is how a message is shown: the colour of a TUI banner.
type Tone int

// Tones, from good to bad.
const (
	ToneSuccess Tone = iota
	ToneWarning
	ToneError
)

// Message is what the operator is told about an action's outcome, with the
// wording of each front end (kept as each has always said it), and what
// follows from it.
type Message struct {
	Tone Tone
	// TUI is the inbox TUI's status line or banner.
	TUI string
	// Accessible is the line accessible mode prints.
	Accessible string
	// CLI is the line `resume` and `cancel` print on stdout; CLIError
	// explains a non-zero Exit on stderr ("" when Exit is ExitOK).
	CLI, CLIError string
	// Exit is the exit code of the command.
	Exit ExitCode
	// Final is set when the run waits no more for this action: it was
	// resumed or cancelled, it is no longer paused or its pause expired.
	// Otherwise the operator may fix the answer or try again.
	Final bool
	// Notes are warnings about what went with the action (its answered-by
	// record on the run, the local audit log), sanitised. TUI and Accessible
	// already end with them; the CLI prints them on stderr. They never
	// change Exit: the action stands.
	Notes []string
}

// Describe words the outcome of a resume or cancel the server answered,
// with its notes. Every string from the API in it is sanitised.
func Describe(a Action, res *apiclient.ActionResult) Message {
	m := describe(a, res)
	m.Notes = actionNotes(a.Kind, res)
	if len(m.Notes) > 0 {
		if m.Tone == ToneSuccess {
			m.Tone = ToneWarning
		}
		m.TUI, m.Accessible = WithNotes(m.TUI, m.Notes), WithNotes(m.Accessible, m.Notes)
	}
	return m
}

// WithNotes ends said with an action's notes (Message.Notes), for a front end
// that words the outcome again later (the TUI once the run has moved on).
func WithNotes(said string, notes []string) string {
	if len(notes) == 0 {
		return said
	}
	return said + " Warning: " + strings.Join(notes, "; ") + "."
}

// actionNotes words what failed alongside an action that counts.
func actionNotes(k ActionKind, res *apiclient.ActionResult) []string {
	var notes []string
	if res.RecordErr != nil {
		record := "answered-by"
		if k == Cancel {
			record = "cancelled-by"
		}
		notes = append(notes, "the "+record+" record could not be written: "+termsafe.Line(res.RecordErr.Error()))
	}
	if res.AuditErr != nil {
		notes = append(notes, "the local audit log could not be written: "+termsafe.Line(res.AuditErr.Error()))
	}
	return notes
}

func describe(a Action, res *apiclient.ActionResult) Message {
	reason := termsafe.Line(res.Reason)
	switch res.Outcome {
	case apiclient.OutcomeResumed:
		return resumed(a, res)
	case apiclient.OutcomeCancelled:
		return cancelled(a, res)
	case apiclient.OutcomeCancelling:
		const said = "Asked to cancel, but the server still shows the run Cancelling, not Cancelled."
		return Message{
			Tone: ToneWarning, TUI: said, Accessible: said,
			CLI:      "cancelling: " + cliName(a) + " is not yet cancelled" + cliState(res),
			CLIError: "the server still shows the run Cancelling, not Cancelled: check it with 'unpause show RUN'",
			Exit:     ExitError, Final: true,
		}
	case apiclient.OutcomeRejected:
		return rejected(a, reason)
	case apiclient.OutcomeNotPaused:
		now := "the run is no longer paused (now " + StateName(res.State) + "): it was answered, or it ended."
		return Message{
			Tone: ToneWarning, TUI: "Not " + a.Kind.pastTense() + ": " + now, Accessible: "Not done: " + now,
			CLI:      "not paused: " + cliName(a) + " is no longer waiting" + cliState(res),
			CLIError: "the run is not paused any more: it was answered, or it ended ('unpause show RUN' shows the answers it received)",
			Exit:     ExitNotPaused, Final: true,
		}
	case apiclient.OutcomeAlreadyAnswered:
		const said = "The run already holds this exact answer: another request sent it first."
		return Message{
			Tone: ToneSuccess, TUI: said, Accessible: said,
			CLI:  "already answered: " + cliName(a) + " already holds this exact answer, sent by another request" + cliState(res),
			Exit: ExitOK, Final: true,
		}
	case apiclient.OutcomeExpired:
		const failed = "the pause expired and the run failed."
		return Message{
			Tone: ToneError, TUI: "Not " + a.Kind.pastTense() + ": " + failed, Accessible: "Not done: " + failed,
			CLI:      "expired: " + cliName(a) + " can no longer be resumed" + cliState(res),
			CLIError: "the pause had expired; the run has failed and cannot be resumed",
			Exit:     ExitExpired, Final: true,
		}
	case apiclient.OutcomeWait:
		return wait(a, res)
	}
	outcome := termsafe.Line(string(res.Outcome))
	return Message{
		Tone:       ToneWarning,
		TUI:        a.Kind.verb() + ": unexpected outcome " + outcome + " " + reason,
		Accessible: "Unexpected outcome " + outcome + ": " + reason,
		CLI:        outcome + ": " + cliName(a) + cliState(res),
		CLIError:   fmt.Sprintf("unexpected outcome %q", res.Outcome),
		Exit:       ExitError,
	}
}

// Failed words an action that got no answer from the server (err). The
// commands return err itself; Exit and CLIError say what they make of it.
func Failed(a Action, err error) Message {
	e := termsafe.Line(err.Error())
	if apiclient.KindOf(err) == apiclient.ErrUnknownOutcome {
		// Never "try again": the request may still land.
		said := "Unknown whether the run was " + a.Kind.pastTense() + ": " + e + ". Check the run (r refreshes) before sending again."
		return Message{
			Tone: ToneError, TUI: said, Accessible: said, CLIError: err.Error(), Exit: ExitUnknown,
			CLI: "unknown: " + cliName(a) + ": " + e + "; check the run before sending again",
		}
	}
	acc := a.Kind.verb() + " failed: " + e + ". Nothing is lost; you can try again."
	if a.Answering {
		acc = "Sending failed: " + e + ". Nothing is lost; you can try again."
	}
	return Message{
		Tone:       ToneError,
		TUI:        a.Kind.verb() + " failed (nothing is lost; try again): " + e,
		Accessible: acc, CLIError: err.Error(), Exit: ExitCodeFor(err),
		CLI: "failed: " + cliName(a) + ": " + e,
	}
}

// SchemaDiffers words a run left out of a resume of several runs because it
// asks for other fields than the first one: the same answer does not fit it.
func SchemaDiffers(a Action) Message {
	return Message{
		Tone: ToneWarning, TUI: "Skipped: it asks for other fields.", Accessible: "Skipped: it asks for other fields.",
		CLI:      "skipped: schema differs: " + cliName(a) + " asks for other fields than the first run; nothing was sent to it",
		CLIError: "the run asks for other fields than the first run; resume it on its own",
		Exit:     ExitInvalidInput,
	}
}

// outcomeWords name the outcomes in the summary of a resume of several runs.
var outcomeWords = map[string]string{
	"already-answered": "already answered", "not-paused": "not paused", "wait": "asked to wait",
	"not-found": "not found", "unknown": "unknown outcome", "skipped": "skipped (schema differs)",
	"dry-run": "to resume (dry run: nothing sent)",
}

// BulkSummary counts the outcomes of a resume of several runs (each run's
// apiclient.Outcome, or not-found, invalid, skipped, unknown, failed for
// one never sent), in the order they first appear: "7 resumed, 1 rejected,
// 2 not paused".
func BulkSummary(outcomes []string) string {
	var order []string
	count := map[string]int{}
	for _, o := range outcomes {
		if count[o] == 0 {
			order = append(order, o)
		}
		count[o]++
	}
	parts := make([]string, 0, len(order))
	for _, o := range order {
		w, ok := outcomeWords[o]
		if !ok {
			w = termsafe.Line(o)
		}
		parts = append(parts, fmt.Sprintf("%d %s", count[o], w))
	}
	return strings.Join(parts, ", ")
}

// cancelled: the server shows CANCELLED. What became of the flow's process
// is said too, because a run can be Cancelled while its process still waits
// (src/prefect/flow_runs.py pause_flow_run leaves only on RUNNING).
func cancelled(a Action, res *apiclient.ActionResult) Message {
	m := Message{
		Tone: ToneSuccess, TUI: "Cancelled.", Accessible: "Cancelled.",
		CLI: "cancelled " + cliName(a) + cliState(res), Exit: ExitOK, Final: true,
	}
	switch res.Process {
	case apiclient.ProcessStopped:
		m.TUI = "Cancelled: its runner stopped the flow's process."
		m.Accessible = m.TUI
		m.CLI += "; its runner stopped the flow's process"
	case apiclient.ProcessNone:
		m.TUI = "Cancelled. It was suspended: no process was waiting."
		m.Accessible = m.TUI
	case apiclient.ProcessWaiting:
		waits := "its process keeps waiting " + waitsUntil(res.WaitsUntil) +
			" (nothing supervises it, and no API call can stop it): stop it on its host to end it now"
		m.Tone = ToneWarning
		m.TUI = "Marked Cancelled, but " + waits + "."
		m.Accessible = m.TUI
		m.CLI += "; " + waits
	}
	return m
}

func resumed(a Action, res *apiclient.ActionResult) Message {
	cli := "resumed " + cliName(a) + cliState(res)
	if res.Verified {
		cli += " (confirmed by re-reading the run after a network error)"
	}
	return Message{
		Tone:       ToneSuccess,
		TUI:        "Resumed: the run continues. It leaves the inbox on the next refresh.",
		Accessible: "Resumed. The run continues.",
		CLI:        cli, Exit: ExitOK, Final: true,
	}
}

func rejected(a Action, reason string) Message {
	if reason == "" {
		reason = "it gave no reason"
	}
	said := a.Kind.verb() + " refused by the server: " + reason
	if a.Answering {
		said = "The server refused the answer: " + reason
	}
	cli := "rejected: " + reason
	if a.Field != "" {
		cli += " (field " + termsafe.Line(a.Field) + ")"
	}
	return Message{
		Tone: ToneError, TUI: said, Accessible: said,
		CLI:      cli + "; " + cliName(a) + " is still paused",
		CLIError: "the server rejected the answer; the run is still paused: fix the field and resume again",
		Exit:     ExitInvalidInput,
	}
}

// wait: the server asked to come back later (Prefect's orchestration WAIT).
// The TUI shows the delay to the second; the other front ends as given.
func wait(a Action, res *apiclient.ActionResult) Message {
	tui := fmt.Sprintf("The server asked to wait %s before trying again.", res.Delay.Round(time.Second))
	acc := fmt.Sprintf("The server asked to wait %s; try again.", res.Delay)
	if a.Answering {
		tui += " Press y to send again."
		acc = fmt.Sprintf("The server asked to wait %s before trying again.", res.Delay)
	}
	return Message{
		Tone: ToneWarning, TUI: tui, Accessible: acc,
		CLI:      string(res.Outcome) + ": " + cliName(a) + cliState(res),
		CLIError: fmt.Sprintf("the server asked to wait %s before trying again; nothing was resumed", res.Delay),
		Exit:     ExitConnection,
	}
}

// cliName is "name (id)".
// A run never found has only the name it was given, and no id.
func cliName(a Action) string {
	if a.RunID == "" {
		return termsafe.Line(a.RunName)
	}
	return termsafe.Line(a.RunName) + " (" + termsafe.Line(a.RunID) + ")"
}

// cliState is "; state now Running", or "" when the server sent no state
// name.
func cliState(res *apiclient.ActionResult) string {
	if res.State == nil || res.State.Name == "" {
		return ""
	}
	return "; state now " + termsafe.Line(res.State.Name)
}

// CancelEffect says, before a cancel is confirmed, what cancelling this
// paused run will do: how Prefect ends it depends on how it waits (see
// apiclient.Client.Cancel).
func CancelEffect(r *apiclient.Run) string {
	switch {
	case r.Suspended():
		return "It is suspended: it will be marked Cancelled at once and will not run again."
	case r.DeploymentID != "":
		return "Its runner will stop the flow's process (a few seconds); the run will not continue."
	}
	return "Its process was started by hand, and no API call can stop it: the run will be marked Cancelled, " +
		"but the process keeps waiting " + waitsUntil(r.ExpiresAt()) + "."
}

// waitsUntil is how long a cancelled run's process keeps waiting: until its
// pause times out, when pause_flow_run raises and the run is marked Failed.
func waitsUntil(deadline *time.Time) string {
	if deadline == nil {
		return "with no deadline"
	}
	return "until " + deadline.UTC().Format("2006-01-02 15:04 UTC") + ", when Prefect will mark the run Failed"
}

// CancelReasonWhy is why every front end requires a reason to cancel.
const CancelReasonWhy = "it is kept on the run's Cancelled state for whoever looks next"

// DescribeAfter words where a resumed run went (resume --wait). Every string
// from the API in it is sanitised.
func DescribeAfter(a Action, after *apiclient.AfterResume, wait time.Duration) Message {
	state := StateName(after.State)
	switch after.Kind {
	case apiclient.AfterPausedAgain:
		why := " (it logged no reason; see 'unpause show " + a.RunID + "')"
		if after.Refusal != "" {
			why = ": " + termsafe.Line(after.Refusal)
		}
		said := "The flow refused the answer and asks again" + why
		return Message{
			Tone: ToneError, TUI: said, Accessible: said,
			CLI:      "paused again: " + cliName(a) + " refused the answer and asks again" + why,
			CLIError: "the flow refused the answer and paused again; answer it again with 'unpause resume " + a.RunID + "'",
			Exit:     ExitRefused,
		}
	case apiclient.AfterCompleted:
		return Message{Tone: ToneSuccess, TUI: "The run completed.", Accessible: "The run completed.", CLI: "completed: " + cliName(a) + " finished", Final: true}
	case apiclient.AfterFailed, apiclient.AfterCancelled:
		msg := ""
		if after.State != nil && after.State.Message != "" {
			msg = ": " + termsafe.Line(after.State.Message)
		}
		said := "After the answer the run ended " + state + msg
		return Message{
			Tone: ToneError, TUI: said, Accessible: said,
			CLI:      strings.ToLower(state) + " after the answer: " + cliName(a) + msg,
			CLIError: "the run did not complete after the answer (" + state + "): see 'unpause show " + a.RunID + "' and its logs in Prefect",
			Exit:     ExitRunFailed, Final: true,
		}
	}
	said := fmt.Sprintf("Still %s after %s: it did not pause again.", strings.ToLower(state), wait)
	return Message{
		Tone: ToneSuccess, TUI: said, Accessible: said,
		CLI:   fmt.Sprintf("still %s: %s did not pause again within %s", strings.ToLower(state), cliName(a), wait),
		Final: true,
	}
}

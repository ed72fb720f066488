package cmdutil

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
)

// ExactlyOneRun is the Args check of the commands that act on one run.
func ExactlyOneRun(_ *cobra.Command, args []string) error {
	if len(args) != 1 {
		return UsageErrorf("give exactly one RUN (a run id or name); 'unpause list' shows them")
	}
	return nil
}

// NoArgs is the Args check of the commands that take none: an extra word is
// a usage error (exit 2), most often a mistyped command.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasSubCommands() {
		return UsageErrorf("unknown command %q for %q; run '%s --help' to see the commands", args[0], cmd.CommandPath(), cmd.CommandPath())
	}
	return UsageErrorf("%q takes no arguments (got %q); run '%s --help' for its flags", cmd.CommandPath(), args[0], cmd.CommandPath())
}

// RefuseReadOnly stops resume and cancel in read-only mode (--read-only, or
// read_only for the profile); a dry run sends nothing and may go on.
func RefuseReadOnly(s *config.Settings, action string, dryRun bool) error {
	if s == nil || !s.ReadOnly || dryRun {
		return nil
	}
	if s.ReadOnlyBy != "" {
		return UsageErrorf("%s is disabled: %s", action, s.ReadOnlyBy)
	}
	return UsageErrorf("read-only mode (profile %q): %s is disabled; drop --read-only, or set read_only: false for this profile",
		s.Profile, action)
}

// Confirm asks on the terminal. With no terminal it refuses: a script must
// say --yes, so a wrong pipe never resumes a production run.
func Confirm(io *IOStreams, what string, payload json.RawMessage) error {
	if !io.InTTY || !io.ErrTTY {
		return UsageErrorf("%s: confirmation needed, and there is no terminal to ask on; add --yes to proceed", what)
	}
	fmt.Fprintf(io.ErrOut, "%s", what)
	if payload != nil {
		fmt.Fprintf(io.ErrOut, " with this answer:\n%s\n", termsafe.Text(domain.IndentJSON(payload, "  ")))
	} else {
		fmt.Fprintln(io.ErrOut, "?")
	}
	fmt.Fprint(io.ErrOut, "Proceed? [y/N] ")
	line, err := bufio.NewReader(io.In).ReadString('\n')
	if err != nil && line == "" {
		return WithCode(domain.ExitUsage, errors.New("no answer to the confirmation (end of input); nothing was sent"))
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return WithCode(domain.ExitUsage, errors.New("not confirmed; nothing was sent"))
}

// ActionJSON is the stable JSON result of `resume` and `cancel`.
type ActionJSON struct {
	RunID   string `json:"run_id"`
	RunName string `json:"run_name"`
	// Ref (several runs): the RUN or answer-file key as given, for a run
	// that was not found.
	Ref      string          `json:"ref,omitempty"`
	Outcome  string          `json:"outcome"`
	Reason   string          `json:"reason,omitempty"`
	Field    string          `json:"field,omitempty"`
	State    string          `json:"state,omitempty"`
	Input    json.RawMessage `json:"input,omitempty"`
	Verified bool            `json:"verified_after_network_error,omitempty"`
	// Cancel only: what became of the flow's process (none, stopped,
	// waiting) and, when waiting, until when (RFC 3339, UTC).
	Process    string     `json:"process,omitempty"`
	WaitsUntil *time.Time `json:"process_waits_until,omitempty"`
	// After (resume --wait): where the run went after the answer.
	After *AfterJSON `json:"after,omitempty"`
	// RecordWritten: the answered-by (resume) or cancelled-by (cancel)
	// record was written on the run; RecordError says why it could not be,
	// AuditError why the local audit log could not be. Neither changes the
	// outcome.
	RecordWritten bool   `json:"record_written"`
	RecordError   string `json:"record_error,omitempty"`
	AuditError    string `json:"audit_error,omitempty"`
}

// AfterJSON is where a resumed run went (resume --wait).
type AfterJSON struct {
	// Kind is paused-again, completed, failed, cancelled or running.
	Kind  string `json:"kind"`
	State string `json:"state,omitempty"`
	// Message is the state's message; Refusal the flow's log line that
	// refused the answer (paused-again).
	Message string `json:"message,omitempty"`
	Refusal string `json:"refusal,omitempty"`
}

// Report is what one resume or cancel achieved, to be told.
type Report struct {
	Kind    domain.ActionKind
	Run     *apiclient.Run
	Result  *apiclient.ActionResult
	Payload json.RawMessage     // the answer as shown (secrets masked), or nil
	Schema  *inputschema.Schema // to name the field a refusal is about, or nil
	// After and Wait (resume --wait): where the run went, and how long
	// unpause waited for it.
	After *apiclient.AfterResume
	Wait  time.Duration
}

// NotPaused is the report for a run that no longer waits: nothing was sent.
func NotPaused(kind domain.ActionKind, run *apiclient.Run) Report {
	res := &apiclient.ActionResult{Outcome: apiclient.NotPausedOutcome(run.State), State: run.State}
	return Report{Kind: kind, Run: run, Result: res}
}

// Told is what one report says: its JSON object, its lines of text, the
// warnings for stderr, and its exit code with the explanation of a non-zero
// one. Bulk resume tells each run's report this way.
type Told struct {
	JSON  ActionJSON
	Lines []string
	Notes []string
	Exit  domain.ExitCode
	Err   string
}

// ReportAction prints the result of resume or cancel (JSON when output is
// "json") and returns the error that carries its exit code, or nil.
func ReportAction(io *IOStreams, output string, r Report) error {
	t := r.Tell()
	for _, n := range t.Notes {
		fmt.Fprintln(io.ErrOut, "unpause: warning:", n)
	}
	if output == "json" {
		if err := WriteJSON(io.Out, t.JSON); err != nil {
			return err
		}
	} else {
		for _, l := range t.Lines {
			fmt.Fprintln(io.Out, l)
		}
	}
	return t.Error()
}

// Error is the error that carries t's exit code, or nil for ExitOK.
func (t Told) Error() error {
	if t.Exit == domain.ExitOK {
		return nil
	}
	return WithCode(t.Exit, errors.New(t.Err))
}

// Tell words what r achieved, with domain.Describe (and DescribeAfter).
func (r Report) Tell() Told {
	res := r.Result
	out := ActionJSON{RunID: r.Run.ID, RunName: r.Run.Name, Outcome: string(res.Outcome), Reason: res.Reason, Input: r.Payload, Verified: res.Verified}
	if res.State != nil {
		out.State = res.State.Name
	}
	out.Process = string(res.Process)
	out.RecordWritten = res.Recorded
	if res.RecordErr != nil {
		out.RecordError = res.RecordErr.Error()
	}
	if res.AuditErr != nil {
		out.AuditError = res.AuditErr.Error()
	}
	if res.WaitsUntil != nil {
		u := res.WaitsUntil.UTC()
		out.WaitsUntil = &u
	}
	if res.Outcome == apiclient.OutcomeRejected && r.Schema != nil {
		if p, ok := r.Schema.FieldForReason(res.Reason); ok {
			out.Field = p
		}
	}
	act := domain.Action{Kind: r.Kind, RunID: r.Run.ID, RunName: r.Run.Name, Field: out.Field}
	told := domain.Describe(act, res)
	t := Told{Notes: told.Notes, Lines: []string{told.CLI}}
	if r.After != nil && told.Exit == domain.ExitOK {
		out.After = afterJSON(r.After)
		told = domain.DescribeAfter(act, r.After, r.Wait)
		t.Lines = append(t.Lines, told.CLI)
	}
	t.JSON, t.Exit, t.Err = out, told.Exit, told.CLIError
	return t
}

func afterJSON(a *apiclient.AfterResume) *AfterJSON {
	out := &AfterJSON{Kind: string(a.Kind), Refusal: a.Refusal}
	if a.State != nil {
		out.State, out.Message = a.State.Name, a.State.Message
	}
	return out
}

// FailedTold is the report of a run that was not resumed because of err
// (run is nil when it was never found; ref is what named it), worded by
// domain.Failed, with the exit code a command returning err would have.
func FailedTold(kind domain.ActionKind, run *apiclient.Run, ref string, err error) Told {
	out := ActionJSON{RunName: ref, Ref: ref, Reason: err.Error()}
	if run != nil {
		out.RunID, out.RunName, out.Ref = run.ID, run.Name, ""
	}
	m := domain.Failed(domain.Action{Kind: kind, RunID: out.RunID, RunName: out.RunName}, err)
	m.Exit = ExitCodeFor(err)
	switch m.Exit {
	case domain.ExitNotFound:
		out.Outcome = "not-found"
	case domain.ExitUnknown:
		out.Outcome = "unknown"
	case domain.ExitInvalidInput:
		out.Outcome = "invalid"
	default:
		out.Outcome = "failed"
	}
	return Told{JSON: out, Lines: []string{m.CLI}, Exit: m.Exit, Err: m.CLIError}
}

// SchemaDiffersTold is the report of a run left out of a resume of several
// runs, unsent, because it asks for other fields than the first run.
func SchemaDiffersTold(run *apiclient.Run) Told {
	m := domain.SchemaDiffers(domain.Action{Kind: domain.Resume, RunID: run.ID, RunName: run.Name})
	out := ActionJSON{RunID: run.ID, RunName: run.Name, Outcome: "skipped", Reason: "schema differs"}
	if run.State != nil {
		out.State = run.State.Name
	}
	return Told{JSON: out, Lines: []string{m.CLI}, Exit: m.Exit, Err: m.CLIError}
}

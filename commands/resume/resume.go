// Package resume is `unpause resume RUN`: answer a paused run with a
// validated answer, built from the schema's defaults, a JSON answer and
// --set values.
package resume

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
)

// API is what resume needs of the Prefect client.
type API interface {
	cmdutil.RunResolver
	InputRequest(ctx context.Context, r *apiclient.Run) (*apiclient.InputRequest, error)
	Resume(ctx context.Context, runID string, input json.RawMessage) (*apiclient.ActionResult, error)
	FollowResume(ctx context.Context, runID, pausedStateID string, since time.Time, wait time.Duration) (*apiclient.AfterResume, error)
	ListPaused(ctx context.Context, o apiclient.ListOptions) ([]apiclient.Run, apiclient.ListStats, error)
}

// Options are resume's flags and collaborators.
type Options struct {
	IO       *cmdutil.IOStreams
	API      func() (API, error)
	Settings func() *config.Settings
	// ReadFile reads --input-file (os.ReadFile; a test may replace it).
	ReadFile func(string) ([]byte, error)

	// Run is the one RUN; Runs every RUN given (Run is Runs[0] when there
	// is one).
	Run  string
	Runs []string
	// All resumes every paused run that Flows, Tags and NeedsInput select
	// (--all, with --flow, --tag, --needs-input as list has them).
	All        bool
	Flows      []string
	Tags       []string
	NeedsInput bool

	Sets      []string
	InputJSON string
	InputFile string
	Yes       bool
	DryRun    bool
	Output    string
	// Wait, when > 0, follows the run after the answer for at most this
	// long, until it is past the pause or paused again (--wait).
	Wait time.Duration
	// SkipSlowPatterns sends values whose pattern check did not finish in
	// time (--skip-slow-pattern-checks): the operator's explicit choice.
	SkipSlowPatterns bool
}

// resumeLong is the help of resume.
const resumeLong = `Resume a paused or suspended flow run. RUN is a run id, an unambiguous run name, or the run's link in the Prefect UI.

The answer starts from the schema's defaults; --input-json or --input-file
replace top-level fields, then each --set applies in order. Values given with
--set are typed by the run's schema (count=3 is the integer 3 where the schema
says integer); use dotted paths for nested fields, repeat --set to build a
list, and field:=<json> to give raw JSON. The whole answer is validated
against the schema, formats included, before anything is sent. A value
that cannot be checked against its pattern in time is refused too (the
server may stall on it); --skip-slow-pattern-checks sends it anyway.

Without --yes, unpause asks for confirmation on the terminal; when there is
no terminal it refuses rather than resume a run unconfirmed.

With --wait (for at most 2m, or --wait=DURATION), unpause follows the run after
the answer until it completes, fails, is cancelled, or pauses again. A flow
that refuses the answer (a model_validator that raises, then pause_flow_run
again) exits 9 with the flow's logged reason; a run that fails after the
answer exits 10. --wait works with one run only.

Several runs: give several RUNs, or --all for every paused run that --flow,
--tag and --needs-input select (as list has them). The same answer goes to
each, validated against each run's own schema; a run that asks for other
fields than the first one is left out ("skipped: schema differs"). The runs
are listed and confirmed once, then resumed four at a time; one failing does
not stop the others. Each run gets a line (or, with -o json, an object in an
array), then a summary. Exit 0 when every run was resumed, 12 when some were;
when none was, the code their failures share (1 if they differ).

--input-file takes JSON or YAML (by the extension .json, .yaml or .yml, else
by its content). In YAML only true and false are booleans: yes, no, on and
off stay text. A file whose only key is runs answers several runs, each with
its own answer, keyed by run id or name; give it with no RUN and no --all:

  runs:
    crimson-falcon:
      approve: true
      notes: checked the diff
    0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88:
      approve: false`

// NewCmdResume builds the command; runF replaces the run function in tests.
func NewCmdResume(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IO, API: func() (API, error) { return f.Client() },
		Settings: func() *config.Settings { return f.Settings }, ReadFile: os.ReadFile,
	}
	cmd := &cobra.Command{
		Use:   "resume [RUN...]",
		Short: "Resume a paused run, with a validated answer if it asks for one",
		Long:  resumeLong,
		Example: `  unpause resume crimson-falcon --set approve=true --set notes="checked the diff"
  unpause resume 0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88 --input-json '{"value": 42}' --yes
  echo '{"size":"large","color":"red"}' | unpause resume shirt-run --input-file - --yes -o json
  unpause resume shirt-run --set size=medium --set color=green --yes --wait=5m
  unpause resume --all --flow nightly-etl --tag prod --set approve=true --yes
  unpause resume crimson-falcon amber-heron --input-file answer.yaml
  unpause resume --input-file answers.yaml --yes -o json`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cmdutil.CompleteRuns(f, true),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Runs = args
			if len(args) == 1 {
				opts.Run = args[0]
			}
			if err := checkFlags(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return resumeRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Sets, "set", nil, "set a field: name=value, a.b=value for nested fields, name:=<json> for raw JSON (repeatable)")
	fl.StringVar(&opts.InputJSON, "input-json", "", "the answer as a JSON object")
	fl.StringVar(&opts.InputFile, "input-file", "", "read the answer (JSON or YAML; runs: for one answer per run) from a file, or - for stdin")
	fl.BoolVar(&opts.All, "all", false, "resume every paused run that --flow, --tag and --needs-input select")
	fl.StringArrayVar(&opts.Flows, "flow", nil, "with --all: only runs of this flow, or flow/deployment (repeatable)")
	fl.StringArrayVar(&opts.Tags, "tag", nil, "with --all: only runs with this tag (repeatable; all must match)")
	fl.BoolVar(&opts.NeedsInput, "needs-input", false, "with --all: only runs that wait for input")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "validate and print the answer that would be sent, without resuming")
	fl.StringVarP(&opts.Output, "output", "o", "text", "output format: text or json")
	cmdutil.CompleteOutput(cmd, "text", "json")
	fl.DurationVar(&opts.Wait, "wait", 0, "follow the run after the answer until it is past the pause or paused again (--wait for 2m, or --wait=DURATION)")
	fl.Lookup("wait").NoOptDefVal = "2m"
	fl.BoolVar(&opts.SkipSlowPatterns, "skip-slow-pattern-checks", false, "send values that cannot be checked against their pattern in time (the server may stall on them)")
	return cmd
}

// checkFlags refuses what the flags cannot mean together.
func checkFlags(opts *Options) error {
	if err := cmdutil.CheckOutput(opts.Output, "text", "json"); err != nil {
		return err
	}
	switch {
	case opts.Wait < 0:
		return cmdutil.UsageErrorf("--wait takes a positive duration, such as --wait=5m")
	case opts.InputJSON != "" && opts.InputFile != "":
		return cmdutil.UsageErrorf("give the answer with --input-json or --input-file, not both")
	case opts.All && len(opts.Runs) > 0:
		return cmdutil.UsageErrorf("--all resumes every paused run that --flow, --tag and --needs-input select; give no RUN with it")
	case !opts.All && (len(opts.Flows) > 0 || len(opts.Tags) > 0 || opts.NeedsInput):
		return cmdutil.UsageErrorf("--flow, --tag and --needs-input select runs for --all; add --all, or name the runs")
	case opts.Wait > 0 && (opts.All || len(opts.Runs) != 1):
		return cmdutil.UsageErrorf("--wait works with one run; resume several runs without it, then follow each with 'unpause show RUN'")
	case !opts.All && len(opts.Runs) == 0 && opts.InputFile == "":
		return cmdutil.UsageErrorf("give a RUN (a run id or name; 'unpause list' shows them), several, or --all")
	}
	return nil
}

// answer is what will be sent, and what is shown of it.
type answer struct {
	payload json.RawMessage // sent; nil for a run that asks for no input
	shown   json.RawMessage // shown: secrets masked
	schema  *inputschema.Schema
}

func resumeRun(ctx context.Context, opts *Options) error {
	if err := cmdutil.RefuseReadOnly(opts.Settings(), "resume", opts.DryRun); err != nil {
		return err
	}
	whole, err := readWhole(opts)
	if err != nil {
		return err
	}
	if opts.All || len(opts.Runs) > 1 {
		return resumeMany(ctx, opts, whole, nil)
	}
	if len(opts.Runs) == 0 {
		runs, ok, err := runsFile(whole)
		if err != nil {
			return err
		}
		if !ok {
			return cmdutil.UsageErrorf("give a RUN, several, or --all; %s answers no runs of its own (a file that does has one key, runs:, as 'unpause resume --help' shows)", opts.InputFile)
		}
		if opts.Wait > 0 {
			return cmdutil.UsageErrorf("--wait works with one run; %s answers %d", opts.InputFile, len(runs))
		}
		return resumeMany(ctx, opts, nil, runs)
	}
	return resumeOne(ctx, opts, whole)
}

// resumeOne answers the one run opts.Run with whole and the --set values.
func resumeOne(ctx context.Context, opts *Options, whole json.RawMessage) error {
	c, run, err := cmdutil.OpenRun(ctx, opts.IO, opts.API, opts.Run)
	if err != nil {
		return err
	}
	if !run.Paused() {
		return cmdutil.ReportAction(opts.IO, opts.Output, cmdutil.NotPaused(domain.Resume, run))
	}
	ans, err := buildPayload(ctx, c, run, opts, whole)
	if err != nil {
		return err
	}
	if opts.DryRun {
		fmt.Fprintln(opts.IO.ErrOut, "Dry run: nothing was sent. This is the answer that would be sent (secrets masked):")
		shown := ans.shown
		if shown == nil {
			shown = json.RawMessage("null")
		}
		return cmdutil.WriteJSON(opts.IO.Out, shown)
	}
	if !opts.Yes {
		if err := cmdutil.Confirm(opts.IO, fmt.Sprintf("Resume %s (%s)", termsafe.Line(run.Name), run.ID), ans.shown); err != nil {
			return err
		}
	}
	res, err := c.Resume(ctx, run.ID, ans.payload)
	if err != nil {
		return err
	}
	report := cmdutil.Report{Kind: domain.Resume, Run: run, Result: res, Payload: ans.shown, Schema: ans.schema, Wait: opts.Wait}
	if opts.Wait > 0 && res.Outcome == apiclient.OutcomeResumed {
		if opts.IO.ErrTTY {
			fmt.Fprintf(opts.IO.ErrOut, "resumed; following the run for up to %s...\n", opts.Wait)
		}
		// Log lines from before this pause began are not the flow's answer to it.
		if report.After, err = c.FollowResume(ctx, run.ID, run.State.ID, run.PausedSince(), opts.Wait); err != nil {
			return fmt.Errorf("the run was resumed, but following it failed: %w", err)
		}
	}
	return cmdutil.ReportAction(opts.IO, opts.Output, report)
}

// buildPayload reads what run asks for and builds the validated answer from
// whole (the whole answer given, or nil) and --set. A run that asks for
// nothing takes no answer.
func buildPayload(ctx context.Context, c API, run *apiclient.Run, opts *Options, whole json.RawMessage) (answer, error) {
	if !run.NeedsInput() {
		return payloadFor(run, nil, opts, whole)
	}
	req, err := c.InputRequest(ctx, run)
	if err != nil {
		return answer{}, err
	}
	return payloadFor(run, req.Schema, opts, whole)
}

// payloadFor builds and validates the answer to run, whose schema is raw
// (nil when it asks for nothing).
func payloadFor(run *apiclient.Run, raw json.RawMessage, opts *Options, whole json.RawMessage) (answer, error) {
	if raw == nil {
		if len(opts.Sets) > 0 || len(bytes.TrimSpace(whole)) > 0 {
			return answer{}, cmdutil.UsageErrorf("run %s does not ask for input; resume it without --set, --input-json or --input-file", run.ID)
		}
		return answer{}, nil
	}
	schema, err := inputschema.ParseSchema(raw)
	if err != nil {
		return answer{}, cmdutil.WithCode(domain.ExitError, fmt.Errorf("run %s: %w", run.ID, err))
	}
	values, err := buildAnswer(schema, whole, opts.Sets)
	if err != nil {
		return answer{}, err
	}
	errs := schema.Validate(values)
	if opts.SkipSlowPatterns {
		errs = inputschema.WithoutSlowPatterns(errs)
	}
	if len(errs) > 0 {
		return answer{}, cmdutil.WithCode(domain.ExitInvalidInput, fieldErrors(errs))
	}
	ans := answer{schema: schema}
	if ans.payload, err = schema.Marshal(values); err != nil {
		return answer{}, err
	}
	// What is shown never carries a secret (SecretStr) value.
	if ans.shown, err = schema.Marshal(schema.MaskSecrets(values)); err != nil {
		return answer{}, err
	}
	return ans, nil
}

// buildAnswer starts from the schema defaults, overlays a whole JSON answer,
// then applies each --set in order.
func buildAnswer(s *inputschema.Schema, raw json.RawMessage, sets []string) (map[string]any, error) {
	var whole map[string]any
	if len(raw) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.UseNumber()
		if err := dec.Decode(&whole); err != nil {
			return nil, cmdutil.WithCode(domain.ExitInvalidInput, fmt.Errorf("the answer is not a JSON object: %w", err))
		}
	}
	values, err := s.ApplySets(domain.InitialValues(s.Defaults(), whole), sets)
	if err != nil {
		// A malformed --set is a usage mistake; a value that does not fit
		// the field is invalid input. All of them are listed at once.
		code := domain.ExitInvalidInput
		var errs inputschema.SetErrors
		if errors.As(err, &errs) && errs.Syntax() {
			code = domain.ExitUsage
		}
		return nil, cmdutil.WithCode(code, fmt.Errorf("%w\nnothing was sent; 'unpause show RUN' lists the fields", err))
	}
	return values, nil
}

// readWhole returns the whole answer given with --input-json or
// --input-file, as JSON (a YAML file is converted), or nil.
func readWhole(opts *Options) (json.RawMessage, error) {
	if opts.InputFile == "" {
		if opts.InputJSON == "" {
			return nil, nil
		}
		return json.RawMessage(opts.InputJSON), nil
	}
	var (
		raw []byte
		err error
	)
	if opts.InputFile == "-" {
		raw, err = io.ReadAll(opts.IO.In)
	} else {
		raw, err = opts.ReadFile(opts.InputFile)
	}
	if err != nil {
		return nil, cmdutil.UsageErrorf("cannot read the answer from %s: %v", opts.InputFile, err)
	}
	return toJSON(opts.InputFile, raw)
}

// fieldErrors joins validation errors into one message, a line per field.
func fieldErrors(errs []inputschema.FieldError) error {
	var b strings.Builder
	b.WriteString("the answer does not fit the run's schema; nothing was sent:")
	for _, e := range errs {
		path := e.Path
		if path == "" {
			path = "(answer)"
		}
		fmt.Fprintf(&b, "\n  %s: %s", termsafe.Line(path), termsafe.Line(e.Message))
	}
	b.WriteString("\nFix the values with --set field=value and try again; 'unpause show RUN' lists the fields.")
	return errors.New(b.String())
}

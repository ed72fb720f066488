// Package resume is `unpause resume RUN`: answer a paused run with a
// validated answer, built from the schema's defaults, a JSON answer and
// --set values.
package resume

import (
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
}

// Options are resume's flags and collaborators.
type Options struct {
	IO       *cmdutil.IOStreams
	API      func() (API, error)
	Settings func() *config.Settings
	// ReadFile reads --input-file (os.ReadFile; a test may replace it).
	ReadFile func(string) ([]byte, error)

	Run       string
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

// NewCmdResume builds the command; runF replaces the run function in tests.
func NewCmdResume(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IO, API: func() (API, error) { return f.Client() },
		Settings: func() *config.Settings { return f.Settings }, ReadFile: os.ReadFile,
	}
	cmd := &cobra.Command{
		Use:   "resume RUN",
		Short: "Resume a paused run, with a validated answer if it asks for one",
		Long: `Resume a paused or suspended flow run. RUN is a run id, an unambiguous run name, or the run's link in the Prefect UI.

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
answer exits 10.`,
		Example: `  unpause resume crimson-falcon --set approve=true --set notes="checked the diff"
  unpause resume 0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88 --input-json '{"value": 42}' --yes
  echo '{"size":"large","color":"red"}' | unpause resume shirt-run --input-file - --yes -o json
  unpause resume shirt-run --set size=medium --set color=green --yes --wait=5m`,
		Args: cmdutil.ExactlyOneRun,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cmdutil.CheckOutput(opts.Output, "text", "json"); err != nil {
				return err
			}
			if opts.Wait < 0 {
				return cmdutil.UsageErrorf("--wait takes a positive duration, such as --wait=5m")
			}
			if opts.InputJSON != "" && opts.InputFile != "" {
				return cmdutil.UsageErrorf("give the answer with --input-json or --input-file, not both")
			}
			opts.Run = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return resumeRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Sets, "set", nil, "set a field: name=value, a.b=value for nested fields, name:=<json> for raw JSON (repeatable)")
	fl.StringVar(&opts.InputJSON, "input-json", "", "the answer as a JSON object")
	fl.StringVar(&opts.InputFile, "input-file", "", "read the answer as a JSON object from a file, or - for stdin")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "validate and print the answer that would be sent, without resuming")
	fl.StringVarP(&opts.Output, "output", "o", "text", "output format: text or json")
	fl.DurationVar(&opts.Wait, "wait", 0, "follow the run after the answer until it is past the pause or paused again (--wait for 2m, or --wait=DURATION)")
	fl.Lookup("wait").NoOptDefVal = "2m"
	fl.BoolVar(&opts.SkipSlowPatterns, "skip-slow-pattern-checks", false, "send values that cannot be checked against their pattern in time (the server may stall on them)")
	return cmd
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
	c, run, err := cmdutil.OpenRun(ctx, opts.IO, opts.API, opts.Run)
	if err != nil {
		return err
	}
	if !run.Paused() {
		return cmdutil.ReportAction(opts.IO, opts.Output, cmdutil.NotPaused(domain.Resume, run))
	}
	ans, err := buildPayload(ctx, c, run, opts)
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
// the flags. A run that asks for nothing takes no answer flags.
func buildPayload(ctx context.Context, c API, run *apiclient.Run, opts *Options) (answer, error) {
	if !run.NeedsInput() {
		if len(opts.Sets) > 0 || opts.InputJSON != "" || opts.InputFile != "" {
			return answer{}, cmdutil.UsageErrorf("run %s does not ask for input; resume it without --set, --input-json or --input-file", run.ID)
		}
		return answer{}, nil
	}
	req, err := c.InputRequest(ctx, run)
	if err != nil {
		return answer{}, err
	}
	schema, err := inputschema.ParseSchema(req.Schema)
	if err != nil {
		return answer{}, cmdutil.WithCode(domain.ExitError, fmt.Errorf("run %s: %w", run.ID, err))
	}
	values, err := buildAnswer(schema, opts)
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
func buildAnswer(s *inputschema.Schema, opts *Options) (map[string]any, error) {
	raw, err := readWhole(opts)
	if err != nil {
		return nil, err
	}
	var whole map[string]any
	if len(raw) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.UseNumber()
		if err := dec.Decode(&whole); err != nil {
			return nil, cmdutil.WithCode(domain.ExitInvalidInput, fmt.Errorf("the answer is not a JSON object: %w", err))
		}
	}
	values, err := s.ApplySets(domain.InitialValues(s.Defaults(), whole), opts.Sets)
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

// readWhole returns the whole answer given with --input-json or --input-file.
func readWhole(opts *Options) ([]byte, error) {
	if opts.InputFile == "" {
		return []byte(opts.InputJSON), nil
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
	return raw, nil
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

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
)

// actionJSON is the stable JSON result of `resume` and `cancel`.
type actionJSON struct {
	RunID    string          `json:"run_id"`
	RunName  string          `json:"run_name"`
	Outcome  string          `json:"outcome"`
	Reason   string          `json:"reason,omitempty"`
	Field    string          `json:"field,omitempty"`
	State    string          `json:"state,omitempty"`
	Input    json.RawMessage `json:"input,omitempty"`
	Verified bool            `json:"verified_after_network_error,omitempty"`
}

func newResumeCmd(a *app) *cobra.Command {
	var (
		sets      []string
		inputJSON string
		inputFile string
		yes       bool
		output    string
		dryRun    bool
	)
	cmd := &cobra.Command{
		Use:   "resume RUN",
		Short: "Resume a paused run, with a validated answer if it asks for one",
		Long: `Resume a paused or suspended flow run. RUN is a run id or an unambiguous run name.

The answer starts from the schema's defaults; --input-json or --input-file
replace top-level fields, then each --set applies in order. Values given with
--set are typed by the run's schema (count=3 is the integer 3 where the schema
says integer); use dotted paths for nested fields, repeat --set to build a
list, and field:=<json> to give raw JSON. The whole answer is validated
against the schema, formats included, before anything is sent.

Without --yes, unpause asks for confirmation on the terminal; when there is
no terminal it refuses rather than resume a run unconfirmed.`,
		Example: `  unpause resume crimson-falcon --set approve=true --set notes="checked the diff"
  unpause resume 0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88 --input-json '{"value": 42}' --yes
  echo '{"size":"large","color":"red"}' | unpause resume shirt-run --input-file - --yes -o json`,
		Args: exactlyOneRun,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "text", "json"); err != nil {
				return err
			}
			if inputJSON != "" && inputFile != "" {
				return usageErrorf("give the answer with --input-json or --input-file, not both")
			}
			if err := a.refuseReadOnly("resume", dryRun); err != nil {
				return err
			}
			ctx := cmd.Context()
			c, run, err := a.resolve(ctx, args[0])
			if err != nil {
				return err
			}
			if !run.Paused() {
				return a.reportNotPaused(output, domain.Resume, run)
			}
			var (
				payload json.RawMessage
				schema  *inputschema.Schema
				answer  map[string]any
			)
			if run.NeedsInput() {
				req, err := c.InputRequest(ctx, run)
				if err != nil {
					return err
				}
				schema, err = inputschema.ParseSchema(req.Schema)
				if err != nil {
					return fmt.Errorf("run %s asks for input with a schema unpause cannot read: %w", run.ID, err)
				}
				answer, err = buildAnswer(schema, inputJSON, inputFile, sets, a.stdin)
				if err != nil {
					return err
				}
				if errs := schema.Validate(answer); len(errs) > 0 {
					return withCode(domain.ExitInvalidInput, fieldErrors(errs))
				}
				payload, err = schema.Marshal(answer)
				if err != nil {
					return err
				}
			} else if len(sets) > 0 || inputJSON != "" || inputFile != "" {
				return usageErrorf("run %s does not ask for input; resume it without --set, --input-json or --input-file", run.ID)
			}
			// What is shown never carries a secret (SecretStr) value.
			shown := payload
			if schema != nil {
				if shown, err = schema.Marshal(schema.MaskSecrets(answer)); err != nil {
					return err
				}
			}
			if dryRun {
				fmt.Fprintln(a.stderr, "Dry run: nothing was sent. This is the answer that would be sent (secrets masked):")
				if shown == nil {
					shown = json.RawMessage("null")
				}
				return writeJSON(a.stdout, shown)
			}
			if !yes {
				if err := confirm(a, fmt.Sprintf("Resume %s (%s)", termsafe.Line(run.Name), run.ID), shown); err != nil {
					return err
				}
			}
			res, err := c.Resume(ctx, run.ID, payload)
			if err != nil {
				return err
			}
			return a.reportAction(output, domain.Resume, run, res, shown, schema)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&sets, "set", nil, "set a field: name=value, a.b=value for nested fields, name:=<json> for raw JSON (repeatable)")
	f.StringVar(&inputJSON, "input-json", "", "the answer as a JSON object")
	f.StringVar(&inputFile, "input-file", "", "read the answer as a JSON object from a file, or - for stdin")
	f.BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	f.BoolVar(&dryRun, "dry-run", false, "validate and print the answer that would be sent, without resuming")
	f.StringVarP(&output, "output", "o", "text", "output format: text or json")
	return cmd
}

// checkOutput refuses an --output format the command does not have.
func checkOutput(output string, formats ...string) error {
	if slices.Contains(formats, output) {
		return nil
	}
	return usageErrorf("--output must be %s, not %q", strings.Join(formats, " or "), output)
}

// resolve returns the client and the run that RUN (an id or a name) names.
func (a *app) resolve(ctx context.Context, arg string) (*apiclient.Client, *apiclient.Run, error) {
	c, err := a.api()
	if err != nil {
		return nil, nil, err
	}
	run, err := c.ResolveRun(ctx, arg)
	if err != nil {
		return nil, nil, err
	}
	return c, run, nil
}

// reportNotPaused answers for a run that no longer waits, without sending
// anything.
func (a *app) reportNotPaused(output string, kind domain.ActionKind, run *apiclient.Run) error {
	res := &apiclient.ActionResult{Outcome: apiclient.NotPausedOutcome(run.State), State: run.State}
	return a.reportAction(output, kind, run, res, nil, nil)
}

// refuseReadOnly stops resume and cancel in read-only mode (--read-only,
// or read_only for the profile); a dry run sends nothing and may go on.
func (a *app) refuseReadOnly(action string, dryRun bool) error {
	if !a.settings.ReadOnly || dryRun {
		return nil
	}
	return usageErrorf("read-only mode (profile %q): %s is disabled; drop --read-only, or set read_only: false for this profile",
		a.settings.Profile, action)
}

func exactlyOneRun(_ *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageErrorf("give exactly one RUN (a run id or name); 'unpause list' shows them")
	}
	return nil
}

// buildAnswer starts from the schema defaults, overlays a whole JSON answer,
// then applies each --set in order.
func buildAnswer(s *inputschema.Schema, inputJSON, inputFile string, sets []string, stdin io.Reader) (map[string]any, error) {
	raw := []byte(inputJSON)
	if inputFile != "" {
		var err error
		if inputFile == "-" {
			raw, err = io.ReadAll(stdin)
		} else {
			raw, err = os.ReadFile(inputFile)
		}
		if err != nil {
			return nil, usageErrorf("cannot read the answer from %s: %v", inputFile, err)
		}
	}
	var whole map[string]any
	if len(raw) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.UseNumber()
		if err := dec.Decode(&whole); err != nil {
			return nil, withCode(domain.ExitInvalidInput, fmt.Errorf("the answer is not a JSON object: %v", err))
		}
	}
	answer, err := s.ApplySets(domain.InitialValues(s.Defaults(), whole), sets)
	if err != nil {
		return nil, withCode(domain.ExitInvalidInput, err)
	}
	return answer, nil
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

// confirm asks on the terminal. With no terminal it refuses: a script must
// say --yes, so a wrong pipe never resumes a production run.
func confirm(a *app, what string, payload json.RawMessage) error {
	if !term.IsTerminal(int(os.Stdin.Fd())) || !term.IsTerminal(int(os.Stderr.Fd())) {
		return usageErrorf("%s: confirmation needed, and there is no terminal to ask on; add --yes to proceed", what)
	}
	fmt.Fprintf(a.stderr, "%s", what)
	if payload != nil {
		fmt.Fprintf(a.stderr, " with this answer:\n%s\n", termsafe.Text(domain.IndentJSON(payload, "  ")))
	} else {
		fmt.Fprintln(a.stderr, "?")
	}
	fmt.Fprint(a.stderr, "Proceed? [y/N] ")
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && line == "" {
		return withCode(domain.ExitUsage, errors.New("no answer to the confirmation (end of input); nothing was sent"))
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return withCode(domain.ExitUsage, errors.New("not confirmed; nothing was sent"))
}

// reportAction prints the result of resume or cancel and picks the exit code.
func (a *app) reportAction(output string, kind domain.ActionKind, run *apiclient.Run, res *apiclient.ActionResult, payload json.RawMessage, schema *inputschema.Schema) error {
	out := actionJSON{RunID: run.ID, RunName: run.Name, Outcome: string(res.Outcome), Reason: res.Reason, Input: payload, Verified: res.Verified}
	if res.State != nil {
		out.State = res.State.Name
	}
	if res.Outcome == apiclient.OutcomeRejected && schema != nil {
		if p, ok := schema.FieldForReason(res.Reason); ok {
			out.Field = p
		}
	}
	told := domain.Describe(domain.Action{Kind: kind, RunID: run.ID, RunName: run.Name, Field: out.Field}, res)
	if output == "json" {
		if err := writeJSON(a.stdout, out); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(a.stdout, told.CLI)
	}
	if told.Exit == domain.ExitOK {
		return nil
	}
	return withCode(told.Exit, errors.New(told.CLIError))
}

func newCancelCmd(a *app) *cobra.Command {
	var (
		reason string
		yes    bool
		output string
	)
	cmd := &cobra.Command{
		Use:   "cancel RUN --reason TEXT",
		Short: "Cancel (reject) a paused run, with a reason",
		Long: `Cancel a paused or suspended flow run instead of answering it. The reason is
recorded as the state message that Prefect's UI shows.`,
		Example: `  unpause cancel crimson-falcon --reason "wrong target database" --yes`,
		Args:    exactlyOneRun,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "text", "json"); err != nil {
				return err
			}
			if strings.TrimSpace(reason) == "" {
				return usageErrorf("give a reason with --reason; it is recorded on the run")
			}
			if err := a.refuseReadOnly("cancel", false); err != nil {
				return err
			}
			ctx := cmd.Context()
			c, run, err := a.resolve(ctx, args[0])
			if err != nil {
				return err
			}
			if !run.Paused() {
				return a.reportNotPaused(output, domain.Cancel, run)
			}
			if !yes {
				if err := confirm(a, fmt.Sprintf("Cancel %s (%s) with reason %q", termsafe.Line(run.Name), run.ID, reason), nil); err != nil {
					return err
				}
			}
			res, err := c.Cancel(ctx, run.ID, reason)
			if err != nil {
				return err
			}
			return a.reportAction(output, domain.Cancel, run, res, nil, nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&reason, "reason", "", "why the run is cancelled (required)")
	f.BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	f.StringVarP(&output, "output", "o", "text", "output format: text or json")
	return cmd
}

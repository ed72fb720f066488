// Package show is `unpause show RUN`: a run's facts, what it asks for, and
// the answers it already received.
package show

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
)

// API is what show needs of the Prefect client.
type API interface {
	cmdutil.RunResolver
	InputRequest(ctx context.Context, r *apiclient.Run) (*apiclient.InputRequest, error)
	History(ctx context.Context, runID string) (*apiclient.History, error)
	RunURL(runID string) string
}

// Options are show's flags and collaborators.
type Options struct {
	IO     *cmdutil.IOStreams
	API    func() (API, error)
	Now    func() time.Time
	Run    string
	Output string
}

// JSON is the stable JSON shape of `show --output json`.
type JSON struct {
	Run         cmdutil.RunJSON            `json:"run"`
	Description string                     `json:"description"`
	Schema      json.RawMessage            `json:"schema,omitempty"`
	Fields      []inputschema.FieldSummary `json:"fields"`
	Responses   []apiclient.Response       `json:"responses"`
	// CancelledBy is who cancelled the run through unpause (null when no
	// record says so: not cancelled, or by another tool).
	CancelledBy *apiclient.Record `json:"cancelled_by"`
}

// NewCmdShow builds the command; runF replaces the run function in tests.
func NewCmdShow(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO, Now: time.Now, API: func() (API, error) { return f.Client() }}
	cmd := &cobra.Command{
		Use:   "show RUN",
		Short: "Show a run, what it asks for, and the answers it already received",
		Long: `Show a paused run: its facts, its description as Markdown text, and the
fields an answer needs, with types, defaults and constraints.
RUN is a run id, an unambiguous run name, or the run's link in the Prefect UI.`,
		Args:              cmdutil.ExactlyOneRun,
		ValidArgsFunction: cmdutil.CompleteRuns(f, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cmdutil.CheckOutput(opts.Output, "text", "json"); err != nil {
				return err
			}
			opts.Run = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return showRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "text", "output format: text or json")
	cmdutil.CompleteOutput(cmd, "text", "json")
	return cmd
}

func showRun(ctx context.Context, opts *Options) error {
	c, run, err := cmdutil.OpenRun(ctx, opts.IO, opts.API, opts.Run)
	if err != nil {
		return err
	}
	out := JSON{Run: cmdutil.ToRunJSON(run, c.RunURL(run.ID)), Fields: []inputschema.FieldSummary{}}
	if run.Paused() && run.NeedsInput() {
		req, err := c.InputRequest(ctx, run)
		if err != nil {
			return err
		}
		out.Description, out.Schema = req.Description, req.Schema
		schema, err := inputschema.ParseSchema(req.Schema)
		if err != nil {
			return cmdutil.WithCode(domain.ExitError, fmt.Errorf("run %s: %w", run.ID, err))
		}
		out.Fields = schema.Summaries()
	}
	h, err := c.History(ctx, run.ID)
	if err != nil {
		return err
	}
	out.Responses = domain.MaskResponses(h.Responses) // a secret sent once is never shown
	// A record speaks for a cancel only while the run shows it.
	if run.State != nil && (run.State.Type == "CANCELLED" || run.State.Type == "CANCELLING") {
		out.CancelledBy = h.CancelledBy
	}
	if out.Responses == nil {
		out.Responses = []apiclient.Response{}
	}
	if opts.Output == "json" {
		return cmdutil.WriteJSON(opts.IO.Out, out)
	}
	writeText(opts.IO.Out, out, opts.Now())
	return nil
}

func writeText(w io.Writer, s JSON, now time.Time) {
	writeFacts(w, s.Run, now)
	r := s.Run
	if s.Description != "" {
		fmt.Fprintf(w, "\nDescription:\n%s\n", indent(termsafe.Text(s.Description), "  "))
	}
	if r.NeedsInput {
		fmt.Fprintln(w, "\nFields (set with --set name=value):")
		for _, f := range s.Fields {
			fmt.Fprintf(w, "  %s\n", termsafe.Line(f.String()))
			if f.Description != "" {
				fmt.Fprintf(w, "      %s\n", termsafe.Line(f.Description))
			}
		}
	} else if r.PausedSince != nil {
		fmt.Fprintln(w, "\nThis run asks for no input: 'unpause resume RUN' resumes it.")
	} else {
		fmt.Fprintln(w, "\n"+domain.NoLongerWaiting(r.State))
		if by := domain.CancelledBy(s.CancelledBy, time.Local); by != "" {
			fmt.Fprintln(w, "  "+by)
		}
	}
	if len(s.Responses) > 0 {
		fmt.Fprintln(w, "\nAnswers already received:")
		for _, resp := range s.Responses {
			fmt.Fprintf(w, "  %s  %s  %s\n", resp.Created.Local().Format(time.RFC3339), termsafe.Line(resp.Key), termsafe.Line(string(resp.Value)))
			if by := domain.AnsweredBy(resp.AnsweredBy, time.Local); by != "" {
				fmt.Fprintf(w, "      %s\n", by)
			}
		}
	}
}

// writeFacts prints the run's facts, one per line.
func writeFacts(w io.Writer, r cmdutil.RunJSON, now time.Time) {
	fmt.Fprintf(w, "Run:         %s (%s)\n", termsafe.Line(r.Name), termsafe.Line(r.ID))
	flow := termsafe.Line(r.Flow)
	if r.Deployment != "" {
		flow += " / " + termsafe.Line(r.Deployment)
	}
	fmt.Fprintf(w, "Flow:        %s\n", flow)
	if r.PausedSince != nil {
		fmt.Fprintf(w, "State:       %s (%s)\n", termsafe.Line(r.StateName), r.State)
		fmt.Fprintf(w, "Paused:      %s (%s ago)\n", r.PausedSince.Local().Format(time.RFC3339), domain.Age(*r.PausedSince, now))
		fmt.Fprintf(w, "Expires:     %s\n", domain.ExpiresIn(r.ExpiresAt, now))
	} else {
		fmt.Fprintf(w, "State:       %s (no longer waiting)\n", termsafe.Line(cmp.Or(r.StateName, r.State)))
		if !r.StateSince.IsZero() {
			fmt.Fprintf(w, "Since:       %s (%s ago)\n", r.StateSince.Local().Format(time.RFC3339), domain.Age(r.StateSince, now))
		}
	}
	if len(r.Tags) > 0 {
		fmt.Fprintf(w, "Tags:        %s\n", termsafe.Line(strings.Join(r.Tags, ", ")))
	}
	if r.WorkPool != "" {
		fmt.Fprintf(w, "Work pool:   %s\n", termsafe.Line(r.WorkPool))
	}
	if len(r.Parameters) > 0 && string(r.Parameters) != "{}" {
		fmt.Fprintf(w, "Parameters:  %s\n", termsafe.Line(string(r.Parameters)))
	}
	fmt.Fprintf(w, "URL:         %s\n", termsafe.Line(r.URL))
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// Package list is `unpause list`: the paused and suspended runs, in the
// inbox's order.
package list

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// API is what list needs of the Prefect client.
type API interface {
	ListPaused(ctx context.Context, o apiclient.ListOptions) ([]apiclient.Run, apiclient.ListStats, error)
	RunURL(runID string) string
}

// Options are list's flags and collaborators.
type Options struct {
	IO         *cmdutil.IOStreams
	API        func() (API, error)
	Now        func() time.Time
	Output     string
	Flows      []string
	Tags       []string
	NeedsInput bool
}

// NewCmdList builds the command; runF replaces the run function in tests.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO, Now: time.Now, API: func() (API, error) { return f.Client() }}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List paused and suspended flow runs",
		Long: `List flow runs that are paused or suspended, soonest expiry first.

The table goes to stdout; with --output json, stdout carries a JSON array and
nothing else.`,
		Example: `  unpause list
  unpause list --needs-input --flow nightly-etl --output json | jq -r '.[].id'`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.CheckOutput(opts.Output, "table", "json"); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Output, "output", "o", "table", "output format: table or json")
	cmdutil.CompleteOutput(cmd, "table", "json")
	fl.StringArrayVar(&opts.Flows, "flow", nil, "only runs of this flow, or flow/deployment as the FLOW column shows it (repeatable)")
	fl.StringArrayVar(&opts.Tags, "tag", nil, "only runs with this tag (repeatable; all must match)")
	fl.BoolVar(&opts.NeedsInput, "needs-input", false, "only runs that wait for input")
	return cmd
}

func listRun(ctx context.Context, opts *Options) error {
	c, err := opts.API()
	if err != nil {
		return err
	}
	filter := domain.RunFilter{Flows: opts.Flows, Tags: opts.Tags, NeedsInput: opts.NeedsInput}
	runs, _, err := c.ListPaused(ctx, filter.ListOptions())
	if err != nil {
		return err
	}
	runs = slices.DeleteFunc(runs, func(r apiclient.Run) bool { return !filter.Match(&r) })
	rows := domain.NewRows(runs)
	domain.SortRows(rows, domain.SortExpiry) // the inbox's order
	if opts.Output == "json" {
		out := make([]cmdutil.RunJSON, 0, len(rows))
		for i := range rows {
			out = append(out, cmdutil.ToRunJSON(rows[i].Run, c.RunURL(rows[i].Run.ID)))
		}
		return cmdutil.WriteJSON(opts.IO.Out, out)
	}
	if len(rows) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "No paused or suspended runs match.")
		return nil
	}
	return writeRunTable(opts.IO.Out, rows, opts.Now())
}

// writeRunTable prints the plain-text inbox. Every API string is sanitised.
func writeRunTable(w io.Writer, rows []domain.Row, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFLOW\tRUN\tSTATE\tWAITING\tEXPIRES\tINPUT\tTAGS")
	for i := range rows {
		row, r := &rows[i], rows[i].Run
		input := "-"
		if row.Input {
			input = "yes"
		}
		// Empty cells read "-", a missing flow name too: not the inbox's
		// "(unknown flow)".
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			cell(r.ID), cell(domain.FlowLabel(r, "")), cell(r.Name), row.State(), domain.Age(row.Since, now),
			domain.ExpiresIn(row.Expires, now), input, cell(strings.Join(r.Tags, ",")))
	}
	return tw.Flush()
}

// cell makes an API string safe and tab-free for one table cell.
func cell(s string) string {
	s = termsafe.Line(s)
	if s == "" {
		return "-"
	}
	return s
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// runJSON is the stable JSON shape of a run in `list` and `show` output.
type runJSON struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Flow        string          `json:"flow"`
	Deployment  string          `json:"deployment,omitempty"`
	WorkPool    string          `json:"work_pool,omitempty"`
	Tags        []string        `json:"tags"`
	State       string          `json:"state"` // "paused" or "suspended"
	StateName   string          `json:"state_name"`
	PausedSince time.Time       `json:"paused_since"`
	ExpiresAt   *time.Time      `json:"expires_at"`
	NeedsInput  bool            `json:"needs_input"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
	URL         string          `json:"url"`
}

func toRunJSON(c *apiclient.Client, r *apiclient.Run) runJSON {
	tags := r.Tags
	if tags == nil {
		tags = []string{}
	}
	stateName := ""
	if r.State != nil {
		stateName = r.State.Name
	}
	return runJSON{
		ID: r.ID, Name: r.Name, Flow: r.FlowName, Deployment: r.DeploymentName,
		WorkPool: r.WorkPoolName, Tags: tags, State: domain.PauseState(r), StateName: stateName,
		PausedSince: r.PausedSince(), ExpiresAt: r.ExpiresAt(), NeedsInput: r.NeedsInput(),
		Parameters: r.Parameters, URL: c.RunURL(r.ID),
	}
}

func newListCmd(a *app) *cobra.Command {
	var (
		output     string
		flows      []string
		tags       []string
		needsInput bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List paused and suspended flow runs",
		Long: `List flow runs that are paused or suspended, soonest expiry first.

The table goes to stdout; with --output json, stdout carries a JSON array and
nothing else.`,
		Example: `  unpause list
  unpause list --needs-input --flow nightly-etl --output json | jq -r '.[].id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output, "table", "json"); err != nil {
				return err
			}
			c, err := a.api()
			if err != nil {
				return err
			}
			runs, _, err := c.ListPaused(cmd.Context(), apiclient.ListOptions{FlowNames: flows, Tags: tags, NeedsInputOnly: needsInput})
			if err != nil {
				return err
			}
			rows := domain.NewRows(runs)
			domain.SortRows(rows, domain.SortExpiry) // the inbox's order
			if output == "json" {
				out := make([]runJSON, 0, len(rows))
				for i := range rows {
					out = append(out, toRunJSON(c, rows[i].Run))
				}
				return writeJSON(a.stdout, out)
			}
			if len(rows) == 0 {
				fmt.Fprintln(a.stderr, "No paused or suspended runs match.")
				return nil
			}
			writeRunTable(a.stdout, rows, time.Now())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&output, "output", "o", "table", "output format: table or json")
	f.StringArrayVar(&flows, "flow", nil, "only runs of this flow (repeatable)")
	f.StringArrayVar(&tags, "tag", nil, "only runs with this tag (repeatable; all must match)")
	f.BoolVar(&needsInput, "needs-input", false, "only runs that wait for input")
	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeRunTable prints the plain-text inbox. Every API string is sanitised.
func writeRunTable(w io.Writer, rows []domain.Row, now time.Time) {
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
			r.ID, cell(domain.FlowLabel(r, "")), cell(r.Name), row.State(), domain.Age(row.Since, now),
			domain.ExpiresIn(row.Expires, now), input, cell(strings.Join(r.Tags, ",")))
	}
	tw.Flush()
}

// cell makes an API string safe and tab-free for one table cell.
func cell(s string) string {
	s = termsafe.Line(s)
	if s == "" {
		return "-"
	}
	return s
}

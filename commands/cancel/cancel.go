// Package cancel is `unpause cancel RUN --reason TEXT`: reject a paused run
// instead of answering it.
package cancel

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// API is what cancel needs of the Prefect client.
type API interface {
	cmdutil.RunResolver
	Cancel(ctx context.Context, runID, reason string) (*apiclient.ActionResult, error)
}

// Options are cancel's flags and collaborators.
type Options struct {
	IO       *cmdutil.IOStreams
	API      func() (API, error)
	Settings func() *config.Settings

	Run    string
	Reason string
	Yes    bool
	Output string
}

// NewCmdCancel builds the command; runF replaces the run function in tests.
func NewCmdCancel(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IO, API: func() (API, error) { return f.Client() },
		Settings: func() *config.Settings { return f.Settings },
	}
	cmd := &cobra.Command{
		Use:   "cancel RUN --reason TEXT",
		Short: "Cancel (reject) a paused run, with a reason",
		Long: `Cancel a paused or suspended flow run instead of answering it. The run ends
Cancelled with the reason as its state message, which Prefect's UI shows.

A suspended run is cancelled at once. A run paused in a deployment is stopped by
its runner (unpause waits up to 30 s for it). A run paused in a process started
by hand cannot be stopped by any API call: it is marked Cancelled, but its
process keeps waiting until the pause times out, and Prefect then marks it
Failed; unpause says so, with the time.`,
		Example:           `  unpause cancel crimson-falcon --reason "wrong target database" --yes`,
		Args:              cmdutil.ExactlyOneRun,
		ValidArgsFunction: cmdutil.CompleteRuns(f, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cmdutil.CheckOutput(opts.Output, "text", "json"); err != nil {
				return err
			}
			if strings.TrimSpace(opts.Reason) == "" {
				return cmdutil.UsageErrorf("give a reason with --reason: %s", domain.CancelReasonWhy)
			}
			opts.Run = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return cancelRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Reason, "reason", "", "why the run is cancelled (required)")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	fl.StringVarP(&opts.Output, "output", "o", "text", "output format: text or json")
	cmdutil.CompleteOutput(cmd, "text", "json")
	return cmd
}

func cancelRun(ctx context.Context, opts *Options) error {
	if err := cmdutil.RefuseReadOnly(opts.Settings(), "cancel", false); err != nil {
		return err
	}
	c, run, err := cmdutil.OpenRun(ctx, opts.IO, opts.API, opts.Run)
	if err != nil {
		return err
	}
	if !run.Paused() {
		return cmdutil.ReportAction(opts.IO, opts.Output, cmdutil.NotPaused(domain.Cancel, run))
	}
	if !opts.Yes {
		what := fmt.Sprintf("%s\nCancel %s (%s) with reason %q", domain.CancelEffect(run), termsafe.Line(run.Name), run.ID, opts.Reason)
		if err := cmdutil.Confirm(opts.IO, what, nil); err != nil {
			return err
		}
	}
	if opts.IO.ErrTTY && run.DeploymentID != "" && !run.Suspended() {
		fmt.Fprintln(opts.IO.ErrOut, "cancelling: waiting for its runner to stop the flow's process (up to 30 s)...")
	}
	res, err := c.Cancel(ctx, run.ID, opts.Reason)
	if err != nil {
		return err
	}
	return cmdutil.ReportAction(opts.IO, opts.Output, cmdutil.Report{Kind: domain.Cancel, Run: run, Result: res})
}

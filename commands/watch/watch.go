// Package watch is `unpause watch`: one line per change to the waiting
// runs (a run started waiting, was resumed, cancelled, expired), from
// Prefect's event stream, polling when the server has none.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/feed"
	"github.com/unpause-dev/unpause/termsafe"
)

// API is what watch needs of the Prefect client.
type API interface {
	feed.Source
	RunURL(runID string) string
}

// Options are watch's flags and collaborators.
type Options struct {
	IO  *cmdutil.IOStreams
	API func() (API, error)
	// Feed starts the feed (feed.Start; tests may replace it).
	Feed func(ctx context.Context, src feed.Source, o feed.Options) *feed.Feed
	// Exec runs one --exec command (tests may replace it).
	Exec func(ctx context.Context, argv, env []string, stdout, stderr io.Writer) error
	Now  func() time.Time

	Output      string
	Filter      domain.RunFilter
	NewOnly     bool
	ExitOnFirst bool
	Command     []string // --exec CMD and its ARGS
	// PollInterval is the listing interval while the stream is down (the
	// refresh interval setting).
	PollInterval time.Duration
}

// NewCmdWatch builds the command; runF replaces the run function in tests.
func NewCmdWatch(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IO, Now: time.Now, Feed: feed.Start, Exec: runExec,
		API: func() (API, error) { return f.Client() },
	}
	var execCmd string
	cmd := &cobra.Command{
		Use:   "watch [--exec CMD [ARGS...]]",
		Short: "Print a line for each run that starts or stops waiting",
		Long: `Watch the waiting runs and print one line per change: a run started waiting,
was resumed, is cancelling, was cancelled, expired, ended or was deleted.
Runs already waiting are printed first (--new-only skips them).

Changes come from Prefect's event stream within about a second; when the
server has no stream (Prefect 2.x) or it is down, watch polls every
refresh interval instead. With --output json each line is one JSON object
(JSON Lines). Progress and warnings go to stderr.

--exec runs a command for every run that starts waiting, with the run's
fields in UNPAUSE_* environment variables (see below). The command is run
directly, never through a shell: a run's name cannot inject anything. Its
output goes to stderr; a failure is reported and watching goes on.

Environment for --exec: UNPAUSE_EVENT, UNPAUSE_RUN_ID, UNPAUSE_RUN_NAME,
UNPAUSE_FLOW, UNPAUSE_DEPLOYMENT, UNPAUSE_STATE, UNPAUSE_NEEDS_INPUT
(true/false), UNPAUSE_EXPIRES_AT (RFC 3339, empty when none), UNPAUSE_TAGS
(comma-separated), UNPAUSE_RUN_URL.`,
		Example: `  unpause watch
  unpause watch --needs-input --output json | jq -r 'select(.event=="waiting") | .run.id'
  unpause watch --flow nightly-etl --exec ./page-oncall.sh -- --urgent
  run=$(unpause watch --needs-input --new-only --exit-on-first --output json | jq -r .run.id)`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cmdutil.CheckOutput(opts.Output, "text", "json"); err != nil {
				return err
			}
			if execCmd == "" && len(args) > 0 {
				return cmdutil.WithCode(domain.ExitUsage, fmt.Errorf("unexpected arguments %q: watch takes none, except the ARGS of --exec CMD", args))
			}
			if execCmd != "" {
				opts.Command = append([]string{execCmd}, args...)
			}
			opts.PollInterval = f.Settings.RefreshInterval
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return watchRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Output, "output", "o", "text", "output format: text or json (JSON Lines)")
	cmdutil.CompleteOutput(cmd, "text", "json")
	fl.StringArrayVar(&opts.Filter.Flows, "flow", nil, "only runs of this flow, or flow/deployment (repeatable)")
	fl.StringArrayVar(&opts.Filter.Tags, "tag", nil, "only runs with this tag (repeatable; all must match)")
	fl.BoolVar(&opts.Filter.NeedsInput, "needs-input", false, "only runs that wait for input")
	fl.BoolVar(&opts.NewOnly, "new-only", false, "skip the runs already waiting when watch starts")
	fl.BoolVar(&opts.ExitOnFirst, "exit-on-first", false, "exit after the first run that is waiting (with --new-only: the first new one)")
	fl.StringVar(&execCmd, "exec", "", "run CMD (with the ARGS after it) for each run that starts waiting")
	return cmd
}

func watchRun(ctx context.Context, opts *Options) error {
	c, err := opts.API()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := opts.Feed(ctx, c, feed.Options{Filter: opts.Filter, PollInterval: opts.PollInterval, Now: opts.Now})
	w := &watcher{opts: opts, api: c, mode: feed.Connecting}
	for u := range f.Updates() {
		done, err := w.update(ctx, u)
		if err != nil || done {
			return err
		}
	}
	return nil // interrupted: the feed closes when the context ends
}

// watcher turns feed updates into lines.
type watcher struct {
	opts    *Options
	api     API
	mode    feed.Mode
	started bool
}

// update prints the changes of one update; done is true when watch should
// end (--exit-on-first).
func (w *watcher) update(ctx context.Context, u feed.Update) (done bool, err error) {
	if u.Initial && u.Err != nil {
		return true, u.Err // nothing listed yet: fail as list would
	}
	w.say(u)
	changes := u.Changes
	if u.Initial && !w.started {
		w.started = true
		if !w.opts.NewOnly {
			changes = initialChanges(u.Runs)
		}
	}
	for _, c := range changes {
		if err := w.emit(c, u.Initial); err != nil {
			return true, err
		}
		if c.Kind != domain.ChangeWaiting {
			continue
		}
		if len(w.opts.Command) > 0 {
			w.exec(ctx, c)
		}
		if w.opts.ExitOnFirst {
			return true, nil
		}
	}
	return false, nil
}

// initialChanges are the runs waiting at start, in the inbox's order.
func initialChanges(runs []apiclient.Run) []feed.Change {
	rows := domain.NewRows(runs)
	domain.SortRows(rows, domain.SortExpiry)
	out := make([]feed.Change, 0, len(rows))
	for i := range rows {
		out = append(out, feed.Change{Kind: domain.ChangeWaiting, Run: *rows[i].Run})
	}
	return out
}

// say reports, on stderr, how watch learns of changes when that changes.
func (w *watcher) say(u feed.Update) {
	if u.Err != nil {
		fmt.Fprintln(w.opts.IO.ErrOut, "watch: reading the runs failed, retrying:", termsafe.Line(u.Err.Error()))
	}
	if u.Mode == w.mode {
		return
	}
	w.mode = u.Mode
	switch u.Mode {
	case feed.Live:
		fmt.Fprintln(w.opts.IO.ErrOut, "watch: live (Prefect's event stream)")
	case feed.Polling:
		msg := "watch: no event stream; polling every " + w.opts.PollInterval.String()
		if u.StreamErr != nil {
			msg += " (" + termsafe.Line(u.StreamErr.Error()) + ")"
		}
		fmt.Fprintln(w.opts.IO.ErrOut, msg)
	case feed.Offline:
		fmt.Fprintln(w.opts.IO.ErrOut, "watch: offline: the server cannot be reached; retrying")
	}
}

// ChangeJSON is one line of --output json.
type ChangeJSON struct {
	Event   domain.ChangeKind `json:"event"`
	At      time.Time         `json:"at"`
	Initial bool              `json:"initial"` // waiting when watch started
	Run     cmdutil.RunJSON   `json:"run"`
}

func (w *watcher) emit(c feed.Change, initial bool) error {
	out := w.opts.IO.Out
	now := w.opts.Now()
	if w.opts.Output == "json" {
		return cmdutil.WriteJSONLine(out, ChangeJSON{
			Event: c.Kind, At: now.UTC(), Initial: initial, Run: cmdutil.ToRunJSON(&c.Run, w.api.RunURL(c.Run.ID)),
		})
	}
	_, err := fmt.Fprintln(out, TextLine(c, now))
	return err
}

// TextLine is one change as text: time, event, id, flow, run name, and
// for a waiting run whether it asks for input and when it expires. Every
// API string is sanitised.
func TextLine(c feed.Change, now time.Time) string {
	r := &c.Run
	parts := []string{
		now.Format("15:04:05"), fmt.Sprintf("%-10s", c.Kind), r.ID,
		termsafe.Line(domain.FlowLabel(r, "-")), termsafe.Line(r.Name),
	}
	if c.Kind == domain.ChangeWaiting {
		detail := "no input"
		if r.NeedsInput() {
			detail = "needs input"
		}
		if r.State != nil && r.State.Details.PauseTimeout != nil {
			detail += ", expires " + domain.ExpiresIn(r.State.Details.PauseTimeout, now)
		}
		parts = append(parts, "("+detail+")")
	}
	return strings.Join(parts, "  ")
}

// exec runs --exec for a run that started waiting. Its failure is said and
// watching goes on.
func (w *watcher) exec(ctx context.Context, c feed.Change) {
	env := append(os.Environ(), RunEnv(c, w.api.RunURL(c.Run.ID))...)
	err := w.opts.Exec(ctx, w.opts.Command, env, w.opts.IO.ErrOut, w.opts.IO.ErrOut)
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(w.opts.IO.ErrOut, "watch: --exec %s for run %s: %s\n",
			termsafe.Line(w.opts.Command[0]), c.Run.ID, termsafe.Line(err.Error()))
	}
}

// RunEnv is the environment --exec gets: the run's fields, sanitised (no
// control characters, so a hook that echoes them cannot drive a terminal).
func RunEnv(c feed.Change, url string) []string {
	r := &c.Run
	expires, state := "", ""
	if r.State != nil {
		state = domain.RunState(r)
		if t := r.State.Details.PauseTimeout; t != nil {
			expires = t.UTC().Format(time.RFC3339)
		}
	}
	tags := make([]string, len(r.Tags))
	for i, t := range r.Tags {
		tags[i] = termsafe.Line(t)
	}
	return []string{
		"UNPAUSE_EVENT=" + string(c.Kind),
		"UNPAUSE_RUN_ID=" + termsafe.Line(r.ID),
		"UNPAUSE_RUN_NAME=" + termsafe.Line(r.Name),
		"UNPAUSE_FLOW=" + termsafe.Line(r.FlowName),
		"UNPAUSE_DEPLOYMENT=" + termsafe.Line(r.DeploymentName),
		"UNPAUSE_STATE=" + state,
		"UNPAUSE_NEEDS_INPUT=" + strconv.FormatBool(r.NeedsInput()),
		"UNPAUSE_EXPIRES_AT=" + expires,
		"UNPAUSE_TAGS=" + strings.Join(tags, ","),
		"UNPAUSE_RUN_URL=" + termsafe.Line(url),
	}
}

// runExec runs argv directly (no shell) and waits for it.
func runExec(ctx context.Context, argv, env []string, stdout, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...) //nolint:gosec // the operator's own command, run without a shell
	cmd.Env, cmd.Stdout, cmd.Stderr = env, stdout, stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("exited with status %d", ee.ExitCode())
	}
	return err
}

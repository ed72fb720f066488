// Package inbox is `unpause` with no command: the interactive inbox, or
// accessible mode's line-by-line front end.
package inbox

import (
	"context"
	"errors"
	"os"

	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui"
	"github.com/unpause-dev/unpause/tui/accessible"
)

// Options are the inbox's collaborators.
type Options struct {
	IO      *cmdutil.IOStreams
	Factory *cmdutil.Factory
	// StateDir is where drafts live.
	StateDir string
	// Run and RunAccessible start the two front ends (tui.Run and
	// accessible.Run; a test may replace them).
	Run           func(context.Context, tui.Options) error
	RunAccessible func(context.Context, accessible.Options) error
}

// NewOptions wires the real front ends.
func NewOptions(f *cmdutil.Factory) *Options {
	return &Options{
		IO: f.IO, Factory: f, StateDir: f.DraftDir(), Run: tui.Run, RunAccessible: accessible.Run,
	}
}

// Run opens the inbox, or explains why it cannot.
func Run(ctx context.Context, opts *Options) error {
	s := opts.Factory.Settings
	interactive := opts.IO.InTTY && opts.IO.OutTTY
	if opts.Factory.Session != nil && !s.Accessible {
		return cmdutil.UsageErrorf("over unpause serve the full-screen inbox opens with no command: ssh -t HOST; " +
			"add --accessible (ssh -t HOST --accessible) for the line-by-line mode")
	}
	if !s.Accessible && (!interactive || opts.IO.Term == "dumb") {
		return cmdutil.UsageErrorf("the inbox needs an interactive terminal, and this is not one " +
			"(no TTY: ssh without -t, cron or a pipe).\n" +
			"Use ssh -t, or the scriptable commands: unpause list, unpause show RUN, unpause resume RUN --set field=value --yes.\n" +
			"For a line-by-line mode that works with screen readers, use --accessible")
	}
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	if s.Accessible {
		return opts.RunAccessible(ctx, accessible.Options{
			API: client, Profile: s.Profile, ServerURL: s.DisplayURL(), ReadOnly: s.ReadOnly,
			StateDir: opts.StateDir, In: opts.IO.In, Out: opts.IO.Out,
		})
	}
	return ExitError(opts.Run(ctx, TUIOptions(opts.Factory, client, opts.StateDir)))
}

// TUIOptions are the inbox's options from f's settings, acting through
// client, with drafts under stateDir (`unpause serve` builds its sessions'
// inboxes with them too).
func TUIOptions(f *cmdutil.Factory, client *cmdutil.Client, stateDir string) tui.Options {
	s := f.Settings
	return tui.Options{
		API:             client,
		Profile:         s.Profile,
		ServerURL:       s.DisplayURL(),
		Profiles:        s.Profiles,
		ReadOnly:        s.ReadOnly,
		RefreshInterval: s.RefreshInterval,
		SafetyInterval:  s.SafetyInterval,
		NoLive:          s.NoLive,
		Notify:          notifier(s.Notify),
		Remote:          f.Session != nil || os.Getenv("SSH_CONNECTION") != "" || os.Getenv("SSH_TTY") != "",
		Theme:           s.Theme,
		NoColor:         s.NoColor,
		StateDir:        stateDir,
		Version:         f.Build.Version,
		SwitchProfile:   func(name string) (tui.API, tui.ProfileInfo, error) { return switchProfile(f, name) },
	}
}

// ExitError gives the inbox's error its exit code: quitting while a resume
// or cancel was in flight leaves its outcome unknown (ExitUnknown, as for
// resume and cancel themselves). Quick answers kept as drafts on quitting
// are news, not a failure: the operator chose to quit (and was asked first);
// they are said, and the exit code is 0.
func ExitError(err error) error {
	var inFlight *tui.QuitInFlightError
	if errors.As(err, &inFlight) {
		return cmdutil.WithCode(domain.ExitUnknown, err)
	}
	if err != nil && onlyUnsent(err) {
		return cmdutil.WithCode(domain.ExitOK, err)
	}
	return err
}

// onlyUnsent reports whether err is nothing but quick answers kept unsent
// (alone, or joined with nothing else).
func onlyUnsent(err error) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !onlyUnsent(e) {
				return false
			}
		}
		return true
	}
	var unsent *tui.UnsentQuickError
	return errors.As(err, &unsent)
}

func switchProfile(f *cmdutil.Factory, name string) (tui.API, tui.ProfileInfo, error) {
	s, err := config.LoadProfile(context.Background(), f.Settings, name)
	if err != nil {
		return nil, tui.ProfileInfo{}, err
	}
	c, err := f.NewClient(s)
	if err != nil {
		return nil, tui.ProfileInfo{}, err
	}
	f.UseSettings(s, c)
	return c, tui.ProfileInfo{Name: s.Profile, ServerURL: s.DisplayURL(), ReadOnly: s.ReadOnly, Notify: notifier(s.Notify)}, nil
}

// StateDir is where drafts live: cmdutil.StateDir.
func StateDir() string { return cmdutil.StateDir() }

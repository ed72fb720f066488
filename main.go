// Command unpause answers Prefect flow runs that wait for a human, from a
// terminal: an inbox TUI, plus scriptable commands with JSON output and
// stable exit codes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui"
)

// Stamped by goreleaser (-X main.version=... -X main.commit=...).
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

// codedError carries an exit code with the error a command returns. The
// codes are domain's (domain.ExitCode), the scripting contract.
type codedError struct {
	code domain.ExitCode
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

func withCode(code domain.ExitCode, err error) error { return &codedError{code: code, err: err} }

func usageErrorf(format string, a ...any) error {
	return withCode(domain.ExitUsage, fmt.Errorf(format, a...))
}

// exitCodeFor maps an error to the documented exit code: the code a command
// gave it, usage for settings and input that ended, else by its API kind.
func exitCodeFor(err error) domain.ExitCode {
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	if errors.Is(err, config.ErrNoServer) || errors.Is(err, tui.ErrEndOfInput) {
		return domain.ExitUsage
	}
	return domain.ExitCodeFor(err)
}

// app is what every command shares: settings and a lazily built client.
type app struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	settings       *config.Settings
	client         *apiclient.Client
}

func (a *app) load(cmd *cobra.Command) error {
	s, err := config.Load(cmd.Context(), cmd.Flags(), nil)
	if err != nil {
		return err
	}
	a.settings = s
	for _, w := range s.Warnings {
		fmt.Fprintln(a.stderr, "unpause: warning:", termsafe.Line(w))
	}
	return nil
}

// api returns the client, building it on first use so that commands such as
// `config` work without a server.
func (a *app) api() (*apiclient.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	c, err := newClient(a.settings)
	if err != nil {
		return nil, err
	}
	a.client = c
	return c, nil
}

func newClient(s *config.Settings) (*apiclient.Client, error) {
	if err := s.RequireServer(); err != nil {
		return nil, err
	}
	return apiclient.New(apiclient.Options{
		BaseURL:            s.APIURL,
		APIKey:             s.APIKey,
		AuthString:         s.AuthString,
		CAFile:             s.CAFile,
		InsecureSkipVerify: s.InsecureSkipVerify,
		Timeout:            s.Timeout,
		UserAgent:          "unpause/" + version,
	})
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "unpause",
		Short: "Answer Prefect flow runs that wait for a human",
		Long: `unpause lists Prefect flow runs that are paused or suspended waiting for input,
shows what each one asks, and resumes it with a validated answer.

Run it with no command for the interactive inbox. Every action also has a
scriptable form (list, show, resume, cancel) with JSON output and stable exit
codes; see 'unpause help exit-codes'.`,
		Version:       fmt.Sprintf("%s (commit %s, built %s)", version, commit, date),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Annotations["noConfig"] == "true" {
				return nil
			}
			return a.load(cmd)
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runTUI(cmd.Context()) },
	}
	root.SetVersionTemplate("unpause {{.Version}}\n")
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	config.BindFlags(root.PersistentFlags())
	root.AddCommand(
		newListCmd(a), newShowCmd(a), newResumeCmd(a), newCancelCmd(a),
		newConfigCmd(a), newManCmd(), exitCodesHelpTopic(),
	)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return withCode(domain.ExitUsage, err) })
	return root
}

// runTUI opens the inbox, or explains why it cannot.
func (a *app) runTUI(ctx context.Context) error {
	interactive := term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))
	if !a.settings.Accessible && (!interactive || os.Getenv("TERM") == "dumb") {
		return usageErrorf("the inbox needs an interactive terminal, and this is not one " +
			"(no TTY: ssh without -t, cron or a pipe).\n" +
			"Use ssh -t, or the scriptable commands: unpause list, unpause show RUN, unpause resume RUN --set field=value --yes.\n" +
			"For a line-by-line mode that works with screen readers, use --accessible")
	}
	client, err := a.api()
	if err != nil {
		return err
	}
	opts := tui.Options{
		API:             client,
		Profile:         a.settings.Profile,
		ServerURL:       a.settings.DisplayURL(),
		Profiles:        a.settings.Profiles,
		ReadOnly:        a.settings.ReadOnly,
		RefreshInterval: a.settings.RefreshInterval,
		Theme:           a.settings.Theme,
		NoColor:         a.settings.NoColor,
		StateDir:        stateDir(),
		Version:         version,
		SwitchProfile:   a.switchProfile,
	}
	if a.settings.Accessible {
		return tui.RunAccessible(ctx, opts, a.stdin, a.stdout)
	}
	return tui.Run(ctx, opts)
}

func (a *app) switchProfile(name string) (tui.API, tui.ProfileInfo, error) {
	s, err := config.LoadProfile(context.Background(), a.settings, name)
	if err != nil {
		return nil, tui.ProfileInfo{}, err
	}
	c, err := newClient(s)
	if err != nil {
		return nil, tui.ProfileInfo{}, err
	}
	a.settings, a.client = s, c
	return c, tui.ProfileInfo{Name: s.Profile, ServerURL: s.DisplayURL(), ReadOnly: s.ReadOnly}, nil
}

// stateDir is where drafts live: $XDG_STATE_HOME/unpause, else
// ~/.local/state/unpause.
func stateDir() string {
	if d := os.Getenv("UNPAUSE_STATE_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "unpause")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "unpause-state")
	}
	return filepath.Join(home, ".local", "state", "unpause")
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin}
	err := newRootCmd(a).ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "unpause:", termsafe.Text(err.Error()))
	}
	os.Exit(int(exitCodeFor(err)))
}

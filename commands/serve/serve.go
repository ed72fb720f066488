// Package serve is `unpause serve`: the team's inbox over SSH (package
// sshserve), configured by the serve section of the config file.
package serve

import (
	"context"
	"fmt"
	"log/slog"

	charmlog "charm.land/log/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/sshserve"
)

// Options are serve's flags and collaborators.
type Options struct {
	IO       *cmdutil.IOStreams
	Factory  *cmdutil.Factory
	Listen   string // --listen (over serve.listen)
	HostKey  string // --host-key (over serve.host_key)
	StateDir string
	// RunCLI runs one session's command line (commands.Run).
	RunCLI func(ctx context.Context, f *cmdutil.Factory, args []string) domain.ExitCode
	// ServerFlags are the global flags serve was started with.
	ServerFlags map[string]string
}

// NewCmdServe builds the command; runCLI runs a session's command line;
// runF replaces the run function in tests.
func NewCmdServe(f *cmdutil.Factory, runCLI func(context.Context, *cmdutil.Factory, []string) domain.ExitCode,
	runF func(context.Context, *Options) error,
) *cobra.Command {
	opts := &Options{IO: f.IO, Factory: f, RunCLI: runCLI}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the team's inbox over SSH",
		Long: `Serve the inbox over SSH, so that the team answers runs from one box that
holds the Prefect credentials: 'ssh -p 2222 HOST' opens the inbox for whoever
holds an allowed key, 'ssh -p 2222 HOST list --output json' runs one command.

Users, their keys and roles are in the serve section of the config file:

  serve:
    listen: 127.0.0.1:2222
    host_key: ~/.local/state/unpause/ssh/ssh_host_ed25519
    max_sessions: 20
    max_sessions_per_user: 10
    idle_timeout: 30m
    users:
      alice: {keys: ["ssh-ed25519 AAAA... alice@laptop"], role: answer}
      bob:   {keys: ["ssh-ed25519 AAAA..."], role: read-only, profiles: [staging]}

Roles: answer (resume and cancel) and read-only (browse only). profiles lists
the Prefect profiles a user may use (default: the server's own). Every resume
and cancel carries the user's name. Public-key authentication only. Logs are
JSON lines on stderr; SIGTERM tells users, saves their drafts and stops.`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.StateDir = f.DraftDir()
			opts.ServerFlags = serverFlags(cmd.Root().PersistentFlags(), cmd.Flags())
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Listen, "listen", "", "address to listen on, e.g. 0.0.0.0:2222 (default: serve.listen, else "+config.DefaultServeListen+")")
	cmd.Flags().StringVar(&opts.HostKey, "host-key", "", "the SSH host key file, created on first start (default: serve.host_key, else STATE_DIR/ssh/ssh_host_ed25519)")
	return cmd
}

// serverFlags are the global flags set on the command line (but identity:
// each session acts as its user).
func serverFlags(global, set *pflag.FlagSet) map[string]string {
	m := map[string]string{}
	set.Visit(func(fl *pflag.Flag) {
		if global.Lookup(fl.Name) != nil && fl.Name != config.FlagIdentity {
			m[fl.Name] = fl.Value.String()
		}
	})
	return m
}

func run(ctx context.Context, opts *Options) error {
	s := opts.Factory.Settings
	ss, err := s.Serve()
	if err != nil {
		return cmdutil.WithCode(domain.ExitUsage, err)
	}
	if err := s.RequireServer(); err != nil {
		return err
	}
	team, err := sshserve.NewTeam(ss.Users, s.Profile, s.Profiles)
	if err != nil {
		return cmdutil.UsageErrorf("config file %s: %w", s.ConfigPath, err)
	}
	if opts.Listen != "" {
		ss.Listen = opts.Listen
	}
	if opts.HostKey != "" {
		ss.HostKey = opts.HostKey
	}
	srv, err := sshserve.New(sshserve.Options{
		Listen: ss.Listen, HostKey: ss.HostKey, MaxSessions: ss.MaxSessions, MaxUserSessions: ss.MaxUserSessions, IdleTimeout: ss.IdleTimeout,
		Team: team, Build: opts.Factory.Build, StateDir: opts.StateDir,
		AuditPath: opts.Factory.AuditPath, NoAudit: opts.Factory.NoAudit,
		ServerFlags: opts.ServerFlags, RunCLI: opts.RunCLI,
		Log: slog.New(slog.NewJSONHandler(opts.IO.ErrOut, nil)),
	})
	if err != nil {
		return cmdutil.WithCode(domain.ExitUsage, err)
	}
	// wish's own messages (a program that ended with an error) as JSON lines too.
	charmlog.SetDefault(charmlog.NewWithOptions(opts.IO.ErrOut, charmlog.Options{Formatter: charmlog.JSONFormatter}))
	if err := srv.ListenAndServe(ctx); err != nil {
		return fmt.Errorf("%w", err)
	}
	return nil
}

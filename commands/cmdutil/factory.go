package cmdutil

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/audit"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// BuildInfo is stamped into the binary by goreleaser.
type BuildInfo struct{ Version, Commit, Date string }

// Factory is what every command is built with: the streams, the build, and
// the settings and API client, loaded once the flags are parsed.
type Factory struct {
	IO    *IOStreams
	Build BuildInfo
	// Settings are loaded by the root command before a command runs (nil for
	// commands that need none, such as man).
	Settings *config.Settings
	// AuditPath is the audit log's file ("" for audit.jsonl in StateDir);
	// NoAudit keeps none (tests).
	AuditPath string
	NoAudit   bool
	// StateDir is where drafts live ("" for cmdutil.StateDir(); `unpause
	// serve` gives each user their own).
	StateDir string
	// Session, when set, is the SSH user the commands act for (see Session).
	Session *Session
	client  *Client
}

// Load reads the settings for cmd's flags and warns about what they say.
func (f *Factory) Load(cmd *cobra.Command) error { return f.LoadFlags(cmd.Context(), cmd.Flags()) }

// LoadFlags reads the settings for the flags fs (registered by
// config.BindFlags) and warns about what they say. For a Session, the
// flags it may not set are refused, the server's own flags fill in the
// rest, and the settings become the session's.
func (f *Factory) LoadFlags(ctx context.Context, fs *pflag.FlagSet) error {
	profileAsked := false
	if f.Session != nil {
		if err := f.Session.checkFlags(fs); err != nil {
			return err
		}
		pf := fs.Lookup(config.FlagProfile)
		profileAsked = pf != nil && pf.Changed
		if err := f.Session.serverFlags(fs); err != nil {
			return err
		}
	}
	s, err := config.Load(ctx, fs, nil)
	if err == nil && f.Session != nil {
		s, err = f.Session.load(ctx, s, profileAsked)
	}
	if err != nil {
		// Every failure to load settings is the user's configuration to fix.
		return WithCode(domain.ExitUsage, err)
	}
	f.Settings = s
	for _, w := range s.Warnings {
		fmt.Fprintln(f.IO.ErrOut, "unpause: warning:", termsafe.Line(w))
	}
	return nil
}

// Client returns the API client, building it on first use so that commands
// such as `config` work without a server.
func (f *Factory) Client() (*Client, error) {
	if f.client != nil {
		return f.client, nil
	}
	c, err := f.NewClient(f.Settings)
	if err != nil {
		return nil, err
	}
	f.client = c
	return c, nil
}

// NewClient builds a client for s (another profile, say): it acts for
// s.Identity, and its resumes and cancels go to the audit log.
func (f *Factory) NewClient(s *config.Settings) (*Client, error) {
	if f.Session != nil {
		if err := f.Session.apply(s); err != nil {
			return nil, err
		}
	}
	if err := s.RequireServer(); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	c, err := apiclient.New(apiclient.Options{
		BaseURL:            s.APIURL,
		APIKey:             s.APIKey,
		AuthString:         s.AuthString,
		CAFile:             s.CAFile,
		InsecureSkipVerify: s.InsecureSkipVerify,
		Timeout:            s.Timeout,
		UserAgent:          "unpause/" + f.Build.Version,
		Identity:           s.Identity,
		Version:            f.Build.Version,
		Host:               host,
	})
	if err != nil {
		return nil, err
	}
	return &Client{Client: c, audit: f.auditLog(), profile: s.Profile}, nil
}

func (f *Factory) auditLog() *audit.Log {
	switch {
	case f.NoAudit:
		return nil
	case f.AuditPath != "":
		return &audit.Log{Path: f.AuditPath}
	}
	return audit.New(StateDir())
}

// DraftDir is where drafts live: f.StateDir, else StateDir().
func (f *Factory) DraftDir() string {
	if f.StateDir != "" {
		return f.StateDir
	}
	return StateDir()
}

// UseSettings switches to s and its client c (the TUI's profile switch).
func (f *Factory) UseSettings(s *config.Settings, c *Client) { f.Settings, f.client = s, c }

// RunResolver finds a run by id or name.
type RunResolver interface {
	ResolveRun(ctx context.Context, idOrName string) (*apiclient.Run, error)
}

// OpenRun builds a command's client with api and finds the run idOrName in
// it: the first step of show, resume and cancel. Errors pass unchanged, so
// that their exit codes (ExitCodeFor) stay those of the API's kinds.
//
// A name that a paused run shares with other runs resolves to the paused one,
// and a note on stderr says so.
func OpenRun[C RunResolver](ctx context.Context, io *IOStreams, api func() (C, error), idOrName string) (C, *apiclient.Run, error) {
	c, err := api()
	if err != nil {
		var none C
		return none, nil, err
	}
	run, err := c.ResolveRun(ctx, idOrName)
	if err != nil {
		return c, nil, err
	}
	NoteSameName(io, run)
	return c, run, nil
}

// NoteSameName says on stderr that a run found by name shares it with runs
// that are not paused, if it does.
func NoteSameName(io *IOStreams, run *apiclient.Run) {
	if run.SameName > 0 {
		fmt.Fprintf(io.ErrOut, "unpause: note: %d other run(s) not paused are also named %q; this is the paused one, %s (use an id for another)\n",
			run.SameName, termsafe.Line(run.Name), run.ID)
	}
}

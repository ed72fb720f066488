package cmdutil

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/termsafe"
)

// Session is who a Factory's commands act for when they do not run as the
// local user: an SSH user of `unpause serve`. The server's own settings are
// loaded as usual; then the session's identity replaces the configured one
// (every answered-by record and audit line carries it), its role may make
// everything read-only, and only its profiles may be used.
type Session struct {
	Identity string
	// ReadOnly is the read-only role: resume and cancel are refused, the
	// inbox hides them.
	ReadOnly bool
	// Profiles are the Prefect profiles the user may use: the server's
	// profile is the default when it is one of them, else the first.
	Profiles []string
	// ServerFlags are the global flags the server was started with (name →
	// value, e.g. config → /etc/unpause/config.yaml); each applies unless
	// the session set that flag itself.
	ServerFlags map[string]string
}

// serverFlags sets on fs the server's flags that fs does not set.
func (se *Session) serverFlags(fs *pflag.FlagSet) error {
	for name, v := range se.ServerFlags {
		if f := fs.Lookup(name); f != nil && !f.Changed {
			if err := fs.Set(name, v); err != nil {
				return fmt.Errorf("server flag --%s: %w", name, err)
			}
		}
	}
	return nil
}

// sessionFlags are the global flags a session may not set: where to connect
// and who to be are the server's to decide (an --api-url of the caller's
// would receive the server's API key).
var sessionFlags = []string{
	config.FlagAPIURL, config.FlagConfig, config.FlagCAFile, config.FlagInsecureSkipVerify, config.FlagIdentity,
}

// checkFlags refuses the flags a session may not set.
func (se *Session) checkFlags(fs *pflag.FlagSet) error {
	for _, name := range sessionFlags {
		if f := fs.Lookup(name); f != nil && f.Changed {
			return UsageErrorf("--%s is not available over unpause serve: the server's configuration decides "+
				"which Prefect server to use and who you are; drop the flag", name)
		}
	}
	return nil
}

// load turns the server's settings s into the session's: its default
// profile unless one was asked for (which must be one of its own), its
// identity and its role.
func (se *Session) load(ctx context.Context, s *config.Settings, profileAsked bool) (*config.Settings, error) {
	if !slices.Contains(se.Profiles, s.Profile) {
		if profileAsked || len(se.Profiles) == 0 {
			return nil, se.profileError(s.Profile)
		}
		var err error
		if s, err = config.LoadProfile(ctx, s, se.Profiles[0]); err != nil {
			return nil, err
		}
	}
	return s, se.apply(s)
}

// apply checks s's profile and stamps the session's identity and role on s.
func (se *Session) apply(s *config.Settings) error {
	if !slices.Contains(se.Profiles, s.Profile) {
		return se.profileError(s.Profile)
	}
	s.Identity = se.Identity
	if se.ReadOnly {
		s.ReadOnly = true
		s.ReadOnlyBy = "your role on unpause serve is read-only: ask whoever runs it for the answer role"
	}
	return nil
}

func (se *Session) profileError(profile string) error {
	return UsageErrorf("profile %q is not one you may use over unpause serve (yours: %s); "+
		"ask whoever runs it to add it to your profiles", termsafe.Line(profile), strings.Join(se.Profiles, ", "))
}

// String names the session for messages.
func (se *Session) String() string { return fmt.Sprintf("%s (read-only %v)", se.Identity, se.ReadOnly) }

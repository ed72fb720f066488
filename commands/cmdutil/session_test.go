package cmdutil

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
)

func flagSet(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("unpause", pflag.ContinueOnError)
	config.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

func sessionEnv(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("UNPAUSE_CONFIG_DIR", filepath.Join(home, "config"))
	t.Setenv("PREFECT_HOME", filepath.Join(home, "prefect"))
	t.Setenv("UNPAUSE_API_URL", "http://127.0.0.1:1/api")
	t.Setenv("UNPAUSE_IDENTITY", "server@box")
	t.Setenv("PREFECT_PROFILE", "")
	t.Setenv("UNPAUSE_PROFILE", "")
	t.Setenv("UNPAUSE_READ_ONLY", "")
}

// A session's settings are the server's with its identity, its role and
// its profiles; the server's flags fill in; some flags are the server's only.
func TestSessionSettings(t *testing.T) {
	sessionEnv(t)
	f := &Factory{IO: &IOStreams{ErrOut: &strings.Builder{}}, NoAudit: true, Session: &Session{
		Identity: "bob", ReadOnly: true, Profiles: []string{"local", "test"}, // not the server's own (ephemeral): local by default
		ServerFlags: map[string]string{config.FlagTheme: "light"},
	}}
	if err := f.LoadFlags(context.Background(), flagSet(t)); err != nil {
		t.Fatal(err)
	}
	s := f.Settings
	if s.Profile != "local" || s.Identity != "bob" || !s.ReadOnly || s.Theme != "light" {
		t.Fatalf("settings: profile %q identity %q read-only %v theme %q", s.Profile, s.Identity, s.ReadOnly, s.Theme)
	}
	err := RefuseReadOnly(s, "resume", false)
	if ExitCodeFor(err) != domain.ExitUsage || !strings.Contains(err.Error(), "your role on unpause serve is read-only") {
		t.Fatalf("refusal: %v", err)
	}
	c, err := f.Client()
	if err != nil || c.Identity() != "bob" {
		t.Fatalf("client acts for %q: %v", c.Identity(), err)
	}
	for _, args := range [][]string{{"--profile", "cloud"}, {"--api-url", "http://evil/api"}, {"--identity", "alice"}, {"--config", "/x"}} {
		err := f.LoadFlags(context.Background(), flagSet(t, args...))
		if ExitCodeFor(err) != domain.ExitUsage {
			t.Errorf("%v: %v", args, err)
		}
	}
	other, err := config.LoadProfile(context.Background(), s, "cloud")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewClient(other); err == nil || !strings.Contains(err.Error(), `profile "cloud" is not one you may use`) {
		t.Fatalf("client for another profile: %v", err)
	}
}

package serve_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/commands"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/commands/serve"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
)

// Flags: --listen and --host-key, and the global flags serve was started
// with (but --identity) passed on to the sessions.
func TestServeFlags(t *testing.T) {
	io := cmdtest.Streams("", false)
	f := cmdtest.Factory(io, "")
	var got *serve.Options
	root := &cobra.Command{Use: "unpause"}
	config.BindFlags(root.PersistentFlags())
	root.AddCommand(serve.NewCmdServe(f, nil, func(_ context.Context, o *serve.Options) error { got = o; return nil }))
	code, err := cmdtest.Run(t, root, "serve", "--listen", "0.0.0.0:2200", "--host-key", "/k/host", "--config", "/etc/u.yaml",
		"--profile", "prod", "--identity", "ops")
	if code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	if got.Listen != "0.0.0.0:2200" || got.HostKey != "/k/host" {
		t.Fatalf("options %+v", got)
	}
	if len(got.ServerFlags) != 2 || got.ServerFlags["config"] != "/etc/u.yaml" || got.ServerFlags["profile"] != "prod" {
		t.Fatalf("server flags %v", got.ServerFlags)
	}
}

func isolate(t *testing.T, cfg string) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("UNPAUSE_CONFIG_DIR", filepath.Join(home, "config"))
	t.Setenv("PREFECT_HOME", filepath.Join(home, "prefect"))
	t.Setenv("UNPAUSE_STATE_DIR", filepath.Join(home, "state"))
	t.Setenv("UNPAUSE_API_URL", "http://127.0.0.1:1/api")
	if err := os.MkdirAll(filepath.Join(home, "config"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "config", "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return home
}

// A bad serve section stops the start with the user and what to fix.
func TestServeRefusesBadUsers(t *testing.T) {
	for _, tc := range []struct{ cfg, want string }{
		{"serve:\n  users:\n    carol: {keys: [\"ssh-ed25519 garbage\"], role: answer}\n", "serve.users.carol key 1 does not parse"},
		{"serve:\n  users:\n    carol: {keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGbZ7ZDb4BnrMr4fOQOzXtPgD6b0E9K3ykq2t8Dc0g0a\"], role: boss}\n", `serve.users.carol has unknown role "boss"`},
		{"serve: {}\n", "no users"},
	} {
		isolate(t, tc.cfg)
		io := cmdtest.Streams("", false)
		code := commands.Run(context.Background(), &cmdutil.Factory{IO: io.IOStreams, NoAudit: true}, []string{"serve", "--listen", "127.0.0.1:0"})
		if code != domain.ExitUsage || !strings.Contains(io.ErrBuf.String(), tc.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", tc.cfg, code, io.ErrBuf.String(), tc.want)
		}
	}
}

package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/domain"
)

// nil args are no arguments: cobra would otherwise parse the process's own
// os.Args (here the test binary's -test.* flags, on a server `serve`).
func TestRunNilArgsAreNoArgs(t *testing.T) {
	t.Setenv("UNPAUSE_CONFIG_DIR", t.TempDir())
	t.Setenv("UNPAUSE_ACCESSIBLE", "")
	io := cmdtest.Streams("", false)
	code := Run(context.Background(), &cmdutil.Factory{IO: io.IOStreams, NoAudit: true}, nil)
	if code != domain.ExitUsage || !strings.Contains(io.ErrBuf.String(), "the inbox needs an interactive terminal") {
		t.Fatalf("exit %d, stderr %q", code, io.ErrBuf.String())
	}
}

// serve and config are refused for a Session, their subcommands and
// flags too; locally they run.
func TestRunRefusesServerSideCommandsForASession(t *testing.T) {
	t.Setenv("UNPAUSE_CONFIG_DIR", t.TempDir())
	for _, args := range [][]string{{"config"}, {"config", "--output", "json"}, {"serve", "--listen", "x"}} {
		io := cmdtest.Streams("", false)
		f := &cmdutil.Factory{IO: io.IOStreams, NoAudit: true, Session: &cmdutil.Session{Identity: "alice", Profiles: []string{"ephemeral"}}}
		if code := Run(context.Background(), f, args); code != domain.ExitUsage || !strings.Contains(io.ErrBuf.String(), "is not available over unpause serve") {
			t.Errorf("%v: exit %d, stderr %q", args, code, io.ErrBuf.String())
		}
	}
	io := cmdtest.Streams("", false)
	if code := Run(context.Background(), &cmdutil.Factory{IO: io.IOStreams, NoAudit: true}, []string{"config"}); code != 0 {
		t.Errorf("local config: exit %d, stderr %q", code, io.ErrBuf.String())
	}
}

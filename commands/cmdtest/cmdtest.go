// Package cmdtest helps the commands' unit tests: streams held in buffers, a
// factory pointed at a server, and a way to run one command as a user would.
package cmdtest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
)

// IO is a set of streams held in memory.
type IO struct {
	*cmdutil.IOStreams
	InBuf, OutBuf, ErrBuf *bytes.Buffer
}

// Streams returns in-memory streams; tty says whether they claim to be a terminal.
func Streams(stdin string, tty bool) *IO {
	in, out, errOut := bytes.NewBufferString(stdin), &bytes.Buffer{}, &bytes.Buffer{}
	return &IO{
		IOStreams: &cmdutil.IOStreams{In: in, Out: out, ErrOut: errOut, InTTY: tty, OutTTY: tty, ErrTTY: tty, Term: "xterm"},
		InBuf:     in, OutBuf: out, ErrBuf: errOut,
	}
}

// Factory is a factory whose settings point at apiURL ("" for none).
func Factory(io *IO, apiURL string) *cmdutil.Factory {
	return &cmdutil.Factory{
		// No audit log: a test that wants one sets AuditPath and NoAudit false.
		IO: io.IOStreams, Build: cmdutil.BuildInfo{Version: "test"}, NoAudit: true,
		Settings: &config.Settings{APIURL: apiURL, Timeout: 10 * time.Second, Profile: "test"},
	}
}

// Run runs cmd with args as the command line would and returns the exit
// code its error maps to, and the error.
func Run(t testing.TB, cmd *cobra.Command, args ...string) (domain.ExitCode, error) {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.WithCode(domain.ExitUsage, err) })
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.ExecuteContext(context.Background())
	return cmdutil.ExitCodeFor(err), err
}

// ErrText is err's message, or "".
func ErrText(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimSpace(err.Error())
}

// ParseFlags builds a command with newCmd (a NewCmdX), runs it with args as
// the command line would, and returns the options its run function got (nil
// when it was not reached), the exit code and the error: the flags half of
// a command's tests.
func ParseFlags[O any](t testing.TB, newCmd func(*cmdutil.Factory, func(context.Context, *O) error) *cobra.Command, args ...string) (*O, domain.ExitCode, error) {
	t.Helper()
	var got *O
	cmd := newCmd(Factory(Streams("", false), ""), func(_ context.Context, o *O) error { got = o; return nil })
	code, err := Run(t, cmd, args...)
	return got, code, err
}

package cmdutil_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui/accessible"
)

// The command's own code wins, settings and ended input are usage errors;
// the rest is domain.ExitCodeFor (tested there), by API error kind.
func TestExitCodeFor(t *testing.T) {
	cases := []struct {
		err  error
		want domain.ExitCode
	}{
		{nil, domain.ExitOK},
		{errors.New("boom"), domain.ExitError},
		{cmdutil.WithCode(domain.ExitInvalidInput, errors.New("bad")), domain.ExitInvalidInput},
		{fmt.Errorf("wrapped: %w", cmdutil.WithCode(domain.ExitExpired, errors.New("late"))), domain.ExitExpired},
		{cmdutil.WithCode(domain.ExitNotPaused, &apiclient.Error{Kind: apiclient.ErrNotFound}), domain.ExitNotPaused},
		{config.ErrNoServer, domain.ExitUsage},
		{accessible.ErrEndOfInput, domain.ExitUsage},
		{&apiclient.Error{Kind: apiclient.ErrNotFound}, domain.ExitNotFound},
		{&apiclient.Error{Kind: apiclient.ErrAuth}, domain.ExitAuth},
	}
	for _, c := range cases {
		if got := cmdutil.ExitCodeFor(c.err); got != c.want {
			t.Errorf("ExitCodeFor(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

// JSON output is read in terminals too (jq's output, a pager): control and
// bidi runes from the API must arrive escaped, and decode to the same value.
func TestWriteJSONEscapesTerminalControls(t *testing.T) {
	io := cmdtest.Streams("", false)
	name := "evil\u009b31m\u202egnp.exe\u007f"
	if err := cmdutil.WriteJSON(io.Out, map[string]string{"name": name}); err != nil {
		t.Fatal(err)
	}
	out := io.OutBuf.String()
	for _, r := range []string{"\u009b", "\u202e", "\u007f"} {
		if strings.Contains(out, r) {
			t.Errorf("JSON output carries %U raw: %q", []rune(r)[0], out)
		}
	}
	var back map[string]string
	if err := json.Unmarshal([]byte(out), &back); err != nil || back["name"] != name {
		t.Errorf("decoded %q (%v), want %q", back["name"], err, name)
	}
}

func TestConfirm(t *testing.T) {
	cases := []struct {
		name  string
		tty   bool
		input string
		ok    bool
	}{
		{"no terminal refuses", false, "y\n", false},
		{"yes", true, "y\n", true},
		{"YES", true, " YES \n", true},
		{"no", true, "n\n", false},
		{"empty line", true, "\n", false},
		{"end of input", true, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io := cmdtest.Streams(c.input, c.tty)
			err := cmdutil.Confirm(io.IOStreams, "Resume x", json.RawMessage(`{"a":1}`))
			if (err == nil) != c.ok {
				t.Fatalf("Confirm = %v, want ok=%v", err, c.ok)
			}
			if err != nil && cmdutil.ExitCodeFor(err) != domain.ExitUsage {
				t.Errorf("exit code %d, want usage", cmdutil.ExitCodeFor(err))
			}
			if c.tty && !strings.Contains(io.ErrBuf.String(), "Proceed? [y/N]") {
				t.Errorf("prompt not on stderr: %q", io.ErrBuf.String())
			}
			if io.OutBuf.Len() != 0 {
				t.Errorf("the prompt went to stdout: %q", io.OutBuf.String())
			}
		})
	}
}

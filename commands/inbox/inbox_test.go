package inbox

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui"
	"github.com/unpause-dev/unpause/tui/accessible"
)

func TestQuitWithAnActionInFlightExitsUnknown(t *testing.T) {
	io := cmdtest.Streams("", true)
	f := cmdtest.Factory(io, "http://127.0.0.1:4200/api")
	inFlight := &tui.QuitInFlightError{Actions: []tui.InFlightAction{{RunID: "r-1", RunName: "deploy-42", Kind: domain.Resume, Answering: true}}}
	opts := &Options{
		IO: io.IOStreams, Factory: f, StateDir: t.TempDir(),
		Run: func(context.Context, tui.Options) error {
			return errors.Join(inFlight, errors.New("saving drafts: disk full"))
		},
		RunAccessible: func(context.Context, accessible.Options) error { return nil },
	}
	err := Run(context.Background(), opts)
	if got := cmdutil.ExitCodeFor(err); got != domain.ExitUnknown {
		t.Fatalf("exit %d (%v), want %d", got, err, domain.ExitUnknown)
	}
	want := "quit while the answer to deploy-42 was being sent: whether it was resumed is unknown; check with 'unpause show r-1'\nsaving drafts: disk full"
	if err.Error() != want {
		t.Fatalf("error %q", err)
	}
	opts.Run = func(context.Context, tui.Options) error { return nil }
	if err := Run(context.Background(), opts); err != nil {
		t.Fatalf("clean quit: %v", err)
	}
}

// Quick answers kept as drafts on quitting are said, with exit code 0; with
// another failure beside them, that failure's code stands.
func TestQuitKeepingQuickAnswersExitsZeroAndSaysSo(t *testing.T) {
	io := cmdtest.Streams("", true)
	f := cmdtest.Factory(io, "http://127.0.0.1:4200/api")
	var runErr error
	opts := &Options{
		IO: io.IOStreams, Factory: f, StateDir: t.TempDir(),
		Run:           func(context.Context, tui.Options) error { return runErr },
		RunAccessible: func(context.Context, accessible.Options) error { return nil },
	}
	unsent := &tui.UnsentQuickError{N: 2}
	for _, tc := range []struct {
		err  error
		code domain.ExitCode
	}{
		{unsent, domain.ExitOK},
		{errors.Join(nil, unsent, nil), domain.ExitOK},
		{errors.Join(unsent, errors.New("saving drafts: disk full")), domain.ExitError},
	} {
		runErr = tc.err
		err := Run(context.Background(), opts)
		if got := cmdutil.ExitCodeFor(err); got != tc.code || err == nil || !strings.Contains(err.Error(), "2 quick answers were not sent") {
			t.Errorf("%v: exit %d (%v), want %d and the notice", tc.err, got, err, tc.code)
		}
	}
}

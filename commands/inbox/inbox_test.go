package inbox

import (
	"context"
	"errors"
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

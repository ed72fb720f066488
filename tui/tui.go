// Package tui is the inbox application: a Bubble Tea v2 program that lists
// paused and suspended Prefect flow runs, shows one run with its rendered
// description, and answers it through a form generated from the run's
// schema (or cancels it). Package tui/accessible is the line-by-line
// equivalent for screen readers and dumb terminals.
//
// Components live in sub-packages (common, inbox, runview, answer, markdown,
// drafts); only the root model here returns a tea.View. All API calls run
// in tea.Cmds through the API interface, so tests drive Update with a fake.
package tui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/unpause-dev/unpause/apiclient"
)

// API is what the TUI needs from a Prefect server (*apiclient.Client
// implements it).
type API interface {
	ListPaused(ctx context.Context, o apiclient.ListOptions) ([]apiclient.Run, apiclient.ListStats, error)
	GetRun(ctx context.Context, id string) (*apiclient.Run, error)
	InputRequest(ctx context.Context, r *apiclient.Run) (*apiclient.InputRequest, error)
	Resume(ctx context.Context, runID string, input json.RawMessage) (*apiclient.ActionResult, error)
	Cancel(ctx context.Context, runID, reason string) (*apiclient.ActionResult, error)
	Responses(ctx context.Context, runID string) ([]apiclient.Response, error)
	Logs(ctx context.Context, runID string, limit int) ([]apiclient.LogLine, error)
	RunURL(runID string) string
}

// ProfileInfo describes the profile SwitchProfile switched to.
type ProfileInfo struct {
	Name      string
	ServerURL string
	ReadOnly  bool
	Notify    func(runs []apiclient.Run) []byte // the profile's notify setting (Options.Notify)
}

// Options configure the app.
type Options struct {
	API       API
	Profile   string
	ServerURL string
	Profiles  []string
	// SwitchProfile builds the client for another profile (the P picker).
	// It may read files; the app calls it inside a tea.Cmd.
	SwitchProfile func(name string) (API, ProfileInfo, error)

	ReadOnly        bool          // hide resume and cancel
	RefreshInterval time.Duration // default 10s; with the event stream up, only the clock moves
	// SafetyInterval is how often a live inbox lists everything anyway, for
	// events the stream dropped; default feed.DefaultSafetyInterval.
	SafetyInterval time.Duration
	// NoLive polls every RefreshInterval instead of following the event stream.
	NoLive bool
	// Notify returns what to write to the terminal (a bell, a desktop
	// notification) when runs start waiting; nil writes nothing.
	Notify       func(runs []apiclient.Run) []byte
	Theme        string // auto (from the terminal background) | dark | light
	StateDir     string // drafts live in StateDir/drafts; "" keeps them in memory only
	Version      string
	Now          func() time.Time // clock (tests pin it)
	MouseEnabled bool             // mouse wheel scrolling; off by default
	// Remote is set when the operator is not at this machine (an SSH session,
	// `unpause serve`): o does not open a browser here.
	Remote bool
	// OpenURL opens a checked link in the browser (tests replace it).
	OpenURL func(url string) error
	// Getenv reads $VISUAL and $EDITOR for the answer editor (os.Getenv
	// when nil; `unpause serve` passes the session's environment).
	Getenv func(string) string
	// NoEditor, when set, turns the answer editor off and is what the status
	// line says instead (`unpause serve`: an editor on the server, vi's shell
	// escape included, must not be what an SSH user gets).
	NoEditor string
	// NoColor forces colourless output (config no_color / UNPAUSE_NO_COLOR);
	// the NO_COLOR environment variable is honoured by Bubble Tea anyway.
	NoColor bool
}

// DefaultRefreshInterval is used when Options.RefreshInterval is zero.
const DefaultRefreshInterval = 10 * time.Second

func (o *Options) defaults() error {
	if o.API == nil {
		return errors.New("tui: no API client")
	}
	if o.RefreshInterval <= 0 {
		o.RefreshInterval = DefaultRefreshInterval
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	switch o.Theme {
	case "", "auto", "dark", "light":
	default:
		return fmt.Errorf("tui: unknown theme %q (want auto, dark or light)", o.Theme)
	}
	return nil
}

// shutdownMsg asks the model to save and quit (signal or cancelled context).
type shutdownMsg struct{}

// NewProgram builds the inbox program for o without touching the process:
// no signal handling (tea.WithoutSignalHandler), input and output as extra
// says (an SSH session's, in `unpause serve`), else the process's. The
// caller runs it, then calls Finish. ctx is the model's (its API calls) and,
// unless extra has a tea.WithContext of its own, the program's.
func NewProgram(ctx context.Context, o Options, extra ...tea.ProgramOption) (*tea.Program, *Model, error) {
	m, err := New(ctx, o)
	if err != nil {
		return nil, nil, err
	}
	popts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithoutSignalHandler()}
	if o.NoColor {
		popts = append(popts, tea.WithColorProfile(colorprofile.Ascii))
	}
	return tea.NewProgram(m, append(popts, extra...)...), m, nil
}

// Shutdown asks p, built by NewProgram with m, to save and quit: the drafts
// are written at once, then the program handles the input it already read,
// saves again and quits; if it cannot within grace (a dead terminal), the
// drafts are saved once more and it is killed.
func Shutdown(p *tea.Program, m *Model, grace time.Duration) {
	_ = m.drafts.Flush()
	time.AfterFunc(grace, func() {
		_ = m.drafts.Flush()
		p.Kill()
	})
	p.Send(shutdownMsg{}) // returns at once if the program has ended
}

// Finish is what follows the end of the program built with m: the drafts
// are written, and runErr (from p.Run) is joined with what is unknown
// (a *QuitInFlightError when a resume or cancel was still in flight) and
// with a draft that could not be saved. A program ended by its context,
// an interrupt or Kill is not an error.
func (m *Model) Finish(runErr error) error {
	flushErr := m.drafts.Flush()
	switch {
	case runErr == nil, errors.Is(runErr, tea.ErrInterrupted), errors.Is(runErr, tea.ErrProgramKilled):
		runErr = nil
	default:
		runErr = fmt.Errorf("inbox: %w", runErr)
	}
	if flushErr != nil {
		flushErr = fmt.Errorf("saving drafts: %w", flushErr)
	}
	// Quitting does not stop a request already sent: say what is unknown;
	// and say which quick answers it kept from being sent.
	return errors.Join(m.QuitError(), m.UnsentError(), runErr, flushErr)
}

// Run opens the full-screen inbox and returns when the user quits. Drafts
// are written before it returns, also when the program ends on SIGHUP (SSH
// drop) or SIGTERM. If a resume or cancel was still in flight, the error
// is (or joins) a *QuitInFlightError; if quick answers were still in their
// undo window (kept as drafts, not sent), an *UnsentQuickError.
func Run(ctx context.Context, o Options) error {
	// The program gets its own context: when the caller's is cancelled
	// (main cancels it on SIGTERM) the program should still handle the keys
	// already read, save the draft and restore the terminal, not stop dead.
	progCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	// Signals are handled here, not by Bubble Tea: its handler sends its
	// quit message unconditionally and can block forever (hanging Run) when
	// the program already ended; and it ignores SIGHUP, whose default action
	// kills the process before anything is saved (an SSH drop).
	p, m, err := NewProgram(ctx, o, tea.WithContext(progCtx))
	if err != nil {
		return err
	}

	// On SIGHUP, SIGTERM, SIGINT or a cancelled context: save what Update
	// recorded so far, then let the program handle the input it already read,
	// save again and quit; if it cannot (a dead terminal), save and kill it.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	go func() {
		select {
		case <-sigs:
		case <-ctx.Done():
		case <-progCtx.Done():
			return
		}
		Shutdown(p, m, 3*time.Second)
	}()

	_, runErr := p.Run()
	return m.Finish(runErr)
}

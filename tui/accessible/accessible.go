// Package accessible is the inbox's line-by-line front end, for screen
// readers and terminals without cursor control (unpause --accessible): it
// reads one answer per line and writes plain, sanitised text, with no
// Bubble Tea program and nothing from package tui.
package accessible

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/common"
	"github.com/unpause-dev/unpause/tui/drafts"
)

// ErrEndOfInput is returned by Run when its input ends (Ctrl-D,
// closed pipe). End of input never confirms anything: whatever was being
// answered is not sent.
var ErrEndOfInput = errors.New("end of input: nothing was sent")

// Run is the line-by-line inbox for screen readers and terminals without
// cursor control: plain sanitised text, one question per line, numbered
// choices, and an explicit "yes" before anything is sent.
//
// It does not use huh's accessible mode: that treats end of input as
// "accept the defaults", re-buffers input per prompt and colours prompts.
// This loop reads one line at a time from o.In, coerces each answer with
// the run's schema (forms) and validates the whole answer before asking for
// confirmation.
func Run(ctx context.Context, o Options) error {
	if err := o.defaults(); err != nil {
		return err
	}
	store, err := drafts.Open(o.StateDir, o.Now)
	if err != nil {
		fmt.Fprintf(o.Out, "Drafts are kept in memory only: %s\n", termsafe.Line(err.Error()))
		store, _ = drafts.Open("", o.Now)
	}
	a := &session{ctx: ctx, o: o, api: o.API, in: o.In, out: o.Out, store: store, profile: o.Profile, server: o.ServerURL}
	a.lines = startLineReader(o.In)
	defer func() { _ = store.Flush() }()
	return a.loop()
}

// session is one run of the loop: its streams, drafts and whether
// anything was sent.
type session struct {
	ctx     context.Context
	o       Options
	api     API
	in      io.Reader // only to hide secrets as they are typed; lines come from lines
	out     io.Writer
	lines   <-chan lineResult
	store   *drafts.Store
	profile string
	server  string
	sent    bool // something was sent this session
}

type lineResult struct {
	text string
	err  error
}

// startLineReader reads lines in the background so that a cancelled context
// (Ctrl-C) is noticed while waiting for input. One reader serves every
// prompt: nothing typed ahead is lost.
func startLineReader(in io.Reader) <-chan lineResult {
	ch := make(chan lineResult)
	go func() {
		defer close(ch)
		r := bufio.NewReader(in)
		for {
			line, err := r.ReadString('\n')
			if line != "" || err == nil {
				ch <- lineResult{text: strings.TrimRight(line, "\r\n")}
			}
			if err != nil {
				ch <- lineResult{err: err}
				return
			}
		}
	}()
	return ch
}

// errEOF marks the end of input inside the loop.
var errEOF = errors.New("eof")

func (a *session) printf(format string, args ...any) {
	fmt.Fprintf(a.out, format, args...)
}

func (a *session) ask(prompt string) (string, error) {
	a.printf("%s", prompt)
	select {
	case <-a.ctx.Done():
		a.printf("\nInterrupted. %s\n", a.nothingSent())
		return "", a.ctx.Err()
	case l, ok := <-a.lines:
		if !ok || l.err != nil {
			a.printf("\nEnd of input. %s\n", a.nothingSent())
			return "", errEOF
		}
		return termsafe.Line(l.text), nil
	}
}

func (a *session) nothingSent() string {
	if a.sent {
		return "Nothing more was sent."
	}
	return "Nothing was sent."
}

func (a *session) finish(err error) error {
	if errors.Is(err, errEOF) {
		return ErrEndOfInput
	}
	return err
}

func (a *session) loop() error {
	for {
		runs, err := a.list()
		if err != nil {
			return err
		}
		if len(runs) == 0 {
			return nil
		}
		choice, err := a.ask("Run number (or name) to open, r to refresh, q to quit: ")
		if err != nil {
			return a.finish(err)
		}
		switch c := strings.ToLower(strings.TrimSpace(choice)); c {
		case "q", "quit", "exit":
			return nil
		case "", "r":
			continue
		default:
			row := pickRow(runs, strings.TrimSpace(choice))
			if row == nil {
				a.printf("No run numbered or named %q. Type a number from 1 to %d, or a run's name.\n", termsafe.Line(c), len(runs))
				continue
			}
			if err := a.run(row.Run); err != nil {
				if errors.Is(err, errQuit) {
					return nil
				}
				return a.finish(err)
			}
		}
	}
}

var errQuit = errors.New("quit")

// pickRow finds the run a user named by its number in the list, its id, or
// its name (case-insensitive; an ambiguous name picks nothing).
func pickRow(rows []domain.Row, choice string) *domain.Row {
	if n, err := strconv.Atoi(choice); err == nil {
		if n >= 1 && n <= len(rows) {
			return &rows[n-1]
		}
		return nil
	}
	var found *domain.Row
	for i := range rows {
		if rows[i].ID == choice {
			return &rows[i]
		}
		if strings.EqualFold(rows[i].Run.Name, choice) {
			if found != nil {
				return nil
			}
			found = &rows[i]
		}
	}
	return found
}

// list prints the numbered inbox and returns its rows.
func (a *session) list() ([]domain.Row, error) {
	runs, _, err := a.api.ListPaused(a.ctx, apiclient.ListOptions{})
	now := a.o.Now()
	if err != nil {
		a.printf("Could not load the inbox from %s (profile %s): %s\n", termsafe.Line(a.server), termsafe.Line(a.profile), termsafe.Line(err.Error()))
		a.printf("Check PREFECT_API_URL, the profile and its API key.\n")
		return nil, fmt.Errorf("loading the inbox: %w", err)
	}
	rows := domain.NewRows(runs)
	domain.SortRows(rows, domain.SortExpiry)
	if len(rows) == 0 {
		a.printf("Nothing is waiting: no paused or suspended flow runs on %s (profile %s).\n", termsafe.Line(a.server), termsafe.Line(a.profile))
		return nil, nil
	}
	a.printf("%s waiting on %s (profile %s), soonest deadline first:\n", common.Plural(len(rows), "run", "runs"), termsafe.Line(a.server), termsafe.Line(a.profile))
	for i, r := range rows {
		a.printf("%d. %s\n", i+1, describeRow(r, now))
	}
	return rows, nil
}

// describeRow is one inbox line read aloud: name, flow, state, wait,
// deadline, input, tags.
func describeRow(r domain.Row, now time.Time) string {
	parts := []string{r.Name, "flow " + r.Flow, describeState(r, now)}
	if r.Tags != "" {
		parts = append(parts, "tags "+r.Tags)
	}
	return strings.Join(parts, "; ")
}

// describeState says how long the run has waited, its deadline and whether
// it asks for input.
func describeState(r domain.Row, now time.Time) string {
	state := r.State()
	if !r.Since.IsZero() {
		state += " for " + domain.Age(r.Since, now)
	}
	parts := []string{state}
	switch domain.Urgency(r.Expires, now) {
	case domain.ExpiryNone:
		parts = append(parts, "no deadline")
	case domain.ExpiryExpired:
		parts = append(parts, "pause expired")
	case domain.ExpirySoon:
		parts = append(parts, "expires in "+domain.Countdown(r.Expires, now)+" (soon)")
	default:
		parts = append(parts, "expires in "+domain.Countdown(r.Expires, now))
	}
	if r.Input {
		parts = append(parts, "asks for input")
	} else {
		parts = append(parts, "no input asked")
	}
	return strings.Join(parts, "; ")
}

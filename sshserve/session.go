package sshserve

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/pflag"

	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/commands/inbox"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui"
)

// NoEditor is what the inbox says when the answer editor is asked for: an
// editor would run on the server (and vi's shell escape with it).
const NoEditor = "The answer editor is not available over unpause serve (it would run on the server): answer in the form."

// session is the outermost middleware: it checks who the session is,
// records it for shutdown and the log, and sends the exit status.
func (a *Server) session(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		u, ok := a.userOf(s)
		if !ok {
			a.log.Warn("session refused", "reason", "key and user do not match", "remote", s.RemoteAddr().String())
			wish.Fatalln(s, "unpause serve: permission denied")
			return
		}
		ctx, cancel := context.WithCancel(s.Context())
		defer cancel()
		ss := &session{s: s, user: u, start: time.Now(), ctx: ctx, cancel: cancel, what: "inbox"}
		if _, _, pty := s.Pty(); !pty || len(s.Command()) > 0 {
			ss.what = commandName(s.Command())
		}
		if !a.track(ss) {
			wish.Fatalln(s, ShutdownNotice)
			return
		}
		defer a.untrack(ss)
		a.log.Info("session start", a.attrs(ss)...)
		next(s)
		a.finishInbox(ss)
		if a.stopping.Load() {
			fmt.Fprintln(s.Stderr(), ShutdownNotice)
		}
		a.log.Info("session end", append(a.attrs(ss), "exit_code", int(ss.code), "duration", time.Since(ss.start).Round(time.Millisecond).String())...)
		_ = s.Exit(int(ss.code))
	}
}

func (a *Server) attrs(ss *session) []any {
	_, _, pty := ss.s.Pty()
	return []any{
		"user", ss.user.Name, "role", ss.user.Role.String(), "remote", ss.s.RemoteAddr().String(),
		"command", ss.what, "pty", pty,
	}
}

// track records ss, unless the server is stopping.
func (a *Server) track(ss *session) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stopping.Load() {
		return false
	}
	a.live[ss.s] = ss
	return true
}

func (a *Server) untrack(ss *session) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.live, ss.s)
}

func (a *Server) lookup(s ssh.Session) *session {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.live[s]
}

// commandName is what the log says was run: the command's words, never
// its flags or their values (a --set may carry an answer).
func commandName(args []string) string {
	var words []string
	for _, w := range args {
		if strings.HasPrefix(w, "-") || len(words) == 2 {
			break
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		return "(none)"
	}
	if len(words) == 2 && words[0] != "help" {
		words = words[:1] // the second word is a run id or name
	}
	return termsafe.Line(strings.Join(words, " "))
}

// cli runs a session without a pty, or with a command, as one command
// line on a fresh command tree with the session's streams; a pty session
// with no command goes on to the inbox.
func (a *Server) cli(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		pty, winCh, isPty := s.Pty()
		args := s.Command()
		if isPty && len(args) == 0 {
			next(s)
			return
		}
		ss := a.lookup(s)
		if isPty {
			go func() { // unread, one resize would block the session's requests
				for range winCh {
				}
			}()
		}
		if len(args) == 0 {
			args = []string{"--help"} // never nil: cobra would run the server's own os.Args
		}
		streams := &cmdutil.IOStreams{
			In: s, Out: s, ErrOut: s.Stderr(), InTTY: isPty, OutTTY: isPty, ErrTTY: isPty, Term: "dumb",
		}
		if isPty {
			streams.Term = pty.Term
		}
		ss.code = a.o.RunCLI(ss.ctx, a.factory(ss, streams), args)
	}
}

// program builds the inbox for a pty session with no command (the
// bubbletea middleware runs it); nil after saying why it cannot.
func (a *Server) program(s ssh.Session) *tea.Program {
	ss := a.lookup(s)
	pty, _, ok := s.Pty()
	if ss == nil || !ok {
		return nil
	}
	o, err := a.inboxOptions(ss, pty)
	if err != nil {
		fmt.Fprintln(s.Stderr(), "unpause:", termsafe.Text(err.Error()))
		ss.code = cmdutil.ExitCodeFor(err)
		return nil
	}
	// The program ends when its input does (the channel closed), not only
	// when the connection does: several sessions may share one connection.
	ctx, cancel := context.WithCancel(ss.ctx)
	opts := append(bubbletea.MakeOptions(s), tea.WithInput(eofCancel{r: s, cancel: cancel}))
	if o.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	p, m, err := tui.NewProgram(ctx, o, opts...)
	if err != nil {
		cancel()
		fmt.Fprintln(s.Stderr(), "unpause:", termsafe.Text(err.Error()))
		ss.code = domain.ExitUsage
		return nil
	}
	a.mu.Lock()
	ss.prog, ss.model = p, m
	stopping := a.stopping.Load()
	a.mu.Unlock()
	if stopping {
		tui.Shutdown(p, m, time.Second)
	}
	return p
}

// inboxOptions load the session's settings and client, and the inbox's
// options for them: the user's profiles only, no editor, remote.
func (a *Server) inboxOptions(ss *session, pty ssh.Pty) (tui.Options, error) {
	if pty.Term == "dumb" {
		return tui.Options{}, cmdutil.UsageErrorf("the inbox needs a terminal with screen control, and TERM is dumb; " +
			"use ssh -t HOST --accessible for the line-by-line mode")
	}
	streams := &cmdutil.IOStreams{In: ss.s, Out: ss.s, ErrOut: ss.s.Stderr(), InTTY: true, OutTTY: true, ErrTTY: true, Term: pty.Term}
	f := a.factory(ss, streams)
	fs := pflag.NewFlagSet("unpause", pflag.ContinueOnError)
	config.BindFlags(fs)
	if err := f.LoadFlags(ss.ctx, fs); err != nil {
		return tui.Options{}, err
	}
	client, err := f.Client()
	if err != nil {
		return tui.Options{}, err
	}
	o := inbox.TUIOptions(f, client, f.DraftDir())
	o.Profiles = ss.user.Profiles
	o.Remote = true
	o.Getenv = func(string) string { return "" }
	o.NoEditor = NoEditor
	if a.o.OnInbox != nil {
		a.o.OnInbox(ss.user.Name, o)
	}
	return o, nil
}

// finishInbox saves the inbox's drafts once its program has ended and
// gives the session the inbox's exit code.
func (a *Server) finishInbox(ss *session) {
	a.mu.Lock()
	m := ss.model
	a.mu.Unlock()
	if m == nil {
		return
	}
	if err := m.Finish(nil); err != nil {
		fmt.Fprintln(ss.s.Stderr(), "unpause:", termsafe.Text(err.Error()))
		ss.code = cmdutil.ExitCodeFor(inbox.ExitError(err))
	}
}

// eofCancel ends the program when its input ends.
type eofCancel struct {
	r      io.Reader
	cancel context.CancelFunc
}

func (e eofCancel) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	if err != nil {
		e.cancel()
	}
	return n, err
}

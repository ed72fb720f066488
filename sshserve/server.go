package sshserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui"
)

// ShutdownNotice is what connected users read when the server stops.
const ShutdownNotice = "unpause serve is shutting down; your draft is saved"

// Options configure the server.
type Options struct {
	Listen      string
	HostKey     string // "" for StateDir/ssh/ssh_host_ed25519 (its directory is made 0700)
	MaxSessions int
	// MaxUserSessions caps one user's open sessions, so that one person
	// (or a script looping over ssh) cannot take every session; default 10,
	// and never more than MaxSessions.
	MaxUserSessions int
	IdleTimeout     time.Duration
	Team            *Team
	Build           cmdutil.BuildInfo
	// StateDir is the server's state directory: each user's drafts live in
	// StateDir/serve/users/NAME.
	StateDir string
	// AuditPath is the audit log ("" for the server's default); NoAudit keeps none.
	AuditPath string
	NoAudit   bool
	// ServerFlags are the global flags the server was started with; they
	// apply to every session (cmdutil.Session.ServerFlags).
	ServerFlags map[string]string
	// RunCLI runs one command line on a fresh command tree (commands.Run).
	RunCLI func(ctx context.Context, f *cmdutil.Factory, args []string) domain.ExitCode
	// Log gets one JSON line per connection event; nil logs to stderr.
	Log *slog.Logger
	// OnInbox, when set, sees each session's inbox options before its
	// program is built (tests).
	OnInbox func(user string, o tui.Options)
	// ShutdownTimeout bounds the wait for sessions to end; default 10s.
	ShutdownTimeout time.Duration
}

// Server is `unpause serve`.
type Server struct {
	o        Options
	srv      *ssh.Server
	log      *slog.Logger
	sessions chan struct{} // one token per open session
	stopping atomic.Bool

	mu      sync.Mutex
	live    map[ssh.Session]*session
	perUser map[string]int // open sessions by user name
}

// session is one open SSH session.
type session struct {
	s      ssh.Session
	user   *User
	start  time.Time
	ctx    context.Context
	cancel context.CancelFunc
	what   string // "inbox", or the command run
	code   domain.ExitCode

	prog  *tea.Program // the inbox's, once built
	model *tui.Model
}

// Extension keys of the authenticated connection's permissions.
const (
	extUser = "unpause-user"
	extKey  = "unpause-key"
)

// New builds the server (the host key is read or created here).
func New(o Options) (*Server, error) {
	if o.Team == nil || o.Team.Len() == 0 {
		return nil, errors.New("serve: no users: add serve.users to the config file, e.g.\n" +
			"  serve:\n    users:\n      alice: {keys: [\"ssh-ed25519 AAAA... alice@laptop\"], role: answer}")
	}
	if o.RunCLI == nil {
		return nil, errors.New("serve: no command runner")
	}
	if o.MaxSessions <= 0 {
		o.MaxSessions = 20
	}
	if o.MaxUserSessions <= 0 {
		o.MaxUserSessions = 10
	}
	o.MaxUserSessions = min(o.MaxUserSessions, o.MaxSessions)
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 10 * time.Second
	}
	if o.HostKey == "" {
		o.HostKey = filepath.Join(o.StateDir, "ssh", "ssh_host_ed25519")
	}
	a := &Server{o: o, log: o.Log, sessions: make(chan struct{}, o.MaxSessions), live: map[ssh.Session]*session{}, perUser: map[string]int{}}
	if a.log == nil {
		a.log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	srv, err := wish.NewServer(
		wish.WithAddress(o.Listen),
		wish.WithHostKeyPath(o.HostKey),
		wish.WithPublicKeyAuth(a.auth), // the only method: no password, no keyboard-interactive
		wish.WithIdleTimeout(o.IdleTimeout),
		a.limits,
		wish.WithMiddleware(
			bubbletea.MiddlewareWithProgramHandler(a.program), // innermost: pty, no command
			a.cli,     // no pty, or a command: one command line
			a.session, // outermost: who, the record, the exit status
		),
	)
	if err != nil {
		return nil, fmt.Errorf("serve: host key %s: %w", o.HostKey, err)
	}
	a.srv = srv
	return a, nil
}

// auth admits the keys of the team. It runs for every key the client
// offers, also ones it cannot sign with: what it records goes in the
// permissions of this attempt, which are the connection's only if the key
// then authenticates.
func (a *Server) auth(ctx ssh.Context, key ssh.PublicKey) bool {
	u, ok := a.o.Team.Lookup(key)
	if !ok {
		a.log.Info("auth refused", "remote", ctx.RemoteAddr().String(), "key", gossh.FingerprintSHA256(key))
		return false
	}
	p := ctx.Permissions()
	if p.Extensions == nil {
		p.Extensions = map[string]string{}
	}
	p.Extensions[extUser], p.Extensions[extKey] = u.Name, gossh.FingerprintSHA256(key)
	return true
}

// limits sets what wish has no option for: auth tries per connection, the
// handshake's time, and the cap on open sessions.
func (a *Server) limits(srv *ssh.Server) error {
	srv.HandshakeTimeout = 10 * time.Second
	srv.ServerConfigCallback = func(ssh.Context) *gossh.ServerConfig {
		return &gossh.ServerConfig{MaxAuthTries: 3}
	}
	srv.ConnectionFailedCallback = func(conn net.Conn, err error) {
		a.log.Info("connection failed", "remote", conn.RemoteAddr().String(), "error", err.Error())
	}
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{
		"session": func(srv *ssh.Server, c *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
			user := c.Permissions.Extensions[extUser]
			if !a.takeUserSession(user) {
				a.log.Warn("session refused", "reason", "too many sessions for the user", "max_sessions_per_user", a.o.MaxUserSessions,
					"user", user, "remote", c.RemoteAddr().String())
				_ = nc.Reject(gossh.ResourceShortage, fmt.Sprintf("too many sessions for %s (unpause serve allows %d per user); close one and try again", user, a.o.MaxUserSessions))
				return
			}
			defer a.dropUserSession(user)
			select {
			case a.sessions <- struct{}{}:
			default:
				a.log.Warn("session refused", "reason", "too many sessions", "max_sessions", a.o.MaxSessions,
					"user", user, "remote", c.RemoteAddr().String())
				_ = nc.Reject(gossh.ResourceShortage, fmt.Sprintf("too many sessions (unpause serve allows %d); try again later", a.o.MaxSessions))
				return
			}
			defer func() { <-a.sessions }()
			ssh.DefaultSessionHandler(srv, c, nc, ctx) // returns when the channel's requests end
		},
	}
	return nil
}

// takeUserSession counts a session for user, unless they have as many
// open as they may.
func (a *Server) takeUserSession(user string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.perUser[user] >= a.o.MaxUserSessions {
		return false
	}
	a.perUser[user]++
	return true
}

func (a *Server) dropUserSession(user string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.perUser[user]--; a.perUser[user] <= 0 {
		delete(a.perUser, user)
	}
}

// userOf is the session's user: the one recorded at auth, checked again
// against the key that authenticated.
func (a *Server) userOf(s ssh.Session) (*User, bool) {
	ext := s.Permissions().Extensions
	u, ok := a.o.Team.Lookup(s.PublicKey())
	if !ok || u.Name != ext[extUser] || gossh.FingerprintSHA256(s.PublicKey()) != ext[extKey] {
		return nil, false
	}
	return u, true
}

// userDir is where u's drafts live.
func (a *Server) userDir(u *User) string {
	return filepath.Join(a.o.StateDir, "serve", "users", u.Name)
}

// factory builds the commands' factory for ss on io.
func (a *Server) factory(ss *session, io *cmdutil.IOStreams) *cmdutil.Factory {
	return &cmdutil.Factory{
		IO: io, Build: a.o.Build, AuditPath: a.o.AuditPath, NoAudit: a.o.NoAudit, StateDir: a.userDir(ss.user),
		Session: &cmdutil.Session{
			Identity: ss.user.Name, ReadOnly: ss.user.Role < RoleAnswer, Profiles: ss.user.Profiles, ServerFlags: a.o.ServerFlags,
		},
	}
}

// Addr is where the server listens once Serve runs ("" before).
func (a *Server) Addr() string { return a.srv.Addr }

// ListenAndServe listens on Options.Listen and serves until ctx ends.
func (a *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.o.Listen)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w; set serve.listen in the config file or --listen", a.o.Listen, err)
	}
	return a.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends, then shuts down: users are told, their
// drafts saved, their programs quit and their commands cancelled; after
// ShutdownTimeout what is left is closed.
func (a *Server) Serve(ctx context.Context, ln net.Listener) error {
	a.srv.Addr = ln.Addr().String()
	fp := ""
	if len(a.srv.HostSigners) > 0 {
		fp = gossh.FingerprintSHA256(a.srv.HostSigners[0].PublicKey())
	}
	a.log.Info("listening", "addr", a.srv.Addr, "host_key", a.o.HostKey, "host_key_fingerprint", fp,
		"users", a.o.Team.Len(), "max_sessions", a.o.MaxSessions, "max_sessions_per_user", a.o.MaxUserSessions, "idle_timeout", a.o.IdleTimeout.String())
	errc := make(chan error, 1)
	go func() { errc <- a.srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.shutdown()
	if err := <-errc; err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		return err
	}
	return nil
}

// shutdown quits every program (saving its draft) and cancels every
// command, then waits for the connections to end, and closes the rest.
func (a *Server) shutdown() {
	a.stopping.Store(true)
	a.mu.Lock()
	n := len(a.live)
	for _, ss := range a.live {
		if ss.prog != nil {
			tui.Shutdown(ss.prog, ss.model, 3*time.Second)
		} else {
			ss.cancel()
		}
	}
	a.mu.Unlock()
	a.log.Info("shutting down", "sessions", n)
	ctx, cancel := context.WithTimeout(context.Background(), a.o.ShutdownTimeout)
	defer cancel()
	if err := a.srv.Shutdown(ctx); err != nil {
		_ = a.srv.Close()
	}
}

// Close closes the server and every connection at once.
func (a *Server) Close() error { return a.srv.Close() }

package sshserve_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/sshserve"
	"github.com/unpause-dev/unpause/tui"
)

// rig is a running server, a fake Prefect behind it, and the team's keys.
type rig struct {
	t      *testing.T
	api    *prefecttest.Server
	runID  string
	addr   string
	state  string
	audit  string
	keys   map[string]gossh.Signer // alice (answer), bob (read-only)
	log    *cmdtest.SyncBuffer
	stop   context.CancelFunc
	served chan error

	mu     sync.Mutex
	inbox  map[string]tui.Options // the last inbox options per user
	inboxN int
}

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func authorized(s gossh.Signer) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

// isolate points the settings of every session at api, with no config or
// profiles file of this machine read.
func isolate(t *testing.T, apiURL string) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("UNPAUSE_CONFIG_DIR", filepath.Join(home, "config"))
	t.Setenv("PREFECT_HOME", filepath.Join(home, "prefect"))
	t.Setenv("UNPAUSE_STATE_DIR", filepath.Join(home, "state"))
	for _, k := range []string{"PREFECT_API_URL", "PREFECT_API_KEY", "PREFECT_PROFILE", "UNPAUSE_PROFILE", "UNPAUSE_IDENTITY", "UNPAUSE_READ_ONLY", "UNPAUSE_ACCESSIBLE", "ACCESSIBLE", "PREFECT_API_AUTH_STRING"} {
		t.Setenv(k, "")
	}
	t.Setenv("UNPAUSE_API_URL", apiURL)
	return home
}

func newRig(t *testing.T, mod ...func(*sshserve.Options)) *rig {
	t.Helper()
	api := prefecttest.New(t)
	r := &rig{
		t: t, api: api, keys: map[string]gossh.Signer{"alice": newSigner(t), "bob": newSigner(t)},
		log: &cmdtest.SyncBuffer{}, inbox: map[string]tui.Options{}, served: make(chan error, 1),
	}
	r.runID = api.Add(prefecttest.Run{Name: "deploy-run", Schema: cmdtest.ApprovalSchema, Description: "Approve?"})
	home := isolate(t, api.APIURL())
	r.state = filepath.Join(home, "state")
	r.audit = filepath.Join(r.state, "audit.jsonl")
	team, err := sshserve.NewTeam([]config.ServeUser{
		{Name: "alice", Keys: []string{authorized(r.keys["alice"])}, Role: "answer"},
		{Name: "bob", Keys: []string{authorized(r.keys["bob"])}, Role: "read-only"},
	}, "ephemeral", []string{"ephemeral", "local"})
	if err != nil {
		t.Fatal(err)
	}
	o := sshserve.Options{
		Listen: "127.0.0.1:0", HostKey: filepath.Join(home, "hostkey", "host_ed25519"), MaxSessions: 20,
		IdleTimeout: time.Minute, Team: team, Build: cmdutil.BuildInfo{Version: "test"},
		StateDir: r.state, AuditPath: r.audit, RunCLI: commands.Run,
		Log: slog.New(slog.NewJSONHandler(r.log, nil)), ShutdownTimeout: 3 * time.Second,
		OnInbox: func(user string, o tui.Options) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.inbox[user] = o
			r.inboxN++
		},
	}
	for _, f := range mod {
		f(&o)
	}
	srv, err := sshserve.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	r.stop = cancel
	go func() { r.served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-r.served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the server did not stop")
		}
	})
	return r
}

func (r *rig) dial(signer gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", r.addr, &gossh.ClientConfig{
		User: "whoever", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	})
}

func (r *rig) client(user string) *gossh.Client {
	r.t.Helper()
	c, err := r.dial(r.keys[user])
	if err != nil {
		r.t.Fatalf("dial as %s: %v", user, err)
	}
	r.t.Cleanup(func() { _ = c.Close() })
	return c
}

// run runs cmd without a pty as user: stdout, stderr and the exit status.
func (r *rig) run(user, cmd string) (string, string, int) {
	r.t.Helper()
	s, err := r.client(user).NewSession()
	if err != nil {
		r.t.Fatal(err)
	}
	defer s.Close()
	var out, errOut bytes.Buffer
	s.Stdout, s.Stderr = &out, &errOut
	err = s.Run(cmd)
	return out.String(), errOut.String(), exitStatus(r.t, err)
}

func exitStatus(t *testing.T, err error) int {
	t.Helper()
	var ee *gossh.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitStatus()
	}
	t.Fatalf("no exit status: %v", err)
	return -1
}

// tui opens a pty session with no command as user; keep its stdin open.
type tuiSession struct {
	s   *gossh.Session
	in  io.WriteCloser
	out *cmdtest.SyncBuffer
}

func (r *rig) openInbox(user string) *tuiSession {
	r.t.Helper()
	s, err := r.client(user).NewSession()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		r.t.Fatal(err)
	}
	ts := &tuiSession{s: s, out: &cmdtest.SyncBuffer{}}
	if ts.in, err = s.StdinPipe(); err != nil {
		r.t.Fatal(err)
	}
	s.Stdout, s.Stderr = ts.out, ts.out
	if err := s.Shell(); err != nil {
		r.t.Fatal(err)
	}
	return ts
}

// waitFor waits until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

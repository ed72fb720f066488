package sshserve_test

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/commands/cmdtest"

	gossh "golang.org/x/crypto/ssh"

	"github.com/unpause-dev/unpause/sshserve"
)

func TestAllowedKeyGetsInUnknownKeyRefused(t *testing.T) {
	r := newRig(t)
	if _, err := r.dial(r.keys["alice"]); err != nil {
		t.Fatalf("alice refused: %v", err)
	}
	_, err := r.dial(newSigner(t))
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("unknown key: %v", err)
	}
	if !strings.Contains(r.log.String(), `"msg":"auth refused"`) {
		t.Errorf("refusal not logged: %s", r.log.String())
	}
	// No password or keyboard-interactive fallback.
	_, err = gossh.Dial("tcp", r.addr, &gossh.ClientConfig{
		User: "alice", HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Auth: []gossh.AuthMethod{gossh.Password("alice"), gossh.KeyboardInteractive(
			func(string, string, []string, []bool) ([]string, error) { return []string{"x"}, nil })},
	})
	if err == nil {
		t.Fatal("got in without a key")
	}
}

// Three wrong keys use up a connection's tries: the right one offered
// fourth is not tried.
func TestMaxAuthTries(t *testing.T) {
	r := newRig(t)
	_, err := gossh.Dial("tcp", r.addr, &gossh.ClientConfig{
		User: "alice", HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Auth: []gossh.AuthMethod{gossh.PublicKeys(newSigner(t), newSigner(t), newSigner(t), r.keys["alice"])},
	})
	if err == nil {
		t.Fatal("got in after three wrong keys")
	}
	if _, err := gossh.Dial("tcp", r.addr, &gossh.ClientConfig{
		User: "alice", HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Auth: []gossh.AuthMethod{gossh.PublicKeys(newSigner(t), newSigner(t), r.keys["alice"])},
	}); err != nil {
		t.Fatalf("refused on the third try: %v", err)
	}
	waitFor(t, "the failed connection logged", func() bool { return strings.Contains(r.log.String(), `"msg":"connection failed"`) })
}

func TestCLIListJSONAndExitCodes(t *testing.T) {
	r := newRig(t)
	out, errOut, code := r.run("alice", "list --output json")
	if code != 0 {
		t.Fatalf("list: exit %d, stderr %q", code, errOut)
	}
	var runs []map[string]any
	if err := json.Unmarshal([]byte(out), &runs); err != nil || len(runs) != 1 || runs[0]["name"] != "deploy-run" {
		t.Fatalf("list --output json %q: %v", out, err)
	}
	_, errOut, code = r.run("bob", "show no-such-run")
	if code != 6 || !strings.Contains(errOut, "no-such-run") {
		t.Fatalf("show unknown: exit %d, stderr %q", code, errOut)
	}
	_, _, code = r.run("alice", "list --bogus")
	if code != 2 {
		t.Fatalf("bad flag: exit %d", code)
	}
	logText := r.log.String()
	for _, want := range []string{`"msg":"session end"`, `"user":"alice"`, `"role":"answer"`, `"command":"list"`, `"exit_code":6`, `"command":"show"`} {
		if !strings.Contains(logText, want) {
			t.Errorf("log lacks %s:\n%s", want, logText)
		}
	}
}

// Every answer made through serve carries the user's name, on the run and
// in the audit log; nothing of the answer's values is logged.
func TestResumeOverSSHIsStampedWithTheUser(t *testing.T) {
	r := newRig(t)
	_, errOut, code := r.run("alice", "resume deploy-run --set approved=true --set token=s3cret --yes")
	if code != 0 {
		t.Fatalf("resume: exit %d, stderr %q", code, errOut)
	}
	v, sender, ok := r.api.Input(r.runID, "paused-1-answered-by")
	if !ok || sender != "unpause:alice" || !strings.Contains(v, `"who":"alice"`) {
		t.Fatalf("answered-by %q from %q (%v)", v, sender, ok)
	}
	raw, err := os.ReadFile(r.audit)
	if err != nil || !strings.Contains(string(raw), `"identity":"alice"`) {
		t.Fatalf("audit log %q: %v", raw, err)
	}
	if strings.Contains(r.log.String()+string(raw), "s3cret") {
		t.Fatal("a secret value reached a log")
	}
}

func TestReadOnlyUserCannotResume(t *testing.T) {
	r := newRig(t)
	_, errOut, code := r.run("bob", "resume deploy-run --set approved=true --yes")
	if code != 2 || !strings.Contains(errOut, "your role on unpause serve is read-only") {
		t.Fatalf("read-only resume: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = r.run("bob", "cancel deploy-run --reason no --yes")
	if code != 2 || !strings.Contains(errOut, "read-only") {
		t.Fatalf("read-only cancel: exit %d, stderr %q", code, errOut)
	}
	if typ, _, _ := r.api.State(r.runID); typ != "PAUSED" {
		t.Fatalf("run is %s", typ)
	}
	// --read-only=false cannot lift the role.
	_, _, code = r.run("bob", "resume deploy-run --read-only=false --set approved=true --yes")
	if code != 2 {
		t.Fatalf("--read-only=false: exit %d", code)
	}
}

// The inbox of a pty session gets the user's role (ReadOnly hides resume
// and cancel), their profiles only, and no editor of the server's.
func TestInboxGetsRoleProfilesAndNoEditor(t *testing.T) {
	r := newRig(t)
	ts := r.openInbox("bob")
	waitFor(t, "bob's inbox", func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.inboxN == 1 })
	waitFor(t, "the inbox drawn", func() bool { return strings.Contains(ts.out.String(), "deploy-run") })
	r.mu.Lock()
	o := r.inbox["bob"]
	r.mu.Unlock()
	if !o.ReadOnly || !o.Remote || o.NoEditor == "" || o.Getenv("EDITOR") != "" || o.Getenv("VISUAL") != "" ||
		!slices.Equal(o.Profiles, []string{"ephemeral"}) || o.StateDir == "" {
		t.Fatalf("bob's inbox options: ReadOnly %v Remote %v NoEditor %q Profiles %v StateDir %q", o.ReadOnly, o.Remote, o.NoEditor, o.Profiles, o.StateDir)
	}
	if _, _, err := o.SwitchProfile("local"); err == nil {
		t.Fatal("bob switched to a profile not his")
	}
	_, _ = ts.in.Write([]byte("q"))
	if err := ts.s.Wait(); err != nil {
		t.Fatalf("q: %v", err)
	}
	ts = r.openInbox("alice")
	waitFor(t, "alice's inbox", func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.inboxN == 2 })
	r.mu.Lock()
	o = r.inbox["alice"]
	r.mu.Unlock()
	if o.ReadOnly {
		t.Fatal("alice's inbox is read-only")
	}
	_ = ts.in.Close()
	if err := ts.s.Wait(); err != nil {
		t.Fatalf("EOF did not end alice's inbox cleanly: %v", err)
	}
}

// No command and no pty: help, exit 0; never the server's own os.Args
// (which would run serve inside the session).
func TestNoCommandPrintsHelp(t *testing.T) {
	r := newRig(t)
	s, err := r.client("alice").NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	s.Stdout = &out
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	if code := exitStatus(t, s.Wait()); code != 0 || !strings.Contains(out.String(), "Usage:") || strings.Contains(r.log.String(), `"msg":"listening","addr":"127.0.0.1:2222"`) {
		t.Fatalf("no command: exit %d, %q", code, out.String())
	}
}

func TestServerSideCommandsAndFlagsRefused(t *testing.T) {
	r := newRig(t)
	for _, tc := range []struct{ cmd, want string }{
		{"serve", `"serve" is not available over unpause serve`},
		{"serve --listen 127.0.0.1:0", `"serve" is not available over unpause serve`},
		{"config", `"config" is not available over unpause serve`},
		{"config --output json", `"config" is not available over unpause serve`},
		{"list --api-url http://127.0.0.1:1/api", "--api-url is not available over unpause serve"},
		{"list --config /etc/passwd", "--config is not available over unpause serve"},
		{"resume deploy-run --identity mallory --set approved=true --yes", "--identity is not available"},
		{"watch --exec touch /tmp/pwned", "watch --exec is not available over unpause serve"},
		{"resume deploy-run --input-file /etc/passwd --yes", "resume --input-file is not available"},
		{"list --profile local", `profile "local" is not one you may use`},
		{"--theme dark", "the full-screen inbox opens with no command"},
	} {
		_, errOut, code := r.run("alice", tc.cmd)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", tc.cmd, code, errOut, tc.want)
		}
	}
	if typ, _, _ := r.api.State(r.runID); typ != "PAUSED" {
		t.Fatalf("run is %s", typ)
	}
}

func TestSessionCap(t *testing.T) {
	r := newRig(t, func(o *sshserve.Options) { o.MaxSessions = 2 })
	c := r.client("alice")
	for i := range 2 {
		s, err := c.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
		defer s.Close()
	}
	if _, err := c.NewSession(); err == nil || !strings.Contains(err.Error(), "too many sessions") {
		t.Fatalf("third session: %v", err)
	}
	if _, err := r.client("bob").NewSession(); err == nil {
		t.Fatal("the cap is per server, not per connection: bob got a third session")
	}
}

func TestSessionCapPerUser(t *testing.T) {
	r := newRig(t, func(o *sshserve.Options) { o.MaxSessions = 5; o.MaxUserSessions = 2 })
	c := r.client("alice")
	var open []interface{ Close() error }
	for i := range 2 {
		s, err := c.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
		open = append(open, s)
	}
	if _, err := r.client("alice").NewSession(); err == nil || !strings.Contains(err.Error(), "too many sessions for alice") {
		t.Fatalf("alice's third session, on a new connection: %v", err)
	}
	b, err := r.client("bob").NewSession()
	if err != nil {
		t.Fatalf("bob is not held to alice's cap: %v", err)
	}
	defer b.Close()
	_ = open[0].Close()
	// The closed session's slot comes back once the server sees it end.
	waitFor(t, "alice's slot back", func() bool {
		s, err := c.NewSession()
		if err != nil {
			return false
		}
		open = append(open, s)
		return true
	})
	for _, s := range open[1:] {
		_ = s.Close()
	}
}

// SIGTERM (the server's context ends): users are told, the inbox quits,
// the server returns.
func TestShutdownTellsUsersAndEnds(t *testing.T) {
	r := newRig(t)
	ts := r.openInbox("alice")
	waitFor(t, "the inbox drawn", func() bool { return strings.Contains(ts.out.String(), "deploy-run") })
	r.stop()
	done := make(chan error, 1)
	go func() { done <- ts.s.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("session ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the session outlived the shutdown")
	}
	if !strings.Contains(ts.out.String(), sshserve.ShutdownNotice) {
		t.Fatalf("not told: %q", ts.out.String())
	}
	select {
	case err := <-r.served:
		r.served <- err // for the cleanup
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
}

// ssh -t HOST --accessible: the line-by-line mode on the session's
// terminal, acting for the user; its drafts are the user's.
func TestAccessibleOverSSH(t *testing.T) {
	r := newRig(t)
	s, err := r.client("alice").NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, _ := s.StdinPipe()
	out := &cmdtest.SyncBuffer{}
	s.Stdout, s.Stderr = out, out
	if err := s.Start("--accessible"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the accessible inbox", func() bool { return strings.Contains(out.String(), "deploy-run") })
	_ = in.Close()
	code := exitStatus(t, s.Wait())
	if code != 2 || !strings.Contains(out.String(), "End of input") {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
}

// A connection quiet for longer than idle_timeout is closed: a watch that
// has nothing to print (no run changes) is cut off, and the client learns
// it had no exit status.
func TestIdleConnectionIsClosed(t *testing.T) {
	r := newRig(t, func(o *sshserve.Options) { o.IdleTimeout = 700 * time.Millisecond })
	s, err := r.client("alice").NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- s.Run("watch --new-only") }()
	select {
	case err := <-done:
		var missing *gossh.ExitMissingError
		var exited *gossh.ExitError
		if err == nil || errors.As(err, &exited) || !errors.As(err, &missing) && !strings.Contains(err.Error(), "EOF") {
			t.Fatalf("watch ended with %v, want the connection cut without an exit status", err)
		}
		if d := time.Since(start); d < 500*time.Millisecond {
			t.Errorf("cut after %v, before the idle timeout", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("an idle connection was still open 10 s after a 0.7 s idle timeout")
	}
}

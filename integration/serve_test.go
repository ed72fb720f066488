package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// End-to-end tests of `unpause serve`: the real binary serving the real
// Prefect server over SSH, reached with the OpenSSH client (ssh), the inbox
// driven in tmux.

// serveRig is one `unpause serve` process and its users' keys.
type serveRig struct {
	t     *testing.T
	port  int
	dir   string // keys and the server's HOME
	home  string
	keys  map[string]string // user → private key file
	log   *lineLog
	cmd   *exec.Cmd
	done  chan struct{}
	state string // the server's state directory
}

func serveRequireSSH(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required for the unpause serve end-to-end tests", tool)
			}
			t.Skipf("%s not installed (apt-get install openssh-client)", tool)
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startServe starts `unpause serve` with users alice (answer) and bob
// (read-only), and waits for it to listen.
func startServe(t *testing.T, extraYAML string) *serveRig {
	t.Helper()
	serveRequireSSH(t)
	bin := buildUnpause(t)
	home, env := unpauseEnv(t, UnpauseOpts{})
	r := &serveRig{
		t: t, port: freePort(t), dir: t.TempDir(), home: home, keys: map[string]string{}, log: newLineLog(),
		done: make(chan struct{}), state: filepath.Join(home, ".local", "state", "unpause"),
	}
	var users strings.Builder
	for _, u := range []struct{ name, role string }{{"alice", "answer"}, {"bob", "read-only"}} {
		key := filepath.Join(r.dir, u.name)
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", u.name+"@it", "-f", key).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		pub, err := os.ReadFile(key + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		r.keys[u.name] = key
		fmt.Fprintf(&users, "    %s: {keys: [%q], role: %s}\n", u.name, strings.TrimSpace(string(pub)), u.role)
	}
	cfg := fmt.Sprintf("serve:\n  listen: 127.0.0.1:%d\n  host_key: %s\n%s  users:\n%s", r.port,
		filepath.Join(r.dir, "hostkey", "ssh_host_ed25519"), extraYAML, users.String())
	cfgPath := filepath.Join(home, ".config", "unpause", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfgPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	r.cmd = exec.Command(bin, "serve")
	r.cmd.Dir, r.cmd.Env = home, append(env, "UNPAUSE_REFRESH_INTERVAL=2s")
	r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = r.cmd.Wait(); close(r.done) }()
	t.Cleanup(func() {
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-r.done:
		case <-time.After(20 * time.Second):
			_ = r.cmd.Process.Kill()
			t.Errorf("unpause serve did not stop on SIGTERM")
		}
		if t.Failed() {
			t.Logf("serve log:\n%s", tail(r.log.String(), 40))
		}
	})
	if _, ok := r.log.waitPrefix(`{"time":`, 30*time.Second, r.done); !ok || !strings.Contains(r.log.String(), `"msg":"listening"`) {
		t.Fatalf("unpause serve did not start:\n%s", r.log.String())
	}
	return r
}

// sshArgs is the ssh command line for key (a file) and args.
func (r *serveRig) sshArgs(key string, args ...string) []string {
	return append([]string{
		"ssh", "-F", "/dev/null", "-p", strconv.Itoa(r.port), "-i", key,
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "127.0.0.1",
	}, args...)
}

// ssh runs one command over ssh as user (a name of r.keys, or a key file).
func (r *serveRig) ssh(user string, args ...string) (stdout, stderr string, code int) {
	r.t.Helper()
	key := r.keys[user]
	if key == "" {
		key = user
	}
	argv := r.sshArgs(key, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &out, &errOut, nil
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatalf("ssh %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

// startSSH runs the ssh client as user in the tmux pane (no command: the
// inbox) and waits for the inbox.
func (s *tuiSession) startSSH(r *serveRig, user string, args ...string) {
	s.t.Helper()
	_ = os.Remove(s.pidFile)
	argv := r.sshArgs(r.keys[user], append([]string{"-t"}, args...)...)
	s.tmux("send-keys", "-t", "it", "-l", fmt.Sprintf("sh -c 'echo $$ > %s; exec %s'", s.pidFile, strings.Join(argv, " ")))
	s.tmux("send-keys", "-t", "it", "Enter")
	s.waitUntil("the inbox over ssh", func(sc string) bool {
		return strings.Contains(sc, "waiting ") && (strings.Contains(sc, "updated ") || strings.Contains(sc, "live since "))
	})
}

func TestServeCLI(t *testing.T) {
	t.Parallel()
	r := startServe(t, "")
	f := startFlow(t, "greeting")

	stdout, stderr, code := r.ssh("bob", "list", "--output", "json")
	var runs []map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &runs) != nil {
		t.Fatalf("list --output json: exit %d\n%s\n%s", code, stdout, stderr)
	}
	found := false
	for _, run := range runs {
		found = found || run["id"] == f.RunID
	}
	if !found {
		t.Fatalf("run %s not listed: %s", f.RunID, stdout)
	}
	if _, stderr, code = r.ssh("alice", "show", "no-such-run-"+randomSuffix()); code != 6 {
		t.Fatalf("show unknown: exit %d, %s", code, stderr)
	}
	// An unknown key never gets in: the handshake refuses it.
	other := filepath.Join(r.dir, "mallory")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	if _, stderr, code = r.ssh(other, "list"); code != 255 || !strings.Contains(stderr, "Permission denied") {
		t.Fatalf("unknown key: exit %d, %s", code, stderr)
	}
	// Read-only: refused with the usage code, the run still waits.
	_, stderr, code = r.ssh("bob", "resume", f.RunID, "--set", "value=Bob", "--yes")
	if code != 2 || !strings.Contains(stderr, "read-only") {
		t.Fatalf("bob's resume: exit %d, %s", code, stderr)
	}
	if run := mustGetRun(t, f.APIURL, f.RunID); run.StateType != "PAUSED" {
		t.Fatalf("run is %s after bob's resume", run.StateType)
	}
	// serve and config stay on the server.
	if _, stderr, code = r.ssh("alice", "config"); code != 2 || !strings.Contains(stderr, "not available over unpause serve") {
		t.Fatalf("config over ssh: exit %d, %s", code, stderr)
	}
	// Alice answers; the flow gets it, the run says it was alice.
	stdout, stderr, code = r.ssh("alice", "resume", f.RunID, "--set", "value=Ada", "--yes", "-o", "json")
	if code != 0 {
		t.Fatalf("alice's resume: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if got := f.WaitResult(t, tuiResultTimeout)["received"]; got != "Ada" {
		t.Fatalf("flow received %v", got)
	}
	value, sender := filterInput(t, f.APIURL, f.RunID, "paused-1-answered-by")
	var rec map[string]any
	if sender != "unpause:alice" || json.Unmarshal([]byte(value), &rec) != nil || rec["who"] != "alice" {
		t.Fatalf("answered-by: sender %q value %q", sender, value)
	}
	if _, _, code = r.ssh("alice", "resume", f.RunID, "--set", "value=again", "--yes"); code != 4 {
		t.Fatalf("second resume: exit %d, want 4 (not paused)", code)
	}
	// The log has the sessions, and no answer's value.
	logText := r.log.String()
	for _, want := range []string{`"msg":"session end"`, `"user":"alice"`, `"role":"read-only"`, `"command":"resume"`, `"exit_code":2`} {
		if !strings.Contains(logText, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	if strings.Contains(logText, "Ada") {
		t.Errorf("an answer reached the log")
	}
}

// Ten sessions at once, each a command with its own exit status.
func TestServeConcurrentSessions(t *testing.T) {
	t.Parallel()
	r := startServe(t, "")
	var wg sync.WaitGroup
	errs := make(chan string, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := []string{"alice", "bob"}[i%2]
			stdout, stderr, code := r.ssh(user, "list", "--output", "json")
			var runs []any
			if code != 0 || json.Unmarshal([]byte(stdout), &runs) != nil {
				errs <- fmt.Sprintf("session %d: exit %d %s", i, code, stderr)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// The inbox over ssh in tmux: alice answers, the flow gets it, the run
// says alice; the pane's resize redraws at the new size.
func TestServeTUIAnswer(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	r := startServe(t, "")
	f := startFlow(t, "greeting")
	name := tuiRunName(t, f)
	s := newTUISession(t, t.TempDir())
	s.startSSH(r, "alice")
	s.openRun(name)

	s.tmux("resize-window", "-t", "it", "-x", "90", "-y", "30")
	// The header ends with the server's URL at the right edge: cropped
	// mid-word by the narrower pane unless the inbox redrew at the new
	// width (whole, or shortened with an ellipsis).
	s.waitUntil("the header redrawn at 90 columns", func(sc string) bool {
		for _, l := range strings.Split(sc, "\n") {
			if strings.Contains(l, " unpause ") {
				end := strings.TrimRight(l, " ")
				return (strings.HasSuffix(end, "/api") || strings.HasSuffix(end, "…")) && len([]rune(l)) <= 90
			}
		}
		return false
	})
	s.tmux("resize-window", "-t", "it", "-x", "120", "-y", "40")

	s.keys("a")
	s.waitFor("the form", "Answer: "+name)
	s.text("from ssh")
	s.keys("Enter")
	s.waitFor("the review", "This exact JSON will be sent", `"from ssh"`)
	s.keys("e")
	s.waitFor("the editor refused", "not available over unpause serve")
	s.confirmResume()
	if got := f.WaitResult(t, tuiResultTimeout)["received"]; got != "from ssh" {
		t.Fatalf("flow received %v", got)
	}
	value, sender := filterInput(t, f.APIURL, f.RunID, "paused-1-answered-by")
	var rec map[string]any
	if sender != "unpause:alice" || json.Unmarshal([]byte(value), &rec) != nil || rec["who"] != "alice" {
		t.Fatalf("answered-by: sender %q value %q", sender, value)
	}
	pid := s.pid()
	s.keys("q")
	waitExited(t, pid)
}

// waitExited waits for the process pid (the ssh client) to end.
func waitExited(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(tuiScreenTimeout)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("ssh (pid %d) still running", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// bob (read-only) sees the run but no key answers or cancels it.
func TestServeTUIReadOnly(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	r := startServe(t, "")
	f := startFlow(t, "greeting")
	name := tuiRunName(t, f)
	s := newTUISession(t, t.TempDir())
	s.startSSH(r, "bob")
	s.waitFor("the read-only badge", "READ-ONLY")
	s.openRun(name)
	// Had a or x opened a form or a prompt, q would be typed into it; in a
	// read-only inbox it quits.
	pid := s.pid()
	s.keys("a", "x", "q")
	waitExited(t, pid)
	if run := mustGetRun(t, f.APIURL, f.RunID); run.StateType != "PAUSED" {
		t.Fatalf("run is %s", run.StateType)
	}
}

// The ssh client killed mid-form: the server keeps the draft (alice's own
// directory), and the next login, from anywhere, offers it back.
func TestServeDraftSurvivesDrop(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	r := startServe(t, "")
	f := startFlow(t, "greeting")
	name := tuiRunName(t, f)
	s := newTUISession(t, t.TempDir())
	s.startSSH(r, "alice")
	s.openRun(name)
	s.keys("a")
	s.waitFor("the form", "Answer: "+name)
	s.text("half typed")
	s.waitFor("the typed value", "half typed")
	time.Sleep(500 * time.Millisecond) // the key reached the server, not only the pane
	if err := syscall.Kill(s.pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	draft := filepath.Join(r.state, "serve", "users", "alice", "drafts", f.RunID+".json")
	s.waitUntil("the draft saved on the server", func(string) bool {
		data, err := os.ReadFile(draft)
		return err == nil && strings.Contains(string(data), "half typed")
	})
	s2 := newTUISession(t, t.TempDir()) // another laptop
	s2.startSSH(r, "alice")
	s2.openRun(name)
	s2.waitFor("the restored-draft notice", "Restored draft from")
	s2.keys("a")
	s2.waitFor("the restored value", "half typed")
}

// Command benchserve measures what an idle inbox session costs `unpause
// serve`: the serve process's resident memory (VmRSS of /proc/PID/status)
// before any session and with N inbox sessions open (a pty each, the inbox
// drawn, then left idle), and prints the difference divided by N, the
// figure BENCHMARKS.md quotes (target: under 15 MB per idle session).
// Linux only. scripts/bench-serve runs it against a fresh Prefect server.
//
//	go run ./scripts/benchserve -unpause ./unpause -api http://127.0.0.1:4200/api -sessions 10
package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func main() {
	bin := flag.String("unpause", "./unpause", "the unpause binary")
	api := flag.String("api", os.Getenv("PREFECT_API_URL"), "the Prefect API URL")
	n := flag.Int("sessions", 10, "idle inbox sessions to open")
	settle := flag.Duration("settle", 10*time.Second, "how long the sessions idle before the reading")
	flag.Parse()
	if *api == "" {
		fail("no Prefect API URL: give -api or set PREFECT_API_URL")
	}
	if err := run(*bin, *api, *n, *settle); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "benchserve:", msg)
	os.Exit(1)
}

func run(bin, api string, n int, settle time.Duration) error {
	signer, authorized, err := newKey()
	if err != nil {
		return err
	}
	home, err := os.MkdirTemp("", "benchserve")
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	port, err := freePort()
	if err != nil {
		return err
	}
	cfg := fmt.Sprintf("serve:\n  listen: 127.0.0.1:%d\n  max_sessions: %d\n  users:\n    bench: {keys: [%q], role: answer}\n",
		port, n+5, authorized)
	if err := os.MkdirAll(filepath.Join(home, "config"), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(home, "config", "config.yaml"), []byte(cfg), 0o600); err != nil {
		return err
	}
	srv, logs, err := startServe(bin, home, api)
	if err != nil {
		return err
	}
	defer func() { _ = srv.Process.Signal(syscall.SIGTERM); _ = srv.Wait() }()
	time.Sleep(2 * time.Second)
	before, err := vmRSS(srv.Process.Pid)
	if err != nil {
		return err
	}
	clients, err := openSessions(fmt.Sprintf("127.0.0.1:%d", port), signer, n)
	defer func() {
		for _, c := range clients {
			_ = c.Close()
		}
	}()
	if err != nil {
		return fmt.Errorf("%w\nserve log:\n%s", err, logs.String())
	}
	time.Sleep(settle)
	after, err := vmRSS(srv.Process.Pid)
	if err != nil {
		return err
	}
	fmt.Printf("serve VmRSS: %.1f MB with no session, %.1f MB with %d idle inbox sessions\n", mb(before), mb(after), n)
	fmt.Printf("per idle session: %.1f MB (target < 15 MB)\n", mb(after-before)/float64(n))
	return nil
}

func mb(kb int) float64 { return float64(kb) / 1024 }

func newKey() (gossh.Signer, string, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", err
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, "", err
	}
	return s, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey()))), nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer is a bytes.Buffer safe for concurrent writes and reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startServe starts `unpause serve` with its own HOME and waits for it to listen.
func startServe(bin, home, api string) (*exec.Cmd, *syncBuffer, error) {
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "UNPAUSE_CONFIG_DIR=" + filepath.Join(home, "config"),
		"UNPAUSE_STATE_DIR=" + filepath.Join(home, "state"), "PREFECT_HOME=" + filepath.Join(home, "prefect"), "PREFECT_API_URL=" + api,
	}
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(logs.String(), `"msg":"listening"`) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			return nil, nil, fmt.Errorf("unpause serve did not start:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cmd, logs, nil
}

// openSessions opens n inbox sessions (one connection each) and waits
// until each inbox has drawn its list.
func openSessions(addr string, signer gossh.Signer, n int) ([]*gossh.Client, error) {
	var clients []*gossh.Client
	for i := range n {
		c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
			User: "bench", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		})
		if err != nil {
			return clients, fmt.Errorf("session %d: %w", i+1, err)
		}
		clients = append(clients, c)
		s, err := c.NewSession()
		if err != nil {
			return clients, err
		}
		if err := s.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
			return clients, err
		}
		if _, err := s.StdinPipe(); err != nil { // kept open: the inbox stays
			return clients, err
		}
		out := &syncBuffer{}
		s.Stdout = out
		if err := s.Shell(); err != nil {
			return clients, err
		}
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(out.String(), "waiting") {
			if time.Now().After(deadline) {
				return clients, fmt.Errorf("session %d: the inbox did not draw:\n%q", i+1, out.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return clients, nil
}

// vmRSS reads VmRSS (kB) of pid.
func vmRSS(pid int) (int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

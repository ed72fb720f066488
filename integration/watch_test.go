package integration

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// watchProcess is `unpause watch` running in the background.
type watchProcess struct {
	cmd            *exec.Cmd
	stdout, stderr *lineLog
	done           chan struct{}
	err            error
}

func startWatch(t *testing.T, env []string, args ...string) *watchProcess {
	t.Helper()
	bin := buildUnpause(t)
	home, fullEnv := unpauseEnv(t, UnpauseOpts{Env: env})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	w := &watchProcess{stdout: newLineLog(), stderr: newLineLog(), done: make(chan struct{})}
	w.cmd = exec.CommandContext(ctx, bin, append([]string{"watch"}, args...)...)
	w.cmd.Dir, w.cmd.Env, w.cmd.Stdout, w.cmd.Stderr = home, fullEnv, w.stdout, w.stderr
	if err := w.cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() { w.err = w.cmd.Wait(); close(w.done) }()
	t.Cleanup(func() {
		_ = w.cmd.Process.Signal(os.Interrupt)
		select {
		case <-w.done:
		case <-time.After(5 * time.Second):
			_ = w.cmd.Process.Kill()
		}
		cancel()
		if t.Failed() {
			t.Logf("watch stdout:\n%s\nwatch stderr:\n%s", w.stdout, w.stderr)
		}
	})
	// Ready once it says how it learns of changes (after the first listing).
	if _, ok := w.stderr.waitPrefix("watch: ", 30*time.Second, w.done); !ok {
		t.Fatalf("watch did not start: %v", w.err)
	}
	return w
}

// TestCLIWatchExecWithAHostileRunName: a run whose name is shell code
// starts waiting; watch prints it as JSON with no control characters, and
// --exec gets its name in UNPAUSE_RUN_NAME as data, never as code.
func TestCLIWatchExecWithAHostileRunName(t *testing.T) {
	apiURL, _ := requireServer(t)
	t.Parallel()
	dir := t.TempDir()
	pwned := filepath.Join(dir, "pwned")
	hookOut := filepath.Join(dir, "hook.out")
	hostile := "$(touch " + pwned + ");`touch " + pwned + "` \x1b]0;title\a\x1b[31mred"
	w := startWatch(t, []string{"UNPAUSE_REFRESH_INTERVAL=1s"},
		"--new-only", "--exit-on-first", "--tag", "it-watch-exec", "--output", "json",
		"--exec", "sh", "--", "-c", `printf '%s|%s|%s\n' "$UNPAUSE_RUN_ID" "$UNPAUSE_RUN_NAME" "$1" > "$2"`, "hook", "arg one", hookOut)
	id := createPausedRun(t, apiURL, "unpause-it-watch", hostile, "it-watch-exec")

	select {
	case <-w.done:
	case <-time.After(30 * time.Second):
		t.Fatal("watch --exit-on-first did not exit 30s after a run started waiting")
	}
	if w.err != nil {
		t.Fatalf("watch exited with %v", w.err)
	}
	var line struct {
		Event string `json:"event"`
		Run   struct {
			ID, Name string
		} `json:"run"`
	}
	out := strings.TrimSpace(w.stdout.String())
	if err := json.Unmarshal([]byte(out), &line); err != nil || line.Event != "waiting" || line.Run.ID != id {
		t.Fatalf("watch printed %q (%v), want one waiting line for %s", out, err, id)
	}
	if strings.ContainsAny(out, "\x1b\a") {
		t.Errorf("control characters reached the JSON line: %q", out)
	}
	got, err := os.ReadFile(hookOut)
	if err != nil {
		t.Fatalf("the hook did not run: %v", err)
	}
	wantName := strings.NewReplacer("\x1b", "", "\a", "").Replace(hostile)
	fields := strings.SplitN(strings.TrimSpace(string(got)), "|", 3)
	if len(fields) != 3 || fields[0] != id || fields[2] != "arg one" || !strings.Contains(fields[1], "$(touch "+pwned+")") {
		t.Errorf("hook saw %q, want %s|<the name as text>|arg one (name %q)", got, id, wantName)
	}
	if strings.ContainsAny(fields[1], "\x1b\a") {
		t.Errorf("control characters reached the hook's environment: %q", fields[1])
	}
	if _, err := os.Stat(pwned); err == nil {
		t.Fatal("the run's name was executed as shell code")
	}
}

// TestCLIWatchFollowsAnswers: a long-running watch sees a run start
// waiting, then the resume unpause makes, within seconds.
func TestCLIWatchFollowsAnswers(t *testing.T) {
	apiURL, _ := requireServer(t)
	t.Parallel()
	w := startWatch(t, []string{"UNPAUSE_REFRESH_INTERVAL=1s"}, "--tag", "it-watch-follow", "--new-only")
	id := createPausedRun(t, apiURL, "unpause-it-watch", "watched-run", "it-watch-follow")
	if _, ok := w.stdout.waitPrefix("", 20*time.Second, w.done); !ok {
		t.Fatal("no line for the new run")
	}
	if _, _, code := runUnpause(t, "resume", id, "--yes"); code != 0 {
		t.Fatalf("resume exit %d", code)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(w.stdout.String(), "resumed") {
		if time.Now().After(deadline) {
			t.Fatalf("watch printed no resumed line:\n%s", w.stdout)
		}
		time.Sleep(50 * time.Millisecond)
	}
	lines := strings.Split(strings.TrimSpace(w.stdout.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "waiting") || !strings.Contains(lines[0], id) ||
		!strings.Contains(lines[1], "resumed") || !strings.Contains(lines[1], "watched-run") {
		t.Errorf("watch printed:\n%s\nwant a waiting line then a resumed line for %s", w.stdout, id)
	}
}

// TestCLIShowPastedLink: a run link as Prefect's UI shows it (and as a
// Slack notification carries it) opens the run; a link to another server
// is refused with the usage exit code.
func TestCLIShowPastedLink(t *testing.T) {
	apiURL, _ := requireServer(t)
	t.Parallel()
	id := createPausedRun(t, apiURL, "unpause-it-watch", "linked-run", "it-link")
	ui := strings.TrimSuffix(apiURL, "/api")
	stdout, stderr, code := runUnpause(t, "show", ui+"/runs/flow-run/"+id+"?tab=Logs", "-o", "json")
	if code != 0 || !strings.Contains(stdout, `"linked-run"`) {
		t.Fatalf("show by link: exit %d\n%s\n%s", code, stdout, stderr)
	}
	other := strings.Replace(ui, "127.0.0.1", "localhost", 1)
	_, stderr, code = runUnpause(t, "show", other+"/runs/flow-run/"+id)
	if code != 2 || !strings.Contains(stderr, "localhost") {
		t.Fatalf("a link to another host: exit %d, stderr %s; want 2 naming it", code, stderr)
	}
}

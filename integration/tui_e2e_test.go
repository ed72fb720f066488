package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// End-to-end tests of the inbox TUI: the real unpause binary in a tmux pane
// (120x40, its own tmux server per test), driven with send-keys and read with
// capture-pane, against the real Prefect server and fixture flows. Every wait
// polls the screen (or the API) against a deadline; nothing relies on a fixed
// sleep.

const (
	tuiScreenTimeout = 60 * time.Second // the TUI under a loaded 2-core machine
	tuiResultTimeout = 2 * time.Minute
)

// tuiSession is one tmux server running a shell in which unpause is started.
type tuiSession struct {
	t       *testing.T
	socket  string
	home    string // HOME and XDG dirs of unpause: drafts live under it
	pidFile string
	bin     string
}

func tuiRequireTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is required for the TUI end-to-end tests")
		}
		t.Skip("tmux not installed")
	}
}

// newTUISession starts a tmux server with a shell whose environment points
// unpause at the test server. home may be shared between sessions (a
// restart after a crash).
func newTUISession(t *testing.T, home string) *tuiSession {
	t.Helper()
	tuiRequireTmux(t)
	apiURL, _ := requireServer(t)
	s := &tuiSession{
		t:       t,
		socket:  "unpause-it-" + randomSuffix(),
		home:    home,
		pidFile: filepath.Join(home, "unpause.pid"),
		bin:     buildUnpause(t),
	}
	env := map[string]string{
		"HOME":                     home,
		"XDG_CONFIG_HOME":          filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":           filepath.Join(home, ".cache"),
		"XDG_DATA_HOME":            filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME":           filepath.Join(home, ".local", "state"),
		"PREFECT_API_URL":          apiURL,
		"UNPAUSE_REFRESH_INTERVAL": "2s",
		"TERM":                     "xterm-256color",
		"LANG":                     "C.UTF-8",
		"PS1":                      "$ ",
	}
	args := []string{"-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", "it"}
	for k, v := range env {
		args = append(args, "-e", k+"="+v)
	}
	args = append(args, "sh")
	s.tmux(args...)
	socketPath := strings.TrimSpace(s.tmux("display-message", "-p", "#{socket_path}"))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last screen:\n%s", s.screen())
		}
		_ = s.command("kill-server").Run()
		if socketPath != "" {
			_ = os.Remove(socketPath) // tmux may leave it behind
		}
	})
	return s
}

// command builds a tmux command for this session's server. tmux runs with a
// minimal environment, so nothing from the caller's (PREFECT_API_KEY,
// PREFECT_PROFILE, ...) leaks into the pane; the pane gets new-session -e.
func (s *tuiSession) command(args ...string) *exec.Cmd {
	cmd := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + s.home, "LANG=C.UTF-8", "TERM=xterm-256color"}
	if v := os.Getenv("TMPDIR"); v != "" {
		cmd.Env = append(cmd.Env, "TMPDIR="+v)
	}
	return cmd
}

func (s *tuiSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := s.command(args...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// startApp runs unpause (no arguments: the inbox) in the pane and waits for
// the inbox to load.
func (s *tuiSession) startApp() {
	s.t.Helper()
	_ = os.Remove(s.pidFile)
	// The shell records the pid that exec keeps for unpause.
	cmd := fmt.Sprintf("sh -c 'echo $$ > %s; exec %s'", s.pidFile, s.bin)
	s.tmux("send-keys", "-t", "it", "-l", cmd)
	s.tmux("send-keys", "-t", "it", "Enter")
	s.waitUntil("the inbox", func(sc string) bool {
		return strings.Contains(sc, "waiting ") && (strings.Contains(sc, "updated ") || strings.Contains(sc, "live since "))
	})
}

func (s *tuiSession) pid() int {
	s.t.Helper()
	deadline := time.Now().Add(tuiScreenTimeout)
	for {
		b, err := os.ReadFile(s.pidFile)
		if err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				return pid
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no unpause pid in %s", s.pidFile)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *tuiSession) screen() string {
	out, err := s.command("capture-pane", "-p", "-t", "it").CombinedOutput()
	if err != nil {
		return "capture-pane failed: " + err.Error()
	}
	return string(out)
}

// keys sends tmux key names (Enter, Escape, Down, C-u, y, ...).
func (s *tuiSession) keys(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", "it"}, keys...)...)
}

// text types literal text.
func (s *tuiSession) text(text string) {
	s.t.Helper()
	s.tmux("send-keys", "-t", "it", "-l", text)
}

// waitFor polls the screen until it shows every one of texts.
func (s *tuiSession) waitFor(what string, texts ...string) string {
	s.t.Helper()
	if len(texts) == 0 {
		texts = []string{what}
	}
	return s.waitUntil(what, func(screen string) bool {
		for _, x := range texts {
			if !strings.Contains(screen, x) {
				return false
			}
		}
		return true
	})
}

func (s *tuiSession) waitUntil(what string, cond func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(tuiScreenTimeout)
	for {
		screen := s.screen()
		if cond(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %s within %s; last screen:\n%s", what, tuiScreenTimeout, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitFocus waits until the form's focused field (the one huh marks with a
// "┃" bar) is the one titled title. huh moves focus in a command after
// enter, so keys sent before that would land on the previous field.
func (s *tuiSession) waitFocus(title string) {
	s.t.Helper()
	s.waitUntil("focus on "+title, func(screen string) bool {
		for _, l := range strings.Split(screen, "\n") {
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "┃") && strings.Contains(t, title) {
				return true
			}
		}
		return false
	})
}

// confirmResume presses y in the review and waits for the resumed banner.
// A busy SQLite server answers some writes with 503 (retryable: the
// transaction was rolled back); the app says "Resume failed (nothing is
// lost; try again)" and keeps the review, so press y again, as an operator
// would.
func (s *tuiSession) confirmResume() {
	s.t.Helper()
	for attempt := 1; ; attempt++ {
		s.keys("y")
		screen := s.waitUntil("the outcome of the resume", func(sc string) bool {
			return strings.Contains(sc, "Resumed") || strings.Contains(sc, "Resume failed")
		})
		if strings.Contains(screen, "Resumed") {
			return
		}
		if attempt == 5 {
			s.t.Fatalf("resume failed %d times:\n%s", attempt, screen)
		}
		s.t.Logf("resume attempt %d failed, retrying:\n%s", attempt, screen)
		s.waitFor("the review again", "Send it?")
		time.Sleep(time.Second) // back off before retrying, as the server asks
	}
}

// openRun filters the inbox by the run's name and opens it.
func (s *tuiSession) openRun(name string) {
	s.t.Helper()
	s.waitFor("run "+name+" in the inbox", name)
	s.keys("/")
	s.text(name)
	s.waitFor("the filter", "/"+name, "(1 shown)")
	s.keys("Enter") // keep the filter
	s.keys("Enter") // open the only run
	s.waitFor("the run view", name, "State", "Link")
}

func tuiRunName(t *testing.T, f *FixtureFlow) string {
	t.Helper()
	return mustGetRun(t, f.APIURL, f.RunID).Name
}

// TestTUIAnswerAndResume answers the deploy-approval fixture through the
// form: rendered description, defaults kept, a typed field, review, confirm.
func TestTUIAnswerAndResume(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	f := startFlow(t, "markdown")
	name := tuiRunName(t, f)
	s := newTUISession(t, t.TempDir())
	s.startApp()
	s.openRun(name)
	// The Markdown is rendered (no "**" left) and the form is one key away.
	screen := s.waitFor("the rendered description", "Deploy approval", "Release v2.3.1")
	if strings.Contains(screen, "**v2.3.1**") {
		t.Fatalf("description not rendered:\n%s", screen)
	}
	s.keys("a")
	s.waitFor("the form", "Answer: "+name, "Reviewer")
	s.waitFocus("Approve")
	s.keys("Enter") // approve: keep the initial value (yes)
	s.waitFocus("Environment")
	s.keys("Enter") // environment: keep production
	s.waitFocus("Reviewer")
	s.text("alice")
	s.waitFor("the typed reviewer", "> alice")
	s.keys("Enter")
	s.waitFocus("Notes")
	s.keys("C-u") // whatever the field shows, replace it
	s.text("ship it")
	s.keys("Enter")
	s.waitFor("the review", "This exact JSON will be sent", `"reviewer": "alice"`, `"notes": "ship it"`)
	s.confirmResume()

	result := f.WaitResult(t, tuiResultTimeout)
	want := map[string]any{"approve": true, "environment": "production", "reviewer": "alice", "notes": "ship it"}
	if result["outcome"] != "resumed" || !reflect.DeepEqual(result["received"], want) {
		t.Fatalf("flow received %v, want %v", result, want)
	}
	// The run leaves the inbox (the filter on its name now matches nothing).
	s.keys("Escape")
	s.waitFor("the run gone from the inbox", "(0 shown)")
}

// TestTUICancelWithReason cancels a paused run with a reason.
func TestTUICancelWithReason(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	f := startFlow(t, "greeting")
	name := tuiRunName(t, f)
	s := newTUISession(t, t.TempDir())
	s.startApp()
	s.openRun(name)
	s.keys("x")
	s.waitFor("the reason prompt", "Reason (required", "started by hand")
	s.keys("Enter")
	s.waitFor("a word on the missing reason", "A reason is required")
	s.text("not needed any more")
	s.keys("Enter")
	s.waitFor("the confirmation", "Cancel this run? [y/N]", "Reason: not needed any more")
	s.keys("y")
	// The fixture was started by hand: nothing can stop its process, and the
	// banner says so rather than plain "Cancelled.".
	s.waitFor("the cancelled banner", "Marked Cancelled, but its process keeps waiting")
	run := waitRun(t, f.APIURL, f.RunID, tuiResultTimeout, "cancelled", func(r *apiRun) bool {
		return r.StateType == "CANCELLED"
	})
	if run.State == nil || run.State.Message == nil || *run.State.Message != "not needed any more" {
		t.Fatalf("cancel reason not kept on the Cancelled state: %+v", run.State)
	}
	// Who cancelled it is on the run (the default identity, user@host).
	value, sender := filterInput(t, f.APIURL, f.RunID, "paused-1-cancelled-by")
	var rec map[string]any
	if !strings.HasPrefix(sender, "unpause:") || json.Unmarshal([]byte(value), &rec) != nil || rec["action"] != "cancel" || rec["who"] == "" {
		t.Fatalf("cancelled-by record: sender %q value %q", sender, value)
	}
}

// TestTUIRejectedAnswerCorrected: the shirt fixture's model_validator
// refuses small+green, so the flow pauses again; the app shows the new pause
// with the previous answer as starting values and the operator corrects it.
func TestTUIRejectedAnswerCorrected(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	f := startFlow(t, "shirt")
	name := tuiRunName(t, f)
	s := newTUISession(t, t.TempDir())
	s.startApp()
	s.openRun(name)
	s.keys("a")
	s.waitFor("the form", "Size", "Color", "— choose —")
	s.waitFocus("Size")
	s.keys("Down", "Enter") // size: small
	s.waitFocus("Color")
	s.keys("Down", "Down", "Enter") // color: green
	s.waitFor("the review", `"size": "small"`, `"color": "green"`)
	s.confirmResume()
	// The flow refuses it and pauses again with a new keyset; the app notices
	// on its refresh (every 2s here).
	s.waitFor("the new pause", "The run paused again", "not available")
	// The flow's refusal is logged just before the new pause; Prefect ships log lines
	// in batches, and the run view fetches them again after the resume.
	s.waitFor("the flow's refusal in the run's log lines", "Invalid shirt order")
	s.keys("a")
	s.waitFor("the previous answer offered (read back from the server)", "Starting from the previous answer", "> small", "> green")
	s.waitFocus("Size")
	s.keys("Down", "Enter") // small -> medium
	s.waitFocus("Color")
	s.keys("Enter") // keep green
	s.waitFor("the review", `"size": "medium"`, `"color": "green"`)
	s.confirmResume()

	result := f.WaitResult(t, tuiResultTimeout)
	want := map[string]any{"size": "medium", "color": "green"}
	if !reflect.DeepEqual(result["received"], want) || result["attempts"] != 2.0 {
		t.Fatalf("flow result %v, want received %v after 2 attempts", result, want)
	}
}

// TestTUIDraftSurvivesHangup: an answer typed in the form comes back after
// the process got SIGHUP (an SSH drop) and unpause is started again.
func TestTUIDraftSurvivesHangup(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	f := startFlow(t, "markdown")
	name := tuiRunName(t, f)
	home := t.TempDir()
	s := newTUISession(t, home)
	s.startApp()
	s.openRun(name)
	s.keys("a")
	s.waitFor("the form", "Reviewer")
	s.waitFocus("Approve")
	s.keys("Enter")
	s.waitFocus("Environment")
	s.keys("Enter")
	s.waitFocus("Reviewer")
	s.text("draft-bob")
	s.waitFor("the typed value", "> draft-bob")

	pid := s.pid()
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		t.Fatalf("kill -HUP %d: %v", pid, err)
	}
	deadline := time.Now().Add(tuiScreenTimeout)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("unpause (pid %d) still running %s after SIGHUP", pid, tuiScreenTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
	draft := filepath.Join(home, ".local", "state", "unpause", "drafts", f.RunID+".json")
	data, err := os.ReadFile(draft)
	if err != nil || !strings.Contains(string(data), "draft-bob") {
		t.Fatalf("draft after SIGHUP: %v\n%s", err, data)
	}
	if info, err := os.Stat(draft); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("draft file mode: %v %v", info, err)
	}

	// Start again (same HOME): the run offers the draft.
	s.startApp()
	s.openRun(name)
	s.waitFor("the restored-draft notice", "Restored draft from")
	s.keys("a")
	s.waitFor("the restored value in the form", "> draft-bob")
	s.waitFocus("Approve")
	s.keys("Enter")
	s.waitFocus("Environment")
	s.keys("Enter")
	s.waitFocus("Reviewer")
	s.keys("Enter") // reviewer kept
	s.waitFocus("Notes")
	s.keys("C-u")
	s.text("restored")
	s.keys("Enter")
	s.waitFor("the review", `"reviewer": "draft-bob"`)
	s.confirmResume()
	result := f.WaitResult(t, tuiResultTimeout)
	if got := result["received"].(map[string]any)["reviewer"]; got != "draft-bob" {
		t.Fatalf("flow received reviewer %v", got)
	}
	// A draft is removed once its run is resumed.
	s.waitUntil("the draft file removed", func(string) bool {
		_, err := os.Stat(draft)
		return os.IsNotExist(err)
	})
}

package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestTUILiveInbox: with the inbox open and its refresh timer set to an
// hour, a run that pauses shows up without a key (Prefect 3: the event
// stream; Prefect 2: polling, said in the header), and the answer given in
// the TUI is stamped with the operator's identity on the run.
func TestTUILiveInbox(t *testing.T) {
	tuiRequireTmux(t)
	t.Parallel()
	s := newTUISession(t, t.TempDir())
	badge, refresh := "● live", "1h"
	if !serverHasStream(t) {
		badge, refresh = "polling", "2s"
	}
	s.startAppWith("UNPAUSE_REFRESH_INTERVAL=" + refresh + " UNPAUSE_IDENTITY=alice@tmux")
	s.waitFor("the "+badge+" badge", badge)

	f := startFlow(t, "greeting")
	name := tuiRunName(t, f)
	s.waitFor("the new run, with no key pressed", name)

	s.openRun(name)
	s.keys("a")
	s.waitFor("the form", "Answer: "+name)
	s.text("from tmux")
	s.keys("Enter")
	s.waitFor("the review", "This exact JSON will be sent", `"from tmux"`)
	s.confirmResume()
	if got := f.WaitResult(t, tuiResultTimeout)["received"]; got != "from tmux" {
		t.Fatalf("flow received %v, want \"from tmux\"", got)
	}
	value, sender := filterInput(t, f.APIURL, f.RunID, "paused-1-answered-by")
	var rec map[string]any
	if sender != "unpause:alice@tmux" || json.Unmarshal([]byte(value), &rec) != nil || rec["who"] != "alice@tmux" {
		t.Fatalf("answered-by record: sender %q value %q", sender, value)
	}
}

// startAppWith runs the inbox with extra environment (VAR=value words).
func (s *tuiSession) startAppWith(env string) {
	s.t.Helper()
	_ = os.Remove(s.pidFile)
	cmd := fmt.Sprintf("sh -c 'echo $$ > %s; exec env %s %s'", s.pidFile, env, s.bin)
	s.tmux("send-keys", "-t", "it", "-l", cmd)
	s.tmux("send-keys", "-t", "it", "Enter")
	s.waitUntil("the inbox", func(sc string) bool {
		return strings.Contains(sc, "waiting ") && (strings.Contains(sc, "updated ") || strings.Contains(sc, "live since "))
	})
	if strings.Contains(s.screen(), "not loaded") {
		s.t.Fatalf("the inbox did not load:\n%s", s.screen())
	}
}

package tui

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/unpause-dev/unpause/tui/tuitest"
)

// Golden screens through a real Bubble Tea program (teatest): fixed size,
// pinned colour profile, fixed clock, dark theme. The golden file holds the
// final frame (the model's View content), which does not depend on how the
// renderer split its writes. Regenerate with: go test ./tui -run Golden -update
func goldenProgram(t *testing.T, w, h int) (*teatest.TestModel, *Model) {
	t.Helper()
	m, err := New(t.Context(), Options{
		API: tuitest.Fixture(t), Profile: "prod", ServerURL: "http://127.0.0.1:4200/api",
		Profiles: []string{"prod", "staging"}, RefreshInterval: 10 * time.Second,
		StateDir: t.TempDir(), Now: tuitest.FixedNow, Theme: "dark",
	})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI256)))
	t.Cleanup(func() { _ = tm.Quit() })
	return tm, m
}

func waitScreen(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func finalFrame(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if !ok {
		t.Fatal("final model is not *Model")
	}
	return fm.Render()
}

func sendKeys(tm *teatest.TestModel, ks ...string) {
	for _, k := range ks {
		tm.Send(keyMsg(k))
	}
}

func TestGoldenInbox(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {140, 40}} {
		t.Run(sizeName(sz), func(t *testing.T) {
			tm, _ := goldenProgram(t, sz[0], sz[1])
			waitScreen(t, tm, "updated 12:00:00")
			frame := finalFrame(t, tm)
			checkFrame(t, frame, sz)
			golden.RequireEqual(t, frame)
		})
	}
}

func TestGoldenRunView(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {140, 40}} {
		t.Run(sizeName(sz), func(t *testing.T) {
			tm, _ := goldenProgram(t, sz[0], sz[1])
			waitScreen(t, tm, "updated 12:00:00")
			sendKeys(tm, "j", "enter")
			waitScreen(t, tm, "Faster")
			frame := finalFrame(t, tm)
			checkFrame(t, frame, sz)
			golden.RequireEqual(t, frame)
		})
	}
}

func TestGoldenAnswerForm(t *testing.T) {
	sz := [2]int{80, 24}
	tm, _ := goldenProgram(t, sz[0], sz[1])
	waitScreen(t, tm, "updated 12:00:00")
	sendKeys(tm, "j", "enter")
	waitScreen(t, tm, "Faster")
	sendKeys(tm, "a")
	waitScreen(t, tm, "Reviewer")
	frame := finalFrame(t, tm)
	checkFrame(t, frame, sz)
	golden.RequireEqual(t, frame)
}

func sizeName(sz [2]int) string {
	return strings.Join([]string{strconv.Itoa(sz[0]), strconv.Itoa(sz[1])}, "x")
}

func checkFrame(t *testing.T, frame string, sz [2]int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) != sz[1] {
		t.Fatalf("frame has %d lines, want %d", len(lines), sz[1])
	}
}

// TestNoColorProfile: with NO_COLOR (the Ascii profile) the renderer sends
// no colour at all, and the selection is still visible (marker, bold).
func TestNoColorProfile(t *testing.T) {
	m, err := New(t.Context(), Options{API: tuitest.Fixture(t), Now: tuitest.FixedNow, StateDir: t.TempDir(), Theme: "dark", Profile: "prod", ServerURL: "http://127.0.0.1:4200/api"})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	var out []byte
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		out = append(out[:0], b...)
		return bytes.Contains(b, []byte("updated 12:00:00"))
	}, teatest.WithDuration(5*time.Second))
	_ = tm.Quit()
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	for _, colour := range []string{"38;5;", "48;5;", "38;2;", "48;2;"} {
		if bytes.Contains(out, []byte(colour)) {
			t.Fatalf("colour %q sent with the Ascii profile", colour)
		}
	}
	if !bytes.Contains(out, []byte("▸")) {
		t.Fatal("selection marker missing without colour")
	}
}

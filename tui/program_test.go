package tui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/tui/tuitest"
)

// With NoEditor set (unpause serve), e in review says why instead of
// opening an editor: no editor command is even built.
func TestNoEditorRefusesTheEditor(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) {
		o.NoEditor = "The editor is not available over unpause serve."
		o.Getenv = func(string) string { t.Fatal("the environment was read for an editor"); return "" }
	})
	answerShirt(h, 2, 3)
	h.keys("e")
	h.mustSee("The editor is not available over unpause serve.")
	if len(h.api.ResumeCalls()) != 0 {
		t.Fatal("e sent the answer")
	}
}

// NewProgram's program runs on the streams given to it, without the
// process's signals; Shutdown saves the draft and ends it; Finish reports
// nothing for a clean end.
func TestNewProgramRunsOnGivenStreamsAndShutsDown(t *testing.T) {
	api := tuitest.Fixture(t)
	var out bytes.Buffer
	in, w := io.Pipe() // a terminal nobody types in
	defer w.Close()
	p, m, err := NewProgram(context.Background(), Options{API: api, StateDir: t.TempDir(), Now: tuitest.FixedNow},
		tea.WithInput(in), tea.WithOutput(&out), tea.WithWindowSize(80, 24))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- m.Finish(err) }()
	time.Sleep(200 * time.Millisecond)
	Shutdown(p, m, 2*time.Second)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Finish: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the program did not end on Shutdown")
	}
	if !strings.Contains(out.String(), "shirt-1") {
		t.Fatalf("the inbox was not drawn on the given output: %q", out.String())
	}
}

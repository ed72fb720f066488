package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/apiclient/prefecttest"
)

// The live inbox through a real program and a real client against the fake
// server's event stream: no key is pressed, yet the screen follows.
func TestLiveInboxFollowsTheStreamAndRingsOncePerRun(t *testing.T) {
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "already-waiting", Schema: `{"type":"object"}`})
	c, err := apiclient.New(apiclient.Options{BaseURL: srv.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	rung := make(chan string, 10)
	m, err := New(t.Context(), Options{
		API: c, Profile: "prod", ServerURL: srv.APIURL(), StateDir: t.TempDir(), Theme: "dark",
		RefreshInterval: time.Hour, SafetyInterval: time.Hour,
		Notify: func(runs []apiclient.Run) []byte {
			for _, r := range runs {
				rung <- r.Name
			}
			return []byte("\a")
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 20),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI256)))
	t.Cleanup(func() { _ = tm.Quit() })
	waitFor(t, "the stream", func() bool { return srv.Subscribers() == 1 })

	// The cell renderer writes only what changed, so the screen is read
	// from the final frame; the notification says the update arrived.
	id := srv.Add(prefecttest.Run{Name: "fresh-pause", Flow: "label-image"})
	select {
	case name := <-rung:
		if name != "fresh-pause" {
			t.Fatalf("notified for %q", name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no notification 5s after a run paused")
	}
	srv.Pause(id, "", "") // the same run pauses again: no second notification
	srv.SetState(id, "RUNNING", "Running", "")
	srv.Add(prefecttest.Run{Name: "second-fresh"})
	if name := <-rung; name != "second-fresh" {
		t.Fatalf("notified for %q, want only runs that started waiting, once each", name)
	}

	srv.DropStreams()
	waitFor(t, "the reconnect", func() bool { return srv.Subscribers() == 1 })
	time.Sleep(300 * time.Millisecond) // the reconcile after the connect
	frame := finalFrame(t, tm)
	for _, want := range []string{"2 runs waiting", "● live", "in sync, live since", "already-waiting", "second-fresh"} {
		if !strings.Contains(frame, want) {
			t.Errorf("final frame lacks %q:\n%s", want, frame)
		}
	}
	if strings.Contains(frame, "fresh-pause") {
		t.Errorf("the resumed run is still shown:\n%s", frame)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("no %s after 5s", what)
}

// A server without the event stream: the inbox polls, says so, and shows
// when it last listed; no error.
func TestLiveInboxSaysPollingWithoutAStream(t *testing.T) {
	srv := prefecttest.New(t)
	srv.RefuseStreams(500) // Prefect 2.x without PREFECT_EXPERIMENTAL_EVENTS
	srv.Add(prefecttest.Run{Name: "polled-run"})
	c, err := apiclient.New(apiclient.Options{BaseURL: srv.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(t.Context(), Options{API: c, Profile: "prod", ServerURL: srv.APIURL(), StateDir: t.TempDir(), Theme: "dark"})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 20),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI256)))
	t.Cleanup(func() { _ = tm.Quit() })
	waitFor(t, "the listing and the refused upgrade", func() bool { return srv.Requests() >= 3 })
	time.Sleep(200 * time.Millisecond)
	frame := finalFrame(t, tm)
	for _, want := range []string{"polling", "polled-run", "updated "} {
		if !strings.Contains(frame, want) {
			t.Errorf("frame lacks %q:\n%s", want, frame)
		}
	}
	for _, bad := range []string{"● live", "failed", "error"} {
		if strings.Contains(frame, bad) {
			t.Errorf("frame says %q:\n%s", bad, frame)
		}
	}
}

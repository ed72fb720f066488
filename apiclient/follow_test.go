package apiclient

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
)

func TestAfterResumeKindOf(t *testing.T) {
	const paused = "state-1"
	for _, c := range []struct {
		s    *State
		want AfterResumeKind
		done bool
	}{
		{nil, "", false},
		{&State{ID: paused, Type: "PAUSED"}, AfterPausedAgain, false}, // the pause answered, not yet left
		{&State{ID: "state-2", Type: "PAUSED"}, AfterPausedAgain, true},
		{&State{ID: "s", Type: "RUNNING"}, AfterRunning, false},
		{&State{ID: "s", Type: "SCHEDULED", Name: "Resuming"}, AfterRunning, false},
		{&State{ID: "s", Type: "PENDING"}, AfterRunning, false},
		{&State{ID: "s", Type: "COMPLETED"}, AfterCompleted, true},
		{&State{ID: "s", Type: "FAILED"}, AfterFailed, true},
		{&State{ID: "s", Type: "CRASHED"}, AfterFailed, true},
		{&State{ID: "s", Type: "CANCELLING"}, AfterCancelled, true},
		{&State{ID: "s", Type: "CANCELLED"}, AfterCancelled, true},
	} {
		got, done := AfterResumeKindOf(c.s, paused)
		if done != c.done || (done && got != c.want) {
			t.Errorf("%+v: got %q %v, want %q %v", c.s, got, done, c.want, c.done)
		}
	}
}

// followServer holds a run that was resumed (RUNNING); then, after a moment,
// what the flow does next.
func followServer(t *testing.T, next func(srv *prefecttest.Server, id string)) (*Client, string, string, time.Time) {
	t.Helper()
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "shirt", Schema: `{"type":"object","properties":{"size":{"type":"string"}}}`})
	c, err := New(Options{BaseURL: srv.APIURL(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(ctx context.Context, d time.Duration) error { return sleepCtx(ctx, d/20) } // quicker polls
	fr, err := c.getFlowRun(context.Background(), "test", id)
	if err != nil {
		t.Fatal(err)
	}
	srv.Log(id, 40, "an error from an earlier attempt") // before the pause answered: not the refusal
	srv.SetState(id, "RUNNING", "Running", "")
	time.Sleep(5 * time.Millisecond)
	since := time.Now()
	if next != nil {
		time.AfterFunc(80*time.Millisecond, func() { next(srv, id) })
	}
	return c, id, fr.State.ID, since
}

func TestFollowResume(t *testing.T) {
	cases := []struct {
		name    string
		next    func(srv *prefecttest.Server, id string)
		want    AfterResumeKind
		refusal string
	}{
		{"completed", func(srv *prefecttest.Server, id string) { srv.SetState(id, "COMPLETED", "Completed", "") }, AfterCompleted, ""},
		{"failed", func(srv *prefecttest.Server, id string) { srv.SetState(id, "FAILED", "Failed", "boom") }, AfterFailed, ""},
		{
			"refused and paused again, the log line after the pause",
			func(srv *prefecttest.Server, id string) {
				srv.Log(id, 20, "Shirt order received")
				srv.Pause(id, `{"type":"object"}`, "pick again")
				time.AfterFunc(150*time.Millisecond, func() {
					srv.Log(id, 40, "Invalid shirt order: Green is only in stock in medium and large.")
					srv.Log(id, 20, "Pausing flow, execution will continue when this flow run is resumed.")
				})
			},
			AfterPausedAgain, "Invalid shirt order: Green is only in stock in medium and large.",
		},
		{"paused again, nothing logged", func(srv *prefecttest.Server, id string) { srv.Pause(id, "", "") }, AfterPausedAgain, ""},
		{"still running at the end of the wait", nil, AfterRunning, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, id, pausedID, since := followServer(t, tc.next)
			after, err := c.FollowResume(context.Background(), id, pausedID, since, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if after.Kind != tc.want || after.Refusal != tc.refusal {
				t.Errorf("got %q refusal %q, want %q refusal %q", after.Kind, after.Refusal, tc.want, tc.refusal)
			}
			if after.State == nil {
				t.Error("no state")
			}
		})
	}
}

func TestOlderThan(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"2.13.5", true},
		{"1.4.0", true},
		{"2.14.0", false},
		{"2.20.17", false},
		{"3.9.1", false},
		{"3.9.1.dev3+gabc", false},
		{"2.14.0rc1", false},
		{"weird", false},
		{"", false},
		{"2.13", false},
	} {
		if got := olderThan(c.v, MinServerVersion); got != c.want {
			t.Errorf("olderThan(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}

// A server older than Prefect 2.14 (no flow run input) is refused before
// anything is sent, with a message that says what to do; the version is
// read once per client.
func TestUnsupportedServerRefused(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{})
	srv.Handle("GET /api/admin/version", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`"2.13.5"`))
	})
	c, err := New(Options{BaseURL: srv.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range []func() error{
		func() error { _, err := c.Resume(context.Background(), id, nil); return err },
		func() error { _, err := c.Cancel(context.Background(), id, "r"); return err },
	} {
		err := call()
		if KindOf(err) != ErrConfig || !strings.Contains(err.Error(), "Prefect 2.13.5, which unpause does not support: it needs Prefect 2.14.0 or newer") {
			t.Errorf("err = %v", err)
		}
	}
	if srv.Writes() != 0 {
		t.Errorf("%d writes to an unsupported server", srv.Writes())
	}
	if n := len(srv.Bodies("GET", "/api/admin/version")); n != 1 {
		t.Errorf("version read %d times, want once", n)
	}
}

package feed_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/feed"
)

func start(t *testing.T, srv *prefecttest.Server, o feed.Options) *feed.Feed {
	t.Helper()
	c, err := apiclient.New(apiclient.Options{BaseURL: srv.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return feed.Start(ctx, c, o)
}

// lastMode is the mode of the newest update next has read, per feed:
// updates a reader was slow to take are merged, so the initial listing may
// already say live.
var lastMode = map[*feed.Feed]feed.Mode{}

// next waits for an update that satisfies ok.
func next(t *testing.T, f *feed.Feed, what string, ok func(feed.Update) bool) feed.Update {
	t.Helper()
	if what == "live mode" && lastMode[f] == feed.Live {
		return feed.Update{Mode: feed.Live}
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case u, open := <-f.Updates():
			if !open {
				t.Fatalf("feed closed while waiting for %s", what)
			}
			lastMode[f] = u.Mode
			if ok(u) {
				return u
			}
		case <-deadline:
			t.Fatalf("no update with %s in 10s", what)
		}
	}
}

func live(u feed.Update) bool { return u.Mode == feed.Live }

// goLive waits for the feed to say live and for the fake to have registered
// its subscription: the client's connect ends when it has written the
// filter, and an event published before the server reads it reaches no one
// (on a real server too, which is why the feed reconciles after a connect).
func goLive(t *testing.T, f *feed.Feed, srv *prefecttest.Server) {
	t.Helper()
	next(t, f, "live mode", live)
	waitSubscribed(t, srv)
}

func waitSubscribed(t *testing.T, srv *prefecttest.Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for srv.Subscribers() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscriptions on the server after 10s, want 1", srv.Subscribers())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func hasChange(kind domain.ChangeKind, id string) func(feed.Update) bool {
	return func(u feed.Update) bool {
		for _, c := range u.Changes {
			if c.Kind == kind && c.Run.ID == id {
				return true
			}
		}
		return false
	}
}

func TestFeedSeesAPauseAndItsEndFromTheStream(t *testing.T) {
	srv := prefecttest.New(t)
	first := srv.Add(prefecttest.Run{Name: "first", Schema: `{"type":"object"}`})
	f := start(t, srv, feed.Options{PollInterval: time.Hour, SafetyInterval: time.Hour})
	u := next(t, f, "the initial listing", func(u feed.Update) bool { return u.Initial })
	if len(u.Runs) != 1 || u.Runs[0].ID != first || len(u.Changes) != 0 {
		t.Fatalf("initial update: runs %v changes %v", u.Runs, u.Changes)
	}
	goLive(t, f, srv)

	before := srv.Requests()
	second := srv.Add(prefecttest.Run{Name: "second", Flow: "label-image"})
	u = next(t, f, "the new run waiting", hasChange(domain.ChangeWaiting, second))
	if len(u.Runs) != 2 || u.Full {
		t.Fatalf("after the pause: %d runs, full=%v", len(u.Runs), u.Full)
	}
	if got := u.Changes[0].Run.FlowName; got != "label-image" {
		t.Errorf("the run read after the event has flow %q, want its name", got)
	}
	// One read of the run and one of its new flow's name: no full listing.
	if n := srv.Requests() - before; n > 2 {
		t.Errorf("a pause cost %d requests, want at most 2 (the run, its flow's name)", n)
	}

	srv.SetState(first, "RUNNING", "Running", "")
	next(t, f, "the first run resumed", hasChange(domain.ChangeResumed, first))
	srv.SetState(second, "CANCELLED", "Cancelled", "no")
	u = next(t, f, "the second run cancelled", hasChange(domain.ChangeCancelled, second))
	if len(u.Runs) != 0 {
		t.Errorf("runs left after both ended: %v", u.Runs)
	}
}

func TestFeedIgnoresOtherRunsEventsWithoutARequest(t *testing.T) {
	srv := prefecttest.New(t)
	other := srv.Add(prefecttest.Run{Name: "busy", StateType: "RUNNING", StateName: "Running"})
	f := start(t, srv, feed.Options{PollInterval: time.Hour, SafetyInterval: time.Hour})
	goLive(t, f, srv)
	before := srv.Requests()
	for range 20 {
		srv.SetState(other, "RUNNING", "Running", "")
	}
	time.Sleep(300 * time.Millisecond)
	if n := srv.Requests() - before; n != 0 {
		t.Errorf("20 events of a run that is not waiting cost %d requests, want 0", n)
	}
}

func TestFeedCoalescesABurst(t *testing.T) {
	srv := prefecttest.New(t)
	f := start(t, srv, feed.Options{PollInterval: time.Hour, SafetyInterval: time.Hour})
	goLive(t, f, srv)
	before := srv.Requests()
	for range 200 {
		srv.Add(prefecttest.Run{Name: "burst", Flow: "same-flow"})
	}
	next(t, f, "all 200 runs", func(u feed.Update) bool { return len(u.Runs) == 200 })
	if n := srv.Requests() - before; n > 10 {
		t.Errorf("a burst of 200 pauses cost %d requests, want a few (coalesced)", n)
	}
}

func TestFeedReconnectsAndReconcilesAfterADrop(t *testing.T) {
	srv := prefecttest.New(t)
	f := start(t, srv, feed.Options{PollInterval: time.Hour, SafetyInterval: time.Hour})
	goLive(t, f, srv)
	srv.DropStreams()
	next(t, f, "polling after the drop", func(u feed.Update) bool { return u.Mode == feed.Polling })
	// Paused while the stream is down: no event reaches the feed; the
	// listing after the reconnect finds it.
	// The first poll after the drop and the reconnect race (both about a
	// second away), so either may find it; what must hold is that it is
	// found by a listing, and that the reconnect is followed by one.
	lost := srv.Add(prefecttest.Run{Name: "paused-while-down"})
	u := next(t, f, "the lost pause", hasChange(domain.ChangeWaiting, lost))
	if !u.Full {
		t.Errorf("the lost pause came from a read of some runs, want a full listing")
	}
	if u.Mode != feed.Live {
		next(t, f, "a listing after the reconnect", func(u feed.Update) bool { return u.Full && u.Mode == feed.Live })
	}
	waitSubscribed(t, srv)
}

func TestFeedPollsWhenTheServerHasNoStream(t *testing.T) {
	srv := prefecttest.New(t)
	srv.RefuseStreams(http.StatusNotFound)
	f := start(t, srv, feed.Options{PollInterval: 200 * time.Millisecond, SafetyInterval: time.Hour})
	u := next(t, f, "polling", func(u feed.Update) bool { return u.Mode == feed.Polling })
	if u.StreamErr != nil || u.Err != nil {
		t.Errorf("a server without a stream is an error: stream %v, list %v", u.StreamErr, u.Err)
	}
	id := srv.Add(prefecttest.Run{Name: "polled"})
	u = next(t, f, "the pause, by polling", hasChange(domain.ChangeWaiting, id))
	if !u.Full {
		t.Error("without a stream the change should come from a listing")
	}
	srv.Delete(id)
	next(t, f, "the deletion, by polling", hasChange(domain.ChangeDeleted, id))
}

func TestFeedSaysWhatBecameOfARunThatLeftBetweenListings(t *testing.T) {
	srv := prefecttest.New(t)
	expiring := srv.Add(prefecttest.Run{Name: "expiring"})
	f := start(t, srv, feed.Options{NoStream: true, PollInterval: 100 * time.Millisecond})
	next(t, f, "the initial listing", func(u feed.Update) bool { return u.Initial })
	srv.SetState(expiring, "FAILED", "Failed", "The flow was paused and never resumed.")
	next(t, f, "the expiry", hasChange(domain.ChangeExpired, expiring))
}

func TestFeedAppliesTheFilterToRunsReadOneByOne(t *testing.T) {
	srv := prefecttest.New(t)
	f := start(t, srv, feed.Options{
		PollInterval: time.Hour, SafetyInterval: time.Hour,
		Filter: domain.RunFilter{Flows: []string{"wanted"}, NeedsInput: true},
	})
	goLive(t, f, srv)
	srv.Add(prefecttest.Run{Name: "other flow", Flow: "unwanted", Schema: `{"type":"object"}`})
	srv.Add(prefecttest.Run{Name: "no input", Flow: "wanted"})
	want := srv.Add(prefecttest.Run{Name: "match", Flow: "wanted", Schema: `{"type":"object"}`})
	u := next(t, f, "the matching run", hasChange(domain.ChangeWaiting, want))
	if len(u.Runs) != 1 {
		t.Errorf("runs %v: only the matching one should be in the set", u.Runs)
	}
}

// Prefect emits a state's event before its transaction commits: the read
// the event prompts can still show the state before. The feed reads again
// until it sees the announced state, so a run that re-paused right after
// its resume comes back (it was lost until the safety listing).
func TestFeedReadsAgainARunReadBeforeItsStateCommitted(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "shirt", Schema: `{"type":"object"}`})
	f := start(t, srv, feed.Options{PollInterval: time.Hour, SafetyInterval: time.Hour})
	goLive(t, f, srv)
	srv.SetState(id, "RUNNING", "Running", "")
	next(t, f, "the resume", hasChange(domain.ChangeResumed, id))
	commit := srv.AnnounceState(id, "PAUSED", "Paused")
	time.Sleep(100 * time.Millisecond) // the feed reads, and sees RUNNING still
	commit()
	u := next(t, f, "the new pause", hasChange(domain.ChangeWaiting, id))
	if u.Full {
		t.Error("the new pause came from a full listing, not from reading the run again")
	}
}

func TestStaleRead(t *testing.T) {
	at := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	ev := apiclient.RunEvent{RunID: "r", StateType: "PAUSED", StateTimestamp: at}
	run := func(ts time.Time) *apiclient.Run {
		return &apiclient.Run{FlowRun: apiclient.FlowRun{ID: "r", State: &apiclient.State{Type: "RUNNING", Timestamp: ts}}}
	}
	for _, tc := range []struct {
		name string
		ev   apiclient.RunEvent
		r    *apiclient.Run
		want bool
	}{
		{"older state", ev, run(at.Add(-time.Millisecond)), true},
		{"the same state", ev, run(at), false},
		{"a newer state", ev, run(at.Add(time.Second)), false},
		{"deleted", ev, nil, false},
		{"an event without a timestamp", apiclient.RunEvent{RunID: "r"}, run(at), false},
	} {
		if got := feed.StaleRead(tc.ev, tc.r); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

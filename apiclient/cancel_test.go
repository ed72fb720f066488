package apiclient

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
)

// cancelClient is a client of the stateful fake that really sleeps between
// polls, so the fake's runner has time to act.
func cancelClient(t *testing.T, srv *prefecttest.Server, settle time.Duration) *Client {
	t.Helper()
	c, err := New(Options{BaseURL: srv.APIURL(), Timeout: 5 * time.Second, CancelSettle: settle})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// setStates lists the state types a client proposed, in order, with their
// force flag.
func setStates(t *testing.T, srv *prefecttest.Server, id string) []string {
	t.Helper()
	var out []string
	for _, b := range srv.Bodies("POST", "/api/flow_runs/"+id+"/set_state") {
		var req struct {
			State struct{ Type, Message string } `json:"state"`
			Force bool                           `json:"force"`
		}
		if err := json.Unmarshal([]byte(b), &req); err != nil {
			t.Fatal(err)
		}
		if req.Force {
			t.Errorf("set_state with force: %s", b)
		}
		out = append(out, req.State.Type+":"+req.State.Message)
	}
	return out
}

// Each kind of paused run is ended the way Prefect allows, so that its final
// state is Cancelled with the operator's reason, and the result says what
// became of its process.
func TestCancelEachKindOfRun(t *testing.T) {
	deadline := time.Now().Add(40 * time.Minute).UTC().Truncate(time.Second)
	const reason = "operator alice: labels look wrong"
	tests := []struct {
		name       string
		run        prefecttest.Run
		settle     time.Duration
		wantSent   []string
		wantFate   ProcessFate
		wantUntil  *time.Time
		wantStated string // the message the run ends with
	}{
		{
			name:     "suspended: CANCELLED at once, never CANCELLING (it would drop the reason)",
			run:      prefecttest.Run{Suspended: true, Deployment: "nightly"},
			wantSent: []string{"CANCELLED:" + reason}, wantFate: ProcessNone,
		},
		{
			name:     "blocking pause in a served deployment: the runner stops it, then the reason is put back",
			run:      prefecttest.Run{Deployment: "nightly", RunnerStopsAfter: 100 * time.Millisecond, Timeout: &deadline},
			settle:   5 * time.Second,
			wantSent: []string{"CANCELLING:" + reason, "CANCELLED:" + reason}, wantFate: ProcessStopped,
		},
		{
			name:     "blocking pause in a deployment nothing supervises: cancelled, process said to wait",
			run:      prefecttest.Run{Deployment: "nightly", Timeout: &deadline},
			settle:   time.Second,
			wantSent: []string{"CANCELLING:" + reason, "CANCELLED:" + reason}, wantFate: ProcessWaiting, wantUntil: &deadline,
		},
		{
			name:     "blocking pause started by hand: no wait for a runner; the process waits until its deadline",
			run:      prefecttest.Run{Timeout: &deadline},
			settle:   time.Hour, // never waited for
			wantSent: []string{"CANCELLING:" + reason, "CANCELLED:" + reason}, wantFate: ProcessWaiting, wantUntil: &deadline,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := prefecttest.New(t)
			id := srv.Add(tc.run)
			start := time.Now()
			res, err := cancelClient(t, srv, tc.settle).Cancel(context.Background(), id, reason)
			if err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > 3*time.Second {
				t.Errorf("cancel took %s", time.Since(start))
			}
			if got := setStates(t, srv, id); strings.Join(got, "|") != strings.Join(tc.wantSent, "|") {
				t.Errorf("sent %q, want %q", got, tc.wantSent)
			}
			typ, _, msg := srv.State(id)
			if typ != "CANCELLED" || msg != reason {
				t.Errorf("run ends %s %q, want CANCELLED with the reason", typ, msg)
			}
			if res.Outcome != OutcomeCancelled || res.State == nil || res.State.Type != "CANCELLED" {
				t.Errorf("outcome %q state %+v, want cancelled", res.Outcome, res.State)
			}
			if res.Process != tc.wantFate {
				t.Errorf("process %q, want %q", res.Process, tc.wantFate)
			}
			if (res.WaitsUntil == nil) != (tc.wantUntil == nil) || (res.WaitsUntil != nil && !res.WaitsUntil.Equal(*tc.wantUntil)) {
				t.Errorf("waits until %v, want %v", res.WaitsUntil, tc.wantUntil)
			}
		})
	}
}

// A run that finished between the read and the cancel is not overwritten:
// CANCELLING with force false is refused (ABORT) and nothing else is sent.
func TestCancelRunFinishedMeanwhile(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Deployment: "nightly"})
	c := cancelClient(t, srv, time.Second)
	// The first read sees it paused; the run completes before the cancel lands.
	fr, err := c.getFlowRun(context.Background(), "test", id)
	if err != nil || fr.State.Type != "PAUSED" {
		t.Fatal(fr, err)
	}
	srv.SetState(id, "COMPLETED", "Completed", "")
	res, err := c.setState(context.Background(), "cancel run", fr, "CANCELLING", "late", false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeNotPaused || res.State == nil || res.State.Type != "COMPLETED" {
		t.Errorf("got %q %+v, want not-paused with the run's COMPLETED state", res.Outcome, res.State)
	}
	if typ, _, _ := srv.State(id); typ != "COMPLETED" {
		t.Errorf("the finished run was overwritten: %s", typ)
	}
}

// A run that is no longer paused is not touched.
func TestCancelNotPausedSendsNothing(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{StateType: "COMPLETED", StateName: "Completed"})
	res, err := cancelClient(t, srv, time.Second).Cancel(context.Background(), id, "r")
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeNotPaused || srv.Writes() != 0 {
		t.Errorf("outcome %q, %d writes", res.Outcome, srv.Writes())
	}
}

// Prefect 2.x refuses PAUSED -> CANCELLING without force: the cancel forces
// it, as Prefect's UI does, and still ends Cancelled with the reason.
func TestCancelOnPrefect2Rules(t *testing.T) {
	srv := prefecttest.New(t)
	srv.UsePrefect2Rules()
	deadline := time.Now().Add(time.Hour)
	id := srv.Add(prefecttest.Run{Timeout: &deadline})
	res, err := cancelClient(t, srv, time.Second).Cancel(context.Background(), id, "r")
	if err != nil {
		t.Fatal(err)
	}
	if typ, _, msg := srv.State(id); res.Outcome != OutcomeCancelled || typ != "CANCELLED" || msg != "r" {
		t.Fatalf("outcome %q, run %s %q; want cancelled with the reason", res.Outcome, typ, msg)
	}
	bodies := srv.Bodies("POST", "/api/flow_runs/"+id+"/set_state")
	if len(bodies) != 3 || !strings.Contains(bodies[1], `"force":true`) || strings.Contains(bodies[2], `"force":true`) {
		t.Errorf("sent %q, want CANCELLING, CANCELLING forced, CANCELLED", bodies)
	}
}

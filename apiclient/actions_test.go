package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

const resumeInput = `{"approve": true, "notes": "checked the diff"}`

// TestResumeDecisionTable covers every row of the 4.3 / 8.3 decision table.
func TestResumeDecisionTable(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		want       Outcome
		wantType   string // state type in the result ("" = nil state)
		wantReason string // substring
		wantDelay  time.Duration
		rereads    bool // ABORT/409: the run is read again for its state
	}{
		{name: "accept running", status: 201, body: resumeAcceptJSON, want: OutcomeResumed, wantType: "RUNNING"},
		{name: "accept suspended -> scheduled", status: 201, body: resumeAcceptSuspendedJSON, want: OutcomeResumed, wantType: "SCHEDULED"},
		{
			name: "reject validation, still paused", status: 200, body: resumeRejectJSON, want: OutcomeRejected, wantType: "PAUSED",
			wantReason: "Reason: Validation failed for field 'approve'. Failure reason: 'yes' is not of type 'boolean'",
		},
		{
			name: "reject suspended without deployment", status: 200, body: resumeNoDeploymentJSON, want: OutcomeRejected, wantType: "PAUSED",
			wantReason: "Cannot reschedule a resuming flow run without a deployment.",
		},
		{
			name: "reject timeout -> failed", status: 201, body: resumeTimeoutJSON, want: OutcomeExpired, wantType: "FAILED",
			wantReason: "The flow run pause has timed out and can no longer resume.",
		},
		{name: "reject into cancelled", status: 200, body: cancelRejectCancelledJSON, want: OutcomeCancelled, wantType: "CANCELLED"},
		{
			name: "abort not paused", status: 200, body: resumeAbortJSON, want: OutcomeNotPaused, wantType: "RUNNING",
			wantReason: "Cannot resume a flow run that is not paused.", rereads: true,
		},
		{
			name: "abort orchestration error", status: 200, body: orchestrationErrorJSON, want: OutcomeNotPaused, wantType: "RUNNING",
			wantReason: "Error validating state: boom", rereads: true,
		},
		{name: "wait", status: 200, body: waitJSON, want: OutcomeWait, wantDelay: 5 * time.Second, wantReason: "Try later."},
		{
			name: "409 race", status: 409, body: conflictJSON, want: OutcomeNotPaused, wantType: "RUNNING",
			wantReason: "Data integrity conflict", rereads: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, runningRun(t)))
			f.json("POST /api/flow_runs/{id}/resume", tc.status, tc.body)
			c, _ := newClient(t, f)

			res, err := c.Resume(context.Background(), runAID, json.RawMessage(resumeInput))
			if err != nil {
				t.Fatalf("Resume: %v", err)
			}
			if res.Outcome != tc.want {
				t.Errorf("Outcome = %q, want %q", res.Outcome, tc.want)
			}
			if res.Verified {
				t.Error("Verified set for a direct answer")
			}
			gotType := ""
			if res.State != nil {
				gotType = res.State.Type
			}
			if gotType != tc.wantType {
				t.Errorf("State type = %q, want %q", gotType, tc.wantType)
			}
			if !strings.Contains(res.Reason, tc.wantReason) {
				t.Errorf("Reason = %q, want it to contain %q", res.Reason, tc.wantReason)
			}
			if res.Delay != tc.wantDelay {
				t.Errorf("Delay = %v, want %v", res.Delay, tc.wantDelay)
			}
			if n := f.count("POST", "/api/flow_runs/"+runAID+"/resume"); n != 1 {
				t.Errorf("resume POSTed %d times, want 1", n)
			}
			wantGets := 1
			if tc.rereads {
				wantGets = 2
			}
			if n := f.count("GET", "/api/flow_runs/"+runAID); n != wantGets {
				t.Errorf("run read %d times, want %d", n, wantGets)
			}
			bodies := f.bodies("POST", "/api/flow_runs/"+runAID+"/resume")
			sameJSONText(t, bodies[0], `{"run_input": {"approve": true, "notes": "checked the diff"}}`)
		})
	}
}

// A 200 carrying REJECT must never look like success.
func TestResumeHTTP200RejectIsNotSuccess(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	f.json("POST /api/flow_runs/{id}/resume", 200, resumeRejectJSON)
	c, _ := newClient(t, f)
	res, err := c.Resume(context.Background(), runAID, json.RawMessage(`{"approve":"yes"}`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome == OutcomeResumed {
		t.Fatal("REJECT reported as resumed")
	}
}

func TestResumeRunNotPausedDoesNotPost(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 200, runningRun(t))
	f.json("POST /api/flow_runs/{id}/resume", 201, resumeAcceptJSON)
	f.json("POST /api/flow_runs/{id}/set_state", 201, cancelAcceptJSON)
	c, _ := newClient(t, f)
	for name, call := range map[string]func() (*ActionResult, error){
		"resume": func() (*ActionResult, error) { return c.Resume(context.Background(), runAID, nil) },
		"cancel": func() (*ActionResult, error) { return c.Cancel(context.Background(), runAID, "no") },
	} {
		res, err := call()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Outcome != OutcomeNotPaused || res.State == nil || res.State.Type != "RUNNING" {
			t.Errorf("%s: got %+v, want not-paused with the RUNNING state", name, res)
		}
	}
	if n := f.count("POST", "/api/flow_runs/"+runAID+"/resume") + f.count("POST", "/api/flow_runs/"+runAID+"/set_state"); n != 0 {
		t.Errorf("%d POSTs sent for a run that is not paused", n)
	}
}

func TestResumeUnknownRun(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 404, notFoundRunJSON)
	f.json("POST /api/flow_runs/{id}/resume", 500, `{"exception_message":"Internal Server Error"}`)
	c, _ := newClient(t, f)

	_, err := c.Resume(context.Background(), runAID, nil)
	if !IsNotFound(err) {
		t.Fatalf("err = %v, want not found", err)
	}
	if !strings.Contains(err.Error(), "Flow run not found") {
		t.Errorf("message %q lacks the server's reason", err)
	}
	if _, err := c.Cancel(context.Background(), runAID, ""); !IsNotFound(err) {
		t.Fatalf("cancel err = %v, want not found", err)
	}
	// Not a UUID: not found without asking the server.
	before := len(f.requests())
	if _, err := c.Resume(context.Background(), "crimson-falcon", nil); !IsNotFound(err) {
		t.Fatalf("err = %v, want not found", err)
	}
	if len(f.requests()) != before {
		t.Error("a request was sent for a malformed id")
	}
	if n := f.count("POST", "/api/flow_runs/"+runAID+"/resume"); n != 0 {
		t.Errorf("resume POSTed %d times for an unknown run", n)
	}
}

func TestResumeBodies(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	f.json("POST /api/flow_runs/{id}/resume", 201, resumeAcceptJSON)
	c, _ := newClient(t, f)

	if _, err := c.Resume(context.Background(), runAID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Resume(context.Background(), runAID, json.RawMessage(`{"value":42}`)); err != nil {
		t.Fatal(err)
	}
	bodies := f.bodies("POST", "/api/flow_runs/"+runAID+"/resume")
	if len(bodies) != 2 || bodies[0] != `{}` || bodies[1] != `{"run_input":{"value":42}}` {
		t.Fatalf("bodies = %q", bodies)
	}
	for _, bad := range []string{`[1]`, `"x"`, `{"a":`} {
		_, err := c.Resume(context.Background(), runAID, json.RawMessage(bad))
		if KindOf(err) != ErrBadRequest {
			t.Errorf("input %s: err = %v, want bad request", bad, err)
		}
	}
	if n := len(f.bodies("POST", "/api/flow_runs/"+runAID+"/resume")); n != 2 {
		t.Errorf("invalid input was sent (%d POSTs)", n)
	}
}

// The first answer to CANCELLING decides a cancel that cannot go on: the pause
// had expired, or the run ended meanwhile (read again for its state). The
// protocol that follows an ACCEPT is in cancel_test.go.
func TestCancelDecisionTable(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		want     Outcome
		wantType string
		reason   string
	}{
		{"reject into failed (expired)", 201, cancelRejectFailedJSON, OutcomeExpired, "FAILED", "timed out"},
		{
			"abort", 200, `{"state":null,"status":"ABORT","details":{"type":"abort_details","reason":"Run is already in terminal state COMPLETED."}}`,
			OutcomeNotPaused, "RUNNING", "already in terminal state",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, runningRun(t)))
			f.json("POST /api/flow_runs/{id}/set_state", tc.status, tc.body)
			c, _ := newClient(t, f)
			res, err := c.Cancel(context.Background(), runAID, "Rejected by ops via unpause")
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tc.want || res.State == nil || res.State.Type != tc.wantType {
				t.Errorf("got outcome %q state %+v, want %q %s", res.Outcome, res.State, tc.want, tc.wantType)
			}
			if !strings.Contains(res.Reason, tc.reason) {
				t.Errorf("Reason = %q, want %q", res.Reason, tc.reason)
			}
			bodies := f.bodies("POST", "/api/flow_runs/"+runAID+"/set_state")
			if len(bodies) != 1 {
				t.Fatalf("%d set_state POSTs", len(bodies))
			}
			sameJSONText(t, bodies[0], `{"state":{"type":"CANCELLING","name":"Cancelling","message":"Rejected by ops via unpause"},"force":false}`)
		})
	}
}

// Mutations are never retried blindly. Only a 503 or 429 that the server
// itself answered, after which the run reads back unchanged (Prefect's 503 is
// a rolled-back database error), is sent again, a bounded number of times.
func TestMutationsNotRetriedBlindly(t *testing.T) {
	for _, tc := range []struct {
		path   string
		status int
		posts  int
		call   func(c *Client) (*ActionResult, error)
	}{
		{"/resume", 503, 1 + rolledBackRetries, func(c *Client) (*ActionResult, error) { return c.Resume(context.Background(), runAID, nil) }},
		{"/resume", 429, 1 + rolledBackRetries, func(c *Client) (*ActionResult, error) { return c.Resume(context.Background(), runAID, nil) }},
		{"/resume", 500, 1, func(c *Client) (*ActionResult, error) { return c.Resume(context.Background(), runAID, nil) }},
		{"/set_state", 503, 1 + rolledBackRetries, func(c *Client) (*ActionResult, error) { return c.Cancel(context.Background(), runAID, "") }},
		{"/set_state", 502, 1, func(c *Client) (*ActionResult, error) { return c.Cancel(context.Background(), runAID, "") }},
		{"/set_state", 408, 1, func(c *Client) (*ActionResult, error) { return c.Cancel(context.Background(), runAID, "") }},
	} {
		f := newFake(t)
		f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
		f.handle("POST /api/flow_runs/{id}"+tc.path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			reply(w, tc.status, `{"exception_message":"Service Unavailable"}`)
		})
		c, _ := newClient(t, f)
		_, err := tc.call(c)
		if err == nil {
			t.Errorf("%s %d: no error", tc.path, tc.status)
		}
		if n := f.count("POST", "/api/flow_runs/"+runAID+tc.path); n != tc.posts {
			t.Errorf("%s %d: POSTed %d times, want %d", tc.path, tc.status, n, tc.posts)
		}
	}
}

// A resume the server rolled back (503, run unchanged) is sent again and the
// second answer counts: what a busy SQLite-backed server does under load.
func TestResumeRolledBackThenAccepted(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	f.sequence("POST /api/flow_runs/{id}/resume",
		replyFn(503, `{"exception_message":"Service Unavailable"}`),
		replyFn(201, `{"state":{"id":"0198c7b0-0c11-7e22-9f33-445566778899","type":"RUNNING","name":"Running","timestamp":"2026-08-21T16:31:02.000100Z","state_details":{}},"status":"ACCEPT","details":{"type":"accept_details"}}`))
	c, _ := newClient(t, f)
	res, err := c.Resume(context.Background(), runAID, json.RawMessage(resumeInput))
	if err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if res.Outcome != OutcomeResumed {
		t.Fatalf("outcome %s, want resumed", res.Outcome)
	}
	if n := f.count("POST", "/api/flow_runs/"+runAID+"/resume"); n != 2 {
		t.Errorf("resume POSTed %d times, want 2", n)
	}
}

// The server hangs up after reading the resume; the run then reads as
// RUNNING (with our answer stored): the resume took effect.
func TestResumeConnectionDroppedVerifiedResumed(t *testing.T) {
	f := newFake(t)
	f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, runningRun(t)))
	f.handle("POST /api/flow_runs/{id}/resume", hangUp)
	f.json("GET /api/flow_runs/{id}/input/{key}", 200, `{"approve":true,"notes":"checked the diff"}`)
	c, _ := newClient(t, f)

	res, err := c.Resume(context.Background(), runAID, json.RawMessage(resumeInput))
	if err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if res.Outcome != OutcomeResumed || !res.Verified || res.State == nil || res.State.Type != "RUNNING" {
		t.Fatalf("got %+v, want verified resumed RUNNING", res)
	}
	if n := f.count("POST", "/api/flow_runs/"+runAID+"/resume"); n != 1 {
		t.Errorf("resume POSTed %d times, want 1", n)
	}
	if n := f.count("GET", "/api/flow_runs/"+runAID+"/input/paused-1-response"); n != 1 {
		t.Errorf("response input read %d times, want 1", n)
	}
}

// Without input and without a stored response, RUNNING still means resumed.
func TestResumeConnectionDroppedRunningNoInput(t *testing.T) {
	f := newFake(t)
	f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, runningRun(t)))
	f.handle("POST /api/flow_runs/{id}/resume", hangUp)
	f.json("GET /api/flow_runs/{id}/input/{key}", 404, `{"detail":"Flow run input not found"}`)
	c, _ := newClient(t, f)
	res, err := c.Resume(context.Background(), runAID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeResumed || !res.Verified {
		t.Fatalf("got %+v", res)
	}
}

// Someone else's answer was stored: not ours.
func TestResumeConnectionDroppedOtherAnswer(t *testing.T) {
	f := newFake(t)
	f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, runningRun(t)))
	f.handle("POST /api/flow_runs/{id}/resume", hangUp)
	f.json("GET /api/flow_runs/{id}/input/{key}", 200, `{"approve":false,"notes":"nope"}`)
	c, _ := newClient(t, f)
	res, err := c.Resume(context.Background(), runAID, json.RawMessage(resumeInput))
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeNotPaused || !res.Verified || !strings.Contains(res.Reason, "someone else") {
		t.Fatalf("got %+v, want verified not-paused naming someone else", res)
	}
}

// The connection is cut after the resume was sent, and the run still shows
// the same pause: the request may still be queued at the server and land
// later, so the outcome is unknown, said so with its own kind, never "safe to
// retry"; the run is read for a while before that is said.
func TestResumeConnectionDroppedOutcomeUnknown(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	f.handle("POST /api/flow_runs/{id}/resume", hangUp)
	c, s := newClient(t, f)

	_, err := c.Resume(context.Background(), runAID, json.RawMessage(resumeInput))
	if err == nil {
		t.Fatal("no error")
	}
	if KindOf(err) != ErrUnknownOutcome {
		t.Errorf("Kind = %v, want unknown outcome", KindOf(err))
	}
	msg := err.Error()
	for _, want := range []string{"unknown whether the resume took effect", "may still land", "before trying again"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "safe to retry") || strings.Contains(msg, "did NOT") {
		t.Errorf("message %q claims the resume did not happen", msg)
	}
	if n := f.count("POST", "/api/flow_runs/"+runAID+"/resume"); n != 1 {
		t.Errorf("resume POSTed %d times, want 1", n)
	}
	var waited time.Duration
	for _, d := range s.all() {
		waited += d
	}
	if waited < unknownWait {
		t.Errorf("read back for %s, want at least %s", waited, unknownWait)
	}
}

// The server itself answered 500 and the run still shows the same pause: the
// request is over and did not take effect; a 500 after which the run moved is
// learnt from the run (it was resumed with this answer).
func TestResumeServerErrorReadBack(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	f.json("POST /api/flow_runs/{id}/resume", 500, `{"exception_message":"Internal Server Error"}`)
	c, _ := newClient(t, f)
	_, err := c.Resume(context.Background(), runAID, json.RawMessage(resumeInput))
	if err == nil || !strings.Contains(err.Error(), "did NOT take effect") {
		t.Fatalf("500, run unchanged: err %v, want did NOT take effect", err)
	}

	f2 := newFake(t)
	f2.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, runningRun(t)))
	f2.json("POST /api/flow_runs/{id}/resume", 500, `{"exception_message":"Internal Server Error"}`)
	f2.json("GET /api/flow_runs/{id}/input/{key}", 200, resumeInput)
	c2, _ := newClient(t, f2)
	res, err := c2.Resume(context.Background(), runAID, json.RawMessage(resumeInput))
	if err != nil || res.Outcome != OutcomeResumed || !res.Verified {
		t.Fatalf("500 after the server applied it: %+v %v, want verified resumed", res, err)
	}
}

// A 2xx whose body is not Prefect's answer (a proxy's HTML page) is not an
// error to report as such: the run is read back.
func TestResumeUndecodableBodyReadBack(t *testing.T) {
	f := newFake(t)
	f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, runningRun(t)))
	f.json("POST /api/flow_runs/{id}/resume", 200, `<html><body>Welcome</body></html>`)
	f.json("GET /api/flow_runs/{id}/input/{key}", 200, resumeInput)
	c, _ := newClient(t, f)
	res, err := c.Resume(context.Background(), runAID, json.RawMessage(resumeInput))
	if err != nil || res.Outcome != OutcomeResumed || !res.Verified {
		t.Fatalf("got %+v %v, want verified resumed", res, err)
	}
}

// Two requests with the same answer: the one the server refused (ABORT, the
// run is no longer paused) learns the same answer is already recorded.
func TestResumeSameAnswerAlreadyRecorded(t *testing.T) {
	f := newFake(t)
	f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, runningRun(t)))
	f.json("POST /api/flow_runs/{id}/resume", 200, resumeAbortJSON)
	f.json("GET /api/flow_runs/{id}/input/{key}", 200, resumeInput)
	c, _ := newClient(t, f)
	res, err := c.Resume(context.Background(), runAID, json.RawMessage(resumeInput))
	if err != nil || res.Outcome != OutcomeAlreadyAnswered {
		t.Fatalf("got %+v %v, want already-answered", res, err)
	}
	// A different answer recorded: someone else answered.
	f2 := newFake(t)
	f2.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, runningRun(t)))
	f2.json("POST /api/flow_runs/{id}/resume", 200, resumeAbortJSON)
	f2.json("GET /api/flow_runs/{id}/input/{key}", 200, `{"approve": false}`)
	c2, _ := newClient(t, f2)
	if res, err := c2.Resume(context.Background(), runAID, json.RawMessage(resumeInput)); err != nil || res.Outcome != OutcomeNotPaused {
		t.Fatalf("got %+v %v, want not-paused", res, err)
	}
}

// The run cannot be read back: the outcome is unknown and the error says so.
func TestResumeConnectionDroppedUnknown(t *testing.T) {
	f := newFake(t)
	f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(500, `{"exception_message":"Internal Server Error"}`))
	f.handle("POST /api/flow_runs/{id}/resume", hangUp)
	c, _ := newClient(t, f)
	_, err := c.Resume(context.Background(), runAID, nil)
	if err == nil || !strings.Contains(err.Error(), "unknown whether the resume took effect") ||
		!strings.Contains(err.Error(), "check the run") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "safe to retry") {
		t.Error("unknown outcome claimed to be safe to retry")
	}
}

// A lost answer or a gateway 502 after CANCELLING is ambiguous: the run is
// read back, and only because it shows CANCELLING does the cancel go on. The
// outcome is cancelled only once CANCELLED is confirmed.
func TestCancelGatewayErrorVerified(t *testing.T) {
	cancelling := mustJSON(t, runWith(t, map[string]any{
		"state.id":   "0198c7d0-0000-7000-8000-00000000c001",
		"state.type": "CANCELLING", "state.name": "Cancelling",
	}))
	for name, lost := range map[string]http.HandlerFunc{
		"hang up": hangUp,
		"502":     replyFn(502, `<html>Bad Gateway</html>`),
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, cancelling))
			f.sequence("POST /api/flow_runs/{id}/set_state", lost, replyFn(201, cancelledAcceptJSON))
			c, _ := newClient(t, f, func(o *Options) { o.CancelSettle = time.Second })
			res, err := c.Cancel(context.Background(), runAID, "r")
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != OutcomeCancelled || res.State.Type != "CANCELLED" || res.Process != ProcessWaiting {
				t.Fatalf("got %+v", res)
			}
			sent := f.bodies("POST", "/api/flow_runs/"+runAID+"/set_state")
			if len(sent) != 2 || !strings.Contains(sent[0], `"CANCELLING"`) || !strings.Contains(sent[1], `"CANCELLED"`) {
				t.Errorf("sent %q, want CANCELLING once, then CANCELLED", sent)
			}
		})
	}
}

// When the CANCELLED that follows cannot be confirmed, the run is said to be
// cancelling, never cancelled.
func TestCancelUnconfirmedIsNotCancelled(t *testing.T) {
	cancelling := mustJSON(t, runWith(t, map[string]any{
		"state.id":   "0198c7d0-0000-7000-8000-00000000c001",
		"state.type": "CANCELLING", "state.name": "Cancelling",
	}))
	f := newFake(t)
	f.sequence("GET /api/flow_runs/{id}", replyFn(200, pausedRunJSON), replyFn(200, cancelling))
	f.sequence("POST /api/flow_runs/{id}/set_state", replyFn(201, cancelAcceptJSON), hangUp)
	c, _ := newClient(t, f, func(o *Options) { o.CancelSettle = time.Second })
	res, err := c.Cancel(context.Background(), runAID, "r")
	if err == nil || res != nil && res.Outcome == OutcomeCancelled {
		t.Fatalf("got %+v, %v; want an error and no cancelled outcome", res, err)
	}
	if !strings.Contains(err.Error(), "still shows cancelling") || KindOf(err) != ErrUnknownOutcome {
		t.Errorf("err = %v, want an unknown outcome saying the run is still cancelling", err)
	}
}

// A per-request timeout on resume: the run is read back for a while, and while it still shows the pause the outcome is unknown.
func TestResumeTimeoutOutcomeUnknown(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	f.handle("POST /api/flow_runs/{id}/resume", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; the client gives up
	})
	c, _ := newClient(t, f, func(o *Options) { o.Timeout = 150 * time.Millisecond })
	_, err := c.Resume(context.Background(), runAID, nil)
	if err == nil || KindOf(err) != ErrUnknownOutcome || strings.Contains(err.Error(), "did NOT take effect") {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
}

// The caller gives up mid-resume: the outcome is unknown and said to be.
func TestResumeInterrupted(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	ctx, cancel := context.WithCancel(context.Background())
	f.handle("POST /api/flow_runs/{id}/resume", func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	c, _ := newClient(t, f)
	_, err := c.Resume(ctx, runAID, nil)
	if err == nil || !strings.Contains(err.Error(), "unknown whether the resume took effect") {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err does not wrap context.Canceled: %v", err)
	}
}

func TestNotPausedOutcomeTellsExpiredPauses(t *testing.T) {
	cases := []struct {
		state *State
		want  Outcome
	}{
		{nil, OutcomeNotPaused},
		{&State{Type: "RUNNING", Name: "Running"}, OutcomeNotPaused},
		{&State{Type: "FAILED", Name: "Failed", Message: "Flow run encountered an exception."}, OutcomeNotPaused},
		// The message FailExpiredPauses sets (src/prefect/server/services/pause_expirations.py).
		{&State{Type: "FAILED", Name: "Failed", Message: "The flow was paused and never resumed."}, OutcomeExpired},
	}
	for _, c := range cases {
		if got := NotPausedOutcome(c.state); got != c.want {
			t.Errorf("NotPausedOutcome(%+v) = %s, want %s", c.state, got, c.want)
		}
	}
}

package apiclient

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// Payloads below are copied from what a real Prefect 3 server sent (the models in
// src/prefect/server/schemas/responses.py and core.py): unknown fields and
// placeholders included.

const (
	runAID  = "0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88"
	flowAID = "5f0e7d0a-3c1b-4b8e-9a77-2d9c1e6f4a10"
	depAID  = "7a1c2b3d-4e5f-4061-8a9b-0c1d2e3f4a5b"
)

// pausedRunJSON is 8.4 (a) verbatim.
const pausedRunJSON = `{
  "id": "0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88",
  "created": "2026-08-21T16:20:01.512000Z",
  "updated": "2026-08-21T16:27:33.123456Z",
  "name": "crimson-falcon",
  "flow_id": "5f0e7d0a-3c1b-4b8e-9a77-2d9c1e6f4a10",
  "state_id": "0198c7a9-1a22-7f00-8b3e-9c5d2e4f6a71",
  "deployment_id": "7a1c2b3d-4e5f-4061-8a9b-0c1d2e3f4a5b",
  "deployment_version": null,
  "work_queue_id": "c2d3e4f5-0617-4829-a3b4-c5d6e7f80912",
  "work_queue_name": "default",
  "flow_version": "2f9c1d0e",
  "parameters": {"preview": "3 runs", "count": 3},
  "idempotency_key": null,
  "context": {},
  "empirical_policy": {"max_retries": 0, "retry_delay_seconds": 0.0, "retries": null, "retry_delay": null,
                       "pause_keys": ["1"], "resuming": false, "retry_type": null},
  "tags": ["ops", "cleanup"],
  "labels": {},
  "parent_task_run_id": "0198c7a2-5a00-7000-8000-000000000001",
  "state_type": "PAUSED",
  "state_name": "Paused",
  "run_count": 1,
  "expected_start_time": "2026-08-21T16:20:01.500000Z",
  "next_scheduled_start_time": null,
  "start_time": "2026-08-21T16:20:03.004000Z",
  "end_time": null,
  "total_run_time": 0.0,
  "estimated_run_time": 450.1,
  "estimated_start_time_delta": 1.5,
  "auto_scheduled": false,
  "infrastructure_document_id": null,
  "infrastructure_pid": "host-1:4242",
  "created_by": null,
  "work_pool_id": "b1c2d3e4-f506-4718-92a3-b4c5d6e7f809",
  "work_pool_name": "ops-pool",
  "state": {
    "id": "0198c7a9-1a22-7f00-8b3e-9c5d2e4f6a71",
    "type": "PAUSED",
    "name": "Paused",
    "timestamp": "2026-08-21T16:27:33.123456Z",
    "message": null,
    "data": null,
    "state_details": {
      "flow_run_id": "0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88",
      "task_run_id": null, "child_flow_run_id": null, "scheduled_time": null,
      "cache_key": null, "cache_expiration": null, "deferred": false, "untrackable_result": false,
      "pause_timeout": "2026-08-21T17:27:33.120001Z",
      "pause_reschedule": false,
      "pause_key": "1",
      "run_input_keyset": {
        "description": "paused-1-description",
        "response": "paused-1-response",
        "schema": "paused-1-schema"
      },
      "refresh_cache": null, "retriable": null, "transition_id": null,
      "task_parameters_id": null, "traceparent": null, "deployment_concurrency_lease_id": null
    }
  },
  "job_variables": {}
}`

// resumeAcceptJSON is 8.4 (d).
const resumeAcceptJSON = `{"state": {"id": "0198c7b0-0c11-7e22-9f33-445566778899", "type": "RUNNING", "name": "Running",
           "timestamp": "2026-08-21T16:31:02.000100Z", "message": null, "data": null,
           "state_details": {"flow_run_id": "0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88", "pause_timeout": null,
                             "pause_reschedule": false, "pause_key": null, "run_input_keyset": null, "...": "..."}},
 "status": "ACCEPT",
 "details": {"type": "accept_details"}}`

// resumeAcceptSuspendedJSON: a suspended run becomes SCHEDULED "Resuming" (8.4 d, last line).
const resumeAcceptSuspendedJSON = `{"state": {"id": "0198c7b0-0c11-7e22-9f33-445566778800", "type": "SCHEDULED", "name": "Resuming",
           "timestamp": "2026-08-21T16:31:02+00:00", "message": null, "data": null,
           "state_details": {"scheduled_time": "2026-08-21T16:31:02+00:00", "pause_reschedule": false, "run_input_keyset": null}},
 "status": "ACCEPT", "details": {"type": "accept_details"}}`

// resumeRejectJSON is 8.4 (e).
const resumeRejectJSON = `{"state": {"id": "0198c7a9-1a22-7f00-8b3e-9c5d2e4f6a71", "type": "PAUSED", "name": "Paused", "...": "..."},
 "status": "REJECT",
 "details": {"type": "abort_details",
             "reason": "Reason: Validation failed for field 'approve'. Failure reason: 'yes' is not of type 'boolean'"}}`

// resumeAbortJSON is 8.4 (f).
const resumeAbortJSON = `{"state": null, "status": "ABORT", "details": {"type": "abort_details", "reason": "Cannot resume a flow run that is not paused."}}`

// resumeTimeoutJSON: 4.3 row "Pause timed out" (HTTP 201, new FAILED state).
const resumeTimeoutJSON = `{"state": {"id": "0198c7c0-0000-7000-8000-00000000f001", "type": "FAILED", "name": "Failed",
  "timestamp": "2026-08-21T18:00:00.000001+00:00", "message": "The flow was running and never resumed.", "data": null,
  "state_details": {"flow_run_id": "0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88", "pause_timeout": null, "pause_reschedule": false,
  "pause_key": null, "run_input_keyset": null}},
 "status": "REJECT", "details": {"type": "reject_details", "reason": "The flow run pause has timed out and can no longer resume."}}`

// resumeNoDeploymentJSON: 4.3 row "Suspended, no deployment" (HTTP 200, current PAUSED state).
const resumeNoDeploymentJSON = `{"state": {"id": "0198c7a9-1a22-7f00-8b3e-9c5d2e4f6a71", "type": "PAUSED", "name": "Suspended",
  "timestamp": "2026-08-21T16:27:33.123456Z", "message": null, "data": null,
  "state_details": {"pause_reschedule": true, "pause_key": "1", "pause_timeout": null,
  "run_input_keyset": {"schema": "suspended-1-schema", "description": "suspended-1-description", "response": "suspended-1-response"}}},
 "status": "REJECT", "details": {"type": "reject_details", "reason": "Cannot reschedule a resuming flow run without a deployment."}}`

// orchestrationErrorJSON: 4.3 row "Orchestration error".
const orchestrationErrorJSON = `{"state": null, "status": "ABORT", "details": {"type": "abort_details", "reason": "Error validating state: boom"}}`

// waitJSON: 4.3 row WAIT.
const waitJSON = `{"state": null, "status": "WAIT", "details": {"type": "wait_details", "delay_seconds": 5, "reason": "Try later."}}`

// conflictJSON: 4.3 row for racing resumes (HTTP 409).
const conflictJSON = `{"detail":"Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details."}`

// Cancel results (4.7).
const cancelAcceptJSON = `{"state": {"id": "0198c7d0-0000-7000-8000-00000000c001", "type": "CANCELLING", "name": "Cancelling",
  "timestamp": "2026-08-21T16:40:00.000001Z", "message": "Rejected by ops via unpause", "data": null,
  "state_details": {"flow_run_id": "0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88"}},
 "status": "ACCEPT", "details": {"type": "accept_details"}}`

const cancelledAcceptJSON = `{"state": {"id": "0198c7d0-0000-7000-8000-00000000c004", "type": "CANCELLED", "name": "Cancelled",
  "timestamp": "2026-08-21T16:27:35Z", "message": "r", "state_details": {}},
  "status": "ACCEPT", "details": {"type": "accept_details"}}`

const cancelRejectCancelledJSON = `{"state": {"id": "0198c7d0-0000-7000-8000-00000000c002", "type": "CANCELLED", "name": "Cancelled",
  "timestamp": "2026-08-21T16:40:00.000001Z", "message": "Suspended flow run has no infrastructure to terminate.", "data": null,
  "state_details": {}},
 "status": "REJECT", "details": {"type": "reject_details", "reason": "Suspended flow run has no infrastructure to terminate."}}`

const cancelRejectFailedJSON = `{"state": {"id": "0198c7d0-0000-7000-8000-00000000c003", "type": "FAILED", "name": "Failed",
  "timestamp": "2026-08-21T18:00:00Z", "message": "The flow was paused and never resumed.", "state_details": {}},
 "status": "REJECT", "details": {"type": "reject_details", "reason": "The flow run pause has timed out and can no longer resume."}}`

const (
	notFoundRunJSON  = `{"detail":"Flow run not found"}`
	csrfDisabledJSON = `{"detail":"CSRF protection is disabled."}`
)

// runWith returns pausedRunJSON with fields changed: top-level keys by
// name, and "state.<key>" / "details.<key>" for the state and its details.
func runWith(t testing.TB, changes map[string]any) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(pausedRunJSON), &m); err != nil {
		t.Fatal(err)
	}
	st := m["state"].(map[string]any)
	det := st["state_details"].(map[string]any)
	for k, v := range changes {
		switch {
		case strings.HasPrefix(k, "state."):
			st[strings.TrimPrefix(k, "state.")] = v
		case strings.HasPrefix(k, "details."):
			det[strings.TrimPrefix(k, "details.")] = v
		case k == "state" && v == nil:
			m["state"] = nil
		default:
			m[k] = v
		}
	}
	return m
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// runningRun is run A after a resume (8.4 d's state).
func runningRun(t testing.TB) string {
	return mustJSON(t, runWith(t, map[string]any{
		"state_type": "RUNNING", "state_name": "Running",
		"state.id": "0198c7b0-0c11-7e22-9f33-445566778899", "state.type": "RUNNING", "state.name": "Running",
		"details.run_input_keyset": nil, "details.pause_timeout": nil,
	}))
}

// recorded is one request the fake server saw.
type recorded struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   string
	// ContentLength as the server saw it (-1 for chunked).
	ContentLength int64
}

// fakeServer is a Prefect API stand-in: routes are "METHOD /api/path"
// patterns of http.ServeMux. /api/csrf-token answers "disabled" unless a
// test registers its own handler.
type fakeServer struct {
	t    testing.TB
	srv  *httptest.Server
	mux  *http.ServeMux
	mu   sync.Mutex
	reqs []recorded
	// csrf answers GET /api/csrf-token; by default "CSRF protection is disabled."
	csrf http.HandlerFunc
}

func newFake(t testing.TB) *fakeServer {
	t.Helper()
	f := &fakeServer{t: t, mux: http.NewServeMux()}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{
			Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: string(body), ContentLength: r.ContentLength,
		})
		f.mu.Unlock()
		f.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	f.csrf = replyFn(422, csrfDisabledJSON)
	f.handle("GET /api/csrf-token", func(w http.ResponseWriter, r *http.Request) { f.csrf(w, r) })
	return f
}

// handle registers a route; a pattern may be registered only once.
func (f *fakeServer) handle(pattern string, h http.HandlerFunc) { f.mux.HandleFunc(pattern, h) }

// json registers a route that always answers status and body.
func (f *fakeServer) json(pattern string, status int, body string) {
	f.handle(pattern, func(w http.ResponseWriter, r *http.Request) { reply(w, status, body) })
}

// sequence registers a route answering with the given handlers in turn, the
// last one repeating.
func (f *fakeServer) sequence(pattern string, hs ...http.HandlerFunc) {
	var mu sync.Mutex
	i := 0
	f.handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hs[min(i, len(hs)-1)]
		i++
		mu.Unlock()
		h(w, r)
	})
}

func (f *fakeServer) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

// count returns how many requests matched method and path.
func (f *fakeServer) count(method, path string) int {
	n := 0
	for _, r := range f.requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func (f *fakeServer) bodies(method, path string) []string {
	var out []string
	for _, r := range f.requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r.Body)
		}
	}
	return out
}

func (f *fakeServer) apiURL() string { return f.srv.URL + "/api" }

func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func replyFn(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { reply(w, status, body) }
}

// hangUp reads the request and closes the connection without answering, as
// a crashing proxy or a dropped network does.
func hangUp(w http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

// sleeps records the waits the client asked for instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func (s *sleeps) total() time.Duration {
	var t time.Duration
	for _, d := range s.all() {
		t += d
	}
	return t
}

// newClient builds a Client for f whose sleeps are recorded, not waited.
func newClient(t testing.TB, f *fakeServer, opts ...func(*Options)) (*Client, *sleeps) {
	t.Helper()
	o := Options{BaseURL: f.apiURL(), UserAgent: "unpause/test", Timeout: 5 * time.Second}
	for _, fn := range opts {
		fn(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	s := &sleeps{}
	c.sleep = s.sleep
	return c, s
}

// sameJSONText compares two JSON texts semantically.
func sameJSONText(t testing.TB, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("got %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("JSON differs:\n got  %s\n want %s", got, want)
	}
}

// Package prefecttest is a small in-memory Prefect 3 server for unit tests of
// the commands: the routes unpause calls, answering with the payload shapes a
// real server sends (src/prefect/server/api/flow_runs.py, flow_run_input.py;
// the models in src/prefect/server/schemas/core.py and responses.py). It keeps
// state (resume moves a run on; cancel records CANCELLING with its message) and
// records every request. Behaviour the real server shows is also proven by the
// integration tests against a real one; this is for fast, exact unit tests.
package prefecttest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Run describes one flow run the server holds.
type Run struct {
	ID, Name, Flow, Deployment string
	Tags                       []string
	// StateType is PAUSED unless set (COMPLETED, RUNNING, ...).
	StateType, StateName string
	// Suspended: a suspend_flow_run pause (pause_reschedule true).
	Suspended bool
	// Schema and Description are the stored run inputs of a pause with
	// wait_for_input; an empty Schema is a pause that asks for nothing.
	Schema, Description string
	PausedAt            time.Time
	Timeout             *time.Time
	// RunnerStopsAfter, for a run of a Deployment: a runner supervises its
	// process and, this long after the run turns CANCELLING, stops it and
	// writes Cancelled with its own message. 0: nothing supervises it.
	RunnerStopsAfter time.Duration
}

// Request is one request the server received.
type Request struct{ Method, Path, Body string }

// Server is the fake. Create it with New; it closes with the test.
type Server struct {
	srv *httptest.Server
	mu  sync.Mutex
	// runs by id, each the JSON object the server would send.
	runs    map[string]map[string]any
	order   []string
	inputs  map[string]map[string]string // run id → key → stored JSON text
	senders map[string]map[string]string // run id → key → sender of a written input
	// failInputs makes that many input writes answer 503 (FailInputWrites).
	failInputs int
	flows      map[string]string // flow id → name
	deps       map[string]string // deployment id → name
	requests   []Request
	// prefect2 follows Prefect 2.x's rules where they differ (UsePrefect2Rules).
	prefect2 bool
	runners  map[string]time.Duration    // run id → Run.RunnerStopsAfter
	logs     map[string][]map[string]any // run id → log lines, oldest first
	pauses   map[string]int              // run id → pauses so far
	states   int                         // states written, for unique state ids
	// Override, when set for "METHOD /path", answers that route instead.
	override map[string]func(w http.ResponseWriter, r *http.Request)
	// The event stream (events.go).
	subs         []*subscriber
	published    map[string]string // run id → state id last published
	refuseStream int
}

// New starts the fake server.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		runs: map[string]map[string]any{}, inputs: map[string]map[string]string{}, senders: map[string]map[string]string{},
		flows: map[string]string{}, deps: map[string]string{}, runners: map[string]time.Duration{},
		logs: map[string][]map[string]any{}, pauses: map[string]int{}, override: map[string]func(http.ResponseWriter, *http.Request){},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// APIURL is the PREFECT_API_URL of the fake.
func (s *Server) APIURL() string { return s.srv.URL + "/api" }

// Handle answers "METHOD /api/path" (exact path) with h instead of the fake's
// own logic: for faults and odd payloads.
func (s *Server) Handle(route string, h func(w http.ResponseWriter, r *http.Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override[route] = h
}

// Add stores a run and returns its id.
func (s *Server) Add(r Run) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.publishChanges()
	n := len(s.order) + 1
	if r.ID == "" {
		r.ID = fmt.Sprintf("0198c7a2-5b1e-7c4d-9e61-%012d", n)
	}
	if r.Flow == "" {
		r.Flow = "approve-job"
	}
	flowID := fmt.Sprintf("5f0e7d0a-3c1b-4b8e-9a77-%012d", n)
	s.flows[flowID] = r.Flow
	var depID any
	if r.Deployment != "" {
		id := fmt.Sprintf("7a1c2b3d-4e5f-4061-8a9b-%012d", n)
		s.deps[id], depID = r.Deployment, id
	}
	if r.PausedAt.IsZero() {
		r.PausedAt = time.Now().Add(-2 * time.Minute).UTC()
	}
	s.runs[r.ID] = runObject(r, flowID, depID)
	s.order = append(s.order, r.ID)
	s.runners[r.ID] = r.RunnerStopsAfter
	s.inputs[r.ID] = map[string]string{}
	s.senders[r.ID] = map[string]string{}
	if r.Schema != "" {
		s.inputs[r.ID]["paused-1-schema"] = r.Schema
		if r.Description != "" {
			b, _ := json.Marshal(r.Description)
			s.inputs[r.ID]["paused-1-description"] = string(b)
		}
	}
	return r.ID
}

// runObject is a flow run as GET /flow_runs/{id} returns it.
func runObject(r Run, flowID string, depID any) map[string]any {
	tags := r.Tags
	if tags == nil {
		tags = []string{}
	}
	typ, name := r.StateType, r.StateName
	if typ == "" {
		typ, name = "PAUSED", "Paused"
		if r.Suspended {
			name = "Suspended"
		}
	}
	details := map[string]any{"flow_run_id": r.ID, "pause_reschedule": r.Suspended, "pause_key": nil, "run_input_keyset": nil}
	if typ == "PAUSED" {
		details["pause_key"] = "1"
		if r.Timeout != nil {
			details["pause_timeout"] = r.Timeout.UTC().Format(time.RFC3339Nano)
		}
		if r.Schema != "" {
			details["run_input_keyset"] = map[string]any{
				"description": "paused-1-description", "response": "paused-1-response", "schema": "paused-1-schema",
			}
		}
	}
	return map[string]any{
		"id": r.ID, "name": r.Name, "flow_id": flowID, "deployment_id": depID, "tags": tags,
		"parameters": map[string]any{}, "state_type": typ, "state_name": name,
		"empirical_policy": map[string]any{"pause_keys": []string{"1"}, "resuming": false},
		"work_pool_name":   nil, "labels": map[string]any{},
		"state": map[string]any{
			"id": "0198c7a9-1a22-7f00-8b3e-" + r.ID[len(r.ID)-12:], "type": typ, "name": name,
			"timestamp": r.PausedAt.UTC().Format(time.RFC3339Nano), "message": nil, "data": nil, "state_details": details,
		},
	}
}

// State returns a run's current state type, name and message.
func (s *Server) State(id string) (typ, name, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.runs[id]["state"].(map[string]any)
	msg, _ := st["message"].(string)
	return st["type"].(string), st["name"].(string), msg
}

// Pause pauses a run again, as a flow does that refuses an answer and calls
// pause_flow_run once more: a new PAUSED state with a new pause key, asking
// with schema (none when "") and description.
func (s *Server) Pause(id, schema, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.publishChanges()
	run := s.runs[id]
	s.pauses[id]++
	key := fmt.Sprintf("paused-%d", s.pauses[id]+1)
	next := s.setRunState(run, "PAUSED", "Paused", nil)
	details := next["state_details"].(map[string]any)
	details["pause_key"] = key
	if schema != "" {
		details["run_input_keyset"] = map[string]any{"description": key + "-description", "response": key + "-response", "schema": key + "-schema"}
		s.inputs[id][key+"-schema"] = schema
		b, _ := json.Marshal(description)
		s.inputs[id][key+"-description"] = string(b)
	}
}

// SetInput stores a run input (JSON text) under key, as flow_run_input does.
func (s *Server) SetInput(id, key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inputs[id][key] = value
}

// Input returns a run input's stored JSON text and its sender, and whether
// the run holds it.
func (s *Server) Input(id, key string) (value, sender string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	value, ok = s.inputs[id][key]
	return value, s.senders[id][key], ok
}

// FailInputWrites makes the next n input writes (POST /flow_runs/{id}/input)
// answer 503, as a server whose database refused them would; n < 0 fails all.
func (s *Server) FailInputWrites(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failInputs = n
}

// writeInput follows src/prefect/server/api/flow_run_input.py
// create_flow_run_input: the value is stored as the string given, a key
// written twice is answered 409, and a key outside the alphabet fails the
// model's validation, which the server answers with 500.
func (s *Server) writeInput(w http.ResponseWriter, id string, body []byte) {
	if s.failInputs != 0 {
		s.failInputs--
		reply(w, http.StatusServiceUnavailable, map[string]any{"exception_message": "Service Unavailable"})
		return
	}
	var req struct {
		Key    string  `json:"key"`
		Value  *string `json:"value"`
		Sender *string `json:"sender"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Value == nil {
		reply(w, http.StatusUnprocessableEntity, map[string]any{"detail": "key and value are required"})
		return
	}
	if !validKey(req.Key) {
		reply(w, http.StatusInternalServerError, map[string]any{"exception_message": "Internal Server Error"})
		return
	}
	if _, dup := s.inputs[id][req.Key]; dup {
		reply(w, http.StatusConflict, map[string]any{"detail": "A flow run input with this key already exists."})
		return
	}
	s.inputs[id][req.Key] = *req.Value
	if req.Sender != nil {
		s.senders[id][req.Key] = *req.Sender
	}
	w.WriteHeader(http.StatusCreated)
}

func validKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Log adds a log line of the run (level as Python's logging: 40 is ERROR).
func (s *Server) Log(id string, level int, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs[id] = append(s.logs[id], map[string]any{
		"id": fmt.Sprintf("0198c7c0-1111-7222-8333-%012d", len(s.logs[id])+1), "name": "prefect.flow_runs", "level": level,
		"message": message, "timestamp": time.Now().UTC().Format(time.RFC3339Nano), "flow_run_id": id, "task_run_id": nil,
	})
}

// filterLogs answers /logs/filter for one run's id, newest first as asked.
func (s *Server) filterLogs(w http.ResponseWriter, body []byte) {
	var q struct {
		Logs struct {
			FlowRunID struct {
				Any []string `json:"any_"`
			} `json:"flow_run_id"`
		} `json:"logs"`
		Limit  int `json:"limit"`
		Offset int `json:"offset"`
	}
	_ = json.Unmarshal(body, &q)
	out := []map[string]any{}
	for _, id := range q.Logs.FlowRunID.Any {
		lines := s.logs[id]
		for i := len(lines) - 1; i >= 0; i-- {
			out = append(out, lines[i])
		}
	}
	if q.Offset > 0 || (q.Limit > 0 && len(out) > q.Limit) {
		out = out[min(q.Offset, len(out)):min(q.Offset+max(q.Limit, 0), len(out))]
	}
	reply(w, http.StatusOK, out)
}

// UsePrefect2Rules makes the server refuse PAUSED -> CANCELLING without
// force, as Prefect 2.x does ("This run cannot transition to the
// StateType.CANCELLING state from the StateType.PAUSED state.").
func (s *Server) UsePrefect2Rules() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prefect2 = true
}

// SetState moves a run to another state, as something outside unpause
// would (the flow finishing, another operator).
func (s *Server) SetState(id, typ, name, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.publishChanges()
	var msg *string
	if message != "" {
		msg = &message
	}
	s.setRunState(s.runs[id], typ, name, msg)
}

// Bodies returns the bodies of the requests to method and path, in order.
func (s *Server) Bodies(method, path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.requests {
		if r.Method == method && r.Path == path {
			out = append(out, r.Body)
		}
	}
	return out
}

// Writes counts the requests that could change the server: resume and set_state.
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if strings.HasSuffix(r.Path, "/resume") || strings.HasSuffix(r.Path, "/set_state") {
			n++
		}
	}
	return n
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Body: string(body)})
	h := s.override[r.Method+" "+r.URL.Path]
	s.mu.Unlock()
	if h != nil {
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		h(w, r)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/api")
	if path == "/events/out" {
		s.serveEvents(w, r)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.publishChanges()
	switch {
	case r.Method == http.MethodGet && path == "/csrf-token":
		reply(w, http.StatusUnprocessableEntity, map[string]any{"detail": "CSRF protection is disabled."})
	case r.Method == http.MethodPost && path == "/flow_runs/filter":
		s.filterRuns(w, body)
	case r.Method == http.MethodPost && path == "/flows/filter":
		s.filterNames(w, body, "flows", s.flows)
	case r.Method == http.MethodPost && path == "/deployments/filter":
		s.filterNames(w, body, "deployments", s.deps)
	case r.Method == http.MethodPost && path == "/logs/filter":
		s.filterLogs(w, body)
	case strings.HasPrefix(path, "/flow_runs/"):
		s.serveRun(w, r.Method, strings.Split(strings.TrimPrefix(path, "/flow_runs/"), "/"), body)
	default:
		reply(w, http.StatusNotFound, map[string]any{"detail": "Not Found"})
	}
}

func (s *Server) serveRun(w http.ResponseWriter, method string, parts []string, body []byte) {
	run, ok := s.runs[parts[0]]
	if !ok {
		reply(w, http.StatusNotFound, map[string]any{"detail": "Flow run not found"})
		return
	}
	switch {
	case method == http.MethodGet && len(parts) == 1:
		reply(w, http.StatusOK, run)
	case method == http.MethodGet && len(parts) == 3 && parts[1] == "input":
		v, ok := s.inputs[parts[0]][parts[2]]
		if !ok {
			reply(w, http.StatusNotFound, map[string]any{"detail": "Flow run input not found"})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, v)
	case method == http.MethodPost && len(parts) == 2 && parts[1] == "input":
		s.writeInput(w, parts[0], body)
	case method == http.MethodPost && len(parts) == 3 && parts[1] == "input" && parts[2] == "filter":
		s.listInputs(w, parts[0])
	case method == http.MethodPost && len(parts) == 2 && parts[1] == "resume":
		s.resume(w, run, body)
	case method == http.MethodPost && len(parts) == 2 && parts[1] == "set_state":
		s.setState(w, run, body)
	default:
		reply(w, http.StatusNotFound, map[string]any{"detail": "Not Found"})
	}
}

// listInputs answers /input/filter: values double encoded, as the server does.
func (s *Server) listInputs(w http.ResponseWriter, id string) {
	keys := make([]string, 0, len(s.inputs[id]))
	for k := range s.inputs[id] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []map[string]any{}
	for _, k := range keys {
		var sender any
		if v, ok := s.senders[id][k]; ok {
			sender = v
		}
		out = append(out, map[string]any{
			"key": k, "value": s.inputs[id][k], "flow_run_id": id, "sender": sender,
			"created": "2026-08-21T16:31:02.000100Z", "updated": "2026-08-21T16:31:02.000100Z",
		})
	}
	reply(w, http.StatusOK, out)
}

// resume follows src/prefect/server/api/flow_runs.py resume_flow_run for the
// cases unit tests need: a paused run goes on (RUNNING, or SCHEDULED
// "Resuming" when suspended) and its answer is stored; any other state aborts.
func (s *Server) resume(w http.ResponseWriter, run map[string]any, body []byte) {
	st := run["state"].(map[string]any)
	if st["type"] != "PAUSED" {
		reply(w, http.StatusOK, map[string]any{
			"state": nil, "status": "ABORT",
			"details": map[string]any{"type": "abort_details", "reason": "Cannot resume a flow run that is not paused."},
		})
		return
	}
	var req struct {
		RunInput json.RawMessage `json:"run_input"`
	}
	_ = json.Unmarshal(body, &req)
	id := run["id"].(string)
	if ks, ok := st["state_details"].(map[string]any)["run_input_keyset"].(map[string]any); ok && len(req.RunInput) > 0 {
		s.inputs[id][ks["response"].(string)] = string(req.RunInput)
	}
	typ, name := "RUNNING", "Running"
	if st["state_details"].(map[string]any)["pause_reschedule"] == true {
		typ, name = "SCHEDULED", "Resuming"
	}
	next := s.setRunState(run, typ, name, nil)
	reply(w, http.StatusCreated, map[string]any{"state": next, "status": "ACCEPT", "details": map[string]any{"type": "accept_details"}})
}

// setState follows the orchestration rules that decide a cancel
// (src/prefect/server/orchestration/core_policy.py): a CANCELLING run goes
// only to CANCELLED; CANCELLING on a finished run ABORTs; CANCELLING on a
// suspended run becomes Cancelled with no message; force skips the first two.
// A run with a runner (Run.RunnerStopsAfter) is stopped by it after
// CANCELLING, which writes its own Cancelled message as Prefect's Runner does
// (src/prefect/runner/_cancel_finalizer.py).
func (s *Server) setState(w http.ResponseWriter, run map[string]any, body []byte) {
	var req struct {
		State struct {
			Type, Name string
			Message    *string
		} `json:"state"`
		Force bool `json:"force"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		reply(w, http.StatusUnprocessableEntity, map[string]any{"detail": err.Error()})
		return
	}
	cur := run["state"].(map[string]any)
	curType := cur["type"].(string)
	switch {
	case curType == "CANCELLING" && req.State.Type != "CANCELLED" && !req.Force:
		reply(w, http.StatusOK, orchestration("REJECT", cur, "Cannot transition flows that are cancelling to a state other than Cancelled."))
		return
	case s.prefect2 && req.State.Type == "CANCELLING" && curType == "PAUSED" && !req.Force:
		reply(w, http.StatusOK, orchestration("REJECT", cur, "This run cannot transition to the StateType.CANCELLING state from the StateType.PAUSED state."))
		return
	case req.State.Type == "CANCELLING" && terminal(curType) && !req.Force:
		reply(w, http.StatusOK, orchestration("ABORT", nil, "Run is already in terminal state "+curType+"."))
		return
	case req.State.Type == "CANCELLING" && curType == "PAUSED" && cur["state_details"].(map[string]any)["pause_reschedule"] == true:
		next := s.setRunState(run, "CANCELLED", "Cancelled", nil)
		reply(w, http.StatusCreated, orchestration("REJECT", next, "Suspended flow run has no infrastructure to terminate."))
		return
	}
	next := s.setRunState(run, req.State.Type, req.State.Name, req.State.Message)
	if d := s.runners[run["id"].(string)]; d > 0 && req.State.Type == "CANCELLING" {
		id := next["id"]
		time.AfterFunc(d, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			defer s.publishChanges()
			if run["state"].(map[string]any)["id"] == id {
				msg := "Flow run was cancelled successfully."
				s.setRunState(run, "CANCELLED", "Cancelled", &msg)
			}
		})
	}
	reply(w, http.StatusCreated, orchestration("ACCEPT", next, ""))
}

func terminal(typ string) bool {
	return typ == "COMPLETED" || typ == "FAILED" || typ == "CANCELLED" || typ == "CRASHED"
}

// orchestration is an OrchestrationResult (src/prefect/server/orchestration/policies.py).
func orchestration(status string, state map[string]any, reason string) map[string]any {
	details := map[string]any{"type": strings.ToLower(status) + "_details"}
	if reason != "" {
		details["reason"] = reason
	}
	var st any
	if state != nil {
		st = state
	}
	return map[string]any{"state": st, "status": status, "details": details}
}

func (s *Server) setRunState(run map[string]any, typ, name string, message *string) map[string]any {
	// The message is held as a string or nil, as a decoded payload would be,
	// so that State can read it back.
	var msg any
	if message != nil {
		msg = *message
	}
	s.states++
	next := map[string]any{
		"id": fmt.Sprintf("0198c7b0-0c11-7e22-9f33-%012d", s.states), "type": typ, "name": name,
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "message": msg, "data": nil,
		"state_details": map[string]any{"flow_run_id": run["id"], "pause_reschedule": false, "run_input_keyset": nil},
	}
	run["state"], run["state_type"], run["state_name"] = next, typ, name
	return next
}

// filterRuns answers /flow_runs/filter, honouring the run id, name, state type
// and flow name filters unpause sends; later pages are empty.
func (s *Server) filterRuns(w http.ResponseWriter, body []byte) {
	var q struct {
		FlowRuns struct {
			ID *struct {
				Any []string `json:"any_"`
			} `json:"id"`
			Name *struct {
				Any []string `json:"any_"`
			} `json:"name"`
			State *struct {
				Type *struct {
					Any []string `json:"any_"`
				} `json:"type"`
			} `json:"state"`
		} `json:"flow_runs"`
		Flows *struct {
			Name *struct {
				Any []string `json:"any_"`
			} `json:"name"`
		} `json:"flows"`
		Offset int `json:"offset"`
	}
	if err := json.Unmarshal(body, &q); err != nil {
		reply(w, http.StatusUnprocessableEntity, map[string]any{"detail": err.Error()})
		return
	}
	out := []map[string]any{}
	for _, id := range s.order {
		run := s.runs[id]
		if q.Offset > 0 {
			break
		}
		if f := q.FlowRuns.ID; f != nil && !slices.Contains(f.Any, id) {
			continue
		}
		if n := q.FlowRuns.Name; n != nil && !slices.Contains(n.Any, run["name"].(string)) {
			continue
		}
		if st := q.FlowRuns.State; st != nil && st.Type != nil && !slices.Contains(st.Type.Any, run["state_type"].(string)) {
			continue
		}
		if f := q.Flows; f != nil && f.Name != nil && !slices.Contains(f.Name.Any, s.flows[run["flow_id"].(string)]) {
			continue
		}
		out = append(out, run)
	}
	reply(w, http.StatusOK, out)
}

func (s *Server) filterNames(w http.ResponseWriter, body []byte, key string, names map[string]string) {
	var q map[string]struct {
		ID *struct {
			Any []string `json:"any_"`
		} `json:"id"`
	}
	_ = json.Unmarshal(body, &q)
	out := []map[string]any{}
	if f, ok := q[key]; ok && f.ID != nil {
		for _, id := range f.ID.Any {
			if n, ok := names[id]; ok {
				out = append(out, map[string]any{"id": id, "name": n})
			}
		}
	}
	reply(w, http.StatusOK, out)
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

package accessible

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
)

// The fixtures below are the tui package's (tui/harness_test.go,
// tui/model_test.go), cut down to what this front end calls.

// Fixed clock for every test: 2026-11-21 12:00:00 UTC.
var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// runSpec describes a fixture run; mkRun turns it into the JSON the Prefect
// server sends (testdata/run_template.json, a real FlowRunResponse shape)
// and decodes that, so tests see exactly what apiclient produces.
type runSpec struct {
	ID, Name, Flow, Deployment string
	PausedAgo                  time.Duration
	ExpiresIn                  *time.Duration // nil: no pause_timeout
	Suspended                  bool
	NoInput                    bool
	Tags                       []string
	Pool                       string
}

func in(d time.Duration) *time.Duration { return &d }

func mkRun(t testing.TB, s runSpec) apiclient.Run {
	t.Helper()
	raw, err := os.ReadFile("testdata/run_template.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["id"], doc["name"], doc["flow_name"], doc["deployment_name"] = s.ID, s.Name, s.Flow, s.Deployment
	if s.Tags != nil {
		tags := make([]any, len(s.Tags))
		for i, tg := range s.Tags {
			tags[i] = tg
		}
		doc["tags"] = tags
	}
	doc["work_pool_name"] = s.Pool
	st := doc["state"].(map[string]any)
	st["timestamp"] = testNow.Add(-s.PausedAgo).Format(time.RFC3339Nano)
	det := st["state_details"].(map[string]any)
	det["flow_run_id"] = s.ID
	det["pause_timeout"] = nil
	if s.ExpiresIn != nil {
		det["pause_timeout"] = testNow.Add(*s.ExpiresIn).Format(time.RFC3339Nano)
	}
	prefix := "paused"
	if s.Suspended {
		prefix = "suspended"
		det["pause_reschedule"] = true
		st["name"], doc["state_name"] = "Suspended", "Suspended"
	}
	det["pause_key"] = "1"
	det["run_input_keyset"] = nil
	if !s.NoInput {
		det["run_input_keyset"] = map[string]any{
			"schema": prefix + "-1-schema", "description": prefix + "-1-description", "response": prefix + "-1-response",
		}
	}
	b, _ := json.Marshal(doc)
	var r apiclient.Run
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

type resumeCall struct {
	ID    string
	Input json.RawMessage
}

type cancelCall struct{ ID, Reason string }

// fakeAPI is an in-memory Prefect server.
type fakeAPI struct {
	mu        sync.Mutex
	runs      []apiclient.Run
	listErr   error
	inputs    map[string]*apiclient.InputRequest // by run id
	responses map[string][]apiclient.Response
	getRun    map[string]*apiclient.Run // runs that left the list

	resumeResult func(id string, input json.RawMessage) (*apiclient.ActionResult, error)
	cancelResult func(id, reason string) (*apiclient.ActionResult, error)
	resumes      []resumeCall
	cancels      []cancelCall
}

func newFake() *fakeAPI {
	return &fakeAPI{
		inputs:    map[string]*apiclient.InputRequest{},
		responses: map[string][]apiclient.Response{},
		getRun:    map[string]*apiclient.Run{},
	}
}

func (f *fakeAPI) ListPaused(context.Context, apiclient.ListOptions) ([]apiclient.Run, apiclient.ListStats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listErr != nil {
		return nil, apiclient.ListStats{}, f.listErr
	}
	return append([]apiclient.Run(nil), f.runs...), apiclient.ListStats{Requests: 1, Pages: 1}, nil
}

func (f *fakeAPI) GetRun(_ context.Context, id string) (*apiclient.Run, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.getRun[id]; ok {
		cp := *r
		return &cp, nil
	}
	for _, r := range f.runs {
		if r.ID == id {
			return &r, nil
		}
	}
	return nil, &apiclient.Error{Op: "get run", StatusCode: 404, Kind: apiclient.ErrNotFound}
}

func (f *fakeAPI) InputRequest(_ context.Context, r *apiclient.Run) (*apiclient.InputRequest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if req, ok := f.inputs[r.ID]; ok {
		cp := *req
		return &cp, nil
	}
	return nil, &apiclient.Error{Op: "input request", StatusCode: 404, Kind: apiclient.ErrNotFound}
}

func (f *fakeAPI) Resume(_ context.Context, runID string, input json.RawMessage) (*apiclient.ActionResult, error) {
	f.mu.Lock()
	f.resumes = append(f.resumes, resumeCall{runID, append(json.RawMessage(nil), input...)})
	fn := f.resumeResult
	f.mu.Unlock()
	if fn == nil {
		fn = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
			return &apiclient.ActionResult{Outcome: apiclient.OutcomeResumed, State: &apiclient.State{Type: "RUNNING", Name: "Running", Timestamp: testNow}}, nil
		}
	}
	res, err := fn(runID, input)
	f.settle(runID, res)
	return res, err
}

func (f *fakeAPI) Cancel(_ context.Context, runID, reason string) (*apiclient.ActionResult, error) {
	f.mu.Lock()
	f.cancels = append(f.cancels, cancelCall{runID, reason})
	fn := f.cancelResult
	f.mu.Unlock()
	if fn == nil {
		fn = func(string, string) (*apiclient.ActionResult, error) {
			return &apiclient.ActionResult{Outcome: apiclient.OutcomeCancelled, State: &apiclient.State{Type: "CANCELLED", Name: "Cancelled", Timestamp: testNow}}, nil
		}
	}
	res, err := fn(runID, reason)
	f.settle(runID, res)
	return res, err
}

// settle applies an accepted action like the server: the run leaves the
// paused list and GetRun shows its new state.
func (f *fakeAPI) settle(runID string, res *apiclient.ActionResult) {
	if res == nil || res.State == nil || res.State.Type == "PAUSED" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.runs {
		if r.ID == runID {
			r.State = res.State
			f.getRun[runID] = &r
			f.runs = append(f.runs[:i:i], f.runs[i+1:]...)
			return
		}
	}
}

func (f *fakeAPI) Responses(_ context.Context, runID string) ([]apiclient.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.responses[runID], nil
}

func (f *fakeAPI) RunURL(runID string) string {
	return "http://127.0.0.1:4200/runs/flow-run/" + runID
}

func (f *fakeAPI) resumeCalls() []resumeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]resumeCall(nil), f.resumes...)
}

func (f *fakeAPI) cancelCalls() []cancelCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]cancelCall(nil), f.cancels...)
}

func readSchema(t testing.TB, name string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return json.RawMessage(strings.TrimSpace(string(b)))
}

const strSchema = `{"additionalProperties":false,"properties":{"value":{"title":"Value","type":"string"}},"required":["value"],"title":"strAutomaticRunInput","type":"object"}`

const deployDescription = "# Deploy approval\n\nRelease **v2.3.1** is ready to go to `production`.\n\n## Changes\n- Faster checkout\n- Fix for `ORDER-1234`\n"

// fixture: four runs covering paused/suspended, input/no input, deadlines
// soon, later, none and passed.
func fixture(t testing.TB) *fakeAPI {
	api := newFake()
	api.runs = []apiclient.Run{
		mkRun(t, runSpec{ID: "r-shirt", Name: "shirt-1", Flow: "unpause-shirt-order", PausedAgo: 20 * time.Minute, ExpiresIn: in(45 * time.Minute), Tags: []string{"shop"}}),
		mkRun(t, runSpec{ID: "r-deploy", Name: "deploy-42", Flow: "deploy", Deployment: "prod", PausedAgo: 2 * time.Hour, ExpiresIn: in(5 * time.Minute), Tags: []string{"ops", "prod"}, Pool: "k8s"}),
		mkRun(t, runSpec{ID: "r-nightly", Name: "nightly-etl", Flow: "etl", PausedAgo: 26 * time.Hour, Suspended: true, NoInput: true}),
		mkRun(t, runSpec{ID: "r-report", Name: "weekly-report", Flow: "report", PausedAgo: 70 * time.Minute, ExpiresIn: in(-2 * time.Minute)}),
	}
	api.inputs["r-shirt"] = &apiclient.InputRequest{Schema: readSchema(t, "shirt_schema.json"), Description: "Pick a **size** and a **colour** for your shirt."}
	api.inputs["r-deploy"] = &apiclient.InputRequest{Schema: readSchema(t, "approval_schema.json"), Description: deployDescription}
	api.inputs["r-report"] = &apiclient.InputRequest{Schema: json.RawMessage(strSchema)}
	api.responses["r-deploy"] = []apiclient.Response{
		{Key: "paused-0-response", Created: testNow.Add(-3 * time.Hour), Value: json.RawMessage(`{"approve":false,"reviewer":"bo"}`)},
	}
	return api
}

var errConn = &apiclient.Error{
	Op: "list paused runs", Method: "POST", URL: "http://127.0.0.1:4200/api/flow_runs/filter",
	Kind: apiclient.ErrConnection, Err: errors.New("dial tcp 127.0.0.1:4200: connect: connection refused"),
}

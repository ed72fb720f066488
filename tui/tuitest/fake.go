package tuitest

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/unpause-dev/unpause/apiclient"
)

// ResumeCall is one Resume the fake received.
type ResumeCall struct {
	ID    string
	Input json.RawMessage
}

// CancelCall is one Cancel the fake received.
type CancelCall struct{ ID, Reason string }

// FakeAPI is an in-memory Prefect server with the methods both front ends
// call. Tests set its state directly, holding Mu when the front end may be
// running.
type FakeAPI struct {
	Mu             sync.Mutex
	Runs           []apiclient.Run // the paused list
	ListErr        error
	ListCalls      int
	Inputs         map[string]*apiclient.InputRequest // by run id
	InputErr       error
	InputCalls     int
	ResponsesByRun map[string][]apiclient.Response
	LogsByRun      map[string][]apiclient.LogLine
	LogCalls       int
	GetRunByID     map[string]*apiclient.Run // overrides for GetRun; settled runs land here

	// ResumeResult and CancelResult answer Resume and Cancel; nil: the
	// action is accepted.
	ResumeResult func(id string, input json.RawMessage) (*apiclient.ActionResult, error)
	CancelResult func(id, reason string) (*apiclient.ActionResult, error)
	Resumes      []ResumeCall
	Cancels      []CancelCall
}

// NewFake returns an empty server.
func NewFake() *FakeAPI {
	return &FakeAPI{
		Inputs:         map[string]*apiclient.InputRequest{},
		ResponsesByRun: map[string][]apiclient.Response{},
		LogsByRun:      map[string][]apiclient.LogLine{},
		GetRunByID:     map[string]*apiclient.Run{},
	}
}

// SetRuns replaces the paused list.
func (f *FakeAPI) SetRuns(rs ...apiclient.Run) {
	f.Mu.Lock()
	f.Runs = rs
	f.Mu.Unlock()
}

func (f *FakeAPI) ListPaused(context.Context, apiclient.ListOptions) ([]apiclient.Run, apiclient.ListStats, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.ListCalls++
	if f.ListErr != nil {
		return nil, apiclient.ListStats{}, f.ListErr
	}
	return append([]apiclient.Run(nil), f.Runs...), apiclient.ListStats{Requests: 1, Pages: 1}, nil
}

func (f *FakeAPI) GetRun(_ context.Context, id string) (*apiclient.Run, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if r, ok := f.GetRunByID[id]; ok {
		cp := *r
		return &cp, nil
	}
	for _, r := range f.Runs {
		if r.ID == id {
			return &r, nil
		}
	}
	return nil, &apiclient.Error{Op: "get run", StatusCode: 404, Kind: apiclient.ErrNotFound}
}

func (f *FakeAPI) InputRequest(_ context.Context, r *apiclient.Run) (*apiclient.InputRequest, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.InputCalls++
	if f.InputErr != nil {
		return nil, f.InputErr
	}
	if req, ok := f.Inputs[r.ID]; ok {
		cp := *req
		return &cp, nil
	}
	return nil, &apiclient.Error{Op: "input request", StatusCode: 404, Kind: apiclient.ErrNotFound}
}

func (f *FakeAPI) Resume(_ context.Context, runID string, input json.RawMessage) (*apiclient.ActionResult, error) {
	f.Mu.Lock()
	f.Resumes = append(f.Resumes, ResumeCall{runID, append(json.RawMessage(nil), input...)})
	fn := f.ResumeResult
	f.Mu.Unlock()
	var res *apiclient.ActionResult
	var err error
	if fn == nil {
		res = &apiclient.ActionResult{Outcome: apiclient.OutcomeResumed, State: &apiclient.State{Type: "RUNNING", Name: "Running", Timestamp: Now}}
	} else {
		res, err = fn(runID, input)
	}
	if err == nil && res != nil && res.Outcome == apiclient.OutcomeResumed && len(input) > 0 {
		f.recordAnswer(runID, input)
	}
	f.settle(runID, res)
	return res, err
}

// recordAnswer keeps an accepted answer as the server does: under the
// response key of the pause it answered (src/prefect/server/api/flow_runs.py
// resume_flow_run).
func (f *FakeAPI) recordAnswer(runID string, input json.RawMessage) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	for _, r := range f.Runs {
		if r.ID == runID && r.State != nil && r.State.Details.RunInputKeyset != nil {
			f.ResponsesByRun[runID] = append(f.ResponsesByRun[runID], apiclient.Response{
				Key: r.State.Details.RunInputKeyset.Response, Created: Now, Value: append(json.RawMessage(nil), input...),
			})
		}
	}
}

// settle applies an accepted action like the server: the run leaves the
// paused list and GetRun shows its new state.
func (f *FakeAPI) settle(runID string, res *apiclient.ActionResult) {
	if res == nil || res.State == nil || res.State.Type == "PAUSED" {
		return
	}
	f.Mu.Lock()
	defer f.Mu.Unlock()
	for i, r := range f.Runs {
		if r.ID == runID {
			r.State = res.State
			f.GetRunByID[runID] = &r
			f.Runs = append(f.Runs[:i:i], f.Runs[i+1:]...)
			return
		}
	}
}

func (f *FakeAPI) Cancel(_ context.Context, runID, reason string) (*apiclient.ActionResult, error) {
	f.Mu.Lock()
	f.Cancels = append(f.Cancels, CancelCall{runID, reason})
	fn := f.CancelResult
	f.Mu.Unlock()
	var res *apiclient.ActionResult
	var err error
	if fn == nil {
		res = &apiclient.ActionResult{Outcome: apiclient.OutcomeCancelled, State: &apiclient.State{Type: "CANCELLED", Name: "Cancelled", Timestamp: Now}}
	} else {
		res, err = fn(runID, reason)
	}
	f.settle(runID, res)
	return res, err
}

func (f *FakeAPI) Responses(_ context.Context, runID string) ([]apiclient.Response, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return f.ResponsesByRun[runID], nil
}

func (f *FakeAPI) Logs(_ context.Context, runID string, _ int) ([]apiclient.LogLine, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.LogCalls++
	return f.LogsByRun[runID], nil
}

func (f *FakeAPI) RunURL(runID string) string {
	return "http://127.0.0.1:4200/runs/flow-run/" + runID
}

// ResumeCalls returns the Resumes received so far.
func (f *FakeAPI) ResumeCalls() []ResumeCall {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return append([]ResumeCall(nil), f.Resumes...)
}

// CancelCalls returns the Cancels received so far.
func (f *FakeAPI) CancelCalls() []CancelCall {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return append([]CancelCall(nil), f.Cancels...)
}

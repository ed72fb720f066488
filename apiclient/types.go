package apiclient

import (
	"encoding/json"
	"time"
)

// Wire types: the subset of Prefect's REST models that unpause reads.
// Unknown fields are ignored because the server adds fields over time.

// StateDetails is state.state_details of a flow run state.
type StateDetails struct {
	FlowRunID       string     `json:"flow_run_id,omitempty"`
	PauseTimeout    *time.Time `json:"pause_timeout"`    // absolute expiry; nil means none
	PauseReschedule bool       `json:"pause_reschedule"` // true: suspended (process exited)
	PauseKey        string     `json:"pause_key,omitempty"`
	RunInputKeyset  *Keyset    `json:"run_input_keyset"` // nil: the run asks for no input
	ScheduledTime   *time.Time `json:"scheduled_time"`
}

// Keyset names the run-input keys of one pause. Always use it as given;
// never rebuild keys from the state name.
type Keyset struct {
	Schema      string `json:"schema"`
	Description string `json:"description"`
	Response    string `json:"response"`
}

// State is a flow run state.
type State struct {
	ID        string       `json:"id"`
	Type      string       `json:"type"` // PAUSED, RUNNING, SCHEDULED, FAILED, CANCELLED, ...
	Name      string       `json:"name"` // for display only
	Timestamp time.Time    `json:"timestamp"`
	Message   string       `json:"message,omitempty"`
	Details   StateDetails `json:"state_details"`
}

// FlowRun is a FlowRunResponse as the server sends it.
type FlowRun struct {
	ID                string          `json:"id"`
	Name              string          `json:"name"`
	FlowID            string          `json:"flow_id"`
	DeploymentID      string          `json:"deployment_id,omitempty"`
	WorkPoolName      string          `json:"work_pool_name,omitempty"`
	WorkQueueName     string          `json:"work_queue_name,omitempty"`
	StateType         string          `json:"state_type,omitempty"`
	StateName         string          `json:"state_name,omitempty"`
	State             *State          `json:"state"`
	Tags              []string        `json:"tags"`
	Parameters        json.RawMessage `json:"parameters,omitempty"` // kept raw: key order matters for display
	Created           time.Time       `json:"created"`
	StartTime         *time.Time      `json:"start_time"`
	ExpectedStartTime *time.Time      `json:"expected_start_time"`
	ParentTaskRunID   string          `json:"parent_task_run_id,omitempty"`
}

// Run is a paused or suspended flow run with the names an operator reads,
// resolved from batched flow and deployment look-ups.
type Run struct {
	FlowRun
	FlowName       string `json:"flow_name"`
	DeploymentName string `json:"deployment_name,omitempty"`
	// SameName (ResolveRun by name) is how many other runs, not paused, share
	// the name of this paused one.
	SameName int `json:"-"`
}

// Suspended reports whether the run was suspended (its process exited and a
// worker re-runs it on resume) rather than paused in a live process.
func (r *Run) Suspended() bool { return r.State != nil && r.State.Details.PauseReschedule }

// Paused reports whether the run is in a PAUSED-type state (paused or suspended).
func (r *Run) Paused() bool { return r.State != nil && r.State.Type == "PAUSED" }

// NeedsInput reports whether the pause asks for input.
func (r *Run) NeedsInput() bool {
	return r.State != nil && r.State.Details.RunInputKeyset != nil && r.State.Details.RunInputKeyset.Schema != ""
}

// PausedSince is when the run entered its current state.
func (r *Run) PausedSince() time.Time {
	if r.State == nil {
		return time.Time{}
	}
	return r.State.Timestamp
}

// ExpiresAt is the pause deadline, or nil when the pause never expires.
func (r *Run) ExpiresAt() *time.Time {
	if r.State == nil {
		return nil
	}
	return r.State.Details.PauseTimeout
}

// InputRequest is what a paused run asks for: its JSON Schema (exactly the
// bytes the server stored, so property order survives) and its Markdown
// description ("" when there is none). Neither is sanitised here.
type InputRequest struct {
	Schema      json.RawMessage
	Description string
}

// Response is an answer a run already received (a "*-response" input).
type Response struct {
	Key     string          `json:"key"`
	Created time.Time       `json:"created"`
	Value   json.RawMessage `json:"value"` // decoded once from the double-encoded wire value
	Sender  string          `json:"sender,omitempty"`
	// Schema is what the pause this answers asked with (its "-schema" input,
	// read in the same listing), so that its secret fields can be masked;
	// nil when the run no longer holds it.
	Schema json.RawMessage `json:"-"`
	// AnsweredBy is who gave this answer, from the "<base>-answered-by"
	// record unpause wrote next to it; nil when there is none.
	AnsweredBy *Record `json:"answered_by"`
}

// History is what a run's inputs say of its past.
type History struct {
	Responses []Response // oldest first
	// CancelledBy is who cancelled the run through unpause (its latest
	// "<base>-cancelled-by" record); nil when there is none.
	CancelledBy *Record
}

// LogLine is one line of a flow run's log.
type LogLine struct {
	Timestamp time.Time `json:"timestamp"`
	Level     int       `json:"level"`
	Message   string    `json:"message"`
}

// Orchestration result statuses.
const (
	StatusAccept = "ACCEPT"
	StatusReject = "REJECT"
	StatusAbort  = "ABORT"
	StatusWait   = "WAIT"
)

// OrchestrationResult is the body of /resume and /set_state. HTTP 200 may
// carry a REJECT: always read Status.
type OrchestrationResult struct {
	State   *State `json:"state"`
	Status  string `json:"status"`
	Details struct {
		Type         string `json:"type"`
		Reason       string `json:"reason,omitempty"`
		DelaySeconds *int   `json:"delay_seconds,omitempty"`
	} `json:"details"`
}

// Outcome is what a resume or cancel achieved, decided from the status and
// the resulting state type (src/prefect/server/api/flow_runs.py resume_flow_run,
// src/prefect/server/schemas/responses.py OrchestrationResult).
type Outcome string

const (
	OutcomeResumed   Outcome = "resumed"   // ACCEPT
	OutcomeCancelled Outcome = "cancelled" // the run shows CANCELLED
	// OutcomeCancelling: the run shows CANCELLING, not yet Cancelled (an
	// intermediate step of Cancel, or the end of one that could not finish).
	OutcomeCancelling Outcome = "cancelling"
	OutcomeRejected   Outcome = "rejected"   // REJECT, run still paused: bad input; Reason says why
	OutcomeExpired    Outcome = "expired"    // REJECT into FAILED: the pause timed out
	OutcomeNotPaused  Outcome = "not-paused" // ABORT: it was answered, or the run ended
	// OutcomeAlreadyAnswered: not resumed by this request, but the pause it
	// answered already holds exactly this answer (sent by another request).
	OutcomeAlreadyAnswered Outcome = "already-answered"
	OutcomeWait            Outcome = "wait" // WAIT: try again after Delay
)

// ActionResult is the typed result of Resume or Cancel.
type ActionResult struct {
	Outcome Outcome
	Reason  string        // the server's reason, verbatim (unsanitised)
	State   *State        // the run's state after the call, when known
	Delay   time.Duration // for OutcomeWait
	// Verified is true when the outcome was learnt by re-reading the run after
	// an ambiguous transport failure rather than from the response itself.
	Verified bool
	// Process and WaitsUntil (cancel only): what became of the flow's process,
	// and until when it keeps waiting when nothing could stop it.
	Process    ProcessFate
	WaitsUntil *time.Time
	// RunName is the run's name as read before the action.
	RunName string
	// Recorded is true when the answered-by (resume) or cancelled-by (cancel)
	// record was written on the run; RecordErr says why it could not be. A
	// record is written only for a confirmed outcome by a client with an
	// identity, and never changes the outcome.
	Recorded  bool
	RecordErr error
	// AuditErr is set by a caller that keeps a local audit log of actions
	// (commands/cmdutil) when it could not add this one; the action stands.
	AuditErr error
}

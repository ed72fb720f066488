package apiclient

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// How a paused run can be ended with the operator's reason kept depends on
// how it waits (src/prefect/server/orchestration/core_policy.py,
// src/prefect/runner/_cancel_finalizer.py, src/prefect/flow_runs.py
// pause_flow_run):
//   - suspended (pause_reschedule): no process is left, and CANCELLING is
//     turned into Cancelled with no message (BypassCancellingFlowRunsWithNoInfra),
//     so CANCELLED is sent with the reason at once;
//   - a blocking pause in a deployment: CANCELLING makes the runner that
//     supervises the process stop it, and the runner then writes its own
//     Cancelled message, so CANCELLED with the reason is asserted again;
//   - a blocking pause started by hand: nothing watches for CANCELLING and no
//     API call ends pause_flow_run. CANCELLING then CANCELLED keeps the
//     reason, but the process waits on until its pause timeout and then
//     marks the run Failed.
//
// CANCELLING is always sent with force false first where a process may run:
// it is the only request Prefect refuses (ABORT) on a run that has finished,
// where CANCELLED or force would overwrite a Completed run.

// ProcessFate says what became of the flow's process after a cancel.
type ProcessFate string

// The fates of a cancelled run's process.
const (
	// ProcessNone: the run was suspended; its process had already exited.
	ProcessNone ProcessFate = "none"
	// ProcessStopped: the runner that supervises it stopped it.
	ProcessStopped ProcessFate = "stopped"
	// ProcessWaiting: nothing stopped it; it stays blocked in pause_flow_run
	// until the pause times out (ActionResult.WaitsUntil, nil for never) and
	// then marks the run Failed.
	ProcessWaiting ProcessFate = "waiting"
)

const (
	// defaultCancelSettle is how long a cancel waits for a runner to stop a
	// deployment's process: Prefect's Runner takes about 3 s.
	defaultCancelSettle = 30 * time.Second
	cancelPoll          = 500 * time.Millisecond
)

// Cancel ends a paused run so that its final state is Cancelled with reason
// as its message wherever Prefect allows it (see above). The outcome is
// OutcomeCancelled only once the server shows CANCELLED; Process and
// WaitsUntil say whether the flow's process is still waiting.
func (c *Client) Cancel(ctx context.Context, runID, reason string) (*ActionResult, error) {
	const op = "cancel run"
	before, notPaused, err := c.pausedRun(ctx, op, runID)
	if err != nil || notPaused != nil {
		return notPaused, err
	}
	res, err := c.cancelPaused(ctx, op, before, reason)
	if err == nil {
		c.stamp(ctx, actionCancel, before, res)
	}
	return res, err
}

// cancelPaused ends the run read paused as before (see Cancel).
func (c *Client) cancelPaused(ctx context.Context, op string, before *FlowRun, reason string) (*ActionResult, error) {
	runID := before.ID
	if before.State.Details.PauseReschedule {
		return c.markCancelled(ctx, op, before, before, reason, ProcessNone)
	}
	res, err := c.setState(ctx, op, before, "CANCELLING", reason, false)
	if err == nil && res.Outcome == OutcomeRejected && res.State != nil && res.State.Type == "PAUSED" {
		// Prefect 2.x (and 3.x before 3.1) refuse PAUSED -> CANCELLING without
		// force (src/prefect/server/orchestration/core_policy.py there has no
		// rule for it); Prefect's own UI forces it. The run was read PAUSED
		// just now, so force cannot overwrite a finished run but in that
		// instant.
		res, err = c.setState(ctx, op, before, "CANCELLING", reason, true)
	}
	if err != nil || res.State == nil {
		return res, err
	}
	switch res.State.Type {
	case "CANCELLING":
	case "CANCELLED":
		// Turned into Cancelled with no message: the run was in fact
		// suspended or rescheduled, so no process is left to stop.
		return c.reassert(ctx, op, before, res, reason, ProcessNone)
	default:
		return res, nil // ABORT (it finished meanwhile) or REJECT into FAILED (expired)
	}
	if before.DeploymentID == "" {
		return c.reassert(ctx, op, before, res, reason, ProcessWaiting)
	}
	settled, err := c.awaitRunner(ctx, op, runID)
	if err != nil {
		return nil, err
	}
	if settled == nil {
		return c.reassert(ctx, op, before, res, reason, ProcessWaiting)
	}
	if settled.State.Type != "CANCELLED" {
		// Something else ended the run (a crash, or a forced write).
		return &ActionResult{Outcome: OutcomeNotPaused, State: settled.State, Reason: notPausedReason(settled.State)}, nil
	}
	return c.reassert(ctx, op, before, &ActionResult{Outcome: OutcomeCancelled, State: settled.State}, reason, ProcessStopped)
}

// awaitRunner polls the run until it leaves CANCELLING, for at most the
// settle time. It returns nil when it is still CANCELLING then: nothing
// supervises its process.
func (c *Client) awaitRunner(ctx context.Context, op, runID string) (*FlowRun, error) {
	// Counted in polls, not read from the clock, so tests that skip the
	// sleeps still end.
	for polls := int(c.cancelSettle / cancelPoll); polls > 0; polls-- {
		if err := c.sleep(ctx, cancelPoll); err != nil {
			return nil, interrupted(ctx, op, actionCancel, err)
		}
		fr, err := c.getFlowRun(ctx, op, runID)
		if err != nil {
			continue // a read that failed is tried again until the deadline
		}
		if fr.State != nil && fr.State.Type != "CANCELLING" {
			return fr, nil
		}
	}
	return nil, nil
}

// reassert writes CANCELLED with the reason unless the run already shows
// exactly that, and records what became of the process.
func (c *Client) reassert(ctx context.Context, op string, before *FlowRun, cur *ActionResult, reason string, fate ProcessFate) (*ActionResult, error) {
	if cur.State != nil && cur.State.Type == "CANCELLED" && cur.State.Message == reason {
		cur.Outcome = OutcomeCancelled
		return withFate(cur, before, fate), nil
	}
	now := *before
	now.State = cur.State
	return c.markCancelled(ctx, op, &now, before, reason, fate)
}

// markCancelled sends CANCELLED with the reason (force false) to the run as
// it is now (cur); paused is the run as it was while paused.
func (c *Client) markCancelled(ctx context.Context, op string, cur, paused *FlowRun, reason string, fate ProcessFate) (*ActionResult, error) {
	res, err := c.setState(ctx, op, cur, "CANCELLED", reason, false)
	if err != nil {
		return res, err
	}
	if res.Outcome == OutcomeCancelled {
		return withFate(res, paused, fate), nil
	}
	return res, nil
}

// withFate records the process's fate; the deadline comes from the pause,
// which the run no longer shows once it is cancelled.
func withFate(res *ActionResult, paused *FlowRun, fate ProcessFate) *ActionResult {
	res.Process = fate
	if fate == ProcessWaiting && paused.State != nil {
		res.WaitsUntil = paused.State.Details.PauseTimeout
	}
	return res
}

// setState proposes one state and reads the answer. After
// a failure whose effect is unknown it reads the run back (verify) and only
// sends again when the server answered 503/429 and the run is unchanged.
func (c *Client) setState(ctx context.Context, op string, cur *FlowRun, typ, reason string, force bool) (*ActionResult, error) {
	type stateCreate struct {
		Type    string `json:"type"`
		Name    string `json:"name"`
		Message string `json:"message,omitempty"`
	}
	name := map[string]string{"CANCELLING": "Cancelling", "CANCELLED": "Cancelled"}[typ]
	body := struct {
		State stateCreate `json:"state"`
		Force bool        `json:"force"`
	}{State: stateCreate{Type: typ, Name: name, Message: reason}, Force: force}
	path := "/flow_runs/" + url.PathEscape(cur.ID) + "/set_state"
	for attempt := 0; ; attempt++ {
		resp, err := c.do(ctx, request{op: op, method: http.MethodPost, path: path, body: body})
		if err == nil {
			res, err := c.interpret(ctx, op, actionCancel, cur.ID, path, resp)
			if err == nil {
				res.Outcome = cancelOutcome(res)
			}
			return res, err
		}
		if !isAmbiguous(ctx, err) {
			return nil, interrupted(ctx, op, actionCancel, err)
		}
		res, verr := c.verify(ctx, op, actionCancel, cur, nil, err)
		if !c.sendAgain(ctx, attempt, err, verr) {
			if res != nil {
				res.Outcome = cancelOutcome(res)
			}
			return res, verr
		}
	}
}

// cancelOutcome: a cancel is done only once the run shows CANCELLED; a run
// left CANCELLING is on its way, and says so.
func cancelOutcome(res *ActionResult) Outcome {
	if res.Outcome != OutcomeCancelled || res.State == nil {
		return res.Outcome
	}
	if res.State.Type == "CANCELLING" {
		return OutcomeCancelling
	}
	return OutcomeCancelled
}

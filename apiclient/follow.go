package apiclient

import (
	"context"
	"time"
)

// AfterResumeKind is where a resumed run went.
type AfterResumeKind string

// Where a resumed run can go.
const (
	// AfterPausedAgain: a new pause. The flow refused the answer (a
	// model_validator raised and the flow called pause_flow_run again, as in
	// Prefect's docs) or asks for more.
	AfterPausedAgain AfterResumeKind = "paused-again"
	AfterCompleted   AfterResumeKind = "completed"
	AfterFailed      AfterResumeKind = "failed"    // FAILED or CRASHED
	AfterCancelled   AfterResumeKind = "cancelled" // CANCELLING or CANCELLED
	// AfterRunning: still on its way (running, scheduled, pending) when the
	// wait ended; it had not paused again.
	AfterRunning AfterResumeKind = "running"
)

// AfterResume is what FollowResume saw.
type AfterResume struct {
	Kind  AfterResumeKind
	State *State
	// Refusal, for AfterPausedAgain: the flow's last error log line written
	// since the pause began, verbatim (unsanitised); "" when it logged none.
	Refusal string
}

const (
	followPoll = time.Second
	// Prefect's API log handler sends logs in batches every 2 s
	// (PREFECT_LOGGING_TO_API_BATCH_INTERVAL), so a refusal logged just
	// before the new pause can arrive after it: read the logs a few times.
	refusalReads = 4
	refusalDelay = 2 * time.Second
	// logError is Python's logging.ERROR: a flow that refuses an answer logs
	// it as an error (Prefect's docs: logger.error, then pause_flow_run
	// again). Warnings are not taken for refusals: flows often warn just
	// before they pause ("Waiting for approval").
	logError = 40
)

// LastRefusal is the newest ERROR log line stamped from from to until (no
// upper bound when until is zero): what a flow that refused an answer logged
// before it paused again. ok is false when there is none.
func LastRefusal(lines []LogLine, from, until time.Time) (message string, ok bool) {
	var at time.Time
	for _, l := range lines {
		if l.Level < logError || l.Timestamp.Before(from) || (!until.IsZero() && l.Timestamp.After(until)) {
			continue
		}
		if !ok || !l.Timestamp.Before(at) {
			message, at, ok = l.Message, l.Timestamp, true
		}
	}
	return message, ok
}

// AfterResumeKindOf decides where a run resumed from the pause whose state
// id is pausedStateID has gone, from its state now; false while it is still
// on its way.
func AfterResumeKindOf(s *State, pausedStateID string) (AfterResumeKind, bool) {
	if s == nil {
		return "", false
	}
	switch s.Type {
	case "PAUSED":
		return AfterPausedAgain, s.ID != pausedStateID
	case "COMPLETED":
		return AfterCompleted, true
	case "FAILED", "CRASHED":
		return AfterFailed, true
	case "CANCELLED", "CANCELLING":
		return AfterCancelled, true
	}
	return AfterRunning, false
}

// FollowResume polls a resumed run for at most wait, until it is past the
// pause it was resumed from (pausedStateID): finished, or paused again. since
// is when the resume took effect by the server's clock (the resumed state's
// timestamp): log lines from before it are not the flow's answer to it.
func (c *Client) FollowResume(ctx context.Context, runID, pausedStateID string, since time.Time, wait time.Duration) (*AfterResume, error) {
	const op = "follow resumed run"
	var last *State
	for polls := max(int(wait/followPoll), 1); polls > 0; polls-- {
		fr, err := c.getFlowRun(ctx, op, runID)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
		} else {
			last = fr.State
			if kind, done := AfterResumeKindOf(fr.State, pausedStateID); done {
				after := &AfterResume{Kind: kind, State: fr.State}
				if kind == AfterPausedAgain {
					after.Refusal = c.refusal(ctx, runID, since)
				}
				return after, nil
			}
		}
		if polls > 1 {
			if err := c.sleep(ctx, followPoll); err != nil {
				return nil, err
			}
		}
	}
	return &AfterResume{Kind: AfterRunning, State: last}, nil
}

// refusal is the flow's last error log line since the pause began;
// "" when none arrives within a few log batches or the logs cannot be read.
func (c *Client) refusal(ctx context.Context, runID string, since time.Time) string {
	for read := 0; read < refusalReads; read++ {
		if read > 0 && c.sleep(ctx, refusalDelay) != nil {
			return ""
		}
		lines, err := c.Logs(ctx, runID, 50)
		if err != nil {
			continue
		}
		if msg, ok := LastRefusal(lines, since, time.Time{}); ok {
			return msg
		}
	}
	return ""
}

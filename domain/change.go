package domain

import (
	"strings"

	"github.com/unpause-dev/unpause/apiclient"
)

// ChangeKind is what happened to a waiting run, as `watch` reports it and
// the inbox reacts to it. The strings are stable (watch --output json).
type ChangeKind string

// The changes a waiting run goes through.
const (
	ChangeWaiting    ChangeKind = "waiting"    // a new pause: the run started waiting
	ChangeResumed    ChangeKind = "resumed"    // it left the pause to run again
	ChangeCancelling ChangeKind = "cancelling" // asked to cancel; not cancelled yet
	ChangeCancelled  ChangeKind = "cancelled"
	ChangeExpired    ChangeKind = "expired" // the pause timed out unanswered
	ChangeEnded      ChangeKind = "ended"   // failed or crashed, not by the pause expiring
	ChangeDeleted    ChangeKind = "deleted" // the run is gone from the server
)

// pauseExpiredText is in the message of both writers of an expired pause:
// the server's pause-expiration service ("The flow was paused and never
// resumed.", src/prefect/server/services/pause_expirations.py) and the
// blocking pause's own FlowPauseTimeout ("Flow run was paused and never
// resumed.", src/prefect/flow_runs.py).
const pauseExpiredText = "paused and never resumed"

// LeftPause says what became of a run that was waiting, from the state the
// server now reports (nil: the run no longer exists). It is only asked of
// runs that are no longer in the pause they were seen in.
func LeftPause(after *apiclient.FlowRun) ChangeKind {
	if after == nil || after.State == nil {
		return ChangeDeleted
	}
	switch after.State.Type {
	case "PAUSED":
		return ChangeWaiting // paused again: a new pause
	case "RUNNING", "SCHEDULED", "PENDING", "COMPLETED":
		// Completed: the run was resumed and finished before it was read
		// again (only a forced state skips the resume, which orchestration
		// allows no one else).
		return ChangeResumed
	case "CANCELLING":
		return ChangeCancelling
	case "CANCELLED":
		return ChangeCancelled
	case "FAILED":
		if strings.Contains(after.State.Message, pauseExpiredText) {
			return ChangeExpired
		}
	}
	return ChangeEnded
}

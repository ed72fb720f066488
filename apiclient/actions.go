package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"
)

type action int

const (
	actionResume action = iota
	actionCancel
)

func (a action) String() string {
	if a == actionCancel {
		return "cancel"
	}
	return "resume"
}

// Verification after an ambiguous failure: reads spaced out so that a
// request the server was still processing has time to land. When the server
// answered (a 5xx, 429 or a body that is not Prefect's), the request is over
// and a few reads settle it; when no answer came (a timeout, a connection cut
// after sending, a gateway that gave up), it may still be queued at the
// server, so reads go on for longer (unknownWait) before the outcome is said
// to be unknown.
const (
	verifyRounds = 3
	verifyDelay  = time.Second
	unknownWait  = 15 * time.Second
	// rolledBackRetries bounds how often a resume or cancel is sent again
	// after the server answered 503/429 and the run read back unchanged:
	// with the backoff (0.5 s doubling to 10 s), about 45 s. Twenty
	// operators resuming at once on a busy SQLite server were still refused
	// after the 25 s of six.
	rolledBackRetries = 8
)

// Resume answers a paused run. input is the run_input object; nil sends no
// input. It never retries the POST: after a failure whose effect is unknown
// it reads the run back and reports what happened (Verified), or returns an
// *Error saying whether it is safe to try again. A REJECT (bad input, expired
// pause) is a result, not an error: check Outcome.
func (c *Client) Resume(ctx context.Context, runID string, input json.RawMessage) (*ActionResult, error) {
	const op = "resume run"
	var body any = struct{}{}
	if input != nil {
		trimmed := bytes.TrimSpace(input)
		if !json.Valid(trimmed) || len(trimmed) == 0 || (trimmed[0] != '{' && string(trimmed) != "null") {
			return nil, &Error{Op: op, Kind: ErrBadRequest, Reason: "run input must be a JSON object"}
		}
		body = map[string]json.RawMessage{"run_input": trimmed}
	}
	// An unknown id makes /resume answer 500, so read the run first.
	before, notPaused, err := c.pausedRun(ctx, op, runID)
	if err != nil || notPaused != nil {
		return notPaused, err
	}
	res, err := c.sendResume(ctx, op, before, body, input)
	if err == nil {
		c.stamp(ctx, actionResume, before, res)
	}
	return res, err
}

// sendResume posts the answer to the run read paused as before and decides
// what came of it.
func (c *Client) sendResume(ctx context.Context, op string, before *FlowRun, body any, input json.RawMessage) (*ActionResult, error) {
	runID := before.ID
	path := "/flow_runs/" + url.PathEscape(runID) + "/resume"
	for attempt := 0; ; attempt++ {
		resp, err := c.do(ctx, request{op: op, method: http.MethodPost, path: path, body: body})
		if err == nil {
			res, ierr := c.interpret(ctx, op, actionResume, runID, path, resp)
			if ierr == nil {
				return c.sameAnswerRecorded(ctx, op, before, input, res), nil
			}
			err = ierr // a body that is not Prefect's answer: read the run back
		}
		var e *Error
		if errors.As(err, &e) && e.StatusCode == http.StatusConflict {
			// Two resumes raced; the other one stored its response first.
			res := &ActionResult{Outcome: OutcomeNotPaused, Reason: "another answer was recorded first: " + e.Reason}
			if fr, gerr := c.getFlowRun(ctx, op, runID); gerr == nil {
				res.State = fr.State
			}
			return c.sameAnswerRecorded(ctx, op, before, input, res), nil
		}
		if !isAmbiguous(ctx, err) {
			return nil, interrupted(ctx, op, actionResume, err)
		}
		res, verr := c.verify(ctx, op, actionResume, before, input, err)
		if !c.sendAgain(ctx, attempt, err, verr) {
			return res, verr
		}
	}
}

// pausedRun is the first step of resume and cancel: the server is one
// unpause supports, and the run is read. A run that is no longer paused gives
// its not-paused result, and nothing is to be sent.
func (c *Client) pausedRun(ctx context.Context, op, runID string) (*FlowRun, *ActionResult, error) {
	if err := c.checkServer(ctx, op); err != nil {
		return nil, nil, err
	}
	before, err := c.getFlowRun(ctx, op, runID)
	if err != nil {
		return nil, nil, err
	}
	if before.State == nil || before.State.Type != "PAUSED" {
		return nil, &ActionResult{Outcome: NotPausedOutcome(before.State), State: before.State, Reason: notPausedReason(before.State)}, nil
	}
	return before, nil, nil
}

// sameAnswerRecorded turns a "not paused any more" answer to a resume into
// OutcomeAlreadyAnswered when the pause it answered holds exactly this
// answer: another request (a second operator, or a retry) recorded the same
// answer first.
func (c *Client) sameAnswerRecorded(ctx context.Context, op string, before *FlowRun, input json.RawMessage, res *ActionResult) *ActionResult {
	if res.Outcome != OutcomeNotPaused || len(input) == 0 || string(bytes.TrimSpace(input)) == "null" || before.State == nil {
		return res
	}
	ks := before.State.Details.RunInputKeyset
	if ks == nil || ks.Response == "" {
		return res
	}
	if got, found, err := c.storedResponse(ctx, before.ID, ks.Response); err == nil && found && sameJSON(got, input) {
		res.Outcome = OutcomeAlreadyAnswered
		res.Reason = "the run already holds this exact answer, recorded by another request"
	}
	return res
}

// sendAgain decides whether a failed resume or cancel is sent once more.
// Only when the server itself answered 503 or 429 (Prefect answers 503 for
// database errors it rolled back, such as SQLite being busy) and the run
// read back unchanged: then nothing took effect, and trying again is not
// blind. Timeouts and dropped connections are never re-sent.
func (c *Client) sendAgain(ctx context.Context, attempt int, cause, verifyErr error) bool {
	var ce, ve *Error
	if attempt >= rolledBackRetries || !errors.As(cause, &ce) || !errors.As(verifyErr, &ve) || !ve.unchanged {
		return false
	}
	if ce.StatusCode != http.StatusServiceUnavailable && ce.StatusCode != http.StatusTooManyRequests {
		return false
	}
	// Jittered exponential backoff: many writers refused together (SQLite's
	// one writer under twenty operators) must not all come back at once.
	return c.sleep(ctx, backoff(attempt)) == nil
}

// NotPausedOutcome, for a run that is no longer paused, tells an expired pause from any other end: Prefect's
// expiry service fails the run with "The flow was paused and never resumed."
func NotPausedOutcome(s *State) Outcome {
	if s != nil && s.Type == "FAILED" && strings.Contains(s.Message, "never resumed") {
		return OutcomeExpired
	}
	return OutcomeNotPaused
}

func notPausedReason(s *State) string {
	if s == nil {
		return "the run has no state; it is not paused"
	}
	return fmt.Sprintf("the run is %s, not paused", stateLabel(s))
}

func stateLabel(s *State) string {
	if s == nil {
		return "unknown"
	}
	if s.Name != "" && !strings.EqualFold(s.Name, s.Type) {
		return fmt.Sprintf("%s (%s)", s.Name, s.Type)
	}
	return s.Type
}

// interrupted rewrites the error of a mutation cut short by the caller's
// context: the request may have reached the server, so say so.
func interrupted(ctx context.Context, op string, act action, err error) error {
	if ctx.Err() == nil {
		return err
	}
	return &Error{
		Op: op, Kind: ErrOther, Err: ctx.Err(),
		Reason: fmt.Sprintf("interrupted (%v); it is unknown whether the %s took effect: check the run before trying again", ctx.Err(), act),
	}
}

// isAmbiguous reports failures after which the server may or may not have
// acted: the request was sent but no answer came back, or a gateway
// answered instead of Prefect.
func isAmbiguous(ctx context.Context, err error) bool {
	var e *Error
	if !errors.As(err, &e) || ctx.Err() != nil {
		return false
	}
	switch {
	case e.StatusCode == 0:
		return e.Kind == ErrConnection && e.sent
	case e.StatusCode >= 500, e.StatusCode == http.StatusTooManyRequests:
		return true
	case e.StatusCode >= 200 && e.StatusCode < 300:
		return true // a 2xx whose body is not Prefect's answer
	}
	return false
}

// noAnswer reports failures after which the request may still be on its
// way or queued at the server: no response at all, or a gateway that gave
// up waiting for Prefect.
func noAnswer(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return true
	}
	return e.StatusCode == 0 || e.StatusCode == http.StatusBadGateway || e.StatusCode == http.StatusGatewayTimeout
}

// interpret maps an OrchestrationResult to an ActionResult
// (src/prefect/server/api/flow_runs.py resume_flow_run and set_flow_run_state).
// HTTP 200 with REJECT is not a success.
func (c *Client) interpret(ctx context.Context, op string, act action, runID, path string, resp *response) (*ActionResult, error) {
	var or OrchestrationResult
	if err := json.Unmarshal(resp.body, &or); err != nil {
		return nil, c.decodeError(op, http.MethodPost, path, resp, err)
	}
	res := &ActionResult{Reason: or.Details.Reason, State: or.State}
	switch strings.ToUpper(or.Status) {
	case StatusAccept:
		res.Outcome = OutcomeResumed
		if act == actionCancel {
			res.Outcome = OutcomeCancelled
		}
	case StatusReject:
		res.Outcome = rejectOutcome(or.State)
	case StatusAbort:
		res.Outcome = OutcomeNotPaused
		// ABORT carries no state: read the run so the caller can show what
		// it became (someone else answered, or it ended).
		if fr, err := c.getFlowRun(ctx, op, runID); err == nil {
			res.State = fr.State
		}
	case StatusWait:
		res.Outcome = OutcomeWait
		if d := or.Details.DelaySeconds; d != nil && *d > 0 {
			res.Delay = time.Duration(*d) * time.Second
		}
	default:
		return nil, &Error{
			Op: op, Method: http.MethodPost, URL: c.display + path, StatusCode: resp.status, Kind: ErrServer,
			Reason: fmt.Sprintf("unexpected orchestration status %q", or.Status), sent: true,
		}
	}
	return res, nil
}

// rejectOutcome decides a REJECT by the state the run was left in.
func rejectOutcome(s *State) Outcome {
	if s == nil {
		return OutcomeRejected
	}
	switch s.Type {
	case "PAUSED":
		return OutcomeRejected
	case "FAILED":
		return OutcomeExpired
	case "CANCELLED", "CANCELLING":
		return OutcomeCancelled
	default:
		return OutcomeNotPaused
	}
}

// verify learns what an ambiguous resume or cancel did by reading the run.
func (c *Client) verify(ctx context.Context, op string, act action, before *FlowRun, input json.RawMessage, cause error) (*ActionResult, error) {
	causeText := failureText(cause)
	rounds := verifyRounds
	if noAnswer(cause) {
		rounds = int(unknownWait/verifyDelay) + 1
	}
	var after *FlowRun
	for round := 0; round < rounds; round++ {
		if round > 0 {
			if err := c.sleep(ctx, verifyDelay); err != nil {
				break
			}
		}
		fr, err := c.getFlowRun(ctx, op, before.ID)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			continue
		}
		after = fr
		if stateChanged(before, after) {
			break
		}
	}
	if after == nil {
		return nil, &Error{
			Op: op, Kind: ErrUnknownOutcome, Err: cause,
			Reason: fmt.Sprintf("it is unknown whether the %s took effect: %s, and the run could not be read back; "+
				"check the run's state before trying again", act, causeText),
		}
	}
	if !stateChanged(before, after) && noAnswer(cause) {
		return nil, &Error{
			Op: op, Kind: ErrUnknownOutcome, Err: cause,
			Reason: fmt.Sprintf("it is unknown whether the %s took effect: %s, and the run still shows %s after %s; "+
				"the request may still land: check the run ('unpause show RUN') before trying again",
				act, causeText, strings.ToLower(stateLabel(before.State)), unknownWait),
		}
	}
	if !stateChanged(before, after) {
		return nil, &Error{
			Op: op, Kind: ErrConnection, Err: cause, unchanged: true,
			Reason: fmt.Sprintf("the %s did NOT take effect: %s, and the run is still %s in the same state; it is safe to retry", act, causeText, strings.ToLower(stateLabel(before.State))),
		}
	}

	res := &ActionResult{
		State: after.State, Verified: true, Outcome: OutcomeNotPaused,
		Reason: fmt.Sprintf("%s; the run now is %s", causeText, stateLabel(after.State)),
	}
	typ := ""
	if after.State != nil {
		typ = after.State.Type
	}
	switch act {
	case actionCancel:
		if typ == "CANCELLING" || typ == "CANCELLED" {
			res.Outcome = OutcomeCancelled
		}
	case actionResume:
		c.resumedOrNot(ctx, before, typ, input, res)
	}
	return res, nil
}

// resumedOrNot decides a resume learnt by reading the run back: resumed when
// the pause holds this answer (or, without one, the run went on), not when it
// holds another answer.
func (c *Client) resumedOrNot(ctx context.Context, before *FlowRun, typ string, input json.RawMessage, res *ActionResult) {
	resumedLooking := typ == "RUNNING" || typ == "SCHEDULED" || typ == "PENDING" || typ == "COMPLETED"
	var ks *Keyset
	if before.State != nil {
		ks = before.State.Details.RunInputKeyset
	}
	if ks != nil && ks.Response != "" {
		if got, found, err := c.storedResponse(ctx, before.ID, ks.Response); err == nil && found {
			if len(input) > 0 && string(bytes.TrimSpace(input)) != "null" && !sameJSON(got, input) {
				res.Reason += "; a different answer was recorded, so someone else resumed it"
				return
			}
			resumedLooking = true
		}
	}
	if resumedLooking {
		res.Outcome = OutcomeResumed
	}
}

// stateChanged reports whether the run left the state it was in before.
func stateChanged(before, after *FlowRun) bool {
	if before.State == nil || after.State == nil {
		return before.State != after.State
	}
	return after.State.Type != before.State.Type || after.State.ID != before.State.ID
}

// storedResponse reads one response input of the run.
func (c *Client) storedResponse(ctx context.Context, runID, key string) (json.RawMessage, bool, error) {
	resp, err := c.do(ctx, request{op: "read run response", method: http.MethodGet, path: inputPath(runID, key), read: true})
	if IsNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return json.RawMessage(bytes.TrimSpace(resp.body)), true, nil
}

func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// failureText says briefly how an exchange failed.
func failureText(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.StatusCode != 0 {
			return fmt.Sprintf("the server answered HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
		}
		if e.Reason != "" {
			return e.Reason
		}
	}
	return "the request failed: " + err.Error()
}

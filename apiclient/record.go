package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// inputKey is the alphabet of flow run input keys: the server validates keys
// (src/prefect/server/schemas/core.py FlowRunInput, validate_name_or_key) and
// answers any other with HTTP 500, so they are refused here first.
var inputKey = regexp.MustCompile(`^[a-z0-9-]+$`)

// Suffixes of the records kept next to a pause's keyset: who resumed or
// cancelled it, written by unpause after the server confirmed the action.
const (
	answeredBySuffix  = "-answered-by"
	cancelledBySuffix = "-cancelled-by"
	// SenderPrefix starts the sender of every record: "unpause:<identity>".
	SenderPrefix = "unpause:"
)

// Record is who resumed or cancelled a pause, as unpause writes it on the run
// (the value of its "<base>-answered-by" or "<base>-cancelled-by" input).
// Read from the API, every field is untrusted.
type Record struct {
	Who            string    `json:"who"`
	When           time.Time `json:"when"`
	Action         string    `json:"action"` // resume or cancel
	UnpauseVersion string    `json:"unpause_version"`
	Host           string    `json:"host"`
	// Sender is the input's sender as the server holds it ("unpause:<who>").
	Sender string `json:"-"`
}

// WriteInput stores one flow run input, as Prefect's client does
// (src/prefect/client/orchestration/_flow_runs/client.py create_flow_run_input;
// src/prefect/server/api/flow_run_input.py): value is JSON text, sent as a
// JSON string holding it. The key is checked locally. The write is sent again
// after a transient failure; a key already written with the same value (HTTP
// 409, the earlier copy landed) counts as done, with another value it is an
// error.
func (c *Client) WriteInput(ctx context.Context, runID, key string, value json.RawMessage, sender string) error {
	const op = "write run input"
	if !isUUID(runID) {
		return &Error{Op: op, Kind: ErrBadRequest, Reason: "not a flow run id (a UUID): " + runID}
	}
	if !inputKey.MatchString(key) {
		return &Error{Op: op, Kind: ErrBadRequest, Reason: fmt.Sprintf("input key %q may hold only a-z, 0-9 and -", key)}
	}
	v := bytes.TrimSpace(value)
	if len(v) == 0 || !json.Valid(v) {
		return &Error{Op: op, Kind: ErrBadRequest, Reason: "input value must be JSON text"}
	}
	var snd any
	if sender != "" {
		snd = sender
	}
	body := map[string]any{"key": key, "value": string(v), "sender": snd}
	path := "/flow_runs/" + url.PathEscape(runID) + "/input"
	// Sent again like a read: a copy that landed is answered 409 and compared.
	_, err := c.do(ctx, request{op: op, method: http.MethodPost, path: path, body: body, read: true})
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusConflict {
		return err
	}
	got, found, rerr := c.storedResponse(ctx, runID, key)
	switch {
	case rerr != nil:
		return rerr
	case found && sameJSON(got, v):
		return nil
	}
	return &Error{
		Op: op, Kind: ErrBadRequest, StatusCode: http.StatusConflict,
		Reason: fmt.Sprintf("the run already holds input %q with another value; it was not overwritten", key),
	}
}

// recordBase is the base key of a pause's records: its keyset's response key
// without "-response", else Prefect's own rule for a pause without a keyset
// (src/prefect/input/run_input.py keyset_from_paused_state:
// f"{state.name.lower()}-{state.state_details.pause_key}"), restricted to the
// key alphabet.
func recordBase(s *State) string {
	if s == nil {
		return ""
	}
	if ks := s.Details.RunInputKeyset; ks != nil {
		if b, ok := strings.CutSuffix(ks.Response, "-response"); ok && inputKey.MatchString(b) {
			return b
		}
	}
	pauseKey := s.Details.PauseKey
	if pauseKey == "" {
		pauseKey = "None" // str(None), as Python formats a missing key
	}
	base := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, strings.ToLower(s.Name+"-"+pauseKey))
	return base
}

// recordKey is the key of the record of act on the pause in state s.
func recordKey(s *State, act action) string {
	if act == actionCancel {
		return recordBase(s) + cancelledBySuffix
	}
	return recordBase(s) + answeredBySuffix
}

// confirmed reports whether res is an outcome the server confirmed for act:
// only those are recorded.
func confirmed(act action, res *ActionResult) bool {
	if res == nil {
		return false
	}
	if act == actionCancel {
		return res.Outcome == OutcomeCancelled || res.Outcome == OutcomeCancelling
	}
	return res.Outcome == OutcomeResumed
}

// stamp writes the record of a confirmed action on the run paused as before,
// when the client acts for an identity. It never changes the outcome: a
// failure is kept in res.RecordErr.
func (c *Client) stamp(ctx context.Context, act action, before *FlowRun, res *ActionResult) {
	if res == nil || before == nil {
		return
	}
	res.RunName = before.Name
	if c.identity == "" || !confirmed(act, res) {
		return
	}
	rec := Record{
		Who: c.identity, When: time.Now().UTC().Truncate(time.Second), Action: act.String(),
		UnpauseVersion: c.version, Host: c.host,
	}
	value, _ := json.Marshal(rec)
	err := c.WriteInput(ctx, before.ID, recordKey(before.State, act), value, SenderPrefix+c.identity)
	if err != nil {
		res.RecordErr = err
		return
	}
	res.Recorded = true
}

// decodeRecord reads a record input (already decoded once by
// decodeInputValue); nil when it is not one.
func decodeRecord(value json.RawMessage, sender string) *Record {
	var rec Record
	if err := json.Unmarshal(value, &rec); err != nil || rec.Who == "" {
		return nil
	}
	rec.Sender = sender
	return &rec
}

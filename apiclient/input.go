package apiclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// schemaRetryDelays spread about 3 s of waiting over the window between a
// run entering PAUSED and its flow saving the schema (src/prefect/flow_runs.py:
// pause_flow_run sets PAUSED first, then saves the schema as run input).
var schemaRetryDelays = []time.Duration{
	200 * time.Millisecond, 300 * time.Millisecond, 500 * time.Millisecond,
	500 * time.Millisecond, 500 * time.Millisecond, 500 * time.Millisecond, 500 * time.Millisecond,
}

func inputPath(runID, key string) string {
	return "/flow_runs/" + url.PathEscape(runID) + "/input/" + url.PathEscape(key)
}

// InputRequest reads what a paused run asks for. A run whose pause wants no
// input gives an InputRequest with a nil Schema.
func (c *Client) InputRequest(ctx context.Context, r *Run) (*InputRequest, error) {
	const op = "read input request"
	if r == nil || r.ID == "" {
		return nil, &Error{Op: op, Kind: ErrBadRequest, Reason: "no run given"}
	}
	if r.State == nil || r.State.Details.RunInputKeyset == nil || r.State.Details.RunInputKeyset.Schema == "" {
		return &InputRequest{}, nil
	}
	ks := r.State.Details.RunInputKeyset

	schemaPath := inputPath(r.ID, ks.Schema)
	var resp *response
	for attempt := 0; ; attempt++ {
		var err error
		resp, err = c.do(ctx, request{op: op, method: http.MethodGet, path: schemaPath, read: true})
		if err == nil {
			break
		}
		// Right after the pause the flow may not have saved the schema yet.
		if !IsNotFound(err) || attempt >= len(schemaRetryDelays) {
			return nil, err
		}
		if serr := c.sleep(ctx, schemaRetryDelays[attempt]); serr != nil {
			return nil, c.ctxError(request{op: op, method: http.MethodGet, path: schemaPath}, serr)
		}
	}
	// The body is the stored JSON text: keep its bytes (property order) as
	// is. Whether it is a schema, or JSON at all, is for the schema parser
	// (forms/inputschema) to say: a flow's odd schema is not a server failure.
	schema := []byte(strings.TrimSpace(string(resp.body)))
	ir := &InputRequest{Schema: json.RawMessage(schema)}

	if ks.Description != "" {
		desc, err := c.description(ctx, op, r, inputPath(r.ID, ks.Description))
		if err != nil {
			return nil, err
		}
		ir.Description = desc
	}
	return ir, nil
}

// recentPause is how long after a pause its description may still be on
// its way: RunInput.save writes the schema, then the description, in two
// requests (src/prefect/input/run_input.py), and the event stream tells of
// the pause before either.
const recentPause = 15 * time.Second

// description reads a pause's description. The key is always in the keyset
// but saved only when there is one, so a 404 means none, unless the pause
// is only seconds old: then the flow may not have saved it yet, and it is
// asked again for about 3 s.
func (c *Client) description(ctx context.Context, op string, r *Run, path string) (string, error) {
	young := r.State != nil && time.Since(r.State.Timestamp) < recentPause
	for attempt := 0; ; attempt++ {
		resp, err := c.do(ctx, request{op: op, method: http.MethodGet, path: path, read: true})
		switch {
		case err == nil:
			return decodeDescription(resp.body), nil
		case !IsNotFound(err):
			return "", err
		case !young || attempt >= len(schemaRetryDelays):
			return "", nil
		}
		if serr := c.sleep(ctx, schemaRetryDelays[attempt]); serr != nil {
			return "", c.ctxError(request{op: op, method: http.MethodGet, path: path}, serr)
		}
	}
}

// decodeDescription decodes the stored JSON string literal once. A body that
// is not a JSON string is shown as it is rather than dropped.
func decodeDescription(body []byte) string {
	var s string
	if err := json.Unmarshal(body, &s); err == nil {
		return s
	}
	t := strings.TrimSpace(string(body))
	if t == "null" {
		return ""
	}
	return t
}

// Responses lists the answers a run already received (its "*-response"
// inputs), oldest first, each with who gave it where unpause recorded that
// (the "*-answered-by" input of the same base).
func (c *Client) Responses(ctx context.Context, runID string) ([]Response, error) {
	h, err := c.History(ctx, runID)
	if err != nil {
		return nil, err
	}
	return h.Responses, nil
}

// History reads what a run's inputs say of its past, in one request: the
// answers it received (as Responses) and who cancelled it through unpause.
func (c *Client) History(ctx context.Context, runID string) (*History, error) {
	const op = "read run responses"
	if !isUUID(runID) {
		return nil, &Error{Op: op, Kind: ErrNotFound, Reason: "not a flow run id (a UUID): " + runID}
	}
	path := "/flow_runs/" + url.PathEscape(runID) + "/input/filter"
	// limit defaults to 1 server-side and has no cap there.
	body := map[string]any{"prefix": "", "limit": 200, "exclude_keys": []string{}}
	resp, err := c.do(ctx, request{op: op, method: http.MethodPost, path: path, body: body, read: true})
	if err != nil {
		return nil, err
	}
	var items []struct {
		Key     string          `json:"key"`
		Value   json.RawMessage `json:"value"`
		Created time.Time       `json:"created"`
		Sender  string          `json:"sender"`
	}
	if err := json.Unmarshal(resp.body, &items); err != nil {
		return nil, c.decodeError(op, http.MethodPost, path, resp, err)
	}
	h := &History{Responses: []Response{}}
	schemas := map[string]json.RawMessage{}
	records := map[string]*Record{}
	for _, it := range items {
		if strings.HasSuffix(it.Key, cancelledBySuffix) {
			h.CancelledBy = latest(h.CancelledBy, decodeRecord(decodeInputValue(it.Value), it.Sender))
		}
		if k, ok := strings.CutSuffix(it.Key, "-schema"); ok {
			schemas[k] = decodeInputValue(it.Value)
		}
		if k, ok := strings.CutSuffix(it.Key, answeredBySuffix); ok {
			records[k] = decodeRecord(decodeInputValue(it.Value), it.Sender)
		}
	}
	for _, it := range items {
		k, ok := strings.CutSuffix(it.Key, "-response")
		if !ok {
			continue
		}
		h.Responses = append(h.Responses, Response{Key: it.Key, Created: it.Created, Value: decodeInputValue(it.Value), Sender: it.Sender, Schema: schemas[k], AnsweredBy: records[k]})
	}
	sort.SliceStable(h.Responses, func(i, j int) bool { return h.Responses[i].Created.Before(h.Responses[j].Created) })
	return h, nil
}

// latest is the later of two records (a run paused several times may hold
// a cancelled-by record of an earlier cancel that did not end it).
func latest(a, b *Record) *Record {
	if a == nil || (b != nil && b.When.After(a.When)) {
		return b
	}
	return a
}

// decodeInputValue undoes the double encoding of /input/filter values: the
// wire value is a JSON string whose content is JSON text.
func decodeInputValue(v json.RawMessage) json.RawMessage {
	var inner string
	if err := json.Unmarshal(v, &inner); err != nil {
		return v // not a string: already plain JSON
	}
	if t := strings.TrimSpace(inner); json.Valid([]byte(t)) {
		return json.RawMessage(t)
	}
	// A string that is not JSON text: keep it as a JSON string.
	b, _ := json.Marshal(inner)
	return b
}

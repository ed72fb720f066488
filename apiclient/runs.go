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
	"slices"
	"strconv"
	"strings"
)

// ListOptions narrows ListPaused.
type ListOptions struct {
	FlowNames      []string // only runs of these flows (server-side)
	Tags           []string // only runs carrying all of these tags (server-side)
	NeedsInputOnly bool     // only pauses that ask for input (client-side)
}

// ListStats says what a ListPaused call cost.
type ListStats struct {
	Requests int // HTTP requests sent, retries and the CSRF token fetch included
	Pages    int // pages of /flow_runs/filter read
}

// ---- filter bodies: filter models are extra="forbid", so unused keys are omitted ----

type anyFilter struct {
	Any []string `json:"any_"`
}

type allFilter struct {
	All []string `json:"all_"`
}

type stateFilter struct {
	Operator string     `json:"operator,omitempty"`
	Type     *anyFilter `json:"type,omitempty"`
}

type flowRunFilter struct {
	Operator string       `json:"operator,omitempty"`
	ID       *anyFilter   `json:"id,omitempty"`
	Name     *anyFilter   `json:"name,omitempty"`
	Tags     *allFilter   `json:"tags,omitempty"`
	State    *stateFilter `json:"state,omitempty"`
}

type idNameFilter struct {
	ID   *anyFilter `json:"id,omitempty"`
	Name *anyFilter `json:"name,omitempty"`
}

type flowRunsQuery struct {
	FlowRuns *flowRunFilter `json:"flow_runs,omitempty"`
	Flows    *idNameFilter  `json:"flows,omitempty"`
	Sort     string         `json:"sort,omitempty"`
	Limit    int            `json:"limit"`
	Offset   int            `json:"offset"`
}

type flowsQuery struct {
	Flows *idNameFilter `json:"flows"`
	Limit int           `json:"limit"`
}

type deploymentsQuery struct {
	Deployments *idNameFilter `json:"deployments"`
	Limit       int           `json:"limit"`
}

func pausedFilter() *flowRunFilter {
	return &flowRunFilter{Operator: "and_", State: &stateFilter{Operator: "and_", Type: &anyFilter{Any: []string{"PAUSED"}}}}
}

// limitRe matches the server's answer to a limit above
// PREFECT_SERVER_API_DEFAULT_LIMIT.
var limitRe = regexp.MustCompile(`must be less than or equal to (\d+)`)

// lowerLimit reports the server's maximum page size when err is the 422 for
// a too-large limit and that maximum is below the one just sent.
func lowerLimit(err error, sent int) (int, bool) {
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusUnprocessableEntity {
		return 0, false
	}
	m := limitRe.FindStringSubmatch(e.Reason)
	if m == nil {
		return 0, false
	}
	n, convErr := strconv.Atoi(m[1])
	if convErr != nil || n <= 0 || n >= sent {
		return 0, false
	}
	return n, true
}

// postFilter POSTs a read-only filter body built for the current page limit
// and decodes the JSON answer into out. When the server's limit is lower it
// remembers that limit and asks again. It returns the limit used.
func (c *Client) postFilter(ctx context.Context, op, path string, build func(limit int) any, out any) (int, error) {
	for {
		limit := int(c.pageLimit.Load())
		resp, err := c.do(ctx, request{op: op, method: http.MethodPost, path: path, body: build(limit), read: true})
		if err != nil {
			if n, ok := lowerLimit(err, limit); ok {
				c.pageLimit.Store(int64(n))
				continue
			}
			return 0, err
		}
		if err := json.Unmarshal(resp.body, out); err != nil {
			return 0, c.decodeError(op, http.MethodPost, path, resp, err)
		}
		return limit, nil
	}
}

// decodeError is a body that could not be read as Prefect's answer. Go's
// decoder message ("invalid character '<'") is kept in Err, not said: the
// reason says what the body was.
func (c *Client) decodeError(op, method, path string, resp *response, err error) *Error {
	reason := "the server's answer is not Prefect's API response (it could not be read; truncated, or from something in between?)"
	if b := bytes.TrimSpace(resp.body); len(b) > 0 && b[0] == '<' {
		reason = notPrefect
	} else if len(b) == 0 {
		reason = "the server's answer was empty where Prefect sends JSON (a proxy in between?)"
	}
	return &Error{
		Op: op, Method: method, URL: c.display + path, StatusCode: resp.status, Kind: ErrServer, Err: err,
		Reason: reason, sent: true,
	}
}

// ListPaused returns every PAUSED flow run (paused and suspended) in the
// server's START_TIME_DESC order, with flow and deployment names.
func (c *Client) ListPaused(ctx context.Context, o ListOptions) ([]Run, ListStats, error) {
	const op = "list paused runs"
	var stats ListStats
	ctx = withCounter(ctx, &stats.Requests)

	filter := pausedFilter()
	if len(o.Tags) > 0 {
		filter.Tags = &allFilter{All: o.Tags}
	}
	var flows *idNameFilter
	if len(o.FlowNames) > 0 {
		flows = &idNameFilter{Name: &anyFilter{Any: o.FlowNames}}
	}

	var runs []Run
	seen := map[string]bool{}
	offset := 0
	for {
		var page []FlowRun
		limit, err := c.postFilter(ctx, op, "/flow_runs/filter", func(limit int) any {
			return flowRunsQuery{FlowRuns: filter, Flows: flows, Sort: "START_TIME_DESC", Limit: limit, Offset: offset}
		}, &page)
		if err != nil {
			return nil, stats, err
		}
		stats.Pages++
		added := 0
		for i := range page {
			fr := page[i]
			if fr.ID == "" || seen[fr.ID] {
				continue // runs shift between pages when one leaves PAUSED meanwhile
			}
			seen[fr.ID] = true
			added++
			normalizeFlowRun(&fr)
			r := Run{FlowRun: fr}
			if !r.Paused() || (o.NeedsInputOnly && r.State.Details.RunInputKeyset == nil) {
				continue
			}
			runs = append(runs, r)
		}
		// A short page is the last; a full page of nothing new means the
		// server ignores offset, so asking again would loop forever.
		if len(page) < limit || added == 0 {
			break
		}
		offset += len(page)
	}
	if err := c.attachNames(ctx, op, runs); err != nil {
		return nil, stats, err
	}
	return runs, stats, nil
}

// normalizeFlowRun turns JSON nulls into Go zero values.
func normalizeFlowRun(fr *FlowRun) {
	if string(fr.Parameters) == "null" {
		fr.Parameters = nil
	}
}

// attachNames fills FlowName and DeploymentName from the cache, fetching the
// missing ones with one batched filter call per chunk of ids.
func (c *Client) attachNames(ctx context.Context, op string, runs []Run) error {
	var flowIDs, depIDs []string
	c.namesMu.Lock()
	wantFlow, wantDep := map[string]bool{}, map[string]bool{}
	for _, r := range runs {
		if _, ok := c.flowNames[r.FlowID]; !ok && r.FlowID != "" && !wantFlow[r.FlowID] {
			wantFlow[r.FlowID] = true
			flowIDs = append(flowIDs, r.FlowID)
		}
		if _, ok := c.deploymentNames[r.DeploymentID]; !ok && r.DeploymentID != "" && !wantDep[r.DeploymentID] {
			wantDep[r.DeploymentID] = true
			depIDs = append(depIDs, r.DeploymentID)
		}
	}
	c.namesMu.Unlock()

	if len(flowIDs) > 0 {
		names, err := c.lookupNames(ctx, op, "/flows/filter", flowIDs, func(ids []string, limit int) any {
			return flowsQuery{Flows: &idNameFilter{ID: &anyFilter{Any: ids}}, Limit: limit}
		})
		if err != nil {
			return err
		}
		c.namesMu.Lock()
		for _, id := range flowIDs {
			c.flowNames[id] = names[id] // "" for a deleted flow: not asked again
		}
		c.namesMu.Unlock()
	}
	if len(depIDs) > 0 {
		names, err := c.lookupNames(ctx, op, "/deployments/filter", depIDs, func(ids []string, limit int) any {
			return deploymentsQuery{Deployments: &idNameFilter{ID: &anyFilter{Any: ids}}, Limit: limit}
		})
		if err != nil {
			return err
		}
		c.namesMu.Lock()
		for _, id := range depIDs {
			c.deploymentNames[id] = names[id]
		}
		c.namesMu.Unlock()
	}

	c.namesMu.Lock()
	defer c.namesMu.Unlock()
	for i := range runs {
		runs[i].FlowName = c.flowNames[runs[i].FlowID]
		runs[i].DeploymentName = c.deploymentNames[runs[i].DeploymentID]
	}
	return nil
}

// lookupNames resolves ids to names through a /filter endpoint, at most
// one page limit of ids per request.
func (c *Client) lookupNames(ctx context.Context, op, path string, ids []string, build func(ids []string, limit int) any) (map[string]string, error) {
	names := make(map[string]string, len(ids))
	for rest := ids; len(rest) > 0; {
		var items []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		var chunk []string
		_, err := c.postFilter(ctx, op, path, func(limit int) any {
			chunk = rest[:min(limit, len(rest))]
			return build(chunk, limit)
		}, &items)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			names[it.ID] = it.Name
		}
		rest = rest[len(chunk):]
	}
	return names, nil
}

// getFlowRun reads one flow run; a malformed id is reported as not found
// without asking the server (which would answer 422).
func (c *Client) getFlowRun(ctx context.Context, op, id string) (*FlowRun, error) {
	if !isUUID(id) {
		return nil, &Error{Op: op, Kind: ErrNotFound, Reason: fmt.Sprintf("%q is not a flow run id (a UUID)", id)}
	}
	path := "/flow_runs/" + url.PathEscape(id)
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, path: path, read: true})
	if err != nil {
		return nil, err
	}
	var fr FlowRun
	if err := json.Unmarshal(resp.body, &fr); err != nil {
		return nil, c.decodeError(op, http.MethodGet, path, resp, err)
	}
	normalizeFlowRun(&fr)
	return &fr, nil
}

// GetRun reads one flow run with its flow and deployment names. An unknown
// id gives an *Error of Kind ErrNotFound.
func (c *Client) GetRun(ctx context.Context, id string) (*Run, error) {
	const op = "get run"
	fr, err := c.getFlowRun(ctx, op, id)
	if err != nil {
		return nil, err
	}
	runs := []Run{{FlowRun: *fr}}
	if err := c.attachNames(ctx, op, runs); err != nil {
		return nil, err
	}
	return &runs[0], nil
}

// ResolveRun finds a run by id, by the link to it in Prefect's web UI
// (MatchRunLink: it must be for the configured server), or else by name:
// paused runs first, then any run. A paused run found by name has SameName set to how many other runs
// share its name, so that the caller can say so. A name shared by several runs gives an *Error of Kind ErrAmbiguous
// whose Reason lists their ids; no match gives ErrNotFound.
func (c *Client) ResolveRun(ctx context.Context, idOrName string) (*Run, error) {
	const op = "find run"
	var err error
	key := strings.TrimSpace(idOrName)
	if key == "" {
		return nil, &Error{Op: op, Kind: ErrBadRequest, Reason: "no run id or name given"}
	}
	if isUUID(key) {
		return c.GetRun(ctx, key)
	}
	if IsRunLink(key) {
		id, err := c.runIDFromLink(key)
		if err != nil {
			return nil, err
		}
		return c.GetRun(ctx, id)
	}
	for _, pausedOnly := range []bool{true, false} {
		filter := &flowRunFilter{Name: &anyFilter{Any: []string{key}}}
		if pausedOnly {
			filter = pausedFilter()
			filter.Name = &anyFilter{Any: []string{key}}
		}
		var found []FlowRun
		if _, err := c.postFilter(ctx, op, "/flow_runs/filter", func(limit int) any {
			return flowRunsQuery{FlowRuns: filter, Sort: "START_TIME_DESC", Limit: limit}
		}, &found); err != nil {
			return nil, err
		}
		switch {
		case len(found) == 1:
			normalizeFlowRun(&found[0])
			runs := []Run{{FlowRun: found[0]}}
			if err := c.attachNames(ctx, op, runs); err != nil {
				return nil, err
			}
			if pausedOnly {
				if runs[0].SameName, err = c.countNamed(ctx, op, key); err != nil {
					return nil, err
				}
				runs[0].SameName = max(runs[0].SameName-1, 0)
			}
			return &runs[0], nil
		case len(found) > 1:
			ids := make([]string, len(found))
			for i, fr := range found {
				ids[i] = fr.ID
			}
			what := "runs"
			if pausedOnly {
				what = "paused runs"
			}
			return nil, &Error{
				Op: op, Kind: ErrAmbiguous,
				Reason: fmt.Sprintf("%d %s are named %q; use an id: %s", len(found), what, key, strings.Join(ids, ", ")),
			}
		}
	}
	return nil, &Error{Op: op, Kind: ErrNotFound, Reason: fmt.Sprintf("no flow run is named %q", key)}
}

// countNamed counts the runs named name (any state), up to one page.
func (c *Client) countNamed(ctx context.Context, op, name string) (int, error) {
	var found []struct {
		ID string `json:"id"`
	}
	if _, err := c.postFilter(ctx, op, "/flow_runs/filter", func(limit int) any {
		return flowRunsQuery{FlowRuns: &flowRunFilter{Name: &anyFilter{Any: []string{name}}}, Sort: "START_TIME_DESC", Limit: limit}
	}, &found); err != nil {
		return 0, err
	}
	return len(found), nil
}

// GetRuns reads the given flow runs, in any state, with their flow and
// deployment names: one filter request per page limit of ids, however many
// ids (the live inbox reads every run an event burst names this way).
// Unknown ids are left out of the result.
func (c *Client) GetRuns(ctx context.Context, ids []string) ([]Run, ListStats, error) {
	const op = "read runs"
	var stats ListStats
	ctx = withCounter(ctx, &stats.Requests)
	var want []string
	for _, id := range ids {
		if isUUID(id) && !slices.Contains(want, id) {
			want = append(want, id)
		}
	}
	var runs []Run
	for rest := want; len(rest) > 0; {
		var page []FlowRun
		var chunk []string
		_, err := c.postFilter(ctx, op, "/flow_runs/filter", func(limit int) any {
			chunk = rest[:min(limit, len(rest))]
			return flowRunsQuery{FlowRuns: &flowRunFilter{ID: &anyFilter{Any: chunk}}, Sort: "START_TIME_DESC", Limit: limit}
		}, &page)
		if err != nil {
			return nil, stats, err
		}
		stats.Pages++
		for i := range page {
			normalizeFlowRun(&page[i])
			runs = append(runs, Run{FlowRun: page[i]})
		}
		rest = rest[len(chunk):]
	}
	if err := c.attachNames(ctx, op, runs); err != nil {
		return nil, stats, err
	}
	return runs, stats, nil
}

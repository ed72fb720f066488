package apiclient

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// Logs returns the newest limit log lines of a flow run, oldest first. The
// limit is capped at the server's page limit (200 by default).
func (c *Client) Logs(ctx context.Context, runID string, limit int) ([]LogLine, error) {
	const op = "read run logs"
	if !isUUID(runID) {
		return nil, &Error{Op: op, Kind: ErrNotFound, Reason: "not a flow run id (a UUID): " + runID}
	}
	if limit <= 0 {
		return []LogLine{}, nil
	}
	type logsQuery struct {
		Logs struct {
			FlowRunID anyFilter `json:"flow_run_id"`
		} `json:"logs"`
		Sort  string `json:"sort"`
		Limit int    `json:"limit"`
	}
	var lines []LogLine
	if _, err := c.postFilter(ctx, op, "/logs/filter", func(pageMax int) any {
		var q logsQuery
		q.Logs.FlowRunID.Any = []string{runID}
		q.Sort = "TIMESTAMP_DESC" // newest first, so the limit keeps the latest lines
		q.Limit = min(limit, pageMax)
		return q
	}, &lines); err != nil {
		return nil, err
	}
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	if lines == nil {
		lines = []LogLine{}
	}
	return lines, nil
}

// Health checks that the API answers. /health is exempt from auth, so
// success does not prove the credentials work.
func (c *Client) Health(ctx context.Context) error {
	_, err := c.do(ctx, request{op: "check server health", method: http.MethodGet, path: "/health", read: true})
	return err
}

// ServerVersion returns the Prefect server's version ("3.9.1"). Prefect
// Cloud may not serve this route; callers should treat an error as unknown.
func (c *Client) ServerVersion(ctx context.Context) (string, error) {
	const op = "read server version"
	const path = "/admin/version"
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, path: path, read: true})
	if err != nil {
		return "", err
	}
	var v string
	if err := json.Unmarshal(resp.body, &v); err != nil {
		return "", c.decodeError(op, http.MethodGet, path, resp, err)
	}
	return strings.TrimSpace(v), nil
}

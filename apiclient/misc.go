package apiclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
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

// MinServerVersion is the oldest Prefect server unpause acts on: flow run
// input (pause_flow_run(wait_for_input=...) and /flow_runs/{id}/input) came
// with Prefect 2.14.
const MinServerVersion = "2.14.0"

// checkServer refuses, once per client, a server older than
// MinServerVersion before anything is read as a run input or sent: a clear
// message rather than a wrong action. A server whose version cannot be read
// (Prefect Cloud, a proxy) is not refused.
func (c *Client) checkServer(ctx context.Context, op string) error {
	c.versionMu.Lock()
	defer c.versionMu.Unlock()
	if c.versionChecked {
		return c.versionErr
	}
	v, err := c.ServerVersion(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return err // not checked: try again next time
		}
		c.versionChecked = true
		return nil
	}
	c.versionChecked = true
	if olderThan(v, MinServerVersion) {
		c.versionErr = &Error{
			Op: op, Kind: ErrConfig,
			Reason: fmt.Sprintf("the server at %s runs Prefect %s, which unpause does not support: it needs Prefect %s or newer "+
				"(flow run input came with 2.14); upgrade the server", c.display, v, MinServerVersion),
		}
	}
	return c.versionErr
}

// olderThan compares dotted release numbers ("2.13.5" < "2.14.0"); a
// version it cannot read is not older.
func olderThan(v, minimum string) bool {
	a, b := releaseParts(v), releaseParts(minimum)
	if a == nil || b == nil {
		return false
	}
	for i := range 3 {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// releaseParts reads the first three numbers of a version such as
// "3.9.1" or "3.9.1.dev2+gabc"; nil when it does not start with one.
func releaseParts(v string) []int {
	parts := strings.SplitN(v, ".", 4)
	if len(parts) < 3 {
		return nil
	}
	out := make([]int, 3)
	for i := range 3 {
		digits := parts[i]
		if j := strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }); j >= 0 {
			digits = digits[:j]
		}
		n, err := strconv.Atoi(digits)
		if err != nil {
			return nil
		}
		out[i] = n
	}
	return out
}

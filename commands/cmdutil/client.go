package cmdutil

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/audit"
)

// Client is the API client every front end acts through (the commands, the
// TUI and accessible mode): an *apiclient.Client whose resumes and cancels
// are each added to the local audit log. A log that cannot be written never
// fails the action: the result carries it (ActionResult.AuditErr), or an
// error the action returned says it too.
type Client struct {
	*apiclient.Client
	audit   *audit.Log // nil: no log is kept
	profile string
}

// Resume answers the run (apiclient.Client.Resume) and logs it.
func (c *Client) Resume(ctx context.Context, runID string, input json.RawMessage) (*apiclient.ActionResult, error) {
	res, err := c.Client.Resume(ctx, runID, input)
	return res, c.log("resume", runID, fieldNames(input), res, err)
}

// Cancel cancels the run (apiclient.Client.Cancel) and logs it. The reason
// is not logged.
func (c *Client) Cancel(ctx context.Context, runID, reason string) (*apiclient.ActionResult, error) {
	res, err := c.Client.Cancel(ctx, runID, reason)
	return res, c.log("cancel", runID, nil, res, err)
}

// log appends the action and returns err, which names a log that could not
// be written when there is no result to carry it.
func (c *Client) log(action, runID string, fields []string, res *apiclient.ActionResult, err error) error {
	if c.audit == nil {
		return err
	}
	e := audit.Entry{
		Identity: c.Identity(), Profile: c.profile, Server: c.BaseURL(), RunID: runID, Action: action, Fields: fields,
		Outcome: "error",
	}
	if res != nil {
		e.Outcome, e.RunName, e.Recorded = string(res.Outcome), res.RunName, res.Recorded
	}
	if err != nil {
		e.Error = apiclient.KindOf(err).String()
	}
	aerr := c.audit.Append(e)
	switch {
	case aerr == nil:
		return err
	case res != nil:
		res.AuditErr = aerr
		return err
	case err != nil:
		return fmt.Errorf("%w (and the local audit log could not be written: %w)", err, aerr)
	}
	return nil
}

// fieldNames are the top-level names of an answer, sorted; never its values.
func fieldNames(input json.RawMessage) []string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(input, &obj) != nil {
		return nil
	}
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// StateDir is where unpause keeps its state (drafts, the audit log):
// $UNPAUSE_STATE_DIR, else $XDG_STATE_HOME/unpause, else
// ~/.local/state/unpause.
func StateDir() string {
	if d := os.Getenv("UNPAUSE_STATE_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "unpause")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "unpause-state")
	}
	return filepath.Join(home, ".local", "state", "unpause")
}

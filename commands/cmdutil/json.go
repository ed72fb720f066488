package cmdutil

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// WriteJSON writes v as indented JSON. Every string in it may come from the
// API, so the encoded text passes through termsafe.JSON: control and bidi
// runes become \u escapes, and the value a script decodes is unchanged.
func WriteJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(termsafe.JSON(b.Bytes()))
	return err
}

// CheckOutput refuses an --output format the command does not have.
func CheckOutput(output string, formats ...string) error {
	if slices.Contains(formats, output) {
		return nil
	}
	return UsageErrorf("--output must be %s, not %q", strings.Join(formats, " or "), output)
}

// RunJSON is the stable JSON shape of a run in `list` and `show` output.
type RunJSON struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Flow       string   `json:"flow"`
	Deployment string   `json:"deployment,omitempty"`
	WorkPool   string   `json:"work_pool,omitempty"`
	Tags       []string `json:"tags"`
	// State is "paused" or "suspended" while the run waits, else its own
	// state in lower case ("completed", "cancelling"): see domain.RunState.
	State      string    `json:"state"`
	StateName  string    `json:"state_name"`
	StateSince time.Time `json:"state_since"`
	// PausedSince and ExpiresAt are null once the run no longer waits.
	PausedSince *time.Time      `json:"paused_since"`
	ExpiresAt   *time.Time      `json:"expires_at"`
	NeedsInput  bool            `json:"needs_input"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
	URL         string          `json:"url"`
}

// ToRunJSON is r in the stable shape; url is its link in Prefect's UI.
func ToRunJSON(r *apiclient.Run, url string) RunJSON {
	tags := r.Tags
	if tags == nil {
		tags = []string{}
	}
	stateName := ""
	if r.State != nil {
		stateName = r.State.Name
	}
	out := RunJSON{
		ID: r.ID, Name: r.Name, Flow: r.FlowName, Deployment: r.DeploymentName,
		WorkPool: r.WorkPoolName, Tags: tags, State: domain.RunState(r), StateName: stateName,
		StateSince: r.PausedSince(), Parameters: r.Parameters, URL: url,
	}
	if r.Paused() {
		since := r.PausedSince()
		out.PausedSince, out.ExpiresAt, out.NeedsInput = &since, r.ExpiresAt(), r.NeedsInput()
	}
	return out
}

// WriteJSONLine writes v as one line of JSON (JSON Lines), through
// termsafe.JSON like every JSON output.
func WriteJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(termsafe.JSON(b), '\n'))
	return err
}

// Package tuitest holds the fixtures shared by the tests of the terminal
// front ends (package tui and package tui/accessible): a fixed clock, runs
// built from a real Prefect FlowRunResponse, an in-memory Prefect server
// and the hostile strings the output must never pass to the terminal. Only
// tests import it.
package tuitest

import (
	"embed"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
)

// Now is the fixed clock of every test: 2026-11-21 12:00:00 UTC.
var Now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// FixedNow is Now as the clock function the front ends' Options take.
func FixedNow() time.Time { return Now }

//go:embed testdata/*.json
var testdata embed.FS

// RunSpec describes a fixture run; MkRun turns it into the JSON the Prefect
// server sends (testdata/run_template.json, a real FlowRunResponse shape)
// and decodes that, so tests see exactly what apiclient produces.
type RunSpec struct {
	ID, Name, Flow, Deployment string
	PausedAgo                  time.Duration
	ExpiresIn                  *time.Duration // nil: no pause_timeout
	Suspended                  bool
	NoInput                    bool
	Tags                       []string
	Pool                       string
	PauseKey                   string // default "1"
}

// In is d as a pointer, for RunSpec.ExpiresIn.
func In(d time.Duration) *time.Duration { return &d }

// MkRun builds the run s describes, decoded by apiclient.
func MkRun(t testing.TB, s RunSpec) apiclient.Run {
	t.Helper()
	raw, err := testdata.ReadFile("testdata/run_template.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["id"] = s.ID
	doc["name"] = s.Name
	doc["flow_name"] = s.Flow
	// One flow id per flow name: queue mode groups runs by flow id.
	doc["flow_id"] = "flow-id-" + s.Flow
	doc["deployment_name"] = s.Deployment
	if s.Tags != nil {
		tags := make([]any, len(s.Tags))
		for i, tg := range s.Tags {
			tags[i] = tg
		}
		doc["tags"] = tags
	}
	doc["work_pool_name"] = s.Pool
	st := doc["state"].(map[string]any)
	st["timestamp"] = Now.Add(-s.PausedAgo).Format(time.RFC3339Nano)
	setPauseDetails(st["state_details"].(map[string]any), s)
	if s.Suspended {
		st["name"] = "Suspended"
		doc["state_name"] = "Suspended"
	}
	b, _ := json.Marshal(doc)
	var r apiclient.Run
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// setPauseDetails fills the state_details of a paused or suspended run:
// deadline, pause key and the run input keys derived from it.
func setPauseDetails(det map[string]any, s RunSpec) {
	det["flow_run_id"] = s.ID
	if s.ExpiresIn == nil {
		det["pause_timeout"] = nil
	} else {
		det["pause_timeout"] = Now.Add(*s.ExpiresIn).Format(time.RFC3339Nano)
	}
	prefix := "paused"
	if s.Suspended {
		prefix = "suspended"
		det["pause_reschedule"] = true
	}
	key := s.PauseKey
	if key == "" {
		key = "1"
	}
	det["pause_key"] = key
	if s.NoInput {
		det["run_input_keyset"] = nil
		return
	}
	det["run_input_keyset"] = map[string]any{
		"schema":      prefix + "-" + key + "-schema",
		"description": prefix + "-" + key + "-description",
		"response":    prefix + "-" + key + "-response",
	}
}

// ReadSchema returns one of the JSON schemas in testdata
// (approval_schema.json, shirt_schema.json).
func ReadSchema(t testing.TB, name string) json.RawMessage {
	t.Helper()
	b, err := testdata.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return json.RawMessage(strings.TrimSpace(string(b)))
}

// StrSchema is the schema Prefect stores for pause_flow_run(wait_for_input=str):
// an AutomaticRunInput model named after the type
// (src/prefect/input/run_input.py, run_input_subclass_from_type).
const StrSchema = `{"additionalProperties":false,"properties":{"value":{"title":"Value","type":"string"}},"required":["value"],"title":"strAutomaticRunInput","type":"object"}`

// DeployDescription is the Markdown description of the deploy approval run.
const DeployDescription = "# Deploy approval\n\nRelease **v2.3.1** is ready to go to `production`.\n\n## Changes\n- Faster checkout\n- Fix for `ORDER-1234`\n"

// ErrConn is the error apiclient returns when the server cannot be reached.
var ErrConn = &apiclient.Error{
	Op: "list paused runs", Method: "POST", URL: "http://127.0.0.1:4200/api/flow_runs/filter",
	Kind: apiclient.ErrConnection, Err: errors.New("dial tcp 127.0.0.1:4200: connect: connection refused"),
}

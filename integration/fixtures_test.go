package integration

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestFixtureFlowsPauseWithSchemas proves the harness and the fixture flows end to end,
// without the unpause binary: every fixture pauses (or suspends) with the keyset and the
// schema Prefect builds for it (src/prefect/input/run_input.py, src/prefect/flow_runs.py), a raw POST /resume delivers the
// input, and the flow reports what it received.
func TestFixtureFlowsPauseWithSchemas(t *testing.T) {
	requireServer(t)

	t.Run("greeting", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "greeting")
		run := mustGetRun(t, f.APIURL, f.RunID)
		assertBlockingPause(t, run, "paused-1")
		schema := schemaOf(t, f, run)
		assertEqual(t, "title", schema["title"], "strAutomaticRunInput")
		assertEqual(t, "value type", dig(schema, "properties", "value", "type"), "string")
		assertEqual(t, "required", schema["required"], []any{"value"})
		assertEqual(t, "additionalProperties", schema["additionalProperties"], false)
		if _, found := readRunInput(t, f.APIURL, f.RunID, run.State.Details.RunInputKeyset["description"]); found {
			t.Error("greeting has a description input; want none (404)")
		}

		// Server-side validation against the stored schema: REJECT, run stays paused.
		bad := resumeRun(t, f.APIURL, f.RunID, map[string]any{"value": 3})
		if bad.Status != "REJECT" || bad.State == nil || bad.State.Type != "PAUSED" ||
			bad.Details.Reason == nil || !strings.Contains(*bad.Details.Reason, "is not of type 'string'") {
			t.Fatalf("resume with value 3: got %+v, want REJECT, still PAUSED, type error", bad)
		}

		res := resumeRun(t, f.APIURL, f.RunID, map[string]any{"value": "Ada"})
		assertAccepted(t, res, "RUNNING")
		result := f.WaitResult(t, 90*time.Second)
		assertEqual(t, "outcome", result["outcome"], "resumed")
		assertEqual(t, "received", result["received"], "Ada")
		assertEqual(t, "exit code", f.ExitCode(t, 60*time.Second), 0)
		// Logs are shipped in batches; they are flushed before the process exits.
		if logs := runLogMessages(t, f.APIURL, f.RunID); !slices.Contains(logs, "Hello, Ada!") {
			t.Errorf("run logs %q lack %q", logs, "Hello, Ada!")
		}
		waitRun(t, f.APIURL, f.RunID, 30*time.Second, "COMPLETED", func(r *apiRun) bool { return r.StateType == "COMPLETED" })
	})

	t.Run("number", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "number")
		run := mustGetRun(t, f.APIURL, f.RunID)
		assertBlockingPause(t, run, "paused-1")
		schema := schemaOf(t, f, run)
		assertEqual(t, "title", schema["title"], "intAutomaticRunInput")
		assertEqual(t, "value type", dig(schema, "properties", "value", "type"), "integer")
		assertAccepted(t, resumeRun(t, f.APIURL, f.RunID, map[string]any{"value": 42}), "RUNNING")
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], 42.0)
	})

	t.Run("image-label", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "image-label")
		run := mustGetRun(t, f.APIURL, f.RunID)
		assertBlockingPause(t, run, "paused-1")
		schema := schemaOf(t, f, run)
		assertEqual(t, "value $ref", dig(schema, "properties", "value", "$ref"), "#/definitions/Animal")
		// Definitions appear under both names (§3.1).
		assertEqual(t, "definitions enum", dig(schema, "definitions", "Animal", "enum"), []any{"pig", "dog"})
		assertEqual(t, "$defs enum", dig(schema, "$defs", "Animal", "enum"), []any{"pig", "dog"})
		assertAccepted(t, resumeRun(t, f.APIURL, f.RunID, map[string]any{"value": "dog"}), "RUNNING")
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], "dog")
	})

	t.Run("markdown", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "markdown")
		run := mustGetRun(t, f.APIURL, f.RunID)
		assertBlockingPause(t, run, "paused-1")
		raw := schemaRaw(t, f, run)
		schema := decodeObject(t, raw)
		assertEqual(t, "title", schema["title"], "DeployApproval")
		keys, err := jsonObjectKeys(raw, "properties")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "property order", keys, []string{"approve", "environment", "reviewer", "notes"})
		// with_initial_data turns the kwargs into defaults; untouched fields keep metadata.
		assertEqual(t, "approve default", dig(schema, "properties", "approve", "default"), true)
		assertEqual(t, "environment default", dig(schema, "properties", "environment", "default"), "production")
		if prefect2(t) {
			// Prefect 2's with_initial_data rebuilds the model with plain field types: the
			// Literal's enum is gone from the schema it stores (unpause shows a text field).
			assertEqual(t, "environment enum (Prefect 2)", dig(schema, "properties", "environment", "enum"), nil)
		} else {
			assertEqual(t, "environment enum", dig(schema, "properties", "environment", "enum"), []any{"staging", "production"})
		}
		assertEqual(t, "reviewer minLength", dig(schema, "properties", "reviewer", "minLength"), 2.0)
		assertEqual(t, "required", schema["required"], []any{"reviewer"})

		// The flow saves the description right after the schema
		// (src/prefect/input/run_input.py RunInput.save): wait for it.
		var body []byte
		waitFor(t, 30*time.Second, "the markdown fixture's description input", func() bool {
			var found bool
			body, found = readRunInput(t, f.APIURL, f.RunID, run.State.Details.RunInputKeyset["description"])
			return found
		})
		var description string // the stored value is a JSON string literal (§2.3)
		if err := json.Unmarshal(body, &description); err != nil {
			t.Fatalf("description %q is not a JSON string: %v", body, err)
		}
		for _, want := range []string{"# Deploy approval", "## Changes", "\n- Faster checkout", "**v2.3.1**", "`production`"} {
			if !strings.Contains(description, want) {
				t.Errorf("description lacks %q:\n%s", want, description)
			}
		}

		assertAccepted(t, resumeRun(t, f.APIURL, f.RunID, map[string]any{"reviewer": "Ada"}), "RUNNING")
		got := f.WaitResult(t, 90*time.Second)["received"]
		assertEqual(t, "received", got, map[string]any{
			"approve": true, "environment": "production", "reviewer": "Ada", "notes": "",
		})
	})

	t.Run("shirt", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "shirt")
		run := mustGetRun(t, f.APIURL, f.RunID)
		assertBlockingPause(t, run, "paused-1")
		schema := schemaOf(t, f, run)
		assertEqual(t, "size enum", dig(schema, "properties", "size", "enum"), []any{"small", "medium", "large"})
		assertEqual(t, "color enum", dig(schema, "properties", "color", "enum"), []any{"red", "green", "blue"})
		assertEqual(t, "required", schema["required"], []any{"size", "color"})

		// The model validator is not in the schema: the server accepts small+green, the
		// flow's pydantic validation refuses it and pauses again with pause key 2.
		assertAccepted(t, resumeRun(t, f.APIURL, f.RunID, map[string]any{"size": "small", "color": "green"}), "RUNNING")
		again := waitRun(t, f.APIURL, f.RunID, 90*time.Second, "second pause", func(r *apiRun) bool {
			return r.StateType == "PAUSED" && r.State != nil && r.State.Details.RunInputKeyset["schema"] == "paused-2-schema"
		})
		// The flow saves the new description right after the pause is accepted.
		var description string
		waitFor(t, 30*time.Second, "paused-2 description", func() bool {
			body, found := readRunInput(t, f.APIURL, f.RunID, again.State.Details.RunInputKeyset["description"])
			return found && json.Unmarshal(body, &description) == nil
		})
		if !strings.Contains(description, "not available") || !strings.Contains(description, "medium and large") {
			t.Errorf("second pause description %q does not explain the refusal", description)
		}
		assertAccepted(t, resumeRun(t, f.APIURL, f.RunID, map[string]any{"size": "medium", "color": "green"}), "RUNNING")
		result := f.WaitResult(t, 90*time.Second)
		assertEqual(t, "received", result["received"], map[string]any{"size": "medium", "color": "green"})
		assertEqual(t, "attempts", result["attempts"], 2.0)
	})

	t.Run("everything", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "everything")
		run := mustGetRun(t, f.APIURL, f.RunID)
		assertBlockingPause(t, run, "paused-1")
		raw := schemaRaw(t, f, run)
		schema := decodeObject(t, raw)
		keys, err := jsonObjectKeys(raw, "properties")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "property order", keys, []string{
			"title", "count", "ratio", "urgent", "priority", "labels", "reason", "due", "remind_at", "home", "billing",
		})
		assertEqual(t, "home $ref", dig(schema, "properties", "home", "$ref"), "#/definitions/Address")
		assertEqual(t, "zip pattern", dig(schema, "definitions", "Address", "properties", "zip_code", "pattern"), `^\d{5}$`)
		assertEqual(t, "priority", dig(schema, "properties", "priority"), map[string]any{"$ref": "#/definitions/Priority", "default": "normal"})
		assertEqual(t, "labels items", dig(schema, "properties", "labels", "items"), map[string]any{"enum": []any{"bug", "feature", "docs"}, "type": "string"})
		assertEqual(t, "due format", dig(schema, "properties", "due", "format"), "date-time")
		assertEqual(t, "reason anyOf", dig(schema, "properties", "reason", "anyOf"), []any{map[string]any{"type": "string"}, map[string]any{"type": "null"}})
		assertEqual(t, "billing anyOf", dig(schema, "properties", "billing", "anyOf"), []any{map[string]any{"$ref": "#/definitions/Address"}, map[string]any{"type": "null"}})
		assertEqual(t, "required", schema["required"], []any{"title", "due", "home"})

		answer := map[string]any{
			"title": "Broken login", "count": 3, "priority": "high", "labels": []any{"bug", "docs"},
			"due": "2026-12-01T10:00:00Z", "home": map[string]any{"street": "1 Main St", "zip_code": "12345"},
		}
		assertAccepted(t, resumeRun(t, f.APIURL, f.RunID, answer), "RUNNING")
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], map[string]any{
			"title": "Broken login", "count": 3.0, "ratio": 0.5, "urgent": false, "priority": "high",
			"labels": []any{"bug", "docs"}, "reason": nil, "due": "2026-12-01T10:00:00Z", "remind_at": nil,
			"home": map[string]any{"street": "1 Main St", "city": "Springfield", "zip_code": "12345"}, "billing": nil,
		})
	})

	t.Run("no-input", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "no-input")
		run := mustGetRun(t, f.APIURL, f.RunID)
		if run.State.Details.RunInputKeyset != nil {
			t.Fatalf("keyset %v, want none", run.State.Details.RunInputKeyset)
		}
		if run.State.Details.PauseReschedule {
			t.Error("pause_reschedule true, want a blocking pause")
		}
		assertAccepted(t, resumeRun(t, f.APIURL, f.RunID, nil), "RUNNING")
		result := f.WaitResult(t, 90*time.Second)
		assertEqual(t, "outcome", result["outcome"], "resumed")
		assertEqual(t, "received", result["received"], nil)
	})

	t.Run("expiring", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "expiring", "--timeout", "5")
		run := mustGetRun(t, f.APIURL, f.RunID)
		assertBlockingPause(t, run, "paused-1")
		left := run.State.Details.PauseTimeout.Sub(run.State.Timestamp)
		if left <= 0 || left > 10*time.Second {
			t.Errorf("pause_timeout %s is %s after the pause; want about 5s", run.State.Details.PauseTimeout, left)
		}
		result := f.WaitResult(t, 90*time.Second)
		assertEqual(t, "outcome", result["outcome"], "expired")
		assertEqual(t, "exit code", f.ExitCode(t, 60*time.Second), 3)
		waitRun(t, f.APIURL, f.RunID, 30*time.Second, "FAILED", func(r *apiRun) bool { return r.StateType == "FAILED" })
		res := resumeRun(t, f.APIURL, f.RunID, map[string]any{"value": "too late"})
		if res.Status != "ABORT" {
			t.Errorf("resume after expiry: status %s, want ABORT (run no longer paused)", res.Status)
		}
	})

	t.Run("suspend", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "suspend")
		run := mustGetRun(t, f.APIURL, f.RunID)
		if run.StateName != "Suspended" || !run.State.Details.PauseReschedule {
			t.Fatalf("state %s pause_reschedule=%v, want Suspended/true", run.StateName, run.State.Details.PauseReschedule)
		}
		if run.DeploymentID == nil {
			t.Fatal("suspended run has no deployment")
		}
		if run.State.Details.PauseTimeout != nil {
			t.Errorf("pause_timeout %v, want none (suspend_flow_run's default)", run.State.Details.PauseTimeout)
		}
		assertEqual(t, "keyset", run.State.Details.RunInputKeyset, map[string]string{
			"schema": "suspended-1-schema", "description": "suspended-1-description", "response": "suspended-1-response",
		})
		schema := schemaOf(t, f, run)
		assertEqual(t, "title", schema["title"], "SuspendApproval")
		assertEqual(t, "required", schema["required"], []any{"approve"})

		res := resumeRun(t, f.APIURL, f.RunID, map[string]any{"approve": true, "comment": "ship it"})
		assertAccepted(t, res, "SCHEDULED")
		if res.State.Name != "Resuming" {
			t.Errorf("resumed state name %q, want Resuming", res.State.Name)
		}
		// The runner picks the run up again and re-executes the flow from the top.
		result := f.WaitResult(t, 2*time.Minute)
		assertEqual(t, "received", result["received"], map[string]any{"approve": true, "comment": "ship it"})
		waitRun(t, f.APIURL, f.RunID, time.Minute, "COMPLETED", func(r *apiRun) bool { return r.StateType == "COMPLETED" })
	})
}

// ---------------------------------------------------------------------------------------
// assertion helpers

func assertBlockingPause(t *testing.T, run *apiRun, keyPrefix string) {
	t.Helper()
	if run.StateType != "PAUSED" || run.StateName != "Paused" || run.State == nil {
		t.Fatalf("run %s is %s/%s, want PAUSED/Paused", run.ID, run.StateType, run.StateName)
	}
	d := run.State.Details
	if d.PauseReschedule {
		t.Error("pause_reschedule true, want false for pause_flow_run")
	}
	if d.PauseTimeout == nil {
		t.Error("pause_timeout missing")
	}
	want := map[string]string{
		"schema": keyPrefix + "-schema", "description": keyPrefix + "-description", "response": keyPrefix + "-response",
	}
	if !reflect.DeepEqual(d.RunInputKeyset, want) {
		t.Fatalf("run_input_keyset %v, want %v", d.RunInputKeyset, want)
	}
}

func assertAccepted(t *testing.T, res apiResumeResult, stateType string) {
	t.Helper()
	if res.Status != "ACCEPT" || res.State == nil || res.State.Type != stateType {
		reason := ""
		if res.Details.Reason != nil {
			reason = *res.Details.Reason
		}
		t.Fatalf("resume: status %s state %+v reason %q; want ACCEPT into %s", res.Status, res.State, reason, stateType)
	}
}

func schemaRaw(t *testing.T, f *FixtureFlow, run *apiRun) []byte {
	t.Helper()
	raw, found := readRunInput(t, f.APIURL, f.RunID, run.State.Details.RunInputKeyset["schema"])
	if !found {
		t.Fatalf("run %s has no schema input", f.RunID)
	}
	return raw
}

func schemaOf(t *testing.T, f *FixtureFlow, run *apiRun) map[string]any {
	t.Helper()
	return decodeObject(t, schemaRaw(t, f, run))
}

func decodeObject(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, raw)
	}
	return m
}

// dig walks nested maps; nil when a key is missing.
func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func assertEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("%s = %s, want %s", what, g, w)
	}
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(pollEvery)
	}
}

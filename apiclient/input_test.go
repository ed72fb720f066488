package apiclient

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// schemaText is 8.4 (b) exactly: the client must keep these bytes (the
// property order matters to the form).
const schemaText = `{"additionalProperties": false, "properties": {"approve": {"default": false, "title": "Approve", "type": "boolean"}, "notes": {"default": "", "description": "Why approve/reject?", "title": "Notes", "type": "string"}}, "title": "CleanupApproval", "type": "object"}`

// descriptionText is 8.4 (c): a JSON string literal, quotes included.
const descriptionText = `"**Preview (3 runs):**\n- a\n- b"`

const inputNotFoundJSON = `{"detail":"Flow run input not found"}`

func plain(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func pausedRun(t *testing.T) *Run {
	var fr FlowRun
	if err := json.Unmarshal([]byte(pausedRunJSON), &fr); err != nil {
		t.Fatal(err)
	}
	return &Run{FlowRun: fr}
}

func TestInputRequest(t *testing.T) {
	f := newFake(t)
	f.handle("GET /api/flow_runs/{id}/input/paused-1-schema", plain(200, schemaText))
	f.handle("GET /api/flow_runs/{id}/input/paused-1-description", plain(200, descriptionText))
	c, s := newClient(t, f)
	ir, err := c.InputRequest(context.Background(), pausedRun(t))
	if err != nil {
		t.Fatal(err)
	}
	if string(ir.Schema) != schemaText {
		t.Errorf("schema bytes changed:\n%s", ir.Schema)
	}
	if ir.Description != "**Preview (3 runs):**\n- a\n- b" {
		t.Errorf("description %q", ir.Description)
	}
	if len(s.all()) != 0 {
		t.Errorf("slept %v", s.all())
	}
}

func TestInputRequestNoDescription(t *testing.T) {
	f := newFake(t)
	f.handle("GET /api/flow_runs/{id}/input/paused-1-schema", plain(200, schemaText))
	f.json("GET /api/flow_runs/{id}/input/paused-1-description", 404, inputNotFoundJSON)
	c, s := newClient(t, f)
	ir, err := c.InputRequest(context.Background(), pausedRun(t))
	if err != nil {
		t.Fatal(err)
	}
	if ir.Description != "" || string(ir.Schema) != schemaText {
		t.Errorf("got %+v", ir)
	}
	if n := f.count("GET", "/api/flow_runs/"+runAID+"/input/paused-1-description"); n != 1 || len(s.all()) != 0 {
		t.Errorf("description 404 retried: %d GETs, sleeps %v", n, s.all())
	}
}

// Right after the pause the schema may not exist yet: 404s are retried for
// about 3 s, then reported.
func TestInputRequestSchemaRetry(t *testing.T) {
	f := newFake(t)
	f.sequence("GET /api/flow_runs/{id}/input/paused-1-schema",
		replyFn(404, inputNotFoundJSON), replyFn(404, inputNotFoundJSON), plain(200, schemaText))
	f.json("GET /api/flow_runs/{id}/input/paused-1-description", 404, inputNotFoundJSON)
	c, s := newClient(t, f)
	ir, err := c.InputRequest(context.Background(), pausedRun(t))
	if err != nil || string(ir.Schema) != schemaText {
		t.Fatalf("%+v %v", ir, err)
	}
	if got := s.all(); len(got) != 2 || got[0] != 200*time.Millisecond || got[1] != 300*time.Millisecond {
		t.Errorf("sleeps %v", got)
	}

	f2 := newFake(t)
	f2.json("GET /api/flow_runs/{id}/input/paused-1-schema", 404, inputNotFoundJSON)
	c2, s2 := newClient(t, f2)
	_, err = c2.InputRequest(context.Background(), pausedRun(t))
	if !IsNotFound(err) || !strings.Contains(err.Error(), "Flow run input not found") {
		t.Fatalf("err = %v", err)
	}
	if total := s2.total(); total < 2500*time.Millisecond || total > 3500*time.Millisecond {
		t.Errorf("waited %v in total, want about 3s", total)
	}
	if n := f2.count("GET", "/api/flow_runs/"+runAID+"/input/paused-1-schema"); n != len(schemaRetryDelays)+1 {
		t.Errorf("%d schema GETs", n)
	}

	// A cancelled context stops the wait at once.
	ctx, cancel := context.WithCancel(context.Background())
	c2.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	before := f2.count("GET", "/api/flow_runs/"+runAID+"/input/paused-1-schema")
	if _, err := c2.InputRequest(ctx, pausedRun(t)); err == nil {
		t.Fatal("no error after cancel")
	}
	if n := f2.count("GET", "/api/flow_runs/"+runAID+"/input/paused-1-schema") - before; n != 1 {
		t.Errorf("%d GETs after cancel", n)
	}
}

func TestInputRequestNoKeyset(t *testing.T) {
	f := newFake(t)
	c, _ := newClient(t, f)
	r := pausedRun(t)
	r.State.Details.RunInputKeyset = nil
	ir, err := c.InputRequest(context.Background(), r)
	if err != nil || ir == nil || ir.Schema != nil || ir.Description != "" {
		t.Fatalf("%+v %v", ir, err)
	}
	if len(f.requests()) != 0 {
		t.Error("requests sent for a pause without input")
	}
}

// A stored schema that is not JSON is handed on as it is: the schema parser
// says what is wrong with it, not the client as a server failure.
func TestInputRequestInvalidSchema(t *testing.T) {
	f := newFake(t)
	f.handle("GET /api/flow_runs/{id}/input/paused-1-schema", plain(200, `{"type":`))
	c, _ := newClient(t, f)
	ir, err := c.InputRequest(context.Background(), pausedRun(t))
	if err != nil || string(ir.Schema) != `{"type":` {
		t.Fatalf("InputRequest = %+v, %v; want the stored text", ir, err)
	}
}

func TestDecodeDescription(t *testing.T) {
	for in, want := range map[string]string{
		descriptionText:            "**Preview (3 runs):**\n- a\n- b",
		`"Approve **deploy**?"`:    "Approve **deploy**?",
		`"\u001b[31mred"`:          "\x1b[31mred", // decoded, still unsanitised: termsafe's job
		`null`:                     "",
		`plain text, not JSON`:     "plain text, not JSON",
		`  "padded"  `:             "padded",
		`"nested \"quotes\" here"`: `nested "quotes" here`,
	} {
		if got := decodeDescription([]byte(in)); got != want {
			t.Errorf("decodeDescription(%s) = %q, want %q", in, got, want)
		}
	}
}

// /input/filter values are JSON strings containing JSON: decoded twice.
func TestResponsesDoubleDecoding(t *testing.T) {
	f := newFake(t)
	f.json("POST /api/flow_runs/{id}/input/filter", 200, `[
	 {"id":"a1","created":"2026-08-21T16:27:33.2Z","updated":"2026-08-21T16:27:33.2Z","flow_run_id":"`+runAID+`",
	  "key":"paused-1-schema","value":"{\"type\":\"object\"}","sender":null},
	 {"id":"a2","created":"2026-08-21T16:27:33.3Z","updated":"2026-08-21T16:27:33.3Z","flow_run_id":"`+runAID+`",
	  "key":"paused-1-description","value":"\"**hi**\"","sender":null},
	 {"id":"a4","created":"2026-08-21T17:00:00.000000+00:00","updated":"2026-08-21T17:00:00+00:00","flow_run_id":"`+runAID+`",
	  "key":"paused-2-response","value":"{\"value\":42}","sender":"prefect.flow-run.abc"},
	 {"id":"a3","created":"2026-08-21T16:31:02.0001Z","updated":"2026-08-21T16:31:02.0001Z","flow_run_id":"`+runAID+`",
	  "key":"paused-1-response","value":"{\"approve\":true,\"notes\":\"checked the diff\"}","sender":null}
	]`)
	c, _ := newClient(t, f)
	got, err := c.Responses(context.Background(), runAID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d responses: %+v", len(got), got)
	}
	if got[0].Key != "paused-1-response" || string(got[0].Value) != `{"approve":true,"notes":"checked the diff"}` || got[0].Sender != "" {
		t.Errorf("first %+v (%s)", got[0], got[0].Value)
	}
	if got[1].Key != "paused-2-response" || string(got[1].Value) != `{"value":42}` || got[1].Sender != "prefect.flow-run.abc" {
		t.Errorf("second %+v (%s)", got[1], got[1].Value)
	}
	sameJSONText(t, f.bodies("POST", "/api/flow_runs/"+runAID+"/input/filter")[0], `{"prefix":"","limit":200,"exclude_keys":[]}`)

	for in, want := range map[string]string{
		`"{\"a\":1}"`: `{"a":1}`,
		`"\"text\""`:  `"text"`,
		`"not json"`:  `"not json"`,
		`{"a":1}`:     `{"a":1}`,
	} {
		if got := string(decodeInputValue(json.RawMessage(in))); got != want {
			t.Errorf("decodeInputValue(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestLogs(t *testing.T) {
	f := newFake(t)
	f.json("POST /api/logs/filter", 200, `[
	 {"id":"l3","created":"2026-08-21T16:27:34Z","updated":"2026-08-21T16:27:34Z","name":"prefect.flow_runs","level":20,
	  "message":"Pausing flow, execution will continue when this flow run is resumed.","timestamp":"2026-08-21T16:27:33.9Z",
	  "flow_run_id":"`+runAID+`","task_run_id":null,"worker_id":null},
	 {"id":"l2","name":"prefect.flow_runs","level":30,"message":"second","timestamp":"2026-08-21T16:27:32+00:00","flow_run_id":"`+runAID+`"},
	 {"id":"l1","name":"prefect.flow_runs","level":20,"message":"first","timestamp":"2026-08-21T16:27:31.5Z","flow_run_id":"`+runAID+`"}
	]`)
	c, _ := newClient(t, f)
	lines, err := c.Logs(context.Background(), runAID, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 3 || lines[0].Message != "first" || lines[1].Level != 30 || !strings.HasPrefix(lines[2].Message, "Pausing") {
		t.Fatalf("lines %+v", lines)
	}
	if !lines[0].Timestamp.Before(lines[1].Timestamp) || !lines[1].Timestamp.Before(lines[2].Timestamp) {
		t.Error("not oldest first")
	}
	if _, err := c.Logs(context.Background(), runAID, 1000); err != nil {
		t.Fatal(err)
	}
	bodies := f.bodies("POST", "/api/logs/filter")
	sameJSONText(t, bodies[0], `{"logs":{"flow_run_id":{"any_":["`+runAID+`"]}},"sort":"TIMESTAMP_DESC","limit":3}`)
	sameJSONText(t, bodies[1], `{"logs":{"flow_run_id":{"any_":["`+runAID+`"]}},"sort":"TIMESTAMP_DESC","limit":200}`)
}

func TestHealthAndVersion(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/health", 200, `true`)
	f.json("GET /api/admin/version", 200, `"3.9.1"`)
	c, _ := newClient(t, f)
	if err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	v, err := c.ServerVersion(context.Background())
	if err != nil || v != "3.9.1" {
		t.Fatalf("version %q %v", v, err)
	}

	f2 := newFake(t)
	f2.json("GET /api/health", 401, `{"exception_message":"Unauthorized"}`)
	f2.json("GET /api/admin/version", 200, `{"not":"a string"}`)
	c2, _ := newClient(t, f2)
	if err := c2.Health(context.Background()); KindOf(err) != ErrAuth || !strings.Contains(err.Error(), "Unauthorized") {
		t.Fatalf("health err = %v", err)
	}
	if _, err := c2.ServerVersion(context.Background()); KindOf(err) != ErrServer {
		t.Fatalf("version err = %v", err)
	}
}

// A pause seconds old may not have its description saved yet (the flow
// saves the schema, then the description, and the event stream tells of
// the pause first): its 404 is asked again until it appears.
func TestInputRequestDescriptionOfAFreshPauseIsAwaited(t *testing.T) {
	f := newFake(t)
	f.handle("GET /api/flow_runs/{id}/input/paused-1-schema", plain(200, schemaText))
	f.sequence("GET /api/flow_runs/{id}/input/paused-1-description",
		replyFn(404, inputNotFoundJSON), plain(200, descriptionText))
	c, s := newClient(t, f)
	r := pausedRun(t)
	r.State.Timestamp = time.Now().Add(-time.Second)
	ir, err := c.InputRequest(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if ir.Description != "**Preview (3 runs):**\n- a\n- b" {
		t.Errorf("description %q: a fresh pause's late description was not awaited", ir.Description)
	}
	if got := s.all(); len(got) != 1 {
		t.Errorf("sleeps %v, want one", got)
	}
}

package apiclient

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
)

const approvalSchema = `{"title":"Approval","type":"object","properties":{"approve":{"type":"boolean"}},"required":["approve"]}`

// recordClient acts for identity against srv; its waits are skipped.
func recordClient(t *testing.T, srv *prefecttest.Server, identity string) *Client {
	t.Helper()
	c, err := New(Options{
		BaseURL: srv.APIURL(), Timeout: 5 * time.Second, CancelSettle: time.Second,
		Identity: identity, Version: "1.2.3", Host: "ops-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return c
}

// readRecord reads the record stored under key and checks its sender.
func readRecord(t *testing.T, srv *prefecttest.Server, id, key, who, action string) {
	t.Helper()
	v, sender, ok := srv.Input(id, key)
	if !ok {
		t.Fatalf("no input %q on the run", key)
	}
	if sender != "unpause:"+who {
		t.Errorf("sender %q, want unpause:%s", sender, who)
	}
	var rec Record
	if err := json.Unmarshal([]byte(v), &rec); err != nil {
		t.Fatalf("record %q: %v", v, err)
	}
	if rec.Who != who || rec.Action != action || rec.Host != "ops-1" || rec.UnpauseVersion != "1.2.3" ||
		time.Since(rec.When) > time.Minute || rec.When.Location() != time.UTC {
		t.Errorf("record %+v (%s)", rec, v)
	}
	if !strings.Contains(v, `"when":"`) || !strings.HasSuffix(strings.SplitN(strings.SplitN(v, `"when":"`, 2)[1], `"`, 2)[0], "Z") {
		t.Errorf("when is not RFC 3339 UTC: %s", v)
	}
}

func TestWriteInputSendsPrefectsShape(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r"})
	c := recordClient(t, srv, "")
	if err := c.WriteInput(context.Background(), id, "note-1", json.RawMessage(` {"a": 1} `), "me"); err != nil {
		t.Fatal(err)
	}
	bodies := srv.Bodies(http.MethodPost, "/api/flow_runs/"+id+"/input")
	if len(bodies) != 1 {
		t.Fatalf("sent %d bodies", len(bodies))
	}
	sameJSONText(t, bodies[0], `{"key":"note-1","value":"{\"a\": 1}","sender":"me"}`)
	if v, s, _ := srv.Input(id, "note-1"); v != `{"a": 1}` || s != "me" {
		t.Errorf("stored %q from %q", v, s)
	}
}

func TestWriteInputChecksKeyLocally(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r"})
	c := recordClient(t, srv, "")
	for _, key := range []string{"", "Paused-1", "a_b", "a b", "ключ"} {
		err := c.WriteInput(context.Background(), id, key, json.RawMessage(`1`), "")
		if KindOf(err) != ErrBadRequest {
			t.Errorf("key %q: %v, want a bad request", key, err)
		}
	}
	if err := c.WriteInput(context.Background(), id, "k", json.RawMessage(`{`), ""); KindOf(err) != ErrBadRequest {
		t.Errorf("bad JSON: %v", err)
	}
	if n := len(srv.Bodies(http.MethodPost, "/api/flow_runs/"+id+"/input")); n != 0 {
		t.Errorf("%d writes reached the server", n)
	}
}

// 409: the same value already there is done (a retry whose first copy
// landed); another value is an error.
func TestWriteInputConflict(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r"})
	c := recordClient(t, srv, "")
	srv.SetInput(id, "k", `{"a":1}`)
	if err := c.WriteInput(context.Background(), id, "k", json.RawMessage(`{"a": 1}`), ""); err != nil {
		t.Errorf("same value: %v", err)
	}
	err := c.WriteInput(context.Background(), id, "k", json.RawMessage(`{"a":2}`), "")
	if err == nil || !strings.Contains(err.Error(), "another value") {
		t.Errorf("other value: %v", err)
	}
	if v, _, _ := srv.Input(id, "k"); v != `{"a":1}` {
		t.Errorf("overwritten: %s", v)
	}
}

func TestResumeWritesAnsweredBy(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r", Schema: approvalSchema})
	res, err := recordClient(t, srv, "alice@ops-1").Resume(context.Background(), id, json.RawMessage(`{"approve":true}`))
	if err != nil || res.Outcome != OutcomeResumed {
		t.Fatal(res, err)
	}
	if !res.Recorded || res.RecordErr != nil || res.RunName != "r" {
		t.Errorf("recorded %v (%v), name %q", res.Recorded, res.RecordErr, res.RunName)
	}
	readRecord(t, srv, id, "paused-1-answered-by", "alice@ops-1", "resume")
}

// A pause with no keyset: Prefect's base key, state name lower-cased and the pause key.
func TestResumeWithoutKeysetUsesStateNameBase(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r", Suspended: true})
	res, err := recordClient(t, srv, "bob").Resume(context.Background(), id, nil)
	if err != nil || res.Outcome != OutcomeResumed || !res.Recorded {
		t.Fatal(res, err)
	}
	readRecord(t, srv, id, "suspended-1-answered-by", "bob", "resume")
}

func TestCancelWritesCancelledBy(t *testing.T) {
	for _, run := range []prefecttest.Run{{Name: "r", Schema: approvalSchema, Suspended: true}, {Name: "s", Suspended: true}} {
		srv := prefecttest.New(t)
		id := srv.Add(run)
		res, err := recordClient(t, srv, "carol").Cancel(context.Background(), id, "no")
		if err != nil || res.Outcome != OutcomeCancelled || !res.Recorded {
			t.Fatal(res, err)
		}
		key := "suspended-1-cancelled-by"
		if run.Schema != "" {
			key = "paused-1-cancelled-by" // the keyset's base wins over the state's name
		}
		readRecord(t, srv, id, key, "carol", "cancel")
	}
}

// Nothing is written without an identity, nor after an outcome the server
// did not confirm.
func TestNoRecordWithoutIdentityOrConfirmation(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r", Schema: approvalSchema})
	if res, err := recordClient(t, srv, "").Resume(context.Background(), id, json.RawMessage(`{"approve":true}`)); err != nil || res.Recorded {
		t.Fatal(res, err)
	}
	done := srv.Add(prefecttest.Run{Name: "d", StateType: "COMPLETED", StateName: "Completed"})
	if res, err := recordClient(t, srv, "alice").Resume(context.Background(), done, nil); err != nil || res.Outcome != OutcomeNotPaused || res.Recorded {
		t.Fatal(res, err)
	}
	for _, run := range []string{id, done} {
		if n := len(srv.Bodies(http.MethodPost, "/api/flow_runs/"+run+"/input")); n != 0 {
			t.Errorf("%d record writes", n)
		}
	}
}

// A record that cannot be written leaves the outcome as the server said it.
func TestRecordFailureKeepsOutcome(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r", Schema: approvalSchema})
	srv.FailInputWrites(-1)
	res, err := recordClient(t, srv, "alice").Resume(context.Background(), id, json.RawMessage(`{"approve":true}`))
	if err != nil {
		t.Fatalf("the resume failed because of its record: %v", err)
	}
	if res.Outcome != OutcomeResumed || res.Recorded || res.RecordErr == nil {
		t.Errorf("outcome %q recorded %v err %v", res.Outcome, res.Recorded, res.RecordErr)
	}
	if typ, _, _ := srv.State(id); typ != "RUNNING" {
		t.Errorf("run is %s", typ)
	}
}

// A write that failed once is sent again; its copy is the record.
func TestRecordRetriedAfterTransientFailure(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r", Suspended: true})
	srv.FailInputWrites(1)
	res, err := recordClient(t, srv, "alice").Cancel(context.Background(), id, "no")
	if err != nil || !res.Recorded {
		t.Fatal(res, err)
	}
	readRecord(t, srv, id, "suspended-1-cancelled-by", "alice", "cancel")
}

func TestWithIdentitySharesTheClient(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r", Schema: approvalSchema})
	base := recordClient(t, srv, "")
	dave := base.WithIdentity("dave")
	if dave.core != base.core || dave.Identity() != "dave" || base.Identity() != "" {
		t.Fatal("WithIdentity does not share the core, or changed the original")
	}
	if _, err := dave.Resume(context.Background(), id, json.RawMessage(`{"approve":false}`)); err != nil {
		t.Fatal(err)
	}
	readRecord(t, srv, id, "paused-1-answered-by", "dave", "resume")
}

// Responses attach the record of the same base to each answer.
func TestResponsesCarryAnsweredBy(t *testing.T) {
	srv := prefecttest.New(t)
	id := srv.Add(prefecttest.Run{Name: "r", Schema: approvalSchema})
	c := recordClient(t, srv, "erin")
	if _, err := c.Resume(context.Background(), id, json.RawMessage(`{"approve":true}`)); err != nil {
		t.Fatal(err)
	}
	srv.Pause(id, approvalSchema, "again")
	srv.SetInput(id, "paused-2-response", `{"approve":false}`)
	rs, err := c.Responses(context.Background(), id)
	if err != nil || len(rs) != 2 {
		t.Fatal(rs, err)
	}
	for _, r := range rs {
		switch r.Key {
		case "paused-1-response":
			if r.AnsweredBy == nil || r.AnsweredBy.Who != "erin" || r.AnsweredBy.Sender != "unpause:erin" || r.AnsweredBy.Action != "resume" {
				t.Errorf("first answer: %+v", r.AnsweredBy)
			}
		case "paused-2-response":
			if r.AnsweredBy != nil {
				t.Errorf("second answer has a record: %+v", r.AnsweredBy)
			}
		}
	}
}

func TestRecordBase(t *testing.T) {
	cases := []struct {
		st   State
		want string
	}{
		{State{Name: "Paused", Details: StateDetails{PauseKey: "1", RunInputKeyset: &Keyset{Response: "paused-3-response"}}}, "paused-3"},
		{State{Name: "Suspended", Details: StateDetails{PauseKey: "approval"}}, "suspended-approval"},
		{State{Name: "Paused", Details: StateDetails{PauseKey: "My Key_2"}}, "paused-my-key-2"},
		{State{Name: "Paused"}, "paused-none"},
	}
	for _, c := range cases {
		if got := recordBase(&c.st); got != c.want {
			t.Errorf("%+v: %q, want %q", c.st, got, c.want)
		}
	}
}

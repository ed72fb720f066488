package accessible

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/drafts"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

// fixture is the tui suite's four runs; the deploy run also has an answer
// to an earlier pause, which the tests below expect to start from.
func fixture(t testing.TB) *tuitest.FakeAPI {
	return tuitest.WithEarlierAnswer(tuitest.Fixture(t))
}

func runAccessible(t *testing.T, api *tuitest.FakeAPI, input string, mod ...func(*Options)) (string, error) {
	t.Helper()
	o := Options{API: api, Now: tuitest.FixedNow, StateDir: t.TempDir(), Profile: "prod", ServerURL: "http://127.0.0.1:4200/api"}
	for _, f := range mod {
		f(&o)
	}
	var out bytes.Buffer
	o.In, o.Out = strings.NewReader(input), &out
	err := Run(t.Context(), o)
	s := out.String()
	if strings.Contains(s, "\x1b") || !termsafe.OnlySGR(s) {
		t.Fatalf("accessible output is not plain text: %q", s)
	}
	return s, err
}

func TestAccessibleAnswerAndResume(t *testing.T) {
	api := fixture(t)
	// Run 2 (deploy approval) paused again after an earlier answer
	// (approve false, reviewer bo): it starts from that answer. Keep approve
	// and environment, reviewer bob, keep notes, confirm with yes, then quit.
	out, err := runAccessible(t, api, "2\na\n\n\nbob\n\nyes\nq\n")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "Starting from the previous answer, sent") {
		t.Errorf("the previous answer is not said to be offered:\n%s", out)
	}
	calls := api.ResumeCalls()
	if len(calls) != 1 || calls[0].ID != "r-deploy" ||
		string(calls[0].Input) != `{"approve":false,"environment":"production","reviewer":"bob","notes":""}` {
		t.Fatalf("resume calls %+v\n%s", calls, out)
	}
	for _, want := range []string{
		"1. weekly-report; flow report; paused for 1h10m; pause expired",
		"2. deploy-42; flow deploy/prod; paused for 2h00m; expires in 5m (soon); asks for input; tags ops,prod",
		"Description:\n# Deploy approval", // the Markdown source, as plain text
		"Question 3 of 4: Reviewer (required). Text.",
		"Help: Who reviewed the release",
		"This exact JSON will be sent",
		"Resumed. The run continues.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAccessibleEndOfInputNeverResumes(t *testing.T) {
	for name, input := range map[string]string{
		"mid-form":        "2\na\n\n\nbo",
		"at confirmation": "2\na\n\n\nbob\n\n",
		"at list":         "",
		"no-input run":    "4\na\n",
	} {
		t.Run(name, func(t *testing.T) {
			api := fixture(t)
			out, err := runAccessible(t, api, input)
			if !errors.Is(err, ErrEndOfInput) {
				t.Fatalf("err = %v, want ErrEndOfInput\n%s", err, out)
			}
			if len(api.ResumeCalls())+len(api.CancelCalls()) != 0 {
				t.Fatal("something was sent at end of input")
			}
			if !strings.Contains(out, "End of input. Nothing was sent.") {
				t.Fatalf("output does not say nothing was sent:\n%s", out)
			}
		})
	}
}

func TestAccessibleOnlyYesConfirms(t *testing.T) {
	api := fixture(t)
	out, err := runAccessible(t, api, "2\na\n\n\nbob\n\ny\nb\nq\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(api.ResumeCalls()) != 0 || !strings.Contains(out, "Not sent. Your answers are kept as a draft.") {
		t.Fatalf("'y' must not confirm:\n%s", out)
	}
}

func TestAccessibleEnumsByNumberAndRejection(t *testing.T) {
	api := fixture(t)
	n := 0
	api.ResumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
		n++
		if n == 1 {
			return &apiclient.ActionResult{
				Outcome: apiclient.OutcomeRejected,
				Reason:  "Reason: Validation failed for field 'color'. Failure reason: 'green' is not one of ['red', 'blue']",
			}, nil
		}
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeResumed}, nil
	}
	// Shirt run (3): size 1 (small), color 2 (green); rejected: asked color
	// again only, 3 (blue); yes.
	out, err := runAccessible(t, api, "3\na\n1\n2\nyes\n3\nyes\nq\n")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	calls := api.ResumeCalls()
	if len(calls) != 2 || string(calls[0].Input) != `{"size":"small","color":"green"}` || string(calls[1].Input) != `{"size":"small","color":"blue"}` {
		t.Fatalf("calls %+v\n%s", calls, out)
	}
	if !strings.Contains(out, "The server refused the answer: Reason: Validation failed for field 'color'") ||
		!strings.Contains(out, "Choose one, by number or value: 1 red, 2 green, 3 blue") {
		t.Fatalf("output:\n%s", out)
	}
}

func TestAccessibleInvalidValueAskedAgain(t *testing.T) {
	api := fixture(t)
	out, err := runAccessible(t, api, "3\na\nhuge\nmedium\nred\nyes\nq\n")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "Not accepted:") || strings.Contains(out, "--set") {
		t.Fatalf("invalid value message:\n%s", out)
	}
	if c := api.ResumeCalls(); len(c) != 1 || string(c[0].Input) != `{"size":"medium","color":"red"}` {
		t.Fatalf("calls %+v", c)
	}
}

func TestAccessibleNoInputAndCancel(t *testing.T) {
	api := fixture(t)
	out, err := runAccessible(t, api, "4\na\nyes\nq\n")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if c := api.ResumeCalls(); len(c) != 1 || c[0].ID != "r-nightly" || c[0].Input != nil {
		t.Fatalf("resume %+v", c)
	}
	api = fixture(t)
	out, err = runAccessible(t, api, "2\nc\nwrong build\nyes\nq\n")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if c := api.CancelCalls(); len(c) != 1 || c[0].Reason != "wrong build" || !strings.Contains(out, "Cancelled.") {
		t.Fatalf("cancel %+v\n%s", c, out)
	}
	// A reason is required, as on the command line; what cancelling does is
	// said first.
	api = fixture(t)
	out, err = runAccessible(t, api, "2\nc\n  \nq\n")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if c := api.CancelCalls(); len(c) != 0 || !strings.Contains(out, "A reason is required") || !strings.Contains(out, "Its runner will stop") {
		t.Fatalf("cancel without a reason: %+v\n%s", c, out)
	}
}

func TestAccessibleReadOnly(t *testing.T) {
	api := fixture(t)
	out, err := runAccessible(t, api, "2\na\nc\nb\nq\n", func(o *Options) { o.ReadOnly = true })
	if err != nil {
		t.Fatal(err)
	}
	if len(api.ResumeCalls())+len(api.CancelCalls()) != 0 || !strings.Contains(out, "Read-only: resuming is disabled.") {
		t.Fatalf("read-only:\n%s", out)
	}
}

func TestAccessibleEmptyAndErrors(t *testing.T) {
	out, err := runAccessible(t, tuitest.NewFake(), "")
	if err != nil || !strings.Contains(out, "Nothing is waiting") {
		t.Fatalf("empty: %v\n%s", err, out)
	}
	api := tuitest.NewFake()
	api.ListErr = tuitest.ErrConn
	out, err = runAccessible(t, api, "")
	if err == nil || !strings.Contains(out, "Check PREFECT_API_URL") {
		t.Fatalf("error: %v\n%s", err, out)
	}
}

func TestAccessibleInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	defer pw.Close()
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		done <- Run(ctx, Options{API: fixture(t), Now: tuitest.FixedNow, In: pr, Out: &out})
	}()
	_, _ = pw.Write([]byte("2\n"))
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}

func TestAccessiblePicksRunsByNumberIDOrName(t *testing.T) {
	var rows []domain.Row
	for _, s := range []tuitest.RunSpec{{ID: "r-a", Name: "Alpha"}, {ID: "r-b", Name: "beta"}, {ID: "r-c", Name: "beta"}} {
		s.Flow, s.PausedAgo = "f", time.Minute
		r := tuitest.MkRun(t, s)
		rows = append(rows, domain.NewRow(&r))
	}
	for choice, want := range map[string]string{"1": "r-a", "alpha": "r-a", "r-c": "r-c", "beta": "", "4": "", "0": "", "gamma": ""} {
		got := pickRow(rows, choice)
		switch {
		case want == "" && got != nil:
			t.Errorf("pickRow(%q) = %s, want none", choice, got.ID)
		case want != "" && (got == nil || got.ID != want):
			t.Errorf("pickRow(%q) = %v, want %s", choice, got, want)
		}
	}
}

// A secret (pydantic SecretStr: format password) is asked with echo off on
// a terminal, and the prompt says so.
func TestAccessibleSecretPrompt(t *testing.T) {
	api := fixture(t)
	api.Inputs["r-report"] = &apiclient.InputRequest{Schema: json.RawMessage(`{"additionalProperties":false,"properties":{"token":{"format":"password","title":"Token","type":"string","writeOnly":true}},"required":["token"],"title":"T","type":"object"}`)}
	out, err := runAccessible(t, api, "1\na\nhunter2\nyes\nq\n")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "> (typing is not shown) ") {
		t.Errorf("secret prompt does not say typing is hidden:\n%s", out)
	}
	if calls := api.ResumeCalls(); len(calls) != 1 || string(calls[0].Input) != `{"token":"hunter2"}` {
		t.Errorf("resume calls %+v", calls)
	}
}

// Without a client or streams there is nothing to run: Run says so before
// it reads or writes anything.
func TestAccessibleNeedsClientAndStreams(t *testing.T) {
	var out bytes.Buffer
	for name, o := range map[string]Options{
		"no client": {In: strings.NewReader("q\n"), Out: &out},
		"no input":  {API: fixture(t), Out: &out},
		"no output": {API: fixture(t), In: strings.NewReader("q\n")},
	} {
		if err := Run(t.Context(), o); err == nil {
			t.Errorf("%s: Run succeeded", name)
		}
	}
	if out.Len() != 0 {
		t.Errorf("wrote %q", out.String())
	}
}

func TestAccessibleDropsDraftOfAPauseThatIsOver(t *testing.T) {
	dir := t.TempDir()
	writeDraft := func(id, schemaKey string) {
		s, err := drafts.Open(dir, tuitest.FixedNow)
		if err != nil {
			t.Fatal(err)
		}
		s.Set(id, schemaKey, map[string]any{"reviewer": "stale"}, nil, nil)
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	gone := func(id string) bool {
		_, err := os.Stat(filepath.Join(dir, "drafts", id+".json"))
		return os.IsNotExist(err)
	}
	inDir := func(o *Options) { o.StateDir = dir }

	// Written for an earlier pause (paused-0): not offered, removed.
	writeDraft("r-deploy", "paused-0-schema")
	out, _ := runAccessible(t, fixture(t), "2\na\n", inDir)
	if strings.Contains(out, "Restored draft") || strings.Contains(out, "stale") || !gone("r-deploy") {
		t.Fatalf("draft of an ended pause offered or kept (gone %v):\n%s", gone("r-deploy"), out)
	}

	// The run is not paused any more: removed when it is shown.
	writeDraft("r-deploy", "paused-1-schema")
	api := fixture(t)
	r := api.Runs[1]
	st := *r.State
	st.Type, st.Name = "RUNNING", "Running"
	r.State = &st
	api.GetRunByID["r-deploy"] = &r
	out, _ = runAccessible(t, api, "2\nq\n", inDir)
	if !gone("r-deploy") {
		t.Fatalf("draft of a run no longer paused kept:\n%s", out)
	}
}

// A past answer says who gave it, from its record; a record that could not
// be written is said with the outcome, and the resume still counts.
func TestAccessibleAnsweredByAndRecordFailure(t *testing.T) {
	api := fixture(t)
	api.ResponsesByRun["r-deploy"][0].AnsweredBy = &apiclient.Record{Who: "alice@ops-1\x1b[2J", When: tuitest.Now.Add(-3 * time.Hour)}
	api.ResumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeResumed, RecordErr: errors.New("HTTP 503")}, nil
	}
	out, err := runAccessible(t, api, "2\na\n\n\nbob\n\nyes\nq\n")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"answered by alice@ops-1[2J at ",
		"Resumed. The run continues. Warning: the answered-by record could not be written: HTTP 503.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

package tuitest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
)

// Fixture is four runs covering paused/suspended, input/no input, deadlines
// soon, later, none and passed; the deploy run has logs.
func Fixture(t testing.TB) *FakeAPI {
	api := NewFake()
	api.SetRuns(
		MkRun(t, RunSpec{ID: "r-shirt", Name: "shirt-1", Flow: "unpause-shirt-order", PausedAgo: 20 * time.Minute, ExpiresIn: In(45 * time.Minute), Tags: []string{"shop"}}),
		MkRun(t, RunSpec{ID: "r-deploy", Name: "deploy-42", Flow: "deploy", Deployment: "prod", PausedAgo: 2 * time.Hour, ExpiresIn: In(5 * time.Minute), Tags: []string{"ops", "prod"}, Pool: "k8s"}),
		MkRun(t, RunSpec{ID: "r-nightly", Name: "nightly-etl", Flow: "etl", PausedAgo: 26 * time.Hour, Suspended: true, NoInput: true}),
		MkRun(t, RunSpec{ID: "r-report", Name: "weekly-report", Flow: "report", PausedAgo: 70 * time.Minute, ExpiresIn: In(-2 * time.Minute)}),
	)
	api.Inputs["r-shirt"] = &apiclient.InputRequest{Schema: ReadSchema(t, "shirt_schema.json"), Description: "Pick a **size** and a **colour** for your shirt."}
	api.Inputs["r-deploy"] = &apiclient.InputRequest{Schema: ReadSchema(t, "approval_schema.json"), Description: DeployDescription}
	api.Inputs["r-report"] = &apiclient.InputRequest{Schema: json.RawMessage(StrSchema)}
	api.LogsByRun["r-deploy"] = []apiclient.LogLine{
		{Timestamp: Now.Add(-2 * time.Hour), Level: 20, Message: "Building release v2.3.1"},
		{Timestamp: Now.Add(-2 * time.Hour), Level: 30, Message: "Waiting for approval"},
	}
	return api
}

// WithEarlierAnswer gives the deploy run an answer to an earlier pause, as a
// run that paused again has.
func WithEarlierAnswer(api *FakeAPI) *FakeAPI {
	api.ResponsesByRun["r-deploy"] = []apiclient.Response{
		{Key: "paused-0-response", Created: Now.Add(-3 * time.Hour), Value: json.RawMessage(`{"approve":false,"reviewer":"bo"}`)},
	}
	return api
}

// Hostile carries terminal attacks: OSC 52 clipboard write, OSC 0 title,
// screen clear, C1 CSI, bidi override, zero-width, raw ESC colour, a
// character reference glamour would turn into ESC, and a lone CR.
const Hostile = "A\x1b]52;c;cm0gLXJmIH4=\x07B\x1b]0;pwned\x07C\x1b[2JD\u009b31mE\u202eF\u200bG\x1b[31mH&#27;[31mI\rJ\x07K\x1bP+q\x1b\\L"

// HostileSchema is an input schema with Hostile in every title,
// description, enum label and default.
func HostileSchema() json.RawMessage {
	s := map[string]any{
		"title": "Evil" + Hostile, "type": "object", "additionalProperties": false,
		"properties": map[string]any{
			"choice": map[string]any{
				"title": "Pick" + Hostile, "description": "Help" + Hostile, "type": "string",
				"enum": []any{"ok", "bad" + Hostile}, "default": "ok",
			},
			"note": map[string]any{"title": "Note" + Hostile, "description": "More" + Hostile, "type": "string", "default": "x" + Hostile},
		},
	}
	b, _ := json.Marshal(s)
	return b
}

// HostileFixture is a server whose every string a front end shows carries
// Hostile: two runs, the input request, logs, an earlier answer and the
// outcomes of Resume (rejected) and Cancel (not paused).
func HostileFixture(t testing.TB) *FakeAPI {
	api := NewFake()
	r := MkRun(t, RunSpec{
		ID: "evil", Name: "run" + Hostile, Flow: "flow" + Hostile, Deployment: "dep" + Hostile,
		PausedAgo: time.Hour, ExpiresIn: In(3 * time.Minute), Tags: []string{"tag" + Hostile, "\x1b]8;;http://x\x07link\x1b]8;;\x07"}, Pool: "pool" + Hostile,
	})
	r.Parameters = json.RawMessage(`{"p":"` + strings.ReplaceAll(Hostile, "\x1b", `\u001b`) + `", "raw":"\u009b2J"}`)
	r.State.Name = "Paused" + Hostile
	nr := MkRun(t, RunSpec{ID: "evil2", Name: "plain" + Hostile, Flow: "etl", PausedAgo: time.Minute, NoInput: true})
	api.SetRuns(r, nr)
	api.Inputs["evil"] = &apiclient.InputRequest{
		Schema: HostileSchema(),
		Description: "# Title" + Hostile + "\n\n`&#27;[2J` and ~~&**#27;**[31mFAKE~~ and [link" + Hostile + "](https://e.x/" + Hostile + ")\n\n" +
			"<img src=x onerror=alert(1)>&#x1b;]52;c;Zm9v&#7;\n\n```\ncode" + Hostile + "\n```\n",
	}
	api.LogsByRun["evil"] = []apiclient.LogLine{{Timestamp: Now, Level: 40, Message: "log" + Hostile + "\nsecond line" + Hostile}}
	api.ResponsesByRun["evil"] = []apiclient.Response{{Key: "paused-0-response" + Hostile, Created: Now, Value: json.RawMessage(`{"a":"\u001b]52;c;x\u0007"}`), Sender: "s" + Hostile}}
	api.ResumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeRejected, Reason: "Reason: Validation failed for field 'note'. Failure reason: " + Hostile}, nil
	}
	api.CancelResult = func(string, string) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeNotPaused, Reason: "no" + Hostile, State: &apiclient.State{Type: "COMPLETED", Name: "Done" + Hostile}}, nil
	}
	return api
}

package accessible

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/termsafe"
)

// hostile carries terminal attacks: OSC 52 clipboard write, OSC 0 title,
// screen clear, C1 CSI, bidi override, zero-width, raw ESC colour, a
// character reference glamour would turn into ESC, and a lone CR.
const hostile = "A\x1b]52;c;cm0gLXJmIH4=\x07B\x1b]0;pwned\x07C\x1b[2JD\u009b31mE\u202eF\u200bG\x1b[31mH&#27;[31mI\rJ\x07K\x1bP+q\x1b\\L"

func hostileSchema() json.RawMessage {
	s := map[string]any{
		"title": "Evil" + hostile, "type": "object", "additionalProperties": false,
		"properties": map[string]any{
			"choice": map[string]any{
				"title": "Pick" + hostile, "description": "Help" + hostile, "type": "string",
				"enum": []any{"ok", "bad" + hostile}, "default": "ok",
			},
			"note": map[string]any{"title": "Note" + hostile, "description": "More" + hostile, "type": "string", "default": "x" + hostile},
		},
	}
	b, _ := json.Marshal(s)
	return b
}

func hostileFixture(t *testing.T) *fakeAPI {
	api := newFake()
	r := mkRun(t, runSpec{
		ID: "evil", Name: "run" + hostile, Flow: "flow" + hostile, Deployment: "dep" + hostile,
		PausedAgo: time.Hour, ExpiresIn: in(3 * time.Minute), Tags: []string{"tag" + hostile, "\x1b]8;;http://x\x07link\x1b]8;;\x07"}, Pool: "pool" + hostile,
	})
	r.Parameters = json.RawMessage(`{"p":"` + strings.ReplaceAll(hostile, "\x1b", `\u001b`) + `", "raw":"\u009b2J"}`)
	r.State.Name = "Paused" + hostile
	nr := mkRun(t, runSpec{ID: "evil2", Name: "plain" + hostile, Flow: "etl", PausedAgo: time.Minute, NoInput: true})
	api.runs = []apiclient.Run{r, nr}
	api.inputs["evil"] = &apiclient.InputRequest{
		Schema: hostileSchema(),
		Description: "# Title" + hostile + "\n\n`&#27;[2J` and ~~&**#27;**[31mFAKE~~ and [link" + hostile + "](https://e.x/" + hostile + ")\n\n" +
			"<img src=x onerror=alert(1)>&#x1b;]52;c;Zm9v&#7;\n\n```\ncode" + hostile + "\n```\n",
	}
	api.responses["evil"] = []apiclient.Response{{Key: "paused-0-response" + hostile, Created: testNow, Value: json.RawMessage(`{"a":"\u001b]52;c;x\u0007"}`), Sender: "s" + hostile}}
	api.resumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeRejected, Reason: "Reason: Validation failed for field 'note'. Failure reason: " + hostile}, nil
	}
	api.cancelResult = func(string, string) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeNotPaused, Reason: "no" + hostile, State: &apiclient.State{Type: "COMPLETED", Name: "Done" + hostile}}, nil
	}
	return api
}

func TestAccessibleModeHostile(t *testing.T) {
	api := hostileFixture(t)
	var out bytes.Buffer
	// Open run 1, answer (keep defaults), refuse the confirmation, quit.
	in := strings.NewReader("1\na\n\n\nno\nb\nq\n")
	err := Run(t.Context(), Options{API: api, Now: fixedNow, StateDir: t.TempDir(), Profile: "p" + hostile, ServerURL: "s" + hostile, In: in, Out: &out})
	if err != nil {
		t.Fatalf("accessible: %v\n%s", err, out.String())
	}
	s := out.String()
	if strings.Contains(s, "\x1b") || !termsafe.OnlySGR(s) {
		t.Fatalf("accessible output carries escapes: %q", s)
	}
	if len(api.resumeCalls()) != 0 {
		t.Fatal("sent without yes")
	}
}

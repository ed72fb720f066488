package domain

import (
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
)

func TestInitialValues(t *testing.T) {
	defaults := map[string]any{"approve": false, "environment": "production"}
	saved := map[string]any{"approve": true, "reviewer": "bob"}
	got := InitialValues(defaults, saved)
	want := map[string]any{"approve": true, "environment": "production", "reviewer": "bob"}
	if !maps.Equal(got, want) {
		t.Fatalf("InitialValues = %v, want %v", got, want)
	}
	got["environment"] = "staging"
	if defaults["environment"] != "production" || len(saved) != 2 {
		t.Fatal("InitialValues changed its inputs")
	}
	if got := InitialValues(nil, nil); got == nil || len(got) != 0 {
		t.Fatalf("InitialValues(nil, nil) = %v, want an empty map", got)
	}
}

func TestIndentJSON(t *testing.T) {
	cases := []struct {
		raw, prefix, want string
	}{
		// Key order and numbers are kept: the text is what is sent.
		{
			`{"size":"medium","color":"blue","n":12345678901234567890}`, "",
			"{\n  \"size\": \"medium\",\n  \"color\": \"blue\",\n  \"n\": 12345678901234567890\n}",
		},
		{`{"a":[1,{"b":"<&>"}]}`, "  ", "  {\n    \"a\": [\n      1,\n      {\n        \"b\": \"<&>\"\n      }\n    ]\n  }"},
		{`true`, "  ", "  true"},
		{`{"broken":`, "  ", `{"broken":`},
	}
	for _, c := range cases {
		if got := IndentJSON(json.RawMessage(c.raw), c.prefix); got != c.want {
			t.Errorf("IndentJSON(%s, %q)\n got %q\nwant %q", c.raw, c.prefix, got, c.want)
		}
	}
}

func TestPreviousAnswer(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 12, 2, 20, m, 0, 0, time.UTC) }
	rs := []apiclient.Response{
		{Key: "paused-1-response", Created: at(1), Value: json.RawMessage(`{"size":"small","color":"green"}`)},
		{Key: "paused-2-response", Created: at(3), Value: json.RawMessage(`{"size":"medium","count":3}`)},
		{Key: "paused-3-response", Created: at(5), Value: json.RawMessage(`{"size":"large"}`)},
		{Key: "other-response", Created: at(4), Value: json.RawMessage(`"not an object"`)},
	}
	v, when, ok := PreviousAnswer(rs, "paused-3-response")
	if !ok || v["size"] != "medium" || v["count"] != json.Number("3") || !when.Equal(at(3)) {
		t.Errorf("got %v %v %v, want the paused-2 answer", v, when, ok)
	}
	if _, _, ok := PreviousAnswer(rs[:1], "paused-1-response"); ok {
		t.Error("the current pause's own response counted as a previous answer")
	}
	if _, _, ok := PreviousAnswer(nil, "x"); ok {
		t.Error("an answer from nothing")
	}
}

func TestRefusal(t *testing.T) {
	answered := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	paused := answered.Add(5 * time.Second)
	at := func(d time.Duration) time.Time { return answered.Add(d) }
	const refused = "Invalid shirt order: Value error, Green is only in stock in medium and large."
	tests := []struct {
		name     string
		logs     []apiclient.LogLine
		answered time.Time
		want     string
		wantOK   bool
	}{
		{"no logs", nil, answered, "", false},
		{"error between answer and pause", []apiclient.LogLine{
			{Timestamp: at(-time.Minute), Level: 20, Message: "Pausing"},
			{Timestamp: at(time.Second), Level: 20, Message: "Resumed"},
			{Timestamp: at(2 * time.Second), Level: 40, Message: refused},
		}, answered, refused, true},
		{"a warning is not a refusal (flows warn before pausing)", []apiclient.LogLine{{Timestamp: at(time.Second), Level: 30, Message: "odd size"}}, answered, "", false},
		{"info does not", []apiclient.LogLine{{Timestamp: at(time.Second), Level: 20, Message: "fine"}}, answered, "", false},
		{"newest wins, whatever the order", []apiclient.LogLine{
			{Timestamp: at(3 * time.Second), Level: 40, Message: "second"},
			{Timestamp: at(time.Second), Level: 40, Message: "first"},
		}, answered, "second", true},
		{"before the answer: an older pause's", []apiclient.LogLine{{Timestamp: at(-time.Second), Level: 40, Message: "old"}}, answered, "", false},
		{"just after the pause began: clocks differ", []apiclient.LogLine{{Timestamp: paused.Add(time.Second), Level: 40, Message: "late"}}, answered, "late", true},
		{"long after the pause began: not the refusal", []apiclient.LogLine{{Timestamp: paused.Add(3 * time.Second), Level: 40, Message: "later"}}, answered, "", false},
		{"no previous answer", []apiclient.LogLine{{Timestamp: at(time.Second), Level: 40, Message: refused}}, time.Time{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Refusal(tt.logs, tt.answered, paused)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("Refusal = %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

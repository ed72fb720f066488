package inputschema

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestApplySetsTyping(t *testing.T) {
	s := mustSchema(t, "approval_input")
	got, err := s.ApplySets(nil, []string{
		"count=3", "approved=yes", "color=green", "ids=1", "ids=2", "home.zip_code=12345",
		"reason=null", "approver:=\"x y\"", "when=2026-11-21 14:00",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"count": int64(3), "approved": true, "color": "green", "ids": []any{int64(1), int64(2)},
		"home": map[string]any{"zip_code": "12345"}, "reason": nil, "approver": "x y",
		"when": "2026-11-21T14:00:00+01:00",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	for _, yes := range []string{"yes", "true", "1", "Y", "on"} {
		got, _ := s.ApplySets(nil, []string{"approved=" + yes})
		if got["approved"] != true {
			t.Errorf("approved=%s -> %#v", yes, got["approved"])
		}
	}
	// The base is not modified; the first set of an array replaces, later ones append.
	base := map[string]any{"ids": []any{int64(9)}, "home": map[string]any{"street": "s"}}
	got, _ = s.ApplySets(base, []string{"ids=1", "ids=2", "home.zip_code=1"})
	if !reflect.DeepEqual(got["ids"], []any{int64(1), int64(2)}) || !reflect.DeepEqual(base["ids"], []any{int64(9)}) {
		t.Errorf("ids %v, base %v", got["ids"], base["ids"])
	}
	if !reflect.DeepEqual(got["home"], map[string]any{"street": "s", "zip_code": "1"}) || len(base["home"].(map[string]any)) != 1 {
		t.Errorf("home %v, base %v", got["home"], base["home"])
	}
	got, _ = s.ApplySets(nil, []string{"ids:=[1,2]", "ids=3"})
	if !reflect.DeepEqual(got["ids"], []any{int64(1), int64(2), int64(3)}) {
		t.Errorf("json then append: %v", got["ids"])
	}

	ch := mustSchema(t, "choices")
	got, err = ch.ApplySets(nil, []string{"priority=3", "level=2", "multi=a", "multi=b", "single=only"})
	if err != nil {
		t.Fatal(err)
	}
	if got["priority"] != int64(3) || got["level"] != int64(2) || !reflect.DeepEqual(got["multi"], []any{"a", "b"}) {
		t.Errorf("enums: %#v", got)
	}
	tp := mustSchema(t, "temporal")
	got, err = tp.ApplySets(nil, []string{"window=1h30m", "timeout=PT5M", "at=9:05", "request_id={0B7C1E5E-4D2A-4F7E-9C3B-1A2B3C4D5E6F}"})
	if err != nil {
		t.Fatal(err)
	}
	if got["window"] != "PT1H30M" || got["timeout"] != "PT5M" || got["at"] != "09:05:00" || got["request_id"] != "0b7c1e5e-4d2a-4f7e-9c3b-1a2b3c4d5e6f" {
		t.Errorf("formats: %#v", got)
	}
	co := mustSchema(t, "collections")
	got, err = co.ApplySets(nil, []string{"pair=2", "pair=b", "extra.who=alice", "extra.n=3", "extra.obj={\"a\":1}"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got["pair"], []any{int64(2), "b"}) ||
		!reflect.DeepEqual(got["extra"], map[string]any{"who": "alice", "n": int64(3), "obj": map[string]any{"a": int64(1)}}) {
		t.Errorf("tuple/dict: %#v", got)
	}
	op := mustSchema(t, "optionals")
	got, _ = op.ApplySets(nil, []string{"either=12", "amount=abc"})
	if got["either"] != int64(12) || got["amount"] != "abc" {
		t.Errorf("unions: %#v", got)
	}
}

func TestApplySetsErrors(t *testing.T) {
	s := mustSchema(t, "approval_input")
	cases := map[string][]string{
		"nope=1":         {`unknown field "nope"`, "approved, reason, approver, count, color, mode, ids, when, home, home.street, home.zip_code"},
		"count=abc":      {"count expects whole number", `"abc" is not a whole number`},
		"count=2.5":      {"count expects whole number"},
		"count=null":     {"count", "null is not allowed"},
		"approved=maybe": {"approved expects yes/no"},
		"color=purple":   {"color expects one of: red, green, blue", "purple"},
		"ids=x":          {"ids expects list of whole numbers"},
		"home=x":         {"home expects group of fields", "home.<field>=value", "home:=<json>"},
		"when=tomorrow":  {"when expects date and time"},
		"count:={":       {"count", "is not JSON; give a JSON value"},
		"=1":             {"expected field=value"},
		"novalue":        {"expected field=value"},
	}
	for set, wants := range cases {
		_, err := s.ApplySets(nil, []string{set})
		if err == nil {
			t.Errorf("%s: no error", set)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", set, err, w)
			}
		}
	}
	// A string field takes the text "null" when it is not nullable.
	got, err := s.ApplySets(nil, []string{"approver=null"})
	if err != nil || got["approver"] != "null" {
		t.Errorf("approver=null: %#v %v", got, err)
	}
}

// Every assignment that cannot be applied is reported at once, malformed
// ones marked as such; the Go decoder's words never reach the operator.
func TestApplySetsReportsAll(t *testing.T) {
	s := mustSchema(t, "approval_input")
	_, err := s.ApplySets(nil, []string{"count=abc", "approved=true", "reviewer", "approved:=notjson", "nope=1"})
	var errs SetErrors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Fatalf("err %v, want 4 SetErrors", err)
	}
	if !errs.Syntax() || errs[0].Syntax || !errs[1].Syntax {
		t.Errorf("syntax marks: %+v", errs)
	}
	for _, want := range []string{"--set count=abc: count expects whole number", "--set reviewer: expected field=value", `--set approved:=notjson: approved expects yes/no: "notjson" is not JSON`, `--set nope=1: unknown field "nope"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
	if strings.Contains(err.Error(), "invalid character") {
		t.Errorf("the JSON decoder's words leak:\n%s", err)
	}
	if _, err := s.ApplySets(nil, []string{"count=abc"}); !errors.As(err, &errs) || errs.Syntax() {
		t.Errorf("a wrong value is not a syntax mistake: %v", err)
	}
}

func TestSummaries(t *testing.T) {
	s := mustSchema(t, "approval_input")
	sum := s.Summaries()
	if len(sum) != 11 {
		t.Fatalf("%d summaries", len(sum))
	}
	lines := []string{}
	for _, f := range sum {
		lines = append(lines, f.String())
	}
	want := []string{
		"approved (yes/no) required",
		"reason (text, or null) optional (flow default applies)",
		"approver (text, 2 to 50 characters) required",
		"count (whole number, 1 to 10) default 1",
		`color (one of: red, green, blue) default "red"`,
		`mode (one of: fast, slow) default "fast"`,
		"ids (list of whole numbers) required",
		"when (date and time, or null) optional (flow default applies)",
		"home (group of fields) required",
		"home.street (text) required",
		`home.zip_code (text, matches ^\d{5}$) required`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	b, err := json.Marshal(sum[3])
	if err != nil || !strings.Contains(string(b), `"kind":"integer"`) {
		t.Errorf("summary JSON %s %v", b, err)
	}
}

func TestMaskSecrets(t *testing.T) {
	raw := []byte(`{"additionalProperties":false,"properties":{"user":{"title":"User","type":"string"},` +
		`"token":{"format":"password","title":"Token","type":"string","writeOnly":true},` +
		`"db":{"$ref":"#/definitions/DB"}},"required":["user","token","db"],"title":"T","type":"object",` +
		`"definitions":{"DB":{"properties":{"host":{"title":"Host","type":"string"},"password":{"format":"password","title":"Password","type":"string","writeOnly":true}},"required":["host","password"],"title":"DB","type":"object"}}}`)
	s, err := ParseSchema(raw)
	if err != nil {
		t.Fatal(err)
	}
	answer := map[string]any{"user": "ada", "token": "hunter2", "db": map[string]any{"host": "db1", "password": "s3cret"}}
	shown, err := s.Marshal(s.MaskSecrets(answer))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"user":"ada","token":"**********","db":{"host":"db1","password":"**********"}}`; string(shown) != want {
		t.Errorf("masked %s, want %s", shown, want)
	}
	sent, _ := s.Marshal(answer)
	if want := `{"user":"ada","token":"hunter2","db":{"host":"db1","password":"s3cret"}}`; string(sent) != want {
		t.Errorf("the answer itself changed: %s", sent)
	}
}

package inputschema

import (
	"encoding/json"
	"strings"
	"testing"
)

func validApproval() map[string]any {
	return map[string]any{
		"approved": true, "approver": "alice", "ids": []any{int64(1)},
		"home": map[string]any{"street": "s", "zip_code": "12345"},
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := deepCopy(m).(map[string]any)
	for i := 0; i < len(kv); i += 2 {
		if err := putPath(out, kv[i].(string), kv[i+1]); err != nil {
			panic(err) // a broken test table
		}
	}
	return out
}

func TestValidatePaths(t *testing.T) {
	s := mustSchema(t, "approval_input")
	if errs := s.Validate(validApproval()); len(errs) != 0 {
		t.Fatalf("valid answer refused: %v", errs)
	}
	cases := []struct {
		name   string
		answer map[string]any
		path   string
		msg    string
	}{
		{"missing", map[string]any{}, "approved", "required"},
		{"type", with(validApproval(), "approved", "yes"), "approved", "got string, want boolean"},
		{"extra key", with(validApproval(), "foo", 1), "", "unexpected field(s): foo"},
		{"maximum", with(validApproval(), "count", 11), "count", "must be at most 10"},
		{"enum", with(validApproval(), "color", "purple"), "color", `"purple" is not one of "red", "green", "blue"`},
		{"nested pattern", with(validApproval(), "home.zip_code", "1"), "home.zip_code", "does not match the pattern"},
		{"array index", with(validApproval(), "ids", []any{int64(1), "a"}), "ids", "got string, want integer"},
		{"not integer", with(validApproval(), "count", json.Number("2.5")), "count", "want integer"},
		{"nested required", with(validApproval(), "home", map[string]any{"street": "s"}), "home.zip_code", "required"},
		{"date-time format", with(validApproval(), "when", "not-a-date"), "when", "is not a valid date-time"},
		{"date-time needs offset", with(validApproval(), "when", "2026-11-21T14:00:00"), "when", "date-time"},
		{"null where not allowed", with(validApproval(), "approver", nil), "approver", "want string"},
		{"min length", with(validApproval(), "approver", "a"), "approver", "at least 2 characters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := s.Validate(c.answer)
			for _, e := range errs {
				if e.Path == c.path && strings.Contains(e.Message, c.msg) {
					return
				}
			}
			t.Errorf("want %s: ...%s..., got %v", c.path, c.msg, errs)
		})
	}
	// Accepted as the server accepts them.
	for name, a := range map[string]map[string]any{
		"2.0 is an integer": with(validApproval(), "count", json.Number("2.0")),
		"null reason":       with(validApproval(), "reason", nil),
		"offset date-time":  with(validApproval(), "when", "2026-11-21T14:00:00+01:00"),
		"Z date-time":       with(validApproval(), "when", "2026-11-21T13:00:00Z"),
	} {
		if errs := s.Validate(a); len(errs) != 0 {
			t.Errorf("%s refused: %v", name, errs)
		}
	}
}

func TestValidateFormats(t *testing.T) {
	s := mustSchema(t, "temporal")
	base := map[string]any{
		"starts_at": "2026-11-21T14:00:00+01:00", "window": "PT5M",
		"request_id": "0b7c1e5e-4d2a-4f7e-9c3b-1a2b3c4d5e6f", "password": "x",
	}
	if errs := s.Validate(base); len(errs) != 0 {
		t.Fatalf("valid answer refused: %v", errs)
	}
	good := map[string]any{
		"window": "PT5M", "timeout": "P1DT2H", "at": "14:30:00", "due": "2026-02-28",
		"link": "https://example.com/x?y=1",
	}
	for k, v := range good {
		if errs := s.Validate(with(base, k, v)); len(errs) != 0 {
			t.Errorf("%s=%v refused: %v", k, v, errs)
		}
	}
	// pydantic's own forms of times and durations (defaults of real flows).
	for k, v := range map[string]any{"at": "14:30", "timeout": "-PT5S", "deadline": "2026-01-01T12:00:00.5Z"} {
		if errs := s.Validate(with(base, k, v)); len(errs) != 0 {
			t.Errorf("pydantic value %s=%v refused: %v", k, v, errs)
		}
	}
	bad := map[string]any{
		"due": "2026-02-30", "starts_at": "2026-11-21 14:00", "window": "5m", "timeout": "PT",
		"request_id": "not-a-uuid", "at": "25:00:00", "link": "not a url",
	}
	for k, v := range bad {
		errs := s.Validate(with(base, k, v))
		if len(errs) != 1 || errs[0].Path != k {
			t.Errorf("%s=%v: want one error on %s, got %v", k, v, k, errs)
		}
	}
}

func TestValidateNestedOptionalAndUnion(t *testing.T) {
	s := mustSchema(t, "optionals")
	base := map[string]any{"req_opt": nil}
	if errs := s.Validate(base); len(errs) != 0 {
		t.Fatalf("refused: %v", errs)
	}
	// An invalid optional model points at the field inside, not at "home".
	errs := s.Validate(with(base, "home", map[string]any{"street": "s", "zip_code": "x"}))
	if len(errs) != 1 || errs[0].Path != "home.zip_code" {
		t.Errorf("optional model: %v", errs)
	}
	errs = s.Validate(with(base, "either", true))
	if len(errs) != 1 || errs[0].Path != "either" || !strings.Contains(errs[0].Message, "want integer or string") {
		t.Errorf("union: %v", errs)
	}
	errs = s.Validate(with(base, "req_opt", "x"))
	if len(errs) != 1 || errs[0].Message != "got string, want integer or null" {
		t.Errorf("optional int: %v", errs)
	}
}

func TestFieldForReason(t *testing.T) {
	s := mustSchema(t, "approval_input")
	cases := map[string]string{
		"Reason: Validation failed. Failure reason: 'approved' is a required property":                       "approved",
		"Validation failed for field 'approved'. Failure reason: 'yes' is not of type 'boolean'":             "approved",
		"Validation failed for field 'count'. Failure reason: 11 is greater than the maximum of 10":          "count",
		"Validation failed for field 'color'. Failure reason: 'blue' is not one of ['red', 'green']":         "color",
		`Reason: Validation failed for field 'home.zip_code'. Failure reason: '1' does not match '^\\d{5}$'`: "home.zip_code",
		"Validation failed for field 'ids[1]'. Failure reason: 'a' is not of type 'integer'":                 "ids",
		"Validation failed for field 'count'. Failure reason: 2.5 is not of type 'integer'":                  "count",
		"Validation failed for field 'home'. Failure reason: 'zip_code' is a required property":              "home.zip_code",
		`Validation failed for field "home.zip_code". Failure reason: "it's" does not match`:                 "home.zip_code",
	}
	for reason, want := range cases {
		got, ok := s.FieldForReason(reason)
		if !ok || got != want {
			t.Errorf("%q -> %q %v, want %q", reason, got, ok, want)
		}
	}
	for _, reason := range []string{
		"Validation failed. Failure reason: Additional properties are not allowed ('foo' was unexpected)",
		"Run is not paused",
		"",
		"Validation failed for field 'nope'. Failure reason: x",
	} {
		if got, ok := s.FieldForReason(reason); ok {
			t.Errorf("%q mapped to %q", reason, got)
		}
	}
	str := mustSchema(t, "automatic_str")
	if got, ok := str.FieldForReason("Validation failed for field 'value'. Failure reason: 3 is not of type 'string'"); !ok || got != "value" {
		t.Errorf("automatic input: %q %v", got, ok)
	}
}

func TestParseSchemaErrors(t *testing.T) {
	cases := map[string]string{
		"not json":        `{"properties":`,
		"not an object":   `[1,2]`,
		"a string schema": `{"type":"string"}`,
		"missing ref":     `{"type":"object","properties":{"a":{"$ref":"#/definitions/Nope"}}}`,
		"circular ref":    `{"type":"object","properties":{"a":{"$ref":"#/definitions/A"}},"definitions":{"A":{"$ref":"#/definitions/B"},"B":{"allOf":[{"$ref":"#/definitions/A"}]}}}`,
		"remote ref":      `{"type":"object","properties":{"a":{"$ref":"https://example.com/s.json"}}}`,
		"file ref":        `{"type":"object","properties":{"a":{"$ref":"file:///etc/passwd"}}}`,
		"invalid keyword": `{"type":"object","properties":{"a":{"type":"integer","minimum":"x"}}}`,
	}
	for name, raw := range cases {
		if _, err := ParseSchema([]byte(raw)); err == nil {
			t.Errorf("%s: no error", name)
		} else if name == "missing ref" && !strings.Contains(err.Error(), `"#/definitions/Nope"`) {
			t.Errorf("missing ref error does not name the ref: %v", err)
		} else if name == "circular ref" && !strings.Contains(err.Error(), "circular") {
			t.Errorf("circular ref error: %v", err)
		}
	}
}

// A model that contains itself cannot be a finite form: that field is
// edited as JSON, and the validator (which handles recursion) checks it.
func TestRecursiveModel(t *testing.T) {
	raw := `{"type":"object","properties":{"root":{"$ref":"#/definitions/Node"}},"required":["root"],
	"definitions":{"Node":{"type":"object","properties":{"name":{"type":"string"},
	"children":{"type":"array","items":{"$ref":"#/definitions/Node"},"default":[]},
	"parent":{"anyOf":[{"$ref":"#/definitions/Node"},{"type":"null"}],"default":null}},"required":["name"]}}}`
	s, err := ParseSchema([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Field("root.parent"); f == nil || f.Kind != JSON {
		t.Fatalf("recursive field: %#v", f)
	}
	if f := s.Field("root.children"); f == nil || f.Kind != JSON {
		t.Fatalf("recursive list: %#v", f)
	}
	ok := map[string]any{"root": map[string]any{"name": "a", "children": []any{map[string]any{"name": "b"}}}}
	if errs := s.Validate(ok); len(errs) != 0 {
		t.Errorf("refused: %v", errs)
	}
	bad := map[string]any{"root": map[string]any{"name": "a", "children": []any{map[string]any{"nom": "b"}}}}
	if errs := s.Validate(bad); len(errs) == 0 || errs[0].Path != "root.children" {
		t.Errorf("want an error on root.children, got %v", errs)
	}
}

// Patterns are Python regular expressions; pydantic's Decimal pattern uses a
// lookahead that Go's regexp cannot compile.
func TestPythonPatterns(t *testing.T) {
	raw := `{"type":"object","properties":{
	"dec":{"anyOf":[{"type":"number"},{"type":"string","pattern":"^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$"}]},
	"named":{"type":"string","pattern":"^(?P<a>x)(?P=a)$"}}}`
	s, err := ParseSchema([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if errs := s.Validate(map[string]any{"dec": "1.50", "named": "xx"}); len(errs) != 0 {
		t.Errorf("refused: %v", errs)
	}
	if errs := s.Validate(map[string]any{"dec": "+."}); len(errs) != 1 || errs[0].Path != "dec" {
		t.Errorf("lookahead not applied: %v", errs)
	}
	if errs := s.Validate(map[string]any{"named": "xy"}); len(errs) != 1 {
		t.Errorf("named backreference not applied: %v", errs)
	}
}

func TestMarshalOrder(t *testing.T) {
	s := mustSchema(t, "approval_input")
	a := validApproval()
	a["mode"] = "slow"
	a["zzz_extra"] = 1
	a["count"] = int64(3)
	raw, err := s.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"approved":true,"approver":"alice","count":3,"mode":"slow","ids":[1],"home":{"street":"s","zip_code":"12345"},"zzz_extra":1}`
	if string(raw) != want {
		t.Errorf("got  %s\nwant %s", raw, want)
	}
	// The order comes from the schema text, not from sorting: reverse it.
	rev := `{"type":"object","properties":{"z":{"type":"integer"},"m":{"type":"integer"},"a":{"type":"integer"}}}`
	rs, _ := ParseSchema([]byte(rev))
	raw, _ = rs.Marshal(map[string]any{"a": 1, "m": 2, "z": 3})
	if string(raw) != `{"z":3,"m":2,"a":1}` {
		t.Errorf("order %s", raw)
	}
	if got := rs.Paths(); strings.Join(got, ",") != "z,m,a" {
		t.Errorf("paths %v", got)
	}
}

func TestDoubleEncodedSchema(t *testing.T) {
	inner := string(readSchema(t, "automatic_str"))
	outer, _ := json.Marshal(inner)
	s, err := ParseSchema(outer)
	if err != nil || len(s.Fields) != 1 {
		t.Fatalf("%v %v", s, err)
	}
}

// allOf of two models: fields from both, each validated at its own place.
func TestAllOfOfModels(t *testing.T) {
	raw := `{"type":"object","properties":{"both":{"allOf":[{"$ref":"#/definitions/A"},{"$ref":"#/definitions/B"}]}},"required":["both"],
	"definitions":{"A":{"type":"object","properties":{"a":{"type":"integer","minimum":5}},"required":["a"]},
	"B":{"type":"object","properties":{"b":{"type":"string","format":"date"}},"required":["b"]}}}`
	s, err := ParseSchema([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(allFieldLines(s), ","); got != "both:object req,both.a:integer req,both.b:string/date req" {
		t.Fatalf("fields %s", got)
	}
	b := s.Field("both.b")
	if _, _, err := s.ParseText(b, "2026-02-30"); err == nil {
		t.Error("bad date accepted for a property merged from the second model")
	}
	if msg := s.validateAt(b.ptr, "2026-02-30"); msg == "" {
		t.Errorf("pointer %s does not reach the property's schema", b.ptr)
	}
	if errs := s.Validate(map[string]any{"both": map[string]any{"a": int64(4), "b": "2026-01-01"}}); len(errs) != 1 || errs[0].Path != "both.a" {
		t.Errorf("%v", errs)
	}
}

// EmailStr needs email-validator, absent from the pinned environment, so
// the corpus has no email field: check the format on a hand-written one.
func TestEmailAndURIFormats(t *testing.T) {
	s, err := ParseSchema([]byte(`{"type":"object","properties":{"email":{"type":"string","format":"email"},"site":{"type":"string","format":"uri"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if errs := s.Validate(map[string]any{"email": "a.b@example.com", "site": "https://x.org/p?q=1"}); len(errs) != 0 {
		t.Errorf("refused: %v", errs)
	}
	for k, v := range map[string]string{"email": "not-an-email", "site": "/relative/path"} {
		if errs := s.Validate(map[string]any{k: v}); len(errs) != 1 || errs[0].Path != k {
			t.Errorf("%s=%q: %v", k, v, errs)
		}
		if _, _, err := s.ParseText(s.Field(k), v); err == nil {
			t.Errorf("the %s widget accepts %q", k, v)
		}
	}
}

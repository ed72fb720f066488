package answerfile

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

const secretSchema = `{"additionalProperties":false,"properties":{` +
	`"user":{"title":"User","type":"string"},` +
	`"token":{"format":"password","title":"Token","type":"string","writeOnly":true},` +
	`"db":{"$ref":"#/definitions/DB"}},"required":["user","token","db"],"title":"T","type":"object",` +
	`"definitions":{"DB":{"properties":{"host":{"title":"Host","type":"string"},"password":{"format":"password","title":"Password","type":"string","writeOnly":true}},"required":["host","password"],"title":"DB","type":"object"}}}`

func marshal(t *testing.T, s *inputschema.Schema, v map[string]any) string {
	t.Helper()
	b, err := s.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func errText(es []Error) string {
	var out []string
	for _, e := range es {
		out = append(out, e.Error())
	}
	return strings.Join(out, "\n")
}

func TestParse(t *testing.T) {
	tests := []struct {
		schema string
		file   string
		want   string // the answer as sent, "" when errs are expected
		errs   string // every error, joined by newlines
	}{
		{"scalars", "name: yes\nage: 3\nratio: 1.5\nenabled: true\n", `{"name":"yes","age":3,"ratio":1.5,"enabled":true}`, ""},
		{"scalars", "name: 123\nage: 3.0\nratio: 2\nenabled: false\nnickname: on\n", `{"name":"123","nickname":"on","age":3,"ratio":2,"enabled":false}`, ""},
		{"scalars", "name: x\nage: 3\nratio: 1\nenabled: yes\n", "", `line 4: enabled: "yes" is not true or false (yes/no and on/off are not read as booleans here)`},
		{"scalars", "name: x\nage: \"3\"\nratio: 1\nenabled: true\n", "", `line 2: age: expects a whole number, not the text "3"`},
		{"scalars", "name: x\nage: 1.5\nratio: 1\nenabled: true\n", "", `line 2: age: "1.5" is not a whole number`},
		{"scalars", "name: x\n\nage:\nratio: 1\nenabled: true\n", "", `line 3: age: required`},
		{"scalars", "name: x\nratio: 1\nenabled: true\n", "", `age: required`},
		{"scalars", "name: x\nage: 1\nratio: .inf\nenabled: true\n", "", `line 3: ratio: ".inf" is not a number`},
		{"scalars", "name: x\nage: 1\nratio: 1\nenabled: true\nextra: 1\n", "", `line 5: unexpected field "extra"; fields here: name, nickname, age, retries, ratio, threshold, enabled, dry_run`},
		{"scalars", "name: x\nage: 1\nage: 2\nratio: 1\nenabled: true\n", "", `line 3: age: given twice (lines 2 and 3); keep one`},
		{"scalars", "name: null\nage: 1\nratio: 1\nenabled: true\n", "", `line 1: name: cannot be null; leave it empty to leave it out`},
		{"constraints", "code: ab\ncount: 0\nstep: 7\n", "", "line 2: count: must be at least 1\nline 3: step: must be a multiple of 5"},
		{"constraints", "code: a\n", "", "line 1: code: at least 2 characters (now 1)"},
		{"constraints", "code: ab\nzip_code: 1234\n", "", "line 2: zip_code: must match the pattern ^\\d{5}$"},
		{"constraints", "code: ab\nzip_code: 01234\n", `{"code":"ab","zip_code":"01234"}`, ""},
		{"shirt_order", "size: small\ncolor: RED\n", `{"size":"small","color":"red"}`, ""},
		{"shirt_order", "size: huge\ncolor: red\n", "", `line 1: size: "huge" is not one of: small, medium, large, xlarge`},
		{"optionals", "req_opt: null\nreason: null\nflag:\ntags: []\n", `{"reason":null,"req_opt":null,"tags":[]}`, ""},
		{"optionals", "req_opt: 1\neither: abc\namount: 2.5\n", `{"req_opt":1,"either":"abc","amount":2.5}`, ""},
		{"optionals", "req_opt: 1\neither: 7\ntags: [a, 1, true]\n", `{"req_opt":1,"either":7,"tags":["a","1","true"]}`, ""},
		{"optionals", "req_opt: 1\ntags: a\n", "", `line 2: tags: expects a list, one "- item" line each or [] for none (got the text "a")`},
		{"optionals", "req_opt: 1\nhome:\n  street: s\n  zip_code: x\n", "", `line 4: home.zip_code: must match the pattern ^\d{5}$`},
		{"optionals", "req_opt: 1\nhome:\n  street: s\n", "", `line 2: home.zip_code: required`},
		{"optionals", "req_opt: &a 1\nreason: *a\n", "", "line 1: req_opt: YAML anchors and aliases (& and *) are not read here; write the value out\nline 2: reason: YAML anchors and aliases (& and *) are not read here; write the value out"},
		{"nested", "title: t\nmiddle:\n  name: n\n  inner:\n    label: l\n", `{"title":"t","middle":{"name":"n","inner":{"label":"l"}}}`, ""},
		{"nested", "title: t\nmiddle: 3\n", "", `line 2: middle: expects its fields indented below it (got 3)`},
		{"scalars", "name: [x\n", "", `line 1: not valid YAML: did not find expected ',' or ']'`},
		{"scalars", "name: x\n---\nage: 1\n", "", `line 2: not valid YAML: a second YAML document (after ---): keep one answer in the file`},
		{"collections", "ids: [1, 2]\npair: [3, x]\nextra: {a: [1, {b: null}], c: yes}\nweights: {w: 1.5}\nmatrix:\n  - [1]\n  - []\n", `{"ids":[1,2],"pair":[3,"x"],"extra":{"a":[1,{"b":null}],"c":"yes"},"weights":{"w":1.5},"matrix":[[1],[]]}`, ""},
		{"collections", "ids: [1, x]\n", "", `line 1: ids: item 2: expects a whole number, not the text "x"`},
		{"collections", "ids: []\nuniq: [a, a]\n", "", `line 2: uniq: items must be unique; a appears twice`},
		{"collections", "ids: []\nweights: {w: x}\n", "", `line 2: weights: w: got string, want number`},
		{"collections", "ids: []\nextra: {a: 0x1F}\n", "", `line 2: extra: "0x1F" is not a number JSON can carry; write it in decimal`},
		{"choices", "required_color: green\nlevel: 3\nmulti: [c, a]\nsingle: only\n", `{"required_color":"green","level":3,"single":"only","multi":["c","a"]}`, ""},
		{"choices", "required_color: green\nlevel: \"3\"\n", "", `line 2: level: "3" is quoted text; write the choice 3 without quotes`},
		{"choices", "required_color: green\nlevel: 4\n", "", `line 2: level: "4" is not one of: 1, 2, 3`},
		{"choices", "required_color: green\nsingle: other\n", "", `line 2: single: "other" is not one of: only`},
		{"choices", "required_color: green\nmulti: [d]\n", "", `line 2: multi: item 1: "d" is not one of: a, b, c`},
		{"temporal", "starts_at: 2026-11-21T14:00:00Z\nwindow: 5m\nrequest_id: 0B7C1E5E4D2A4F7E9C3B1A2B3C4D5E6F\n", `{"starts_at":"2026-11-21T14:00:00Z","window":"PT5M","request_id":"0b7c1e5e-4d2a-4f7e-9c3b-1a2b3c4d5e6f"}`, ""},
		{"temporal", "starts_at: tomorrow\nwindow: 5m\nrequest_id: 0B7C1E5E4D2A4F7E9C3B1A2B3C4D5E6F\n", "", `line 1: starts_at: "tomorrow" is not a valid date-time`},
		{"scalars", "- a\n", "", `line 1: the file must hold the fields as "name: value" lines`},
	}
	for _, tt := range tests {
		t.Run(tt.schema+"/"+tt.file, func(t *testing.T) {
			s := corpusSchema(t, tt.schema)
			res := Parse(s, []byte(tt.file), nil)
			if res.Cancelled {
				t.Fatal("cancelled")
			}
			if got := errText(res.Errors); got != tt.errs {
				t.Fatalf("errors:\n%s\nwant:\n%s", got, tt.errs)
			}
			if tt.want != "" {
				if got := marshal(t, s, res.Values); got != tt.want {
					t.Fatalf("answer %s, want %s", got, tt.want)
				}
			}
		})
	}
}

func TestParseEmptyOrCommentsIsCancel(t *testing.T) {
	s := corpusSchema(t, "scalars")
	for _, file := range []string{"", "\n\n", "# all gone\n# really\n", string(WithErrors([]byte("# x\n"), []Error{{Line: 1}}))} {
		if res := Parse(s, []byte(file), nil); !res.Cancelled || res.OK() {
			t.Errorf("%q: %+v, want cancelled", file, res)
		}
	}
	// An answer with no fields is not a cancel: Render writes {}.
	empty := mustSchema(t, `{"properties":{},"title":"E","type":"object"}`)
	if res := Parse(empty, mustRender(t, empty, nil), nil); res.Cancelled || !res.OK() {
		t.Errorf("empty schema: %+v", res)
	}
}

func TestSecretsNeverInTheFile(t *testing.T) {
	s := mustSchema(t, secretSchema)
	form := map[string]any{"user": "u", "token": "hunter2", "db": map[string]any{"host": "h", "password": "pw"}}
	file := mustRender(t, s, form)
	if strings.Contains(string(file), "hunter2") || strings.Contains(string(file), "pw") || strings.Contains(string(file), "token:") {
		t.Fatalf("secret in the file:\n%s", file)
	}
	if !strings.Contains(string(file), "Secrets are not in this file") {
		t.Fatalf("no note about secrets:\n%s", file)
	}
	// Read back, the secrets come from the form's answer.
	res := Parse(s, file, form)
	if !res.OK() || marshal(t, s, res.Values) != marshal(t, s, form) {
		t.Fatalf("got %+v", res)
	}
	// Without them in the form, the file cannot fix it: SecretErrors.
	res = Parse(s, file, nil)
	if len(res.Errors) != 0 || len(res.SecretErrors) != 2 {
		t.Fatalf("got errors %v, secret errors %v", res.Errors, res.SecretErrors)
	}
	// A secret typed into the file is refused, not read.
	res = Parse(s, append(file, "token: typed\n"...), form)
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "token: a secret is not read from this file") {
		t.Fatalf("got %v", res.Errors)
	}
}

func TestRenderComments(t *testing.T) {
	s := mustSchema(t, `{"properties":{"age":{"title":"Age \u001b[31mred","description":"How **old** you are.\n\nSee [the docs](https://x.test/a) \u0007now.","type":"integer","minimum":0,"default":3},`+
		`"color":{"enum":["red","green"],"title":"Color","type":"string"},"when":{"type":"string","format":"date-time"}},"required":["color"],"title":"T","type":"object"}`)
	got := string(mustRender(t, s, map[string]any{"age": int64(5)}))
	for _, want := range []string{
		"# Age [31mred\n", "# How old you are.\n", "# See the docs (https://x.test/a) now.\n",
		"# type: whole number; at least 0\n# default: 3\n# optional: leave it empty to leave it out\nage: 5\n",
		"# type: one of: red, green\n# required\ncolor:\n",
		"# type: date and time; format date-time\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.ContainsAny(got, "\x1b\x07") {
		t.Errorf("control characters in the file:\n%q", got)
	}
}

func TestWithErrors(t *testing.T) {
	s := corpusSchema(t, "scalars")
	file := []byte("# mine\nname: x\nage: -1x\nratio: 1\nenabled: true\n")
	res := Parse(s, file, nil)
	first := WithErrors(file, res.Errors)
	wantTop := errorsStart + "\n# ERROR line 6: age: expects a whole number, not the text \"-1x\"\n" + errorsEnd + "\n"
	if string(first) != wantTop+string(file) {
		t.Fatalf("got:\n%s", first)
	}
	// The operator fixes age but breaks ratio: the block is replaced, the
	// line numbers are those of the new text.
	edited := strings.Replace(strings.Replace(string(first), "age: -1x", "age: 1", 1), "ratio: 1", "ratio: no", 1)
	res = Parse(s, []byte(edited), nil)
	second := WithErrors([]byte(edited), res.Errors)
	body := strings.TrimPrefix(edited, wantTop)
	want := errorsStart + "\n# ERROR line 7: ratio: expects a number, not the text \"no\"\n" + errorsEnd + "\n" + body
	if string(second) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", second, want)
	}
	if l := strings.Split(string(second), "\n")[6]; l != "ratio: no" {
		t.Fatalf("line 7 is %q", l)
	}
	// Fixed: no errors, the block goes, the operator's text stays.
	if got := WithErrors([]byte(strings.Replace(string(second), "ratio: no", "ratio: 2", 1)), nil); string(got) != strings.Replace(body, "ratio: no", "ratio: 2", 1) {
		t.Fatalf("got:\n%s", got)
	}
}

func TestErrorJSON(t *testing.T) {
	b, _ := json.Marshal(Error{Line: 3, FieldError: inputschema.FieldError{Path: "a", Message: "m"}})
	if string(b) != `{"path":"a","message":"m","line":3}` {
		t.Fatal(string(b))
	}
}

func TestUnknownKeysAreKeptAndRefused(t *testing.T) {
	s := corpusSchema(t, "scalars")
	file := string(mustRender(t, s, map[string]any{"name": "n", "old_field": "x"}))
	if !strings.Contains(file, "# not a field of this model: the flow will refuse it; delete it\nold_field: x\n") {
		t.Fatalf("the unknown key is not shown:\n%s", file)
	}
	res := Parse(s, []byte(file), nil)
	if !strings.Contains(errText(res.Errors), `unexpected field "old_field"`) {
		t.Fatalf("errors %v", res.Errors)
	}
}

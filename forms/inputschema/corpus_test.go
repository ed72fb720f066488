package inputschema

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json")

// fieldLine is a compact description of a field: path, kind, flags.
func fieldLine(f *Field) string {
	var b strings.Builder
	b.WriteString(f.Path + ":" + f.Kind.String())
	if f.Format != "" {
		b.WriteString("/" + f.Format)
	}
	if f.Required {
		b.WriteString(" req")
	}
	if f.Nullable {
		b.WriteString(" null")
	}
	return b.String()
}

func allFieldLines(s *Schema) []string {
	var out []string
	walkFields(s.Fields, func(f *Field) bool {
		out = append(out, fieldLine(f))
		return f.Kind == Object
	})
	return out
}

// TestCorpusFields pins kind, order, requiredness and nullability of every
// field of every captured schema, in schema order.
func TestCorpusFields(t *testing.T) {
	approval := []string{
		"approved:boolean req", "reason:string null", "approver:string req", "count:integer",
		"color:enum", "mode:enum", "ids:list req", "when:string/date-time null",
		"home:object req", "home.street:string req", "home.zip_code:string req",
	}
	want := map[string][]string{
		"approval_input":       approval,
		"approval_pydantic_v1": approval, // allOf refs, enum without type, v1 Optional made nullable by the server's preprocessing
		"approval_with_initial_data": {
			"approved:boolean", "reason:string null", "approver:string", "count:integer",
			"color:enum", "mode:enum", "ids:list req", "when:string/date-time null",
			"home:object req", "home.street:string req", "home.zip_code:string req",
		},
		"automatic_bool":     {"value:boolean req"},
		"automatic_int":      {"value:integer req"},
		"automatic_list_int": {"value:list req"},
		"automatic_str":      {"value:string req"},
		"choices": {
			"color:enum", "required_color:enum req", "priority:enum", "mode:enum", "level:enum",
			"single:const", "multi:multi-enum", "colors:multi-enum", "region:enum",
		},
		"collections": {
			"ids:list req", "names:list", "uniq:list", "pair:tuple", "extra:json", "weights:json",
			"addresses:json", "matrix:json",
		},
		"collections_pydantic_v1": {
			"pair:tuple", "priority:enum", "tags:list null", "colors:multi-enum",
			"home:object", "home.street:string req", "home.zip_code:string req",
			"office:object", "office.street:string req", "office.zip_code:string req", "extra:json",
		},
		"constraints": {
			"count:integer", "ratio:number", "step:integer", "fraction:number", "code:string req",
			"zip_code:string", "email_like:string", "negative:integer",
		},
		"nested": {
			"title:string req", "middle:object req", "middle.name:string req",
			"middle.inner:object req", "middle.inner.depth:integer", "middle.inner.label:string req",
			"middle.maybe_inner:object null", "middle.maybe_inner.depth:integer", "middle.maybe_inner.label:string req",
			"note:string", "home:object", "home.street:string req", "home.zip_code:string req",
		},
		"optionals": {
			"reason:string null", "req_opt:integer req null", "when:string/date-time null",
			"run_id:string/uuid null", "flag:boolean null", "color:enum null", "home:object null",
			"home.street:string req", "home.zip_code:string req", "either:union", "amount:union", "tags:list null",
		},
		"plain_model": {"approve:boolean", "comment:string"},
		"scalars": {
			"name:string req", "nickname:string", "age:integer req", "retries:integer",
			"ratio:number req", "threshold:number", "enabled:boolean req", "dry_run:boolean",
		},
		"shirt_order":             {"size:enum req", "color:enum req"},
		"shirt_order_pydantic_v1": {"size:enum req", "color:enum req", "note:string null", "quantity:integer"},
		"temporal": {
			"starts_at:string/date-time req", "due:string/date", "at:string/time", "timeout:string/duration",
			"window:string/duration req", "deadline:string/date-time", "request_id:string/uuid req",
			"link:string/uri", "token:string/password", "password:string/password req",
		},
	}
	for _, name := range corpusNames(t) {
		t.Run(name, func(t *testing.T) {
			s := mustSchema(t, name)
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expectation for %s; fields: %q", name, allFieldLines(s))
			}
			got := allFieldLines(s)
			if strings.Join(got, "\n") != strings.Join(w, "\n") {
				t.Errorf("fields\n got %q\nwant %q", got, w)
			}
		})
	}
}

func TestLabelsAndDetails(t *testing.T) {
	s := mustSchema(t, "approval_input")
	cases := []struct{ path, label, desc string }{
		{"approved", "Approved *", ""},
		{"reason", "Reason", ""},
		{"approver", "Approver *", "Who approved"},
		{"color", "Color", ""}, // $ref property without its own title: from the name
		{"home", "Home *", ""},
		{"home.zip_code", "Zip Code *", ""},
	}
	for _, c := range cases {
		f := s.Field(c.path)
		if f == nil {
			t.Fatalf("no field %s", c.path)
		}
		if f.Label() != c.label || f.Description != c.desc {
			t.Errorf("%s: label %q desc %q, want %q %q", c.path, f.Label(), f.Description, c.label, c.desc)
		}
	}
	if c := s.Field("approver").Constraints; *c.MinLength != 2 || *c.MaxLength != 50 {
		t.Errorf("approver constraints %+v", c)
	}
	if c := s.Field("count").Constraints; *c.Minimum != 1 || *c.Maximum != 10 {
		t.Errorf("count constraints %+v", c)
	}
	if got := s.Field("home.zip_code").Constraints.Pattern; got != `^\d{5}$` {
		t.Errorf("zip pattern %q", got)
	}
	if got := s.Field("color").Enum; len(got) != 3 || got[0] != "red" {
		t.Errorf("color enum %v", got)
	}
	if f := s.Field("count"); !f.HasDefault || f.Default != int64(1) {
		t.Errorf("count default %#v", f.Default)
	}

	// Built-in inputs get a label that says what to type.
	for name, want := range map[string]string{
		"automatic_str":      "Your answer (text) *",
		"automatic_int":      "Your answer (whole number) *",
		"automatic_bool":     "Your answer (yes/no) *",
		"automatic_list_int": "Your answer (list of whole numbers) *",
	} {
		if got := mustSchema(t, name).Fields[0].Label(); got != want {
			t.Errorf("%s label %q, want %q", name, got, want)
		}
	}

	ch := mustSchema(t, "choices")
	if f := ch.Field("priority"); f.Enum[0] != int64(1) || f.Default != int64(2) {
		t.Errorf("integer enum members %#v default %#v", f.Enum, f.Default)
	}
	if f := ch.Field("single"); f.Kind != Const || f.Enum[0] != "only" {
		t.Errorf("const %#v", f)
	}
	tp := mustSchema(t, "temporal")
	if f := tp.Field("token"); !f.MaskedDefault() {
		t.Errorf("SecretStr default not recognised as masked: %#v", f.Default)
	}
	if _, ok := tp.Defaults()["token"]; ok {
		t.Error("masked default in Defaults()")
	}
	if f := mustSchema(t, "collections").Field("pair"); len(f.Children) != 2 || f.Children[0].Kind != Integer || f.Children[1].Kind != String {
		t.Errorf("tuple positions %#v", f.Children)
	}
	if f := mustSchema(t, "collections_pydantic_v1").Field("pair"); f.Kind != Tuple {
		t.Errorf("pydantic v1 list-form items not read as a tuple: %v", f.Kind)
	}
	if f := mustSchema(t, "optionals").Field("either"); len(f.Variants) != 2 || f.Variants[0].Name != "int" || f.Variants[1].Name != "str" {
		t.Errorf("union variants %#v", f.Variants)
	}
}

// goldenSets are --set lists that fill each corpus schema completely.
var goldenSets = map[string][]string{
	"approval_input": {
		"approved=yes", "approver=alice", "ids=1", "ids=2", "home.street=Main St 1",
		"home.zip_code=12345", "when=2026-11-21 14:00", "count=3", "color=green",
	},
	"approval_pydantic_v1": {
		"approved=true", "approver=bob", "ids:=[3]", "home:={\"street\":\"s\",\"zip_code\":\"54321\"}",
		"reason=null", "color=green", "when=2026-11-21T09:30",
	},
	"approval_with_initial_data": {"ids:=[1,2,3]", "home.street=x", "home.zip_code=00001", "approved=no"},
	"automatic_bool":             {"value=no"},
	"automatic_int":              {"value=42"},
	"automatic_list_int":         {"value=1", "value=2", "value=3"},
	"automatic_str":              {"value=hello world"},
	"choices": {
		"required_color=blue", "priority=3", "level=1", "multi=a", "multi=c", "colors=green",
		"region=us-west-2", "mode=SLOW",
	},
	"collections": {
		"ids=7", "names=x", "uniq:=[\"a\",\"b\"]", "pair=2", "pair=b", "extra.key=value",
		"extra.n=3", "weights:={\"w\":2.5}", "addresses:=[{\"street\":\"s\",\"zip_code\":\"12345\"}]", "matrix:=[[1]]",
	},
	"collections_pydantic_v1": {
		"pair=5", "pair=z", "priority=1", "tags=x", "colors=green",
		"home.street=s", "home.zip_code=54321", "extra:={\"a\":[1]}",
	},
	"constraints": {
		"code=abc", "count=10", "ratio=0.75", "step=15", "fraction=0.5", "zip_code=99999",
		"email_like=a@b", "negative=-5",
	},
	"nested": {
		"title=T", "middle.name=M", "middle.inner.label=L", "middle.maybe_inner.label=ML",
		"middle.maybe_inner.depth=5",
	},
	"optionals": {
		"req_opt=null", "reason=why", "when=2026-11-21", "run_id=0B7C1E5E4D2A4F7E9C3B1A2B3C4D5E6F",
		"flag=yes", "color=blue", "home.street=s", "home.zip_code=12345", "either=abc", "amount=2.5", "tags=a",
	},
	"plain_model":             {"approve=true", "comment=ok"},
	"scalars":                 {"name=n", "age=30", "ratio=0.1", "enabled=on", "retries=1e1"},
	"shirt_order":             {"size=large", "color=green"},
	"shirt_order_pydantic_v1": {"size=small", "color=black", "note=null", "quantity=2"},
	"temporal": {
		"starts_at=2026-11-21T14:00", "window=1h30m", "request_id=0b7c1e5e-4d2a-4f7e-9c3b-1a2b3c4d5e6f",
		"password=s3cret", "timeout=90", "at=9:05", "due=2026-12-24",
	},
}

type golden struct {
	Defaults       json.RawMessage `json:"defaults"`
	DefaultsErrors []FieldError    `json:"defaults_errors"`
	Sets           []string        `json:"sets"`
	Answer         json.RawMessage `json:"answer"`
	AnswerErrors   []FieldError    `json:"answer_errors"`
	FormAnswer     json.RawMessage `json:"untouched_form_answer"` // pinned by package forms
}

// TestGolden pins the JSON produced from the defaults and from ApplySets,
// for every corpus schema. The answer of an untouched form, in the same
// files, is pinned by package forms and kept as it is here. go test -run
// TestGolden -update rewrites the files; review the diff.
func TestGolden(t *testing.T) {
	for _, name := range corpusNames(t) {
		t.Run(name, func(t *testing.T) {
			s := mustSchema(t, name)
			sets, ok := goldenSets[name]
			if !ok {
				t.Fatalf("no goldenSets entry for %s", name)
			}
			g := golden{Sets: sets}
			d := s.Defaults()
			var err error
			if g.Defaults, err = s.Marshal(d); err != nil {
				t.Fatal(err)
			}
			g.DefaultsErrors = nonNil(s.Validate(d))
			ans, err := s.ApplySets(d, sets)
			if err != nil {
				t.Fatalf("ApplySets: %v", err)
			}
			if g.Answer, err = s.Marshal(ans); err != nil {
				t.Fatal(err)
			}
			g.AnswerErrors = nonNil(s.Validate(ans))
			if len(g.AnswerErrors) > 0 {
				t.Errorf("the golden sets do not make a valid answer: %v", g.AnswerErrors)
			}
			path := filepath.Join("testdata", "golden", name+".json")
			want, err := os.ReadFile(path)
			if err != nil && !*update {
				t.Fatalf("%v (run go test ./forms/inputschema -run TestGolden -update)", err)
			}
			var pinned golden
			if err == nil {
				if err := json.Unmarshal(want, &pinned); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
			}
			g.FormAnswer = pinned.FormAnswer
			got, err := json.MarshalIndent(g, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
			}
		})
	}
}

func nonNil(e []FieldError) []FieldError {
	if e == nil {
		return []FieldError{}
	}
	return e
}

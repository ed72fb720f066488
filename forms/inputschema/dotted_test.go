package inputschema

import (
	"reflect"
	"testing"
)

// A property whose name holds a dot is set by that name: exact names win
// over dotted paths, and [name] quotes a name for the rare clash.
func TestApplySetsDottedNames(t *testing.T) {
	const topLevel = `{"type":"object","properties":{"a.b":{"type":"string"}},"required":["a.b"],"additionalProperties":false}`
	const clash = `{"type":"object","properties":{
		"a":{"type":"object","properties":{"b":{"type":"string"}},"additionalProperties":false},
		"a.b":{"type":"string"}},"additionalProperties":false}`
	const nested = `{"type":"object","properties":{
		"m":{"type":"object","properties":{"c.d":{"type":"integer"},"c":{"type":"string"}},"additionalProperties":false},
		"extra":{"type":"object"}}}`
	cases := []struct {
		name, schema string
		sets         []string
		want         map[string]any
	}{
		{"top-level a.b", topLevel, []string{"a.b=x"}, map[string]any{"a.b": "x"}},
		{"top-level quoted", topLevel, []string{"[a.b]=x"}, map[string]any{"a.b": "x"}},
		{"clash: the exact name wins", clash, []string{"a.b=x"}, map[string]any{"a.b": "x"}},
		{"clash: [a].b is the nested field", clash, []string{"[a].b=y"}, map[string]any{"a": map[string]any{"b": "y"}}},
		{"clash: both", clash, []string{"[a].[b]=y", "[a.b]=z"}, map[string]any{"a": map[string]any{"b": "y"}, "a.b": "z"}},
		{"dotted key in a nested model", nested, []string{"m.c.d=3", "m.c=t"}, map[string]any{"m": map[string]any{"c.d": int64(3), "c": "t"}}},
		{"dotted key in a nested model, quoted", nested, []string{"m.[c.d]=4"}, map[string]any{"m": map[string]any{"c.d": int64(4)}}},
		{"key inside a JSON field", nested, []string{"extra.k.l=1", "extra.[p.q]=2"}, map[string]any{"extra": map[string]any{"k": map[string]any{"l": int64(1)}, "p.q": int64(2)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSchema([]byte(c.schema))
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.ApplySets(nil, c.sets)
			if err != nil {
				t.Fatalf("ApplySets: %v", err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %#v\nwant %#v", got, c.want)
			}
			if errs := s.Validate(got); len(errs) != 0 {
				t.Errorf("Validate: %v", errs)
			}
		})
	}
	s, err := ParseSchema([]byte(clash))
	if err != nil {
		t.Fatal(err)
	}
	// Each field has a path of its own, which --set reads back.
	if got := s.Paths(); !reflect.DeepEqual(got, []string{"a", "[a].[b]", "a.b"}) {
		t.Errorf("paths %q", got)
	}
	if f := s.Field("[a].[b]"); f == nil || f.Name != "b" {
		t.Errorf("Field([a].[b]) = %+v", f)
	}
	if f := s.Field("a.b"); f == nil || f.Name != "a.b" {
		t.Errorf("Field(a.b) = %+v", f)
	}
	if got, err := s.ApplySets(nil, []string{"[a].[b]=y"}); err != nil || !reflect.DeepEqual(got, map[string]any{"a": map[string]any{"b": "y"}}) {
		t.Errorf("set by the listed path: %v %v", got, err)
	}
	for _, bad := range []string{"[a=x", "[a]b=x", "[]=x", "[nope].b=x"} {
		if _, err := s.ApplySets(nil, []string{bad}); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

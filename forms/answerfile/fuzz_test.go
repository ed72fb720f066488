package answerfile

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/forms/inputschema/schematest"
	"github.com/unpause-dev/unpause/forms/internal/fuzzseed"
)

// corpus is every schema of the inputschema corpus (real Prefect schemas:
// pydantic v1 and v2 models, Literal, enums, nested models, lists), the
// hostile seeds, and one with secrets.
func corpus(t testing.TB) []*inputschema.Schema {
	raws, err := fuzzseed.Schemas(filepath.Join("..", "inputschema", "testdata", "schemas"))
	if err != nil {
		t.Fatal(err)
	}
	raws = append(raws, []byte(secretSchema))
	var out []*inputschema.Schema
	for _, raw := range raws {
		if s, err := inputschema.ParseSchema(raw); err == nil && len(s.Paths()) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// randomAnswer is an answer the form could hold: each field left out or
// given text its widget accepts, nested models included or not.
func randomAnswer(g schematest.Gen, fields []*inputschema.Field) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		switch f.Kind {
		case inputschema.Object:
			if f.Required || g.Chance(0.7) {
				out[f.Name] = randomAnswer(g, f.Children)
			}
		case inputschema.Const:
			if v, ok := g.S.DefaultValue(f); ok {
				out[f.Name] = v
			}
		default:
			if v, present, err := g.S.ParseText(f, g.Legal(f, false)); err == nil && present {
				out[f.Name] = v
			}
		}
	}
	return out
}

// FuzzRoundTrip: any answer the form can hold, rendered and read back
// unchanged, is the same answer, with the same problems the validator
// finds in it (and none of the file's own).
func FuzzRoundTrip(f *testing.F) {
	schemas := corpus(f)
	for i := range 40 {
		f.Add(uint8(i), uint64(i*7919))
	}
	f.Fuzz(func(t *testing.T, si uint8, seed uint64) {
		s := schemas[int(si)%len(schemas)]
		g := schematest.Gen{R: rand.New(rand.NewPCG(seed, 1)), S: s}
		want := randomAnswer(g, s.Fields)
		file, err := Render(s, want, Options{RunName: "r", FlowName: "f"})
		if err != nil {
			t.Fatal(err)
		}
		res := Parse(s, file, want)
		if res.Cancelled {
			t.Fatalf("cancelled:\n%s", file)
		}
		wj, _ := s.Marshal(want)
		gj, _ := s.Marshal(res.Values)
		if !bytes.Equal(wj, gj) {
			t.Fatalf("read back\n%s\nwant\n%s\nfile:\n%s\nerrors: %v", gj, wj, file, res.Errors)
		}
		var got, expect []string
		for _, e := range res.Errors {
			got = append(got, e.FieldError.Error())
		}
		for _, e := range res.SecretErrors {
			got = append(got, e.Error())
		}
		for _, e := range s.Validate(want) {
			expect = append(expect, e.Error())
		}
		slices.Sort(got)
		slices.Sort(expect)
		if !slices.Equal(got, expect) {
			t.Fatalf("errors %q, want the validator's %q\nfile:\n%s", got, expect, file)
		}
	})
}

// FuzzParse: arbitrary bytes never panic, and WithErrors keeps every byte
// of them below its block.
func FuzzParse(f *testing.F) {
	schemas := corpus(f)
	for _, seed := range []string{
		"", "a: 1\n", "name: [x\n", "? [a]\n: b\n", "<<: {a: 1}\n", "a: &x [*x]\n", "---\n---\n", "a: !!binary aGk=\n",
		"a:\n  b:\n    c: [1, {d: .nan}]\n", "\xff\xfe", "a: 0x1F\nb: 1_000\nc: -.inf\n", errorsStart + "\n# ERROR: x\n",
	} {
		for i := range 4 {
			f.Add(uint8(i*3), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, si uint8, data []byte) {
		s := schemas[int(si)%len(schemas)]
		res := Parse(s, data, nil)
		out := WithErrors(data, res.Errors)
		body, _ := stripErrorBlock(data)
		if again, _ := stripErrorBlock(out); len(res.Errors) > 0 && !bytes.Equal(again, body) {
			t.Fatalf("WithErrors lost text:\n%q\nfrom\n%q", again, body)
		}
		Parse(s, out, nil)
	})
}

// FuzzTextRoundTrip: any text, in a text field, a list of texts and a JSON
// field, reads back as the same text (quoting, | blocks, \r, tabs,
// trailing spaces, YAML words such as yes or null).
func FuzzTextRoundTrip(f *testing.F) {
	s := mustSchema(f, `{"properties":{"s":{"type":"string"},"l":{"type":"array","items":{"type":"string"}},"j":{}},"title":"T","type":"object"}`)
	for _, seed := range []string{"", "yes", "null", "~", "- a", "a: b", "#x", "a\nb", "a\nb\n", " lead", "trail ", "a\r\nb", "tab\there", "\ttab\n", "\x00\x1b[31m", "\u2028", "'q'", `"q"`, "1e5", "0x1F", "2026-01-01", "{a}", "\n\n", "a \n b", "\ufeffbom"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // answers hold JSON text, always valid UTF-8
		}
		want := map[string]any{"s": text, "l": []any{text, "x"}, "j": map[string]any{text: []any{text}}}
		file, err := Render(s, want, Options{})
		if err != nil {
			return // YAML cannot hold it (a rare control character): Render says so
		}
		res := Parse(s, file, nil)
		wj, _ := s.Marshal(want)
		gj, _ := s.Marshal(res.Values)
		if !res.OK() || !bytes.Equal(wj, gj) {
			t.Fatalf("read back %s, want %s, errors %v\nfile:\n%s", gj, wj, res.Errors, file)
		}
	})
}

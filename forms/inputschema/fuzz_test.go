package inputschema

import (
	"path/filepath"
	"testing"

	"github.com/unpause-dev/unpause/forms/internal/fuzzseed"
)

func addCorpusSeeds(f *testing.F) {
	seeds, err := fuzzseed.Schemas(filepath.Join("testdata", "schemas"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		f.Add(s)
	}
}

// FuzzSchema: arbitrary schema bytes never panic, through parsing,
// defaults, sets, validation, marshaling, summaries and REJECT reasons.
// Package forms fuzzes the form built on the same bytes.
func FuzzSchema(f *testing.F) {
	addCorpusSeeds(f)
	f.Fuzz(runFuzzSchema)
}

func runFuzzSchema(t *testing.T, raw []byte) {
	{
		s, err := ParseSchema(raw)
		if err != nil {
			return
		}
		d := s.Defaults()
		s.Validate(d)
		if _, err := s.Marshal(d); err != nil {
			t.Fatalf("Marshal(Defaults()): %v", err)
		}
		var sets []string
		for i, p := range s.Paths() {
			if i > 4 {
				break
			}
			sets = append(sets, p+"=1", p+"=x", p+"=null", p+":=[1]", p+".k=v")
		}
		for i := range sets {
			_, _ = s.ApplySets(d, sets[i:i+1]) // must not panic; errors are fine
		}
		if got, err := s.ApplySets(d, sets); err == nil {
			s.Validate(got)
			_, _ = s.Marshal(got)
		}
		s.Summaries()
		s.FieldForReason("Validation failed for field 'a.b[0]'. Failure reason: 'x' is a required property")
	}
}

// FuzzFieldText: arbitrary text typed into, or --set on, any field of the
// corpus never panics, and what the field's text rules accept is what the
// validator accepts for that field.
func FuzzFieldText(f *testing.F) {
	var schemas []*Schema
	for _, name := range corpusNames(f) {
		schemas = append(schemas, mustSchema(f, name))
	}
	for _, seed := range []string{
		"", `\null`, `\default`, `\empty`, `\\x`, "2026-11-21 14:00", "PT5M", "5m", "-1e400",
		"1_000", "3.0", "yes", "[1,2]", `{"a":1}`, "a\nb\n\n3", "0B7C1E5E4D2A4F7E9C3B1A2B3C4D5E6F", "\x1b[31m", "25:61",
	} {
		for i := range 3 {
			f.Add(uint8(i*5), uint8(i*3), seed)
		}
	}
	f.Fuzz(func(t *testing.T, si, pi uint8, text string) {
		s := schemas[int(si)%len(schemas)]
		paths := s.Paths()
		p := paths[int(pi)%len(paths)]
		fld := s.Field(p)
		v, present, err := s.ParseText(fld, text)
		if err == nil && present && fld.Kind != Object {
			// A value a widget accepts passes the schema at that field.
			if msg := s.validateAt(fld.ptr, v); msg != "" {
				t.Fatalf("%s accepted %q as %#v but the schema says: %s", p, text, v, msg)
			}
		}
		_, _ = s.ApplySets(nil, []string{p + "=" + text}) // must not panic; errors are fine
		_, _ = s.ApplySets(nil, []string{p + ":=" + text})
		init := map[string]any{}
		_ = putPath(init, p, text) // a path through a non-object is refused, not a failure
		s.FieldForReason(text)
		s.Validate(init)
	})
}

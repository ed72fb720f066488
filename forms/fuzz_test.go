package forms

import (
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/forms/internal/fuzzseed"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

func addCorpusSeeds(f *testing.F) {
	seeds, err := fuzzseed.Schemas(corpusDir)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		f.Add(s)
	}
}

// FuzzFormSchema: arbitrary schema bytes never panic through the form built
// on them (every page built and rendered, answers read); package
// inputschema fuzzes the rest.
func FuzzFormSchema(f *testing.F) {
	addCorpusSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := inputschema.ParseSchema(raw)
		if err != nil {
			return
		}
		fm := NewForm(s, s.Defaults(), FormOptions{Width: 60})
		fm.Answer()
		for i, l := range fm.lazies {
			if i > 12 {
				break
			}
			l.materialize()
			l.real.View()
		}
		fm.Answer()
	})
}

// FuzzFormInitialText: arbitrary text as the earlier answer of any field of
// the corpus never panics when the form starts from it.
func FuzzFormInitialText(f *testing.F) {
	var schemas []*inputschema.Schema
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
		init := map[string]any{}
		cur := init
		parts := strings.Split(p, ".")
		for _, name := range parts[:len(parts)-1] {
			next := map[string]any{}
			cur[name] = next
			cur = next
		}
		cur[parts[len(parts)-1]] = text
		fm := NewForm(s, init, FormOptions{})
		fm.Answer()
	})
}

package forms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

func addCorpusSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{
		`{"type":"object","properties":{"a":{"$ref":"#"}}}`,
		`{"$ref":"#/definitions/A","definitions":{"A":{"type":"object","properties":{"x":{"$ref":"#/definitions/A"}}}}}`,
		`{"type":"object","properties":{"a":{"allOf":[{"$ref":"#/$defs/B"},{"$ref":"#/definitions/C"}]}},"$defs":{"B":{"enum":[1]}},"definitions":{"C":{"type":"integer"}}}`,
		`{"type":"object","properties":{"t":{"type":"array","items":[{"type":"integer"},{"enum":["a","b"]}]},"u":{"type":["string","null","integer"]}}}`,
		`{"type":"object","properties":{"a":{"anyOf":[{"type":"null"}]},"b":{"oneOf":[{"const":1},{"const":"x"}]},"c":true,"d":false}}`,
		`{"type":"object","properties":{"p":{"type":"string","pattern":"(a+)+$","minLength":-1,"maxLength":1e99}}}`,
		`"{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"string\"}}}"`,
		`{"type":"object","properties":{"n":{"type":"number","multipleOf":0.1,"minimum":-1e308}}}`,
	} {
		f.Add([]byte(s))
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

package inputschema_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/forms/inputschema/schematest"
)

// TestPropertySetsMatchForm: the CLI's --set path=value types a value the
// same way the form's widget does.
func TestPropertySetsMatchForm(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "schemas", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for si, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		s, err := inputschema.ParseSchema(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.Location = time.FixedZone("UTC+1", 3600)
		g := schematest.Gen{R: rand.New(rand.NewPCG(7, uint64(si))), S: s}
		for _, p := range s.Paths() {
			f := s.Field(p)
			switch f.Kind {
			case inputschema.String, inputschema.Integer, inputschema.Number, inputschema.Boolean, inputschema.Enum:
			default:
				continue
			}
			for range 30 {
				text := g.Legal(f, true)
				if strings.HasPrefix(strings.TrimSpace(text), `\`) || strings.TrimSpace(text) == "null" {
					continue
				}
				want, _, err := s.ParseText(f, text)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.ApplySets(nil, []string{p + "=" + text})
				if err != nil {
					t.Fatalf("%s: --set %s=%q: %v", name, p, text, err)
				}
				if v := valueAt(got, p); !reflect.DeepEqual(v, want) {
					t.Fatalf("%s: --set %s=%q gave %#v, the form gives %#v", name, p, text, v, want)
				}
			}
		}
	}
}

// valueAt reads a dotted path of an answer.
func valueAt(m map[string]any, path string) any {
	var cur any = m
	for _, p := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

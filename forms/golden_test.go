package forms

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite untouched_form_answer in inputschema's testdata/golden/*.json")

// goldenDir holds the golden files of package inputschema; this package
// pins the one part of them that needs the form.
var goldenDir = filepath.Join("inputschema", "testdata", "golden")

// goldenFile has the keys of a golden file in their order, so rewriting one
// of them leaves the others as they are.
type goldenFile struct {
	Defaults       json.RawMessage `json:"defaults"`
	DefaultsErrors json.RawMessage `json:"defaults_errors"`
	Sets           json.RawMessage `json:"sets"`
	Answer         json.RawMessage `json:"answer"`
	AnswerErrors   json.RawMessage `json:"answer_errors"`
	FormAnswer     json.RawMessage `json:"untouched_form_answer"`
}

// TestGoldenFormAnswer pins the answer of an untouched form for every
// corpus schema. go test -run TestGoldenFormAnswer -update rewrites that
// key of the golden files; review the diff.
func TestGoldenFormAnswer(t *testing.T) {
	for _, name := range corpusNames(t) {
		t.Run(name, func(t *testing.T) {
			s := mustSchema(t, name)
			fa, _ := NewForm(s, nil, FormOptions{}).Answer()
			got, err := s.Marshal(fa)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(goldenDir, name+".json")
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./forms/inputschema -run TestGolden -update first)", err)
			}
			var g goldenFile
			if err := json.Unmarshal(raw, &g); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if *update {
				g.FormAnswer = got
				out, err := json.MarshalIndent(g, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var want bytes.Buffer
			if err := json.Compact(&want, g.FormAnswer); err != nil {
				t.Fatalf("%s: untouched_form_answer: %v", path, err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%s: the untouched form answers\n%s\nthe golden file says\n%s", name, got, want.Bytes())
			}
		})
	}
}

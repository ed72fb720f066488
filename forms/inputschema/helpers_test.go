package inputschema

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testZone is a fixed zone so date-time answers do not depend on the machine.
var testZone = time.FixedZone("UTC+1", 3600)

func readSchema(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "schemas", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func mustSchema(t testing.TB, name string) *Schema {
	t.Helper()
	s, err := ParseSchema(readSchema(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	s.Location = testZone
	return s
}

func corpusNames(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "schemas", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	var out []string
	for _, f := range files {
		b := filepath.Base(f)
		out = append(out, b[:len(b)-len(".json")])
	}
	return out
}

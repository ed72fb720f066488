package answerfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

func corpusSchema(t testing.TB, name string) *inputschema.Schema {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "inputschema", "testdata", "schemas", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return mustSchema(t, string(raw))
}

func mustSchema(t testing.TB, raw string) *inputschema.Schema {
	t.Helper()
	s, err := inputschema.ParseSchema([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustRender(t testing.TB, s *inputschema.Schema, v map[string]any) []byte {
	t.Helper()
	b, err := Render(s, v, Options{RunName: "run-1", FlowName: "approvals"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

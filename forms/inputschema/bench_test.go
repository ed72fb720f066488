package inputschema_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/forms/inputschema/schematest"
)

func BenchmarkParseSchema200(b *testing.B) {
	raw := schematest.Schema200()
	for b.Loop() {
		if _, err := inputschema.ParseSchema(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "schemas", "approval_input.json"))
	if err != nil {
		b.Fatal(err)
	}
	s, err := inputschema.ParseSchema(raw)
	if err != nil {
		b.Fatal(err)
	}
	a := map[string]any{
		"approved": true, "approver": "alice", "count": int64(3), "color": "green", "mode": "slow",
		"ids": []any{int64(1), int64(2)}, "when": "2026-11-21T14:00:00+01:00", "reason": nil,
		"home": map[string]any{"street": "s", "zip_code": "12345"},
	}
	if errs := s.Validate(a); len(errs) > 0 {
		b.Fatal(errs)
	}
	for b.Loop() {
		s.Validate(a)
	}
}

// BenchmarkValidate200 validates an answer to the 200-field schema: what an
// untouched form answers (the defaults, without the empty lists a form
// leaves out) plus the required fields set.
func BenchmarkValidate200(b *testing.B) {
	s, err := inputschema.ParseSchema(schematest.Schema200())
	if err != nil {
		b.Fatal(err)
	}
	untouched := s.Defaults()
	for k, v := range untouched {
		if list, ok := v.([]any); ok && len(list) == 0 {
			delete(untouched, k)
		}
	}
	a, err := s.ApplySets(untouched, []string{"f000=x", "f003=yes"})
	if err != nil {
		b.Fatal(err)
	}
	for i := 10; i < 200; i += 10 {
		a[fmt.Sprintf("f%03d", i)] = "text"
		a[fmt.Sprintf("f%03d", i+3)] = true
	}
	if errs := s.Validate(a); len(errs) > 0 {
		b.Fatal(errs)
	}
	for b.Loop() {
		s.Validate(a)
	}
}

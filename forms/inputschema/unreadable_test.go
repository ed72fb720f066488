package inputschema

import (
	"errors"
	"strings"
	"testing"
)

// Every schema ParseSchema cannot use is one error, the run's input request
// that cannot be read, with its true cause.
func TestUnreadableSchemaCauses(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 300) + "1" + strings.Repeat("}", 300)
	cases := []struct {
		name, raw string
		cause     UnreadableCause
		words     string
	}{
		{"valid but very deep JSON", deep, TooDeep, "nested more than 200 levels deep"},
		{"not JSON", `{"properties":`, NotJSON, "not JSON"},
		{"a JSON string that holds no JSON", `"{nope"`, NotJSON, "not JSON"},
		{"not an object", `[1,2]`, NotASchema, "not an object"},
		{"a string schema", `{"type":"string"}`, NotASchema, "not an object with fields"},
		{"missing ref", `{"type":"object","properties":{"a":{"$ref":"#/definitions/Nope"}}}`, NotASchema, `"#/definitions/Nope"`},
		{"invalid keyword", `{"type":"object","properties":{"a":{"type":"integer","minimum":"x"}}}`, NotASchema, "validation"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseSchema([]byte(c.raw))
			var ue *UnreadableError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v (%T), want an UnreadableError", err, err)
			}
			msg := err.Error()
			if ue.Cause != c.cause || !strings.HasPrefix(msg, "the run's input request cannot be read: ") || !strings.Contains(msg, c.words) {
				t.Errorf("cause %v, %q; want cause %v naming %q", ue.Cause, msg, c.cause, c.words)
			}
			if strings.Contains(msg, "not valid JSON") && c.cause != NotJSON {
				t.Errorf("%q calls it invalid JSON", msg)
			}
		})
	}
}

package inputschema

import (
	"errors"
	"strings"
	"testing"
)

const slowSchema = `{"type":"object","properties":{"f":{"type":"string","pattern":"^(a+)+$"}},"required":["f"]}`

// A value whose pattern check does not finish in time is neither valid nor
// a plain mismatch: it is refused as undecided, said once, and the caller
// may choose to drop exactly those errors.
func TestSlowPatternIsUndecided(t *testing.T) {
	s, err := ParseSchema([]byte(slowSchema))
	if err != nil {
		t.Fatal(err)
	}
	evil := strings.Repeat("a", 30) + "!"
	errs := s.Validate(map[string]any{"f": evil})
	if len(errs) != 1 || !errs[0].SlowPattern || errs[0].Path != "f" || errs[0].Message != SlowPatternMessage {
		t.Fatalf("Validate = %+v, want one slow-pattern error on f", errs)
	}
	if rest := WithoutSlowPatterns(errs); len(rest) != 0 {
		t.Errorf("WithoutSlowPatterns kept %+v", rest)
	}
	err = s.CheckValue(s.Field("f"), evil)
	var slow *SlowPatternError
	if !errors.As(err, &slow) || err.Error() != SlowPatternMessage {
		t.Errorf("CheckValue = %v, want a SlowPatternError", err)
	}
	// A value that is decided keeps its plain verdict.
	if errs := s.Validate(map[string]any{"f": "aaa"}); len(errs) != 0 {
		t.Errorf("matching value refused: %v", errs)
	}
	errs = s.Validate(map[string]any{"f": "b"})
	if len(errs) != 1 || errs[0].SlowPattern {
		t.Errorf("mismatch = %+v, want one plain pattern error", errs)
	}
	if WithoutSlowPatterns(errs) == nil {
		t.Errorf("WithoutSlowPatterns dropped a plain mismatch")
	}
}

// A key whose patternProperties check does not finish in time is undecided
// too, not an unexpected field nor a match.
func TestSlowPatternPropertyKey(t *testing.T) {
	s, err := ParseSchema([]byte(`{"type":"object","properties":{"d":{"type":"object",` +
		`"patternProperties":{"^(a+)+$":{"type":"integer"}},"additionalProperties":false}}}`))
	if err != nil {
		t.Fatal(err)
	}
	errs := s.Validate(map[string]any{"d": map[string]any{strings.Repeat("a", 30) + "!": int64(1)}})
	if len(errs) != 1 || !errs[0].SlowPattern || errs[0].Path != "d" {
		t.Errorf("Validate = %+v, want one slow-pattern error on d", errs)
	}
}

package inputschema

import "testing"

// A field whose default is "" (or []) is shown empty, not as the \empty
// command: typing into it must not append to a command word.
func TestFormatTextOfEmptyDefaults(t *testing.T) {
	raw := []byte(`{"additionalProperties":false,"properties":{"notes":{"default":"","title":"Notes","type":"string"},` +
		`"tags":{"default":[],"items":{"type":"string"},"title":"Tags","type":"array"}},"title":"T","type":"object"}`)
	s, err := ParseSchema(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Fields {
		if got := f.FormatText(f.Default); got != "" {
			t.Errorf("%s starts as %q, want empty", f.Path, got)
		}
	}
	// A required field with an explicit "" still shows the command.
	req := &Field{Kind: String, Required: true}
	if got := req.FormatText(""); got != EmptyCommand {
		t.Errorf("required field with \"\" shows %q, want \\empty", got)
	}
}

package inputschema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// MaxChoices is the most members a one-key choice offers: the digits 1-9.
const MaxChoices = 9

// Choice is one answer a one-key choice offers: the label shown beside
// its digit (raw text from the schema, to be sanitised for display) and
// the value it sends for the field.
type Choice struct {
	Label string
	Value any
}

// Choices is a one-key answer for a schema of exactly one field that is an
// enum or Literal of at most MaxChoices scalar members (labels are the
// members) or a bool ("yes", "no"). ok is false for any other schema.
// Null, when the field allows it, is not offered: the form still can.
func (s *Schema) Choices() (path string, choices []Choice, ok bool) {
	if len(s.Fields) != 1 {
		return "", nil, false
	}
	f := s.Fields[0]
	switch f.Kind {
	case Boolean:
		return f.Path, []Choice{{"yes", true}, {"no", false}}, true
	case Enum:
		if len(f.Enum) < 2 || len(f.Enum) > MaxChoices || !scalarMembers(f.Enum) {
			return "", nil, false
		}
		for _, v := range f.Enum {
			choices = append(choices, Choice{Label: MemberLabel(v), Value: v})
		}
		return f.Path, choices, true
	}
	return "", nil, false
}

// MemberLabel is a member as the operator reads it: text as is, anything
// else in its JSON form.
func MemberLabel(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Key identifies the schema by its content, whatever the order of its
// keys or its spacing: two pauses with the same key ask the same question
// the same way, so an answer to one fits the other. ParseSchema computes
// it.
func (s *Schema) Key() string { return s.key }

// contentKey is a hash of the schema's canonical JSON ("" if raw is not
// JSON, which ParseSchema has refused already).
func contentKey(raw []byte) string {
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return ""
	}
	canon, err := json.Marshal(doc) // object keys sorted
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:12])
}

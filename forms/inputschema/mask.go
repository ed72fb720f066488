package inputschema

import "strings"

// SecretMask replaces a secret's value wherever an answer is shown.
const SecretMask = "**********"

// MaskSecrets returns a copy of answer for display, with the value of every
// secret field (pydantic SecretStr: format password) replaced by SecretMask.
// What is sent is the answer itself; only what is shown is masked.
func (s *Schema) MaskSecrets(answer map[string]any) map[string]any {
	return maskObject(s.Fields, answer)
}

func maskObject(fields []*Field, m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for _, f := range fields {
		v, ok := m[f.Name]
		if !ok || v == nil {
			continue
		}
		switch {
		case f.Format == "password":
			out[f.Name] = SecretMask
		case f.Kind == Object:
			if sub, isMap := v.(map[string]any); isMap {
				out[f.Name] = maskObject(f.Children, sub)
			}
		}
	}
	return out
}

// MaskedDefault reports whether the default is pydantic's mask for a
// SecretStr ("**********"): never pre-filled, never sent.
func (f *Field) MaskedDefault() bool {
	s, ok := f.Default.(string)
	return f.HasDefault && f.Format == "password" && ok && isMask(s)
}

func isMask(s string) bool { return s != "" && strings.Trim(s, "*") == "" }

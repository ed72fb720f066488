package inputschema

import "strings"

// SecretMask replaces a secret's value wherever an answer is shown.
const SecretMask = "**********"

// MaskSecrets returns a copy of answer for display, with the value of every
// secret field (pydantic SecretStr: format password) replaced by SecretMask.
// What is sent is the answer itself; only what is shown is masked.
func (s *Schema) MaskSecrets(answer map[string]any) map[string]any {
	return secretsReplaced(s.Fields, answer, func(v any) (any, bool) {
		if v == nil {
			return nil, true // no secret given: nothing to hide
		}
		return SecretMask, true
	})
}

// secretsReplaced copies m with each secret value at any depth replaced by
// what secret returns for it; ok false removes the key.
func secretsReplaced(fields []*Field, m map[string]any, secret func(v any) (any, bool)) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for _, f := range fields {
		v, ok := m[f.Name]
		if !ok {
			continue
		}
		switch {
		case f.Format == "password":
			if r, keep := secret(v); keep {
				out[f.Name] = r
			} else {
				delete(out, f.Name)
			}
		case f.Kind == Object:
			if sub, isMap := v.(map[string]any); isMap {
				out[f.Name] = secretsReplaced(f.Children, sub, secret)
			}
		}
	}
	return out
}

// DropSecrets returns a copy of answer without its secret (SecretStr)
// values, for what is kept or offered again: a secret is typed anew, never
// restored from disk or from a previous answer.
func (s *Schema) DropSecrets(answer map[string]any) map[string]any {
	return secretsReplaced(s.Fields, answer, func(any) (any, bool) { return nil, false })
}

// Reusable is what of an answer to an earlier pause can start this form:
// the schema's own top-level fields, secrets left out. The flow may ask
// something else now, and its model forbids unknown fields.
func (s *Schema) Reusable(answer map[string]any) map[string]any {
	out := s.DropSecrets(answer)
	for k := range out {
		if s.byPath[k] == nil {
			delete(out, k)
		}
	}
	return out
}

// SecretPaths are the paths of the secret (SecretStr) fields.
func (s *Schema) SecretPaths() []string {
	var out []string
	for _, p := range s.paths {
		if f := s.byPath[p]; f != nil && f.Format == "password" {
			out = append(out, p)
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

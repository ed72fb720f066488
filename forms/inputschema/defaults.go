package inputschema

// Defaults returns the answer an untouched form produces: every field with
// a schema default (date-times given an offset, integers as integers),
// required nested models as objects of their defaults, const fields always.
// A masked SecretStr default and null defaults are left out (omitting the
// key lets the flow apply its own default).
func (s *Schema) Defaults() map[string]any {
	out := map[string]any{}
	for _, f := range s.Fields {
		if v, ok := s.DefaultValue(f); ok {
			out[f.Name] = v
		}
	}
	return out
}

// DefaultValue is the value a field starts with from its schema default,
// normalized to what the form would send. ok is false when there is
// nothing to send (no default, a masked secret, or a null default on a
// field that is better omitted).
func (s *Schema) DefaultValue(f *Field) (any, bool) {
	if f.Kind == Const {
		if !f.HasDefault && !f.Required && len(f.Enum) == 1 && f.Enum[0] == nil {
			return nil, false
		}
		return f.Enum[0], true
	}
	if f.MaskedDefault() {
		return nil, false
	}
	if !f.HasDefault {
		if f.Kind == Object && f.Required {
			return s.objectDefaults(f, nil), true
		}
		return nil, false
	}
	if f.Default == nil {
		return nil, false
	}
	if f.Kind == Object {
		if m, ok := f.Default.(map[string]any); ok {
			return s.objectDefaults(f, m), true
		}
	}
	v := s.NormalizeValue(f, f.Default)
	// pydantic does not validate defaults, so a flow may declare one its
	// own schema rejects (Field("", pattern=...)). Sending it would make the
	// server refuse the answer; leaving it out lets the flow apply it.
	if err := s.checkConstraints(f, v); err != nil {
		return nil, false
	}
	if str, ok := v.(string); ok && f.Kind == String && f.Format != "" && f.Format != "password" {
		if _, err := s.parseString(f, str); err != nil {
			return nil, false
		}
	}
	return v, true
}

// ObjectDefaults is the answer an untouched nested model f starts with: its
// fields' defaults, nested models included.
func (s *Schema) ObjectDefaults(f *Field) map[string]any { return s.objectDefaults(f, nil) }

// objectDefaults is ObjectDefaults over given: a given value wins over the
// field's default.
func (s *Schema) objectDefaults(f *Field, given map[string]any) map[string]any {
	out := map[string]any{}
	for _, c := range f.Children {
		if v, ok := given[c.Name]; ok {
			if c.Kind == Object {
				if m, ok := v.(map[string]any); ok {
					out[c.Name] = s.objectDefaults(c, m)
					continue
				}
			}
			out[c.Name] = s.NormalizeValue(c, v)
			continue
		}
		if v, ok := s.DefaultValue(c); ok {
			out[c.Name] = v
		}
	}
	return out
}

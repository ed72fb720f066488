package inputschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Marshal encodes an answer with keys in schema order (unknown keys after
// them, sorted, so nothing is silently dropped).
func (s *Schema) Marshal(answer map[string]any) (json.RawMessage, error) {
	var b bytes.Buffer
	if err := writeObject(&b, s.Fields, answer); err != nil {
		return nil, err
	}
	return json.RawMessage(b.Bytes()), nil
}

func writeObject(b *bytes.Buffer, fields []*Field, m map[string]any) error {
	b.WriteByte('{')
	n := 0
	key := func(k string) error {
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		return writeValue(b, k)
	}
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Name] = true
		v, ok := m[f.Name]
		if !ok {
			continue
		}
		if err := key(f.Name); err != nil {
			return err
		}
		b.WriteByte(':')
		if sub, isMap := v.(map[string]any); isMap && f.Kind == Object {
			if err := writeObject(b, f.Children, sub); err != nil {
				return err
			}
			continue
		}
		if err := writeValue(b, v); err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	for _, k := range sortedKeys(m) {
		if known[k] {
			continue
		}
		if err := key(k); err != nil {
			return err
		}
		b.WriteByte(':')
		if err := writeValue(b, m[k]); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	b.WriteByte('}')
	return nil
}

func writeValue(b *bytes.Buffer, v any) error {
	var tmp bytes.Buffer
	enc := json.NewEncoder(&tmp)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Write(bytes.TrimSuffix(tmp.Bytes(), []byte("\n")))
	return nil
}

// sortedKeys is used where no schema order exists (extra keys, dicts).
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

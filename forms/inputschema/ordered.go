package inputschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jobj is a JSON object that remembers the order of its keys. Schema
// properties must keep their order from the schema text (it is the class
// declaration order, and Prefect stores no position keys), and Go maps lose
// it, so schemas are decoded into this instead of map[string]any.
type jobj struct {
	keys []string
	vals map[string]any
}

func newJobj() *jobj { return &jobj{vals: map[string]any{}} }

func (o *jobj) get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	v, ok := o.vals[k]
	return v, ok
}

func (o *jobj) has(k string) bool { _, ok := o.get(k); return ok }

func (o *jobj) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *jobj) del(k string) {
	if _, ok := o.vals[k]; !ok {
		return
	}
	delete(o.vals, k)
	for i, kk := range o.keys {
		if kk == k {
			o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
			break
		}
	}
}

func (o *jobj) str(k string) string {
	v, _ := o.get(k)
	s, _ := v.(string)
	return s
}

func (o *jobj) obj(k string) *jobj {
	v, _ := o.get(k)
	m, _ := v.(*jobj)
	return m
}

func (o *jobj) arr(k string) []any {
	v, _ := o.get(k)
	a, _ := v.([]any)
	return a
}

// maxJSONDepth bounds nesting while decoding untrusted schema text, so a
// hostile document cannot exhaust the stack.
const maxJSONDepth = 200

// decodeOrdered decodes one JSON document into *jobj / []any / json.Number /
// string / bool / nil, keeping object key order. Duplicate keys keep their
// first position and the last value, as encoding/json does for values.
func decodeOrdered(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON document")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := newJobj()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is %T, not a string", kt)
				}
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				o.set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return a, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// plain converts an ordered tree into map[string]any values (numbers stay
// json.Number), the shape the validator and answers use.
func plain(v any) any {
	switch t := v.(type) {
	case *jobj:
		m := make(map[string]any, len(t.keys))
		for _, k := range t.keys {
			m[k] = plain(t.vals[k])
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = plain(e)
		}
		return out
	default:
		return v
	}
}

// cloneTree deep-copies an ordered tree (used before preprocessing).
func cloneTree(v any) any {
	switch t := v.(type) {
	case *jobj:
		o := &jobj{keys: append([]string(nil), t.keys...), vals: make(map[string]any, len(t.vals))}
		for k, e := range t.vals {
			o.vals[k] = cloneTree(e)
		}
		return o
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = cloneTree(e)
		}
		return out
	default:
		return v
	}
}

func cloneShallow(o *jobj) *jobj {
	c := &jobj{keys: append([]string(nil), o.keys...), vals: make(map[string]any, len(o.vals))}
	for k, v := range o.vals {
		c.vals[k] = v
	}
	return c
}

package inputschema

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// Answer values are the shapes encoding/json decodes into with UseNumber,
// normalized: objects map[string]any, integers int64, other numbers
// json.Number. These helpers convert, compare and name them.

// normJSON turns decoded schema values into answer values: objects become
// map[string]any, integer literals int64, other numbers stay json.Number.
func normJSON(v any) any {
	switch t := v.(type) {
	case *jobj:
		m := make(map[string]any, len(t.keys))
		for _, k := range t.keys {
			m[k] = normJSON(t.vals[k])
		}
		return m
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = normJSON(e)
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normJSON(e)
		}
		return out
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i
		}
		return t
	case float64:
		if t == float64(int64(t)) && t >= -1<<53 && t <= 1<<53 {
			return int64(t)
		}
		return json.Number(strconv.FormatFloat(t, 'g', -1, 64))
	case int:
		return int64(t)
	}
	return v
}

// jsonEqual compares JSON values, numbers by value (2 == 2.0).
func jsonEqual(a, b any) bool {
	if ra, ok := ratOf(a); ok {
		if _, isStr := a.(string); !isStr {
			if _, isStr := b.(string); isStr {
				return false
			}
			rb, ok := ratOf(b)
			return ok && ra.Cmp(rb) == 0
		}
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

// ratOf returns the exact value of a JSON number (or number text).
func ratOf(v any) (*big.Rat, bool) {
	var s string
	switch t := v.(type) {
	case int64:
		return new(big.Rat).SetInt64(t), true
	case int:
		return new(big.Rat).SetInt64(int64(t)), true
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return nil, false
		}
		return new(big.Rat).SetFloat64(t), true
	case json.Number:
		s = string(t)
	case string:
		s = t
	default:
		return nil, false
	}
	if len(s) > 400 || !numberText.MatchString(s) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number, float64, float32, int, int64, int32:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

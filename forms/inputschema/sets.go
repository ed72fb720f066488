package inputschema

import (
	"fmt"
	"strings"
)

// --set: each assignment is split into a field path and its text, the path
// is looked up, and the text is typed by the field (text.go) and put into a
// copy of the answer.

// ApplySets applies command-line assignments to a copy of base:
//
//	count=3            typed by the schema (integer 3); approve=yes/true/1
//	color=red          enum members by their text; integer enums as integers
//	home.zip_code=12345  dotted paths into nested models
//	tags=a tags=b      repeated sets of an array field append (the first one replaces)
//	reason=null        null, only where the schema allows it
//	extra:={"a": 1}    raw JSON for any field
//	extra.key=value    a key inside a JSON (dict) field; the value is JSON if it parses, else text
//
// An unknown field is an error that lists the valid paths; other errors name
// the field and the type it expects.
func (s *Schema) ApplySets(base map[string]any, sets []string) (map[string]any, error) {
	out, _ := deepCopy(base).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	appended := map[string]bool{}
	var errs SetErrors
	for _, set := range sets {
		if e := s.applySet(out, set, appended); e != nil {
			errs = append(errs, *e)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// applySet applies one assignment to out, or says why it cannot.
func (s *Schema) applySet(out map[string]any, set string, appended map[string]bool) *SetError {
	fail := func(syntax bool, format string, a ...any) *SetError {
		return &SetError{Set: set, Syntax: syntax, Msg: fmt.Sprintf(format, a...)}
	}
	key, raw, isJSON, err := splitSet(set)
	if err != nil {
		return fail(true, "%v", err)
	}
	f, rest := s.lookupSetPath(key)
	if f == nil {
		return fail(false, "unknown field %q; fields: %s", key, strings.Join(s.paths, ", "))
	}
	if rest != "" {
		v := any(raw)
		if isJSON {
			if v, err = parseJSONText(raw); err != nil {
				return fail(false, "%s: %v", key, err)
			}
		} else if j, err := parseJSONText(raw); err == nil {
			v = j
		}
		if err := putPath(out, f.Path+"."+rest, v); err != nil {
			return fail(false, "%v", err)
		}
		return nil
	}
	v, err := s.setValue(f, raw, isJSON, appended[f.Path], getPath(out, f.Path))
	if err != nil {
		return fail(false, "%s expects %s: %v", f.Path, f.TypeHint(), err)
	}
	if isArrayKind(f) {
		appended[f.Path] = true
	}
	if err := putPath(out, f.Path, v); err != nil {
		return fail(false, "%v", err)
	}
	return nil
}

// SetError is one assignment that could not be applied.
type SetError struct {
	Set    string // the assignment as given
	Syntax bool   // not field=value nor field:=<json> at all
	Msg    string // what is wrong with it
}

func (e SetError) Error() string { return "--set " + e.Set + ": " + e.Msg }

// SetErrors is every assignment of one ApplySets that could not be applied,
// so that all of them can be fixed at once.
type SetErrors []SetError

func (es SetErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Syntax reports whether any assignment was malformed (a usage mistake
// rather than a wrong value).
func (es SetErrors) Syntax() bool {
	for _, e := range es {
		if e.Syntax {
			return true
		}
	}
	return false
}

func splitSet(set string) (key, raw string, isJSON bool, err error) {
	i := strings.IndexByte(set, '=')
	if i <= 0 {
		return "", "", false, fmt.Errorf("expected field=value or field:=<json>")
	}
	key, raw = set[:i], set[i+1:]
	if strings.HasSuffix(key, ":") {
		key, isJSON = key[:len(key)-1], true
	}
	key = strings.TrimSpace(key)
	if key == "" {
		return "", "", false, fmt.Errorf("missing field name before =")
	}
	return key, raw, isJSON, nil
}

// lookupSetPath finds the field for a --set key; for a key inside a JSON
// field ("extra.foo") it returns that field and the rest of the path.
func (s *Schema) lookupSetPath(key string) (*Field, string) {
	if f := s.byPath[key]; f != nil {
		return f, ""
	}
	var best *Field
	for _, p := range s.paths {
		f := s.byPath[p]
		if f.Kind == JSON && strings.HasPrefix(key, p+".") && (best == nil || len(p) > len(best.Path)) {
			best = f
		}
	}
	if best == nil {
		return nil, ""
	}
	return best, key[len(best.Path)+1:]
}

func (s *Schema) setValue(f *Field, raw string, isJSON, appending bool, current any) (any, error) {
	if isJSON {
		v, err := parseJSONText(raw)
		if err != nil {
			return nil, err
		}
		return s.NormalizeValue(f, v), nil
	}
	if strings.TrimSpace(raw) == "null" && f.Kind != String && !(f.Kind == List && f.Items.Kind == String) {
		if !f.Nullable {
			return nil, fmt.Errorf("null is not allowed here")
		}
		return nil, nil
	}
	if raw == "null" && f.Nullable && f.Kind == String {
		return nil, nil // to send the text "null", use field:="null"
	}
	switch f.Kind {
	case Object:
		return nil, fmt.Errorf("it is a group of fields: set them one by one (%s.<field>=value) or all at once with %s:=<json>", f.Path, f.Path)
	case List, MultiEnum:
		var item any
		var err error
		if f.Kind == List {
			item, err = s.parseValue(f.Items, raw)
		} else {
			item, err = matchMember(f.Enum, strings.TrimSpace(raw))
		}
		if err != nil {
			return nil, err
		}
		return appendItem(current, item, appending), nil
	case Tuple:
		list, _ := current.([]any)
		if !appending {
			list = nil
		}
		if len(list) >= len(f.Children) {
			return nil, fmt.Errorf("the tuple has only %d positions", len(f.Children))
		}
		item, err := s.parseValue(f.Children[len(list)], raw)
		if err != nil {
			return nil, fmt.Errorf("position %d: %w", len(list)+1, err)
		}
		return append(append([]any{}, list...), item), nil
	case JSON:
		if v, err := parseJSONText(raw); err == nil {
			return v, nil
		}
		return raw, nil
	}
	return s.parseValue(f, raw)
}

func isArrayKind(f *Field) bool { return f.Kind == List || f.Kind == MultiEnum || f.Kind == Tuple }

func appendItem(current, item any, appending bool) []any {
	list, _ := current.([]any)
	if !appending {
		return []any{item}
	}
	return append(append([]any{}, list...), item)
}

func getPath(m map[string]any, path string) any {
	var cur any = m
	for _, p := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

// putPath sets a dotted path, creating (or replacing non-object) parents.
func putPath(m map[string]any, path string, v any) error {
	parts := strings.Split(path, ".")
	cur := m
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	cur[parts[len(parts)-1]] = v
	return nil
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

package inputschema

import (
	"fmt"
	"sort"
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
//	a.b=x              a property named "a.b" (or a pydantic alias "a.b"):
//	                   an exact name wins over a dotted path
//	[a].b=x [a.b]=x    a name in brackets is taken as it is, dots and all,
//	                   for the rare clash of a property "a.b" with a model "a"
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
	f, names, rest, err := s.lookupSetKey(key)
	if err != nil {
		return fail(true, "%v", err)
	}
	if f == nil {
		return fail(false, "unknown field %q; fields: %s", key, strings.Join(s.paths, ", "))
	}
	if len(rest) > 0 {
		v := any(raw)
		if isJSON {
			if v, err = parseJSONText(raw); err != nil {
				return fail(false, "%s: %v", key, err)
			}
		} else if j, err := parseJSONText(raw); err == nil {
			v = j
		}
		putNames(out, append(names, rest...), v)
		return nil
	}
	// Keyed by the names, not the dotted Path, which two fields may share.
	id := strings.Join(names, "\x00")
	v, err := s.setValue(f, raw, isJSON, appended[id], getNames(out, names))
	if err != nil {
		return fail(false, "%s expects %s: %v", f.Path, f.TypeHint(), err)
	}
	if isArrayKind(f) {
		appended[id] = true
	}
	putNames(out, names, v)
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

// lookupSetKey finds the field a --set key names, the property names that
// lead to it from the answer root, and for a key inside a JSON field the
// keys below that field. A key with a [quoted] name is read name by name;
// any other key matches property names that may themselves hold dots,
// the longest name first, so an exact name wins over a dotted path.
// A nil field with a nil error is an unknown field.
func (s *Schema) lookupSetKey(key string) (*Field, []string, []string, error) {
	if strings.HasPrefix(key, "[") || strings.Contains(key, ".[") {
		segs, err := splitQuotedKey(key)
		if err != nil {
			return nil, nil, nil, err
		}
		f, names, rest := walkNames(s.Fields, segs, nil)
		return f, names, rest, nil
	}
	f, names, rest := walkDotted(s.Fields, key, nil)
	return f, names, rest, nil
}

// splitQuotedKey splits "[a.b].c" into "a.b", "c": a name in brackets is
// taken as it is, dots and all; the others end at the next dot.
func splitQuotedKey(key string) ([]string, error) {
	var segs []string
	for rest := key; ; {
		var seg string
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("%q: a [ without its ]; quote a name holding dots as [a.b]", key)
			}
			seg, rest = rest[1:end], rest[end+1:]
			if rest != "" && rest[0] != '.' {
				return nil, fmt.Errorf("%q: a quoted [name] is followed by . or =", key)
			}
		} else {
			var after string
			var more bool
			seg, after, more = strings.Cut(rest, ".")
			if rest = ""; more {
				rest = "." + after
			}
		}
		if seg == "" {
			return nil, fmt.Errorf("%q: an empty field name", key)
		}
		segs = append(segs, seg)
		if rest == "" {
			return segs, nil
		}
		rest = rest[1:]
		if rest == "" {
			return nil, fmt.Errorf("%q: an empty field name", key)
		}
	}
}

// walkNames follows exact property names; past a JSON field the remaining
// names are keys inside it.
func walkNames(fields []*Field, segs, names []string) (*Field, []string, []string) {
	f := childNamed(fields, segs[0])
	if f == nil {
		return nil, nil, nil
	}
	names = append(names, f.Name)
	switch {
	case len(segs) == 1:
		return f, names, nil
	case f.Kind == Object:
		return walkNames(f.Children, segs[1:], names)
	case f.Kind == JSON:
		return f, names, segs[1:]
	}
	return nil, nil, nil
}

// walkDotted matches key against property names, the exact name first,
// then names followed by a dot, longest first (a name may hold dots).
func walkDotted(fields []*Field, key string, names []string) (*Field, []string, []string) {
	if f := childNamed(fields, key); f != nil {
		return f, append(names, f.Name), nil
	}
	var prefixed []*Field
	for _, f := range fields {
		if strings.HasPrefix(key, f.Name+".") && f.Name != "" {
			prefixed = append(prefixed, f)
		}
	}
	sort.SliceStable(prefixed, func(i, j int) bool { return len(prefixed[i].Name) > len(prefixed[j].Name) })
	for _, f := range prefixed {
		rest := key[len(f.Name)+1:]
		switch f.Kind {
		case Object:
			if g, n, r := walkDotted(f.Children, rest, append(names[:len(names):len(names)], f.Name)); g != nil {
				return g, n, r
			}
		case JSON:
			return f, append(names, f.Name), strings.Split(rest, ".")
		}
	}
	return nil, nil, nil
}

func childNamed(fields []*Field, name string) *Field {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	return nil
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
			item, err = s.member(f, strings.TrimSpace(raw))
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

func getNames(m map[string]any, names []string) any {
	var cur any = m
	for _, p := range names {
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
	putNames(m, strings.Split(path, "."), v)
	return nil
}

// putNames sets the value at a list of keys, creating (or replacing
// non-object) parents.
func putNames(m map[string]any, parts []string, v any) {
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

// quoteClashingPaths gives every field a path of its own. Two fields share a
// dotted path when a property name holds a dot (a property "a.b" beside a
// model "a" with a field "b"): the one the plain path sets (the exact name,
// see lookupSetKey) keeps it, the others get their names in brackets
// ("[a].[b]"), which --set reads back.
func quoteClashingPaths(root []*Field) {
	type entry struct {
		f     *Field
		names []string
	}
	byPath := map[string][]entry{}
	var walk func(fs []*Field, names []string)
	walk = func(fs []*Field, names []string) {
		for _, f := range fs {
			n := append(names[:len(names):len(names)], f.Name)
			byPath[f.Path] = append(byPath[f.Path], entry{f, n})
			if f.Kind == Object {
				walk(f.Children, n)
			}
		}
	}
	walk(root, nil)
	for path, es := range byPath {
		if len(es) < 2 {
			continue
		}
		owner, _, _ := walkDotted(root, path, nil)
		for _, e := range es {
			if e.f != owner {
				repath(e.f, e.f.Path, "["+strings.Join(e.names, "].[")+"]")
			}
		}
	}
}

// repath moves f and everything under it from the path prefix old to new.
func repath(f *Field, old, new string) {
	if f == nil || !strings.HasPrefix(f.Path, old) {
		return
	}
	f.Path = new + f.Path[len(old):]
	for _, c := range f.Children {
		repath(c, old, new)
	}
	for _, v := range f.Variants {
		repath(v, old, new)
	}
	repath(f.Items, old, new)
}

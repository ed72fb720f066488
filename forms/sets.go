package forms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Defaults returns the answer an untouched form produces: every field with
// a schema default (date-times given an offset, integers as integers),
// required nested models as objects of their defaults, const fields always.
// A masked SecretStr default and null defaults are left out (omitting the
// key lets the flow apply its own default).
func (s *Schema) Defaults() map[string]any {
	out := map[string]any{}
	for _, f := range s.Fields {
		if v, ok := s.defaultValue(f); ok {
			out[f.Name] = v
		}
	}
	return out
}

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
	for _, set := range sets {
		key, raw, isJSON, err := splitSet(set)
		if err != nil {
			return nil, err
		}
		f, rest := s.lookupSetPath(key)
		if f == nil {
			return nil, fmt.Errorf("--set %s: unknown field %q; fields: %s", set, key, strings.Join(s.paths, ", "))
		}
		if rest != "" {
			v := any(raw)
			if isJSON {
				if v, err = parseJSONText(raw); err != nil {
					return nil, fmt.Errorf("--set %s: %s: %v", set, key, err)
				}
			} else if j, err := parseJSONText(raw); err == nil {
				v = j
			}
			if err := putPath(out, f.Path+"."+rest, v); err != nil {
				return nil, fmt.Errorf("--set %s: %v", set, err)
			}
			continue
		}
		v, err := s.setValue(f, raw, isJSON, appended[f.Path], getPath(out, f.Path))
		if err != nil {
			return nil, fmt.Errorf("--set %s: %s expects %s: %v", set, f.Path, f.TypeHint(), err)
		}
		if isArrayKind(f) {
			appended[f.Path] = true
		}
		if err := putPath(out, f.Path, v); err != nil {
			return nil, fmt.Errorf("--set %s: %v", set, err)
		}
	}
	return out, nil
}

func isArrayKind(f *Field) bool { return f.Kind == List || f.Kind == MultiEnum || f.Kind == Tuple }

func splitSet(set string) (key, raw string, isJSON bool, err error) {
	i := strings.IndexByte(set, '=')
	if i <= 0 {
		return "", "", false, fmt.Errorf("--set %q: expected field=value or field:=<json>", set)
	}
	key, raw = set[:i], set[i+1:]
	if strings.HasSuffix(key, ":") {
		key, isJSON = key[:len(key)-1], true
	}
	key = strings.TrimSpace(key)
	if key == "" {
		return "", "", false, fmt.Errorf("--set %q: missing field name", set)
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
		return s.normalizeValue(f, v), nil
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
			return nil, fmt.Errorf("position %d: %v", len(list)+1, err)
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

// TypeHint describes in a few words what the field takes.
func (f *Field) TypeHint() string {
	switch f.Kind {
	case String:
		switch f.Format {
		case "date-time":
			return "date and time"
		case "date":
			return "date, YYYY-MM-DD"
		case "time":
			return "time, HH:MM"
		case "duration":
			return "duration, e.g. 5m, 1h30m, PT5M"
		case "uuid":
			return "UUID"
		case "email":
			return "email address"
		case "uri", "url":
			return "URL"
		case "password":
			return "secret text"
		}
		return "text"
	case Integer:
		return "whole number"
	case Number:
		return "number"
	case Boolean:
		return "yes/no"
	case Enum:
		return "one of: " + membersText(f.Enum)
	case MultiEnum:
		return "any of: " + membersText(f.Enum)
	case List:
		return "list of " + plural(f.Items.TypeHint())
	case Tuple:
		var parts []string
		for _, c := range f.Children {
			parts = append(parts, c.TypeHint())
		}
		return "tuple (" + strings.Join(parts, "; ") + ")"
	case Object:
		return "group of fields"
	case Union:
		var parts []string
		for _, v := range f.Variants {
			parts = append(parts, v.Name)
		}
		return "either " + strings.Join(parts, " or ")
	case Const:
		return "fixed value " + memberText(f.Enum[0])
	}
	return "JSON"
}

func plural(h string) string {
	switch h {
	case "text":
		return "texts"
	case "whole number":
		return "whole numbers"
	case "number":
		return "numbers"
	}
	return h
}

func membersText(ms []any) string {
	const max = 12
	var parts []string
	for i, m := range ms {
		if i == max {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(ms)-max))
			break
		}
		parts = append(parts, memberText(m))
	}
	return strings.Join(parts, ", ")
}

// ConstraintText summarises the field's constraints ("2 to 50 characters",
// "1 to 10", "multiple of 5"), or "".
func (f *Field) ConstraintText() string {
	c := f.Constraints
	var parts []string
	switch {
	case c.MinLength != nil && c.MaxLength != nil:
		parts = append(parts, fmt.Sprintf("%d to %d characters", *c.MinLength, *c.MaxLength))
	case c.MinLength != nil:
		parts = append(parts, fmt.Sprintf("at least %d characters", *c.MinLength))
	case c.MaxLength != nil:
		parts = append(parts, fmt.Sprintf("at most %d characters", *c.MaxLength))
	}
	if c.Pattern != "" {
		parts = append(parts, "matches "+c.Pattern)
	}
	switch {
	case c.Minimum != nil && c.Maximum != nil:
		parts = append(parts, fmtNum(*c.Minimum)+" to "+fmtNum(*c.Maximum))
	case c.Minimum != nil:
		parts = append(parts, "at least "+fmtNum(*c.Minimum))
	case c.Maximum != nil:
		parts = append(parts, "at most "+fmtNum(*c.Maximum))
	}
	if c.ExclusiveMinimum != nil {
		parts = append(parts, "more than "+fmtNum(*c.ExclusiveMinimum))
	}
	if c.ExclusiveMaximum != nil {
		parts = append(parts, "less than "+fmtNum(*c.ExclusiveMaximum))
	}
	if c.MultipleOf != nil {
		parts = append(parts, "multiple of "+fmtNum(*c.MultipleOf))
	}
	if f.Kind != Tuple {
		switch {
		case c.MinItems != nil && c.MaxItems != nil:
			parts = append(parts, fmt.Sprintf("%d to %d items", *c.MinItems, *c.MaxItems))
		case c.MinItems != nil:
			parts = append(parts, fmt.Sprintf("at least %d items", *c.MinItems))
		case c.MaxItems != nil:
			parts = append(parts, fmt.Sprintf("at most %d items", *c.MaxItems))
		}
	}
	if c.UniqueItems {
		parts = append(parts, "no repeats")
	}
	return strings.Join(parts, ", ")
}

// FieldSummary describes one settable field for listings (unpause show).
// Strings are raw from the schema: sanitise before printing.
type FieldSummary struct {
	Path        string `json:"path"`
	Label       string `json:"label"`
	Kind        Kind   `json:"kind"`
	Type        string `json:"type"`
	Format      string `json:"format,omitempty"`
	Required    bool   `json:"required"`
	Nullable    bool   `json:"nullable,omitempty"`
	Default     any    `json:"default,omitempty"`
	HasDefault  bool   `json:"has_default"`
	Choices     []any  `json:"choices,omitempty"`
	Constraints string `json:"constraints,omitempty"`
	Description string `json:"description,omitempty"`
}

// String is one line: "count (whole number, 1 to 10) default 1".
func (fs FieldSummary) String() string {
	var b strings.Builder
	b.WriteString(fs.Path)
	b.WriteString(" (")
	b.WriteString(fs.Type)
	if fs.Constraints != "" {
		b.WriteString(", " + fs.Constraints)
	}
	if fs.Nullable {
		b.WriteString(", or null")
	}
	b.WriteString(")")
	switch {
	case fs.Kind == Const:
	case fs.Required:
		b.WriteString(" required")
	case fs.HasDefault && fs.Default != nil:
		d, _ := json.Marshal(fs.Default)
		b.WriteString(" default " + clip(string(d)))
	case fs.HasDefault:
		b.WriteString(" optional (flow default applies)")
	default:
		b.WriteString(" optional")
	}
	return b.String()
}

// Summaries lists every field in schema order: nested models and the
// fields inside them, with their dotted paths as --set takes them.
func (s *Schema) Summaries() []FieldSummary {
	out := []FieldSummary{}
	for _, p := range s.paths {
		f := s.byPath[p]
		fs := FieldSummary{
			Path: f.Path, Label: strings.TrimSuffix(f.Label(), " *"), Kind: f.Kind, Type: f.TypeHint(),
			Format: f.Format, Required: f.Required, Nullable: f.Nullable,
			HasDefault: f.HasDefault, Constraints: f.ConstraintText(), Description: f.Description,
		}
		if f.HasDefault && !f.MaskedDefault() {
			fs.Default = f.Default
		}
		if f.Kind == Enum || f.Kind == MultiEnum {
			fs.Choices = f.Enum
		}
		out = append(out, fs)
	}
	return out
}

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

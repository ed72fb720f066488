package inputschema

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Field text: what an operator types into a field, or gives to --set,
// becomes the typed value the flow's model takes, and a value is shown as
// text that reads back to the same value.

// Commands an operator can type into any text field. They are listed in
// each field's help line, so they are discoverable where they apply.
const (
	NullCommand    = `\null`    // send null (only where the schema allows it)
	DefaultCommand = `\default` // reset to the schema default
	EmptyCommand   = `\empty`   // an empty string or an empty list, explicitly
)

// RequiredError is the error for a required field left empty (or a choice
// left on "— choose —"); Hint says what to do.
type RequiredError struct{ Hint string }

func (e RequiredError) Error() string {
	if e.Hint == "" {
		return "required"
	}
	return "required: " + e.Hint
}

// ParseText interprets what the operator typed into a text widget for f.
// It returns the value, whether the field is present in the answer (an
// empty optional field is omitted), or an error to show under the field.
// Nothing empty silently becomes null or "": those need \null / \empty.
func (s *Schema) ParseText(f *Field, text string) (any, bool, error) {
	trimmed := strings.TrimSpace(text)
	switch {
	case text == "" || (trimmed == "" && f.Kind != String):
		if f.Required {
			return nil, false, RequiredError{Hint: s.requiredHint(f)}
		}
		return nil, false, nil
	case trimmed == NullCommand:
		if !f.Nullable {
			return nil, false, fmt.Errorf("%s: this field cannot be null", NullCommand)
		}
		return nil, true, nil
	case trimmed == DefaultCommand:
		if f.MaskedDefault() {
			return nil, false, errors.New("the flow's default is hidden; leave the field empty to keep it")
		}
		if !f.HasDefault {
			return nil, false, errors.New("this field has no default")
		}
		v, ok := s.DefaultValue(f)
		if !ok {
			if f.Required {
				return nil, false, errors.New("the default is null, which this field does not allow")
			}
			return nil, false, nil // default null on an optional field: omit, the flow applies it
		}
		return v, true, nil
	case trimmed == EmptyCommand:
		switch f.Kind {
		case String:
			return "", true, s.CheckValue(f, "")
		case List, MultiEnum:
			return []any{}, true, s.CheckValue(f, []any{})
		}
		return nil, false, fmt.Errorf("%s only applies to text and lists", EmptyCommand)
	}
	if f.Kind == String {
		if rest, ok := strings.CutPrefix(text, `\\`); ok {
			text = `\` + rest
		} else if strings.HasPrefix(trimmed, `\`) && len(trimmed) > 1 && isCommandWord(trimmed[1:]) {
			return nil, false, fmt.Errorf("unknown command %s (commands: %s); start with \\\\ for a literal backslash", trimmed, strings.Join(commandsFor(f), ", "))
		}
	}
	v, err := s.parseValue(f, text)
	if err != nil {
		return nil, false, err
	}
	if err := s.CheckValue(f, v); err != nil {
		return v, true, err
	}
	return v, true, nil
}

func isCommandWord(s string) bool {
	if s == "" || len(s) > 12 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func commandsFor(f *Field) []string {
	var out []string
	if f.HasDefault && !f.MaskedDefault() {
		out = append(out, DefaultCommand)
	}
	if f.Nullable {
		out = append(out, NullCommand)
	}
	if f.Kind == String || f.Kind == List {
		out = append(out, EmptyCommand)
	}
	return out
}

// requiredHint says how to answer a required field left empty, offering
// \empty only where an empty text or list is a valid answer.
func (s *Schema) requiredHint(f *Field) string {
	emptyOK := (f.Kind == String && s.CheckValue(f, "") == nil) || (f.Kind == List && s.CheckValue(f, []any{}) == nil)
	switch {
	case emptyOK && f.Kind == String && f.Nullable:
		return "type a value, " + EmptyCommand + " for an empty text, or " + NullCommand + " for none"
	case emptyOK && f.Kind == String:
		return "type a value (" + EmptyCommand + " for an empty text)"
	case emptyOK && f.Kind == List && f.Nullable:
		return "enter items, " + EmptyCommand + " for an empty list, or " + NullCommand + " for none"
	case emptyOK && f.Kind == List:
		return "enter items (" + EmptyCommand + " for an empty list)"
	case f.Kind == List && f.Nullable:
		return "enter items, or " + NullCommand + " for none"
	case f.Kind == List:
		return "enter items"
	case f.Nullable:
		return "type a value or " + NullCommand + " for none"
	}
	return "type a value"
}

// parseValue converts one piece of text to the JSON value f takes, without
// the empty/command handling of ParseText. ApplySets uses it too.
func (s *Schema) parseValue(f *Field, text string) (any, error) {
	switch f.Kind {
	case String:
		return s.parseString(f, text)
	case Integer:
		return parseInteger(text)
	case Number:
		return parseNumber(text)
	case Boolean:
		return parseBool(text)
	case Enum, Const:
		return s.member(f, text)
	case List:
		var out []any
		for _, line := range strings.Split(text, "\n") {
			line = strings.TrimSuffix(line, "\r")
			if strings.TrimSpace(line) == "" {
				continue
			}
			v, err := s.parseValue(f.Items, line)
			if err != nil {
				return nil, fmt.Errorf("item %q: %w", clip(line), err)
			}
			out = append(out, v)
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	case MultiEnum:
		var out []any
		for _, part := range strings.Split(text, "\n") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			m, err := s.member(f, strings.TrimSpace(part))
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	case Union:
		var errs []string
		for _, vf := range f.Variants {
			v, err := s.parseValue(vf, text)
			if err == nil {
				if err = s.CheckValue(vf, v); err == nil {
					return v, nil
				}
			}
			errs = append(errs, vf.Name+": "+err.Error())
		}
		return nil, fmt.Errorf("fits none of the alternatives (%s)", strings.Join(errs, "; "))
	default: // JSON, Object, Tuple
		return parseJSONText(text)
	}
}

func parseJSONText(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	// The decoder's own words ("invalid character 'o' in literal null") say
	// little to an operator: say what was given and what JSON looks like.
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s is not JSON; give a JSON value such as true, 3, \"text\", [1, 2] or {\"a\": 1}", quoteShort(text))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s holds more than one JSON value; give exactly one", quoteShort(text))
	}
	return normJSON(v), nil
}

func (s *Schema) parseString(f *Field, text string) (any, error) {
	switch f.Format {
	case "date-time":
		return parseDateTime(text, s.TimeZone())
	case "date":
		return parseDate(text)
	case "time":
		return parseTime(text)
	case "duration":
		return parseDuration(text)
	case "uuid":
		return parseUUID(text)
	case "email", "uri", "url", "hostname", "ipv4", "ipv6":
		return strings.TrimSpace(text), nil
	}
	return text, nil
}

var groupedDigits = regexp.MustCompile(`^[+-]?\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?$`)

var numberText = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?$`)

var jsonNumberText = regexp.MustCompile(`^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d{1,4})?$`)

func cleanNumber(text string) (string, error) {
	t := strings.TrimSpace(text)
	if strings.Contains(t, "_") {
		// Python-style digit grouping: 1_000
		if !groupedDigits.MatchString(t) {
			return "", fmt.Errorf("%q is not a number", clip(t))
		}
		t = strings.ReplaceAll(t, "_", "")
	}
	if len(t) > 400 || !numberText.MatchString(t) {
		return "", fmt.Errorf("%q is not a number", clip(t))
	}
	return t, nil
}

// parseInteger returns int64, or json.Number for integers beyond int64.
// "3.0" and "1e3" are accepted and sent as 3 and 1000, never as 3.0.
func parseInteger(text string) (any, error) {
	t, err := cleanNumber(text)
	if err != nil {
		return nil, fmt.Errorf("%q is not a whole number", clip(strings.TrimSpace(text)))
	}
	if i, err := strconv.ParseInt(t, 10, 64); err == nil {
		return i, nil
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok || !r.IsInt() {
		return nil, fmt.Errorf("%q is not a whole number", clip(t))
	}
	if r.Num().IsInt64() {
		return r.Num().Int64(), nil
	}
	return json.Number(r.Num().String()), nil
}

// parseNumber returns a json.Number holding valid JSON number text.
func parseNumber(text string) (any, error) {
	t, err := cleanNumber(text)
	if err != nil {
		return nil, err
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("%q is out of range", clip(t))
	}
	if jsonNumberText.MatchString(t) {
		return json.Number(t), nil
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

func parseBool(text string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "y", "yes", "true", "t", "1", "on":
		return true, nil
	case "n", "no", "false", "f", "0", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no", clip(strings.TrimSpace(text)))
}

// MemberText is how an enum member is typed and shown.
func MemberText(m any) string {
	switch t := m.(type) {
	case string:
		return t
	case nil:
		return "null"
	case int64:
		return strconv.FormatInt(t, 10)
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func matchMember(members []any, text string) (any, error) {
	for _, m := range members {
		if MemberText(m) == text {
			return m, nil
		}
	}
	t := strings.TrimSpace(text)
	var hit []any
	for _, m := range members {
		if strings.EqualFold(MemberText(m), t) {
			hit = append(hit, m)
		}
	}
	if len(hit) == 1 {
		return hit[0], nil
	}
	if r, ok := ratOf(t); ok {
		for _, m := range members {
			if mr, ok := ratOf(m); ok && mr.Cmp(r) == 0 {
				return m, nil
			}
		}
	}
	var names []string
	for _, m := range members {
		names = append(names, MemberText(m))
	}
	return nil, fmt.Errorf("%q is not one of: %s", clip(t), strings.Join(names, ", "))
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

// FormatText is how a value is shown in a text widget; ParseText reads it
// back to the same value.
func (f *Field) FormatText(v any) string {
	if v == nil {
		return NullCommand
	}
	switch f.Kind {
	case String:
		s, ok := v.(string)
		if !ok {
			return compactJSON(v)
		}
		if s == "" {
			if emptyDefault(f) {
				return "" // left empty, it is omitted and the flow applies the same ""
			}
			return EmptyCommand
		}
		if strings.HasPrefix(s, `\`) {
			return `\` + s
		}
		return s
	case Integer, Number, Boolean, Enum, Const:
		switch v.(type) {
		case int64, json.Number, bool, string:
			return MemberText(v)
		}
		return compactJSON(v)
	case List, MultiEnum:
		list, ok := v.([]any)
		if !ok {
			return compactJSON(v)
		}
		if len(list) == 0 {
			if emptyDefault(f) {
				return ""
			}
			return EmptyCommand
		}
		lines := make([]string, len(list))
		for i, e := range list {
			lines[i] = MemberText(e)
		}
		return strings.Join(lines, "\n")
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

// emptyDefault reports an optional field whose default is "" or []: an empty
// widget means the same thing, so it is not pre-filled with \empty.
func emptyDefault(f *Field) bool {
	if f.Required || !f.HasDefault {
		return false
	}
	switch d := f.Default.(type) {
	case string:
		return d == ""
	case []any:
		return len(d) == 0
	}
	return false
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// NormalizeValue brings a value from a default or a prior answer into the
// form the widgets produce: integers as int64, date-times with an offset,
// durations and times in ISO form. Values that do not parse stay as they
// are, for the validator to report.
func (s *Schema) NormalizeValue(f *Field, v any) any {
	v = normJSON(v)
	switch f.Kind {
	case String:
		if str, ok := v.(string); ok && f.Format != "" {
			if n, err := s.parseString(f, str); err == nil {
				return n
			}
		}
	case Integer:
		if n, ok := v.(json.Number); ok {
			if i, err := parseInteger(string(n)); err == nil {
				return i
			}
		}
	case List:
		if list, ok := v.([]any); ok && f.Items != nil {
			out := make([]any, len(list))
			for i, e := range list {
				out[i] = s.NormalizeValue(f.Items, e)
			}
			return out
		}
	case Tuple:
		if list, ok := v.([]any); ok {
			out := make([]any, len(list))
			for i, e := range list {
				if i < len(f.Children) {
					out[i] = s.NormalizeValue(f.Children[i], e)
				} else {
					out[i] = e
				}
			}
			return out
		}
	}
	return v
}

// MemberIndex is the index of v in f.Enum (numbers compared by value), or -1.
func (f *Field) MemberIndex(v any) int {
	for i, m := range f.Enum {
		if jsonEqual(m, v) {
			return i
		}
	}
	return -1
}

// VariantFor is the index of the first alternative of union f that v
// belongs to, or -1.
func (s *Schema) VariantFor(f *Field, v any) int {
	for i, vf := range f.Variants {
		if s.fits(vf, v) {
			return i
		}
	}
	return -1
}

// fits reports whether v belongs to union alternative vf.
func (s *Schema) fits(vf *Field, v any) bool {
	switch vf.Kind {
	case String:
		if _, ok := v.(string); !ok {
			return false
		}
	case Integer, Number:
		if _, isStr := v.(string); isStr {
			return false
		}
		r, ok := ratOf(v)
		if !ok || (vf.Kind == Integer && !r.IsInt()) {
			return false
		}
	case Boolean:
		if _, ok := v.(bool); !ok {
			return false
		}
	}
	return s.CheckValue(vf, v) == nil
}

// quoteShort quotes text for a message, cut to 40 runes.
func quoteShort(text string) string {
	if r := []rune(text); len(r) > 40 {
		text = string(r[:40]) + "…"
	}
	return strconv.Quote(text)
}

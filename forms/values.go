package forms

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Commands an operator can type into any text field. They are listed in
// each field's help line, so they are discoverable where they apply.
const (
	cmdNull    = `\null`    // send null (only where the schema allows it)
	cmdDefault = `\default` // reset to the schema default
	cmdEmpty   = `\empty`   // an empty string or an empty list, explicitly
)

// errRequired is returned for an empty required field.
type requiredError struct{ hint string }

func (e requiredError) Error() string {
	if e.hint == "" {
		return "required"
	}
	return "required: " + e.hint
}

// parseText interprets what the operator typed into a text widget for f.
// It returns the value, whether the field is present in the answer (an
// empty optional field is omitted), or an error to show under the field.
// Nothing empty silently becomes null or "": those need \null / \empty.
func (s *Schema) parseText(f *Field, text string) (any, bool, error) {
	trimmed := strings.TrimSpace(text)
	switch {
	case text == "" || (trimmed == "" && f.Kind != String):
		if f.Required {
			return nil, false, requiredError{requiredHint(f)}
		}
		return nil, false, nil
	case trimmed == cmdNull:
		if !f.Nullable {
			return nil, false, fmt.Errorf("%s: this field cannot be null", cmdNull)
		}
		return nil, true, nil
	case trimmed == cmdDefault:
		if f.MaskedDefault() {
			return nil, false, errors.New("the flow's default is hidden; leave the field empty to keep it")
		}
		if !f.HasDefault {
			return nil, false, errors.New("this field has no default")
		}
		v, ok := s.defaultValue(f)
		if !ok {
			if f.Required {
				return nil, false, errors.New("the default is null, which this field does not allow")
			}
			return nil, false, nil // default null on an optional field: omit, the flow applies it
		}
		return v, true, nil
	case trimmed == cmdEmpty:
		switch f.Kind {
		case String:
			return "", true, s.checkValue(f, "")
		case List, MultiEnum:
			return []any{}, true, s.checkValue(f, []any{})
		}
		return nil, false, fmt.Errorf("%s only applies to text and lists", cmdEmpty)
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
	if err := s.checkValue(f, v); err != nil {
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
		out = append(out, cmdDefault)
	}
	if f.Nullable {
		out = append(out, cmdNull)
	}
	if f.Kind == String || f.Kind == List {
		out = append(out, cmdEmpty)
	}
	return out
}

func requiredHint(f *Field) string {
	switch {
	case f.Kind == String && f.Nullable:
		return "type a value, " + cmdEmpty + " for an empty text, or " + cmdNull + " for none"
	case f.Kind == String:
		return "type a value (" + cmdEmpty + " for an empty text)"
	case f.Kind == List && f.Nullable:
		return "enter items, " + cmdEmpty + " for an empty list, or " + cmdNull + " for none"
	case f.Kind == List:
		return "enter items (" + cmdEmpty + " for an empty list)"
	case f.Nullable:
		return "type a value or " + cmdNull + " for none"
	}
	return "type a value"
}

// parseValue converts one piece of text to the JSON value f takes, without
// the empty/command handling of parseText. ApplySets uses it too.
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
		return matchMember(f.Enum, text)
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
			m, err := matchMember(f.Enum, strings.TrimSpace(part))
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
				if err = s.checkValue(vf, v); err == nil {
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
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not valid JSON: extra data after the value")
	}
	return normJSON(v), nil
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

func (s *Schema) parseString(f *Field, text string) (any, error) {
	switch f.Format {
	case "date-time":
		return parseDateTime(text, s.loc())
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

// memberText is how an enum member is typed and shown.
func memberText(m any) string {
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
		if memberText(m) == text {
			return m, nil
		}
	}
	t := strings.TrimSpace(text)
	var hit []any
	for _, m := range members {
		if strings.EqualFold(memberText(m), t) {
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
		names = append(names, memberText(m))
	}
	return nil, fmt.Errorf("%q is not one of: %s", clip(t), strings.Join(names, ", "))
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

// --- formats ---

var dateTimeOffsetLayouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04Z07:00",
}

var dateTimeLocalLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// parseDateTime accepts RFC 3339 and the friendly forms "2026-11-21 14:00",
// "2026-11-21T14:00" and "2026-11-21" (in loc), and returns RFC 3339 with
// an offset, which is what is sent.
func parseDateTime(text string, loc *time.Location) (string, error) {
	t := strings.TrimSpace(text)
	if len(t) > 10 && (t[10] == 't') {
		t = t[:10] + "T" + t[11:]
	}
	if strings.HasSuffix(t, "z") {
		t = t[:len(t)-1] + "Z"
	}
	for _, l := range dateTimeOffsetLayouts {
		if tm, err := time.Parse(l, t); err == nil {
			return tm.Format(time.RFC3339Nano), nil
		}
	}
	for _, l := range dateTimeLocalLayouts {
		if tm, err := time.ParseInLocation(l, t, loc); err == nil {
			return tm.Format(time.RFC3339Nano), nil
		}
	}
	return "", fmt.Errorf("%q is not a date and time; use e.g. 2026-11-21 14:00 (local time) or 2026-11-21T14:00:00+01:00", clip(t))
}

func parseDate(text string) (string, error) {
	t := strings.TrimSpace(text)
	tm, err := time.Parse("2006-01-02", t)
	if err != nil {
		return "", fmt.Errorf("%q is not a date; use YYYY-MM-DD, e.g. 2026-11-21", clip(t))
	}
	return tm.Format("2006-01-02"), nil
}

var timeText = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?$`)

// parseTime accepts HH:MM[:SS[.frac]] with an optional offset and returns
// HH:MM:SS[.frac][offset], which pydantic reads back unchanged.
func parseTime(text string) (string, error) {
	t := strings.TrimSpace(text)
	m := timeText.FindStringSubmatch(t)
	bad := fmt.Errorf("%q is not a time; use HH:MM or HH:MM:SS, e.g. 14:30", clip(t))
	if m == nil {
		return "", bad
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	sec := 0
	if m[3] != "" {
		sec, _ = strconv.Atoi(m[3])
	}
	if h > 23 || mi > 59 || sec > 59 {
		return "", bad
	}
	out := fmt.Sprintf("%02d:%02d:%02d%s", h, mi, sec, m[4])
	switch off := m[5]; {
	case off == "":
	case off == "Z" || off == "z":
		out += "Z"
	default:
		off = strings.Replace(off, ":", "", 1)
		oh, _ := strconv.Atoi(off[1:3])
		om, _ := strconv.Atoi(off[3:5])
		if oh > 23 || om > 59 {
			return "", bad
		}
		out += off[:3] + ":" + off[3:5]
	}
	return out, nil
}

var isoDuration = regexp.MustCompile(`^-?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
var goDuration = regexp.MustCompile(`^(-)?(?:(\d+)d)?((?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))*)$`)

// validISODuration reports whether s is an ISO 8601 duration as pydantic
// writes and reads it (sign and decimal fractions allowed).
func validISODuration(s string) bool {
	if !isoDuration.MatchString(s) {
		return false
	}
	body := strings.TrimPrefix(s, "-")
	if body == "P" || strings.HasSuffix(body, "T") {
		return false
	}
	return true
}

// parseDuration accepts ISO 8601 (PT5M, P1DT2H), Go-style (5m, 1h30m, 2d3h)
// or plain seconds (90), and returns ISO 8601, what pydantic expects.
func parseDuration(text string) (string, error) {
	t := strings.TrimSpace(text)
	if up := strings.ToUpper(t); strings.HasPrefix(strings.TrimPrefix(up, "-"), "P") {
		if validISODuration(up) {
			return up, nil
		}
		return "", fmt.Errorf("%q is not a valid ISO 8601 duration (e.g. PT5M, P1DT2H)", clip(t))
	}
	bad := fmt.Errorf("%q is not a duration; use e.g. 5m, 1h30m, 2d, 90 (seconds) or PT5M", clip(t))
	if t == "" {
		return "", bad
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && numberText.MatchString(t) {
		if math.Abs(f) > 1e12 {
			return "", bad
		}
		return formatISODuration(0, time.Duration(f*float64(time.Second))), nil
	}
	m := goDuration.FindStringSubmatch(strings.ToLower(t))
	if m == nil || (m[2] == "" && m[3] == "") {
		return "", bad
	}
	days := int64(0)
	if m[2] != "" {
		d, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil || d > 1e7 {
			return "", bad
		}
		days = d
	}
	var d time.Duration
	if m[3] != "" {
		var err error
		if d, err = time.ParseDuration(m[3]); err != nil {
			return "", bad
		}
	}
	if m[1] == "-" {
		days, d = -days, -d
	}
	return formatISODuration(days, d), nil
}

// formatISODuration writes days plus d as pydantic does: P1DT2H30M, PT1.5S.
func formatISODuration(days int64, d time.Duration) string {
	neg := days < 0 || (days == 0 && d < 0)
	if neg {
		days, d = -days, -d
	}
	days += int64(d / (24 * time.Hour))
	d %= 24 * time.Hour
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('P')
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if h == 0 && m == 0 && d == 0 {
		if days == 0 {
			b.WriteString("T0S")
		}
		return b.String()
	}
	b.WriteByte('T')
	if h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if d > 0 {
		sec := strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
		fmt.Fprintf(&b, "%sS", sec)
	}
	return b.String()
}

var hex32 = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// parseUUID accepts hyphenated or bare hex, braces and urn:uuid:.
func parseUUID(text string) (string, error) {
	t := strings.TrimSpace(text)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "urn:uuid:"), "URN:UUID:")
	t = strings.TrimSuffix(strings.TrimPrefix(t, "{"), "}")
	bare := strings.ReplaceAll(t, "-", "")
	if !hex32.MatchString(bare) || (strings.Contains(t, "-") && len(t) != 36) {
		return "", fmt.Errorf("%q is not a UUID (e.g. 0b7c1e5e-4d2a-4f7e-9c3b-1a2b3c4d5e6f)", clip(strings.TrimSpace(text)))
	}
	b := strings.ToLower(bare)
	return b[0:8] + "-" + b[8:12] + "-" + b[12:16] + "-" + b[16:20] + "-" + b[20:], nil
}

// --- value checks with friendly messages ---

// checkValue checks v against f's constraints, first with messages written
// for people, then with the compiled schema for everything else (formats,
// nested keywords).
func (s *Schema) checkValue(f *Field, v any) error {
	if err := s.checkConstraints(f, v); err != nil {
		return err
	}
	if msg := s.validateAt(f.ptr, v); msg != "" {
		return errors.New(msg)
	}
	return nil
}

// checkConstraints is the cheap part of checkValue: the keywords kept in
// Field.Constraints, and null.
func (s *Schema) checkConstraints(f *Field, v any) error {
	if v == nil {
		if f.Nullable || f.Kind == JSON {
			return nil
		}
		return errors.New("cannot be null")
	}
	c := f.Constraints
	switch t := v.(type) {
	case string:
		n := utf8.RuneCountInString(t)
		if c.MinLength != nil && n < *c.MinLength {
			return fmt.Errorf("at least %d characters (now %d)", *c.MinLength, n)
		}
		if c.MaxLength != nil && n > *c.MaxLength {
			return fmt.Errorf("at most %d characters (now %d)", *c.MaxLength, n)
		}
		if c.Pattern != "" {
			if re := s.pattern(c.Pattern); !re.MatchString(t) {
				return fmt.Errorf("must match the pattern %s", c.Pattern)
			}
		}
	case int64, json.Number:
		if err := checkRange(f, v); err != nil {
			return err
		}
	case []any:
		if c.MinItems != nil && len(t) < *c.MinItems {
			return fmt.Errorf("at least %d items (now %d)", *c.MinItems, len(t))
		}
		if c.MaxItems != nil && len(t) > *c.MaxItems {
			return fmt.Errorf("at most %d items (now %d)", *c.MaxItems, len(t))
		}
		if c.UniqueItems {
			for i := range t {
				for j := i + 1; j < len(t); j++ {
					if jsonEqual(t[i], t[j]) {
						return fmt.Errorf("items must be unique; %s appears twice", clip(memberText(t[i])))
					}
				}
			}
		}
		if f.Items != nil {
			for i, e := range t {
				if err := s.checkConstraints(f.Items, e); err != nil {
					return fmt.Errorf("item %d (%s): %w", i+1, clip(memberText(e)), err)
				}
			}
		}
	}
	return nil
}

func checkRange(f *Field, v any) error {
	r, ok := ratOf(v)
	if !ok {
		return nil
	}
	c := f.Constraints
	cmp := func(p *float64) int { return r.Cmp(new(big.Rat).SetFloat64(*p)) }
	if c.Minimum != nil && cmp(c.Minimum) < 0 {
		return fmt.Errorf("must be at least %s", fmtNum(*c.Minimum))
	}
	if c.Maximum != nil && cmp(c.Maximum) > 0 {
		return fmt.Errorf("must be at most %s", fmtNum(*c.Maximum))
	}
	if c.ExclusiveMinimum != nil && cmp(c.ExclusiveMinimum) <= 0 {
		return fmt.Errorf("must be greater than %s", fmtNum(*c.ExclusiveMinimum))
	}
	if c.ExclusiveMaximum != nil && cmp(c.ExclusiveMaximum) >= 0 {
		return fmt.Errorf("must be less than %s", fmtNum(*c.ExclusiveMaximum))
	}
	if c.MultipleOf != nil && *c.MultipleOf > 0 {
		// Exact decimal arithmetic: the keyword's text, not its float.
		m, _ := new(big.Rat).SetString(strconv.FormatFloat(*c.MultipleOf, 'g', -1, 64))
		if m != nil && !new(big.Rat).Quo(r, m).IsInt() {
			return fmt.Errorf("must be a multiple of %s", fmtNum(*c.MultipleOf))
		}
	}
	return nil
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

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

// --- defaults ---

// defaultValue is the value a field starts with from its schema default,
// normalized to what the form would send. ok is false when there is
// nothing to send (no default, a masked secret, or a null default on a
// field that is better omitted).
func (s *Schema) defaultValue(f *Field) (any, bool) {
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
	v := s.normalizeValue(f, f.Default)
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
			out[c.Name] = s.normalizeValue(c, v)
			continue
		}
		if v, ok := s.defaultValue(c); ok {
			out[c.Name] = v
		}
	}
	return out
}

// normalizeValue brings a value from a default or a prior answer into the
// form the widgets produce: integers as int64, date-times with an offset,
// durations and times in ISO form. Values that do not parse stay as they
// are, for the validator to report.
func (s *Schema) normalizeValue(f *Field, v any) any {
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
				out[i] = s.normalizeValue(f.Items, e)
			}
			return out
		}
	case Tuple:
		if list, ok := v.([]any); ok {
			out := make([]any, len(list))
			for i, e := range list {
				if i < len(f.Children) {
					out[i] = s.normalizeValue(f.Children[i], e)
				} else {
					out[i] = e
				}
			}
			return out
		}
	}
	return v
}

package inputschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// FieldError is one problem with an answer. Path is the dotted field path
// ("" = the answer as a whole).
type FieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
	// SlowPattern: the value could not be checked against its pattern in
	// time (SlowPatternMessage); refused unless the operator chose otherwise.
	SlowPattern bool `json:"slow_pattern,omitempty"`
}

// WithoutSlowPatterns drops the errors that only say a pattern check did not
// finish in time, for an operator who chose to send such values anyway.
func WithoutSlowPatterns(errs []FieldError) []FieldError {
	var out []FieldError
	for _, e := range errs {
		if !e.SlowPattern {
			out = append(out, e)
		}
	}
	return out
}

func (e FieldError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// schemaURL names the in-memory resource; nothing is ever fetched.
const schemaURL = "mem://unpause/run-input.json"

type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("refusing to load %s: only references inside the schema are supported", url)
}

func (s *Schema) compile() error {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(noLoader{})
	s.slow = &slowMatches{}
	c.UseRegexpEngine(regexpEngine(s.slow))
	// pydantic writes and reads times without an offset ("14:30:00") and
	// durations with a sign or fraction ("-PT5S", "PT1.5S"); the RFC 3339
	// checks of the library would reject the flow's own defaults.
	c.RegisterFormat(&jsonschema.Format{Name: "time", Validate: validatePydanticTime})
	c.RegisterFormat(&jsonschema.Format{Name: "duration", Validate: validatePydanticDuration})
	if err := c.AddResource(schemaURL, s.doc); err != nil {
		return fmt.Errorf("schema cannot be used for validation: %w", err)
	}
	root, err := c.Compile(schemaURL)
	if err != nil {
		return fmt.Errorf("schema cannot be used for validation: %s", firstLine(err.Error()))
	}
	s.compiler, s.root = c, root
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func validatePydanticTime(v any) error {
	str, ok := v.(string)
	if !ok {
		return nil
	}
	if _, err := parseTime(str); err != nil || strings.TrimSpace(str) != str {
		return errors.New("not a time (HH:MM[:SS[.ffffff]][offset])")
	}
	return nil
}

func validatePydanticDuration(v any) error {
	str, ok := v.(string)
	if !ok {
		return nil
	}
	if !validISODuration(str) {
		return errors.New("not an ISO 8601 duration")
	}
	return nil
}

// Validate checks a whole answer with the schema (draft 2020-12, formats
// asserted, after Prefect's preprocessing) and returns every problem tied to
// its field path. Empty when valid.
func (s *Schema) Validate(answer map[string]any) []FieldError {
	if answer == nil {
		answer = map[string]any{}
	}
	inst, err := toInstance(answer)
	if err != nil {
		return []FieldError{{Message: "the answer cannot be encoded as JSON: " + err.Error()}}
	}
	verr := s.root.Validate(inst)
	if verr == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return []FieldError{{Message: verr.Error()}}
	}
	var errs []FieldError
	s.collect(ve, &errs)
	for i := range errs {
		errs[i].Path = s.fieldPath(splitLoc(errs[i].Path))
	}
	return dedupe(errs)
}

// validateAt checks one value against the schema at a JSON pointer of the
// preprocessed document and returns the first problem, or "".
func (s *Schema) validateAt(ptr string, v any) string {
	sch := s.subSchema(ptr)
	if sch == nil {
		return ""
	}
	inst, err := toInstance(v)
	if err != nil {
		return "cannot be encoded as JSON: " + err.Error()
	}
	verr := sch.Validate(inst)
	if verr == nil {
		return ""
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return verr.Error()
	}
	var errs []FieldError
	s.collect(ve, &errs)
	if len(errs) == 0 {
		return "invalid value"
	}
	var msgs []string
	for _, e := range errs {
		m := e.Message
		if e.Path != "" {
			m = strings.ReplaceAll(e.Path, "\x00", ".") + ": " + m
		}
		msgs = append(msgs, m)
	}
	return strings.Join(msgs, "; ")
}

// toInstance turns an answer into the plain JSON shapes the validator takes.
func toInstance(v any) (any, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Schema) subSchema(ptr string) *jsonschema.Schema {
	if s == nil || s.compiler == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.sub[ptr]; ok {
		return sch
	}
	if _, failed := s.subErr[ptr]; failed {
		return nil
	}
	var sch *jsonschema.Schema
	var err error
	if ptr == "" {
		sch = s.root
	} else {
		sch, err = s.compiler.Compile(schemaURL + "#" + fragmentEscape(ptr))
	}
	if err != nil {
		s.subErr[ptr] = err
		return nil
	}
	s.sub[ptr] = sch
	return sch
}

func fragmentEscape(ptr string) string {
	var b strings.Builder
	for _, c := range []byte(ptr) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// collect flattens a validation error tree into leaf problems. Path holds
// the instance location ("\x00"-joined tokens) until the caller maps it.
func (s *Schema) collect(e *jsonschema.ValidationError, out *[]FieldError) {
	loc := strings.Join(e.InstanceLocation, "\x00")
	join := func(name string) string {
		if loc == "" {
			return name
		}
		return loc + "\x00" + name
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, m := range k.Missing {
			*out = append(*out, FieldError{Path: join(m), Message: "required"})
		}
		return
	case *kind.Pattern:
		if s.slow.has(k.Want, k.Got) {
			*out = append(*out, FieldError{Path: loc, Message: SlowPatternMessage, SlowPattern: true})
			return
		}
	case *kind.AdditionalProperties:
		var unexpected []string
		for _, p := range k.Properties {
			if s.slow.hasValue(p) {
				*out = append(*out, FieldError{Path: loc, Message: SlowPatternMessage, SlowPattern: true})
				continue
			}
			unexpected = append(unexpected, p)
		}
		if len(unexpected) > 0 {
			*out = append(*out, FieldError{Path: loc, Message: "unexpected field(s): " + strings.Join(unexpected, ", ")})
		}
		return
	case *kind.AnyOf, *kind.OneOf:
		if len(e.Causes) == 0 {
			*out = append(*out, FieldError{Path: loc, Message: kindMessage(e.ErrorKind)})
			return
		}
		// Alternatives that fail only because the value has another type
		// are noise; report the alternative that came close, or one line
		// naming the types that were allowed.
		var near []*jsonschema.ValidationError
		var want []string
		got := ""
		for _, c := range e.Causes {
			if t, ok := typeMismatch(c, e.InstanceLocation); ok {
				want = append(want, t.Want...)
				got = t.Got
				continue
			}
			near = append(near, c)
		}
		if len(near) == 0 {
			*out = append(*out, FieldError{Path: loc, Message: fmt.Sprintf("got %s, want %s", got, strings.Join(uniqueStrings(want), " or "))})
			return
		}
		for _, c := range near {
			s.collect(c, out)
		}
		return
	}
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			s.collect(c, out)
		}
		return
	}
	*out = append(*out, FieldError{Path: loc, Message: kindMessage(e.ErrorKind)})
}

// typeMismatch finds a bare type error at loc (possibly under $ref wrappers).
func typeMismatch(e *jsonschema.ValidationError, loc []string) (*kind.Type, bool) {
	for {
		if len(e.InstanceLocation) != len(loc) {
			return nil, false
		}
		if t, ok := e.ErrorKind.(*kind.Type); ok && len(e.Causes) == 0 {
			return t, true
		}
		if len(e.Causes) != 1 {
			return nil, false
		}
		e = e.Causes[0]
	}
}

func uniqueStrings(in []string) []string {
	var out []string
	for _, s := range in {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

var printer = message.NewPrinter(language.English)

func ratText(r interface{ FloatString(int) string }) string {
	s := r.FloatString(10)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// kindMessage words the common keywords for people; the rest keep the
// library's wording.
func kindMessage(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("got %s, want %s", k.Got, strings.Join(k.Want, " or "))
	case *kind.Enum:
		var want []string
		for _, w := range k.Want {
			want = append(want, displayJSON(w))
		}
		return fmt.Sprintf("%s is not one of %s", displayJSON(k.Got), strings.Join(want, ", "))
	case *kind.Const:
		return fmt.Sprintf("must be %s", displayJSON(k.Want))
	case *kind.Format:
		return fmt.Sprintf("%s is not a valid %s", displayJSON(k.Got), k.Want)
	case *kind.MinLength:
		return fmt.Sprintf("at least %d characters (now %d)", k.Want, k.Got)
	case *kind.MaxLength:
		return fmt.Sprintf("at most %d characters (now %d)", k.Want, k.Got)
	case *kind.Pattern:
		return fmt.Sprintf("%s does not match the pattern %s", displayJSON(k.Got), k.Want)
	case *kind.Minimum:
		return fmt.Sprintf("must be at least %s", ratText(k.Want))
	case *kind.Maximum:
		return fmt.Sprintf("must be at most %s", ratText(k.Want))
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("must be greater than %s", ratText(k.Want))
	case *kind.ExclusiveMaximum:
		return fmt.Sprintf("must be less than %s", ratText(k.Want))
	case *kind.MultipleOf:
		return fmt.Sprintf("must be a multiple of %s", ratText(k.Want))
	case *kind.MinItems:
		return fmt.Sprintf("at least %d items (now %d)", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("at most %d items (now %d)", k.Want, k.Got)
	case *kind.UniqueItems:
		return fmt.Sprintf("items %d and %d are the same; items must be unique", k.Duplicates[0]+1, k.Duplicates[1]+1)
	case *kind.FalseSchema:
		return "no value is allowed here"
	}
	return k.LocalizedString(printer)
}

func displayJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return clip(string(b))
}

func splitLoc(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p, "\x00")
}

// fieldPath maps an instance location to the deepest field it belongs to:
// object properties descend, an array index or anything inside a list,
// tuple, union or JSON field stops at that field (ids/1 -> "ids").
func (s *Schema) fieldPath(loc []string) string {
	fields := s.Fields
	path := ""
	for _, tok := range loc {
		var next *Field
		for _, f := range fields {
			if f.Name == tok {
				next = f
				break
			}
		}
		if next == nil {
			break
		}
		path = next.Path
		if next.Kind != Object {
			break
		}
		fields = next.Children
	}
	return path
}

func dedupe(errs []FieldError) []FieldError {
	seen := map[FieldError]bool{}
	var out []FieldError
	for _, e := range errs {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// CoveredBy reports whether a problem at path, or at a field above it, is
// already known (bad holds the paths with one): the one cut the form and
// the answer file make before listing what is left to fix.
func CoveredBy(bad map[string]bool, path string) bool {
	for p := path; ; {
		if bad[p] {
			return true
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// Package inputschema reads the JSON Schema that Prefect stores for a paused
// or suspended flow run (RunInput, pydantic v2 via create_v2_schema, or the
// pydantic v1 shapes of Prefect 2.x) into fields in schema order, and turns
// text typed by an operator (a form widget or --set) into the typed JSON
// object the flow's model accepts: defaults, validation as the server does
// it, marshalling in schema order, and secrets masked for display.
//
// The package is pure: no HTTP and no terminal I/O, and it depends on no
// terminal library (package forms builds the huh widgets on top of it).
// Titles, descriptions and enum members come from the API and are
// untrusted; Field keeps them raw, and callers sanitise them before they
// reach a terminal.
package inputschema

import (
	"strconv"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Kind is the widget family of a field.
type Kind int

// Field kinds. A nullable field keeps the kind of its non-null alternative
// and sets Field.Nullable.
const (
	String    Kind = iota // text input; Format refines it (date, date-time, time, duration, uuid, email, uri, password)
	Integer               // whole number input, sent as a JSON integer
	Number                // number input
	Boolean               // yes/no choice
	Enum                  // choose one of Enum
	MultiEnum             // choose several of Enum (array of enum)
	List                  // array of primitives (Items), one item per line
	Tuple                 // fixed positions (prefixItems), Children per position
	Object                // nested model, Children
	Union                 // choose an alternative (Variants), then fill it
	JSON                  // anything else: edited as JSON, checked against its schema
	Const                 // fixed value (const or one-member enum), always sent
)

var kindNames = [...]string{"string", "integer", "number", "boolean", "enum", "multi-enum", "list", "tuple", "object", "union", "json", "const"}

func (k Kind) String() string {
	if int(k) >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText makes Kind readable in JSON output (unpause show -o json).
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Constraints are the JSON Schema validation keywords a widget checks while
// the operator types. The validator checks them again on the whole answer.
type Constraints struct {
	MinLength        *int     `json:"minLength,omitempty"`
	MaxLength        *int     `json:"maxLength,omitempty"`
	Pattern          string   `json:"pattern,omitempty"`
	Minimum          *float64 `json:"minimum,omitempty"`
	Maximum          *float64 `json:"maximum,omitempty"`
	ExclusiveMinimum *float64 `json:"exclusiveMinimum,omitempty"`
	ExclusiveMaximum *float64 `json:"exclusiveMaximum,omitempty"`
	MultipleOf       *float64 `json:"multipleOf,omitempty"`
	MinItems         *int     `json:"minItems,omitempty"`
	MaxItems         *int     `json:"maxItems,omitempty"`
	UniqueItems      bool     `json:"uniqueItems,omitempty"`
}

// Field is one node of the form tree.
type Field struct {
	Name        string // property name; for list items "[]", tuple positions "0", "1"..., union variants their label
	Path        string // dotted path from the answer root, e.g. "home.zip_code"
	Title       string // raw title from the schema ("" when the schema has none)
	Description string // raw description ("" when none)
	Kind        Kind
	Format      string
	Required    bool // listed in the parent's "required"
	Nullable    bool // null is an allowed value
	Default     any  // normalized: objects map[string]any, integers int64, other numbers json.Number
	HasDefault  bool
	Enum        []any    // members for Enum, MultiEnum and Const (Const has exactly one)
	Children    []*Field // Object properties in schema order; Tuple positions
	Items       *Field   // List and MultiEnum item
	Variants    []*Field // Union alternatives (null excluded; see Nullable)
	Constraints Constraints

	ptr       string // JSON pointer of this field's schema in the preprocessed document
	automatic bool   // the "value" field of a Prefect AutomaticRunInput
	recursive bool   // a JSON field standing in for a recursive model
}

// Schema is a parsed RunInput schema.
type Schema struct {
	Title  string
	Fields []*Field

	// Location is the time zone for friendly date-time input such as
	// "2026-11-21 14:00" (form and ApplySets); nil means time.Local.
	Location *time.Location

	raw       []byte
	key       string // Key
	doc       any    // preprocessed document, plain maps, for the validator
	automatic bool
	byPath    map[string]*Field
	paths     []string // settable paths, schema order

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	root     *jsonschema.Schema
	sub      map[string]*jsonschema.Schema
	subErr   map[string]error
	patterns map[string]pyRegexp
	slow     *slowMatches
	members  map[*Field]*memberIndex
}

// TimeZone is the zone friendly date-time text is read in: Location, or
// time.Local when that is nil.
func (s *Schema) TimeZone() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return time.Local
}

// Recursive reports a JSON field that stands in for a model containing
// itself, which no finite form can show.
func (f *Field) Recursive() bool { return f.recursive }

// Field returns the field at a dotted path (objects and leaves), or nil.
func (s *Schema) Field(path string) *Field { return s.byPath[path] }

// Paths lists every field path in schema order (objects before their fields).
func (s *Schema) Paths() []string { return append([]string(nil), s.paths...) }

// walkFields visits fields depth-first in schema order; visit returns
// whether to descend into Children.
func walkFields(fs []*Field, visit func(*Field) bool) {
	for _, f := range fs {
		if visit(f) {
			walkFields(f.Children, visit)
		}
	}
}

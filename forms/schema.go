// Package forms turns the JSON Schema that Prefect stores for a paused or
// suspended flow run (RunInput, pydantic v2 via create_v2_schema, or the
// pydantic v1 shapes of Prefect 2.x) into form fields and a huh form, and
// turns answers back into the typed JSON object the flow's model accepts.
//
// The package is pure: no HTTP and no terminal I/O. Titles, descriptions
// and enum members come from the API and are untrusted; Field keeps them raw,
// and the huh form shows them only after FormOptions.Sanitize.
package forms

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

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

// MaskedDefault reports whether the default is pydantic's mask for a
// SecretStr ("**********"): never pre-filled, never sent.
func (f *Field) MaskedDefault() bool {
	s, ok := f.Default.(string)
	return f.HasDefault && f.Format == "password" && ok && isMask(s)
}

func isMask(s string) bool { return s != "" && strings.Trim(s, "*") == "" }

// Label is the text to show for the field: the title, or the property name
// made readable, marked "*" when required. The built-in input of
// pause_flow_run(wait_for_input=str) gets "Your answer (text)" instead of
// "Value".
func (f *Field) Label() string {
	l := f.Title
	if f.automatic {
		l = "Your answer (" + f.TypeHint() + ")"
	}
	if l == "" {
		l = humanize(f.Name)
	}
	if f.Required {
		l += " *"
	}
	return l
}

// Schema is a parsed RunInput schema.
type Schema struct {
	Title  string
	Fields []*Field

	// Location is the time zone for friendly date-time input such as
	// "2026-11-21 14:00" (form and ApplySets); nil means time.Local.
	Location *time.Location

	raw       []byte
	doc       any // preprocessed document, plain maps, for the validator
	automatic bool
	byPath    map[string]*Field
	paths     []string // settable paths, schema order

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	root     *jsonschema.Schema
	sub      map[string]*jsonschema.Schema
	subErr   map[string]error
	patterns map[string]pyRegexp
}

func (s *Schema) loc() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return time.Local
}

// Limits that keep hostile or degenerate schemas from exhausting memory.
const (
	maxFields      = 5000
	maxObjectDepth = 24
	maxSchemaBytes = 8 << 20
)

// ParseSchema parses the schema text Prefect stores for a run input. It keeps
// property order from the text, applies Prefect's server-side preprocessing
// (so local validation matches the server), resolves $ref (definitions and
// $defs), allOf wrappers and anyOf/oneOf, and compiles the validator once.
func ParseSchema(raw []byte) (*Schema, error) {
	if len(raw) > maxSchemaBytes {
		return nil, fmt.Errorf("schema is %d bytes, more than the %d this tool reads", len(raw), maxSchemaBytes)
	}
	tree, err := decodeOrdered(raw)
	if err != nil {
		return nil, fmt.Errorf("schema is not valid JSON: %w", err)
	}
	// Prefect's read endpoint returns the stored value; a client that did not
	// unwrap the double encoding hands us a JSON string holding the schema.
	if str, ok := tree.(string); ok {
		if tree, err = decodeOrdered([]byte(str)); err != nil {
			return nil, fmt.Errorf("schema is a JSON string that does not hold JSON: %w", err)
		}
	}
	root, ok := tree.(*jobj)
	if !ok {
		return nil, fmt.Errorf("schema is a JSON %s, not an object", jsonTypeName(plain(tree)))
	}
	root = cloneTree(root).(*jobj)
	preprocess(root)
	fixRefFallbacks(root)

	s := &Schema{
		Title:  root.str("title"),
		raw:    append([]byte(nil), raw...),
		doc:    plain(root),
		byPath: map[string]*Field{},
		sub:    map[string]*jsonschema.Schema{},
		subErr: map[string]error{},
	}
	s.automatic = strings.HasSuffix(s.Title, "AutomaticRunInput")

	b := &builder{doc: root, active: map[string]bool{}}
	merged, src, refs, err := b.resolveRefs(root, "", nil)
	if err != nil {
		return nil, err
	}
	defer b.enter(refs)()
	if t := typeList(merged); len(t) > 0 && !(len(t) == 1 && t[0] == "object") {
		return nil, fmt.Errorf("schema describes a %s, not an object with fields", strings.Join(t, "/"))
	}
	fields, err := b.children(merged, src, "", 0)
	if err != nil {
		return nil, err
	}
	s.Fields = fields
	if s.automatic && len(fields) == 1 && fields[0].Name == "value" {
		fields[0].automatic = true
	}
	walkFields(s.Fields, func(f *Field) bool {
		s.byPath[f.Path] = f
		s.paths = append(s.paths, f.Path)
		return f.Kind == Object
	})
	if err := s.compile(); err != nil {
		return nil, err
	}
	return s, nil
}

// walkFields visits fields depth-first in schema order; visit returns
// whether to descend into Children.
func walkFields(fs []*Field, visit func(*Field) bool) {
	for _, f := range fs {
		if visit(f) {
			walkFields(f.Children, visit)
		}
	}
}

// Field returns the field at a dotted path (objects and leaves), or nil.
func (s *Schema) Field(path string) *Field { return s.byPath[path] }

// Paths lists every field path in schema order (objects before their fields).
func (s *Schema) Paths() []string { return append([]string(nil), s.paths...) }

// --- Prefect's preprocessing (src/prefect/utilities/schema_tools/validation.py) ---

// preprocess mirrors preprocess_schema: _fix_null_typing and
// _fix_tuple_items on the properties of the root, of inline nested objects
// and of "definitions" ("$defs" is not touched, as on the server).
func preprocess(root *jobj) {
	if props := root.obj("properties"); props != nil {
		processProperties(props, stringList(root.arr("required")))
	}
	if defs := root.obj("definitions"); defs != nil {
		for _, k := range defs.keys {
			if d, ok := defs.vals[k].(*jobj); ok {
				if props := d.obj("properties"); props != nil {
					processProperties(props, stringList(d.arr("required")))
				}
			}
		}
	}
}

func processProperties(props *jobj, required []string) {
	for _, k := range props.keys {
		sch, ok := props.vals[k].(*jobj)
		if !ok {
			continue
		}
		// _fix_null_typing: optional, typed, no default -> nullable.
		if t, hasType := sch.get("type"); hasType && !contains(required, k) && t != "null" && !sch.has("default") {
			sch.set("anyOf", []any{jobjOf("type", t), jobjOf("type", "null")})
			sch.del("type")
		}
		// _fix_tuple_items: list-form items -> prefixItems.
		if items, ok := sch.get("items"); ok {
			if list, ok := items.([]any); ok && len(list) > 0 && !truthy(sch, "prefixItems") {
				sch.set("prefixItems", cloneTree(list))
				sch.del("items")
			}
		}
		if p := sch.obj("properties"); p != nil {
			processProperties(p, stringList(sch.arr("required")))
		}
	}
}

func truthy(o *jobj, k string) bool {
	v, ok := o.get(k)
	if !ok || v == nil {
		return false
	}
	switch t := v.(type) {
	case []any:
		return len(t) > 0
	case bool:
		return t
	case string:
		return t != ""
	case *jobj:
		return len(t.keys) > 0
	}
	return true
}

func jobjOf(kv ...any) *jobj {
	o := newJobj()
	for i := 0; i+1 < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}

// fixRefFallbacks rewrites "#/definitions/X" to "#/$defs/X" (and back) when
// only the other one exists, as ui-v2 does, so form and validator agree.
func fixRefFallbacks(root *jobj) {
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxJSONDepth {
			return
		}
		switch t := v.(type) {
		case *jobj:
			if ref, ok := t.vals["$ref"].(string); ok {
				for _, pair := range [][2]string{{"#/definitions/", "#/$defs/"}, {"#/$defs/", "#/definitions/"}} {
					if name, ok := strings.CutPrefix(ref, pair[0]); ok {
						if _, err := lookupPointer(root, ref[1:]); err != nil {
							if _, err := lookupPointer(root, pair[1][1:]+name); err == nil {
								t.vals["$ref"] = pair[1] + name
							}
						}
					}
				}
			}
			for _, k := range t.keys {
				walk(t.vals[k], depth+1)
			}
		case []any:
			for _, e := range t {
				walk(e, depth+1)
			}
		}
	}
	walk(root, 0)
}

// --- $ref resolution and field building ---

// altSchema is one resolved alternative of an anyOf/oneOf.
type altSchema struct {
	m    *jobj
	src  map[string]string
	ptr  string
	refs []string
}

// enter marks refs active and returns the function that clears them.
func (b *builder) enter(refs []string) func() {
	var added []string
	for _, r := range refs {
		if !b.active[r] {
			b.active[r] = true
			added = append(added, r)
		}
	}
	return func() {
		for _, r := range added {
			delete(b.active, r)
		}
	}
}

type builder struct {
	doc    *jobj
	count  int
	active map[string]bool // $ref targets being expanded by an ancestor field
}

var errRecursive = errors.New("recursive model")

// lookupPointer resolves a JSON pointer ("" or "/a/b") in the document.
func lookupPointer(doc *jobj, ptr string) (any, error) {
	if ptr == "" {
		return doc, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("not a JSON pointer: %q", ptr)
	}
	var cur any = doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch t := cur.(type) {
		case *jobj:
			v, ok := t.get(tok)
			if !ok {
				return nil, fmt.Errorf("no %q", tok)
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) {
				return nil, fmt.Errorf("no index %q", tok)
			}
			cur = t[i]
		default:
			return nil, fmt.Errorf("cannot descend into %q", tok)
		}
	}
	return cur, nil
}

func escPtr(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// resolveRefs expands $ref and allOf on node (found at ptr) and returns the
// merged schema plus, per key, the pointer of the object that supplied it
// (children's pointers are built from it), and the $ref targets it
// expanded. refs lists the refs followed so far for this one node, to catch
// pure $ref cycles.
func (b *builder) resolveRefs(node *jobj, ptr string, refs []string) (*jobj, map[string]string, []string, error) {
	merged := newJobj()
	src := map[string]string{}
	var followed []string
	if ref, ok := node.get("$ref"); ok {
		refStr, ok := ref.(string)
		if !ok {
			return nil, nil, nil, fmt.Errorf("$ref at %s is not a string", displayPtr(ptr))
		}
		target, tptr, err := b.lookupRef(refStr, ptr)
		if err != nil {
			return nil, nil, nil, err
		}
		if contains(refs, tptr) {
			return nil, nil, nil, fmt.Errorf("circular $ref %q at %s: %s", refStr, displayPtr(ptr), strings.Join(append(refs, tptr), " -> "))
		}
		if b.active[tptr] {
			return nil, nil, nil, errRecursive
		}
		if len(refs) > 64 {
			return nil, nil, nil, fmt.Errorf("$ref chain too long at %s", displayPtr(ptr))
		}
		tm, tsrc, trefs, err := b.resolveRefs(target, tptr, append(refs, tptr))
		if err != nil {
			return nil, nil, nil, err
		}
		followed = append(append(followed, tptr), trefs...)
		mergeInto(merged, src, tm, tsrc)
	}
	if all := node.arr("allOf"); len(all) > 0 {
		for i, e := range all {
			eo, ok := e.(*jobj)
			if !ok {
				continue // true/false schemas: nothing to show
			}
			em, esrc, erefs, err := b.resolveRefs(eo, ptr+"/allOf/"+strconv.Itoa(i), refs)
			if err != nil {
				return nil, nil, nil, err
			}
			followed = append(followed, erefs...)
			mergeInto(merged, src, em, esrc)
		}
	}
	own := newJobj()
	ownSrc := map[string]string{}
	for _, k := range node.keys {
		if k == "$ref" || k == "allOf" {
			continue
		}
		own.set(k, node.vals[k])
		ownSrc[k] = ptr
	}
	mergeInto(merged, src, own, ownSrc)
	return merged, src, followed, nil
}

// mergeInto overlays add onto dst: later keys win, except that properties
// are concatenated and required lists unioned (allOf of several models).
func mergeInto(dst *jobj, dsrc map[string]string, add *jobj, asrc map[string]string) {
	for _, k := range add.keys {
		v := add.vals[k]
		switch k {
		case "properties":
			if prev := dst.obj(k); prev != nil {
				if ap, ok := v.(*jobj); ok {
					m := cloneShallow(prev)
					for _, pk := range ap.keys {
						m.set(pk, ap.vals[pk])
						// This property lives under the second source.
						dsrc["properties/"+pk] = asrc[k]
					}
					dst.set(k, m)
					continue
				}
			}
		case "required":
			if prev := dst.arr(k); prev != nil {
				if ar, ok := v.([]any); ok {
					u := append([]any(nil), prev...)
					for _, r := range ar {
						if !containsAny(u, r) {
							u = append(u, r)
						}
					}
					dst.set(k, u)
					continue
				}
			}
		}
		dst.set(k, v)
		dsrc[k] = asrc[k]
		if k == "properties" {
			for sk := range dsrc {
				if strings.HasPrefix(sk, "properties/") {
					delete(dsrc, sk)
				}
			}
		}
	}
	for sk, p := range asrc {
		if strings.HasPrefix(sk, "properties/") && add.has("properties") {
			dsrc[sk] = p
		}
	}
}

func cloneShallow(o *jobj) *jobj {
	c := &jobj{keys: append([]string(nil), o.keys...), vals: make(map[string]any, len(o.vals))}
	for k, v := range o.vals {
		c.vals[k] = v
	}
	return c
}

func displayPtr(p string) string {
	if p == "" {
		return "the root"
	}
	return "#" + p
}

func (b *builder) lookupRef(ref, at string) (*jobj, string, error) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, "", fmt.Errorf("$ref %q at %s points outside the schema; only local references are supported", ref, displayPtr(at))
	}
	if u, err := url.PathUnescape(frag); err == nil {
		frag = u
	}
	v, err := lookupPointer(b.doc, frag)
	if err != nil {
		return nil, "", fmt.Errorf("$ref %q at %s not found in the schema (looked in definitions and $defs)", ref, displayPtr(at))
	}
	o, ok := v.(*jobj)
	if !ok {
		if bv, isBool := v.(bool); isBool {
			o = newJobj()
			if !bv {
				o.set("not", newJobj())
			}
			return o, frag, nil
		}
		return nil, "", fmt.Errorf("$ref %q at %s does not point to a schema", ref, displayPtr(at))
	}
	return o, frag, nil
}

// children builds the property fields of an object schema, in order.
func (b *builder) children(obj *jobj, src map[string]string, parentPath string, depth int) ([]*Field, error) {
	props := obj.obj("properties")
	if props == nil {
		return nil, nil
	}
	required := stringList(obj.arr("required"))
	var out []*Field
	for _, name := range props.keys {
		path := name
		if parentPath != "" {
			path = parentPath + "." + name
		}
		base := src["properties"]
		if p, ok := src["properties/"+name]; ok {
			base = p // merged in from another allOf member
		}
		f, err := b.field(props.vals[name], name, path, base+"/properties/"+escPtr(name), contains(required, name), depth)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// field builds the Field for one schema node.
func (b *builder) field(v any, name, path, ptr string, required bool, depth int) (*Field, error) {
	b.count++
	if b.count > maxFields {
		return nil, fmt.Errorf("schema has more than %d fields", maxFields)
	}
	f := &Field{Name: name, Path: path, Required: required, ptr: ptr}
	node, ok := v.(*jobj)
	if !ok {
		// true / false / anything: edit as JSON, the validator decides.
		f.Kind = JSON
		return f, nil
	}
	f.Title = node.str("title")
	merged, src, refs, err := b.resolveRefs(node, ptr, nil)
	if errors.Is(err, errRecursive) {
		f.Kind = JSON
		f.recursive = true
		f.Description = node.str("description")
		setDefault(f, node)
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("field %q: %w", path, err)
	}
	// While this field's children are built, the models it expanded are
	// "active": a model that contains itself becomes a JSON field there
	// instead of an endless form.
	defer b.enter(refs)()
	if f.Title == "" && name == "" {
		f.Title = merged.str("title")
	}
	if d := merged.str("description"); d != "An enumeration." {
		f.Description = d
	}
	setDefault(f, merged)
	if err := b.classify(f, merged, src, depth); err != nil {
		return nil, err
	}
	return f, nil
}

func setDefault(f *Field, node *jobj) {
	if d, ok := node.get("default"); ok {
		f.Default = normJSON(d)
		f.HasDefault = true
	}
}

// classify sets Kind and everything that depends on it.
func (b *builder) classify(f *Field, m *jobj, src map[string]string, depth int) error {
	readConstraints(f, m)
	f.Format = m.str("format")

	// anyOf / oneOf: Optional[X] is X + Nullable; other unions are Union.
	for _, kw := range []string{"anyOf", "oneOf"} {
		alts := m.arr(kw)
		if len(alts) == 0 {
			continue
		}
		var nonNull []altSchema
		for i, a := range alts {
			ao, ok := a.(*jobj)
			aptr := src[kw] + "/" + kw + "/" + strconv.Itoa(i)
			if !ok {
				if a == true {
					nonNull = append(nonNull, altSchema{m: newJobj(), src: map[string]string{}, ptr: aptr})
				}
				continue
			}
			am, asrc, arefs, err := b.resolveRefs(ao, aptr, nil)
			if errors.Is(err, errRecursive) {
				f.Kind = JSON
				f.recursive = true
				return nil
			}
			if err != nil {
				return fmt.Errorf("field %q: %w", f.Path, err)
			}
			if isNullSchema(am) {
				f.Nullable = true
				continue
			}
			nonNull = append(nonNull, altSchema{am, asrc, aptr, arefs})
		}
		rest := newJobj()
		restSrc := map[string]string{}
		for _, k := range m.keys {
			if k != kw {
				rest.set(k, m.vals[k])
				restSrc[k] = src[k]
			}
		}
		switch {
		case len(nonNull) == 0:
			f.Kind = Const
			f.Enum = []any{nil}
			f.Nullable = true
			return nil
		case len(nonNull) == 1:
			// Outer keys (title, default, description, and the format that
			// _fix_null_typing leaves outside) win over the alternative's.
			inner := newJobj()
			isrc := map[string]string{}
			mergeInto(inner, isrc, nonNull[0].m, nonNull[0].src)
			mergeInto(inner, isrc, rest, restSrc)
			nullable := f.Nullable
			leave := b.enter(nonNull[0].refs)
			err := b.classify(f, inner, isrc, depth)
			leave()
			f.Nullable = f.Nullable || nullable
			return err
		}
		if members, ok := enumUnion(nonNull); ok {
			f.Kind = Enum
			f.Enum = members
			return nil
		}
		f.Kind = Union
		for _, a := range nonNull {
			vm := newJobj()
			vsrc := map[string]string{}
			mergeInto(vm, vsrc, a.m, a.src)
			vf := &Field{Name: variantLabel(a.m), Path: f.Path, ptr: a.ptr, Title: a.m.str("title"), Description: a.m.str("description"), Required: true}
			b.count++
			if b.count > maxFields {
				return fmt.Errorf("schema has more than %d fields", maxFields)
			}
			leave := b.enter(a.refs)
			err := b.classify(vf, vm, vsrc, depth+1)
			leave()
			if err != nil {
				return err
			}
			f.Variants = append(f.Variants, vf)
		}
		return nil
	}

	if c, ok := m.get("const"); ok {
		f.Kind = Const
		f.Enum = []any{normJSON(c)}
		return nil
	}
	if e, ok := m.get("enum"); ok {
		list, _ := e.([]any)
		var members []any
		for _, x := range list {
			if x == nil {
				f.Nullable = true
				continue
			}
			members = append(members, normJSON(x))
		}
		switch len(members) {
		case 0:
			f.Kind = Const
			f.Enum = []any{nil}
		case 1:
			f.Kind = Const
			f.Enum = members
		default:
			f.Kind = Enum
			f.Enum = members
		}
		return nil
	}

	types := typeList(m)
	if contains(types, "null") && len(types) > 1 {
		f.Nullable = true
		types = removeStr(types, "null")
	}
	if len(types) > 1 {
		f.Kind = Union
		for _, t := range types {
			vm := cloneShallow(m)
			vm.set("type", t)
			vsrc := map[string]string{}
			for k, p := range src {
				vsrc[k] = p
			}
			vf := &Field{Name: pyTypeName(t), Path: f.Path, ptr: f.ptr, Required: true}
			b.count++
			if err := b.classify(vf, vm, vsrc, depth+1); err != nil {
				return err
			}
			f.Variants = append(f.Variants, vf)
		}
		return nil
	}
	t := ""
	if len(types) == 1 {
		t = types[0]
	} else if m.has("properties") {
		t = "object"
	}
	switch t {
	case "string":
		f.Kind = String
	case "integer":
		f.Kind = Integer
	case "number":
		f.Kind = Number
	case "boolean":
		f.Kind = Boolean
	case "null":
		f.Kind = Const
		f.Enum = []any{nil}
		f.Nullable = true
	case "array":
		return b.classifyArray(f, m, src, depth)
	case "object":
		ap, hasAP := m.get("additionalProperties")
		if m.obj("properties") == nil || (hasAP && ap != false) || m.has("patternProperties") || depth >= maxObjectDepth {
			f.Kind = JSON
			return nil
		}
		f.Kind = Object
		kids, err := b.children(m, src, f.Path, depth+1)
		if err != nil {
			return err
		}
		f.Children = kids
	default:
		f.Kind = JSON
	}
	return nil
}

func (b *builder) classifyArray(f *Field, m *jobj, src map[string]string, depth int) error {
	if pre := m.arr("prefixItems"); len(pre) > 0 {
		if truthy(m, "items") {
			f.Kind = JSON // open tuple: positions plus more
			return nil
		}
		var pos []*Field
		for i, p := range pre {
			cf, err := b.field(p, strconv.Itoa(i), f.Path+"["+strconv.Itoa(i)+"]", src["prefixItems"]+"/prefixItems/"+strconv.Itoa(i), true, depth+1)
			if err != nil {
				return err
			}
			if !simpleScalar(cf) {
				f.Kind = JSON
				return nil
			}
			pos = append(pos, cf)
		}
		f.Kind = Tuple
		f.Children = pos
		return nil
	}
	items, ok := m.get("items")
	if !ok {
		f.Kind = JSON // list of anything
		return nil
	}
	it, err := b.field(items, "[]", f.Path+"[]", src["items"]+"/items", true, depth+1)
	if err != nil {
		return err
	}
	switch {
	case (it.Kind == Enum || it.Kind == Const) && !it.Nullable && scalarMembers(it.Enum):
		f.Kind = MultiEnum
		f.Items = it
		f.Enum = it.Enum
	case simpleScalar(it):
		f.Kind = List
		f.Items = it
	default:
		f.Kind = JSON
	}
	return nil
}

// simpleScalar: edited as one line of text and parsed by kind.
func simpleScalar(f *Field) bool {
	if f.Nullable {
		return false
	}
	switch f.Kind {
	case String, Integer, Number, Boolean:
		return true
	case Enum, Const:
		return scalarMembers(f.Enum)
	}
	return false
}

func scalarMembers(ms []any) bool {
	for _, m := range ms {
		switch m.(type) {
		case string, int64, json.Number, bool:
		default:
			return false
		}
	}
	return len(ms) > 0
}

func isNullSchema(m *jobj) bool {
	if t := typeList(m); len(t) == 1 && t[0] == "null" {
		return true
	}
	if c, ok := m.get("const"); ok && c == nil {
		return true
	}
	if e := m.arr("enum"); len(e) == 1 && e[0] == nil {
		return true
	}
	return false
}

// enumUnion merges Union[Literal["a"], Literal["b"], SomeEnum] into one enum.
func enumUnion(alts []altSchema) ([]any, bool) {
	var members []any
	for _, a := range alts {
		m := a.m
		if m.has("anyOf") || m.has("oneOf") {
			return nil, false
		}
		if c, ok := m.get("const"); ok {
			members = appendUnique(members, normJSON(c))
			continue
		}
		e, ok := m.get("enum")
		if !ok {
			return nil, false
		}
		list, _ := e.([]any)
		for _, x := range list {
			members = appendUnique(members, normJSON(x))
		}
	}
	if len(members) < 2 || !scalarMembers(members) {
		return nil, false
	}
	return members, true
}

func appendUnique(list []any, v any) []any {
	for _, x := range list {
		if jsonEqual(x, v) {
			return list
		}
	}
	return append(list, v)
}

// variantLabel follows ui-v2's getSchemaObjectLabel: title, else format,
// else the Python type name.
func variantLabel(m *jobj) string {
	if t := m.str("title"); t != "" {
		return t
	}
	if f := m.str("format"); f != "" {
		return f
	}
	if m.has("enum") || m.has("const") {
		return "choice"
	}
	t := typeList(m)
	if len(t) == 0 {
		if m.has("properties") {
			return "dict"
		}
		return "value"
	}
	return pyTypeName(t[0])
}

func pyTypeName(t string) string {
	switch t {
	case "string":
		return "str"
	case "integer":
		return "int"
	case "number":
		return "float"
	case "boolean":
		return "bool"
	case "array":
		return "list"
	case "object":
		return "dict"
	case "null":
		return "None"
	}
	return t
}

func typeList(m *jobj) []string {
	v, ok := m.get("type")
	if !ok {
		return nil
	}
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		return stringList(t)
	}
	return nil
}

func readConstraints(f *Field, m *jobj) {
	c := &f.Constraints
	c.MinLength = intKw(m, "minLength")
	c.MaxLength = intKw(m, "maxLength")
	c.Pattern = m.str("pattern")
	c.Minimum = numKw(m, "minimum")
	c.Maximum = numKw(m, "maximum")
	c.ExclusiveMinimum = numKw(m, "exclusiveMinimum")
	c.ExclusiveMaximum = numKw(m, "exclusiveMaximum")
	c.MultipleOf = numKw(m, "multipleOf")
	c.MinItems = intKw(m, "minItems")
	c.MaxItems = intKw(m, "maxItems")
	c.UniqueItems = m.vals["uniqueItems"] == true
}

func numKw(m *jobj, k string) *float64 {
	n, ok := m.vals[k].(json.Number)
	if !ok {
		return nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil
	}
	return &f
}

func intKw(m *jobj, k string) *int {
	f := numKw(m, k)
	if f == nil || *f < 0 || *f > 1<<31 {
		return nil
	}
	i := int(*f)
	return &i
}

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

func stringList(a []any) []string {
	var out []string
	for _, v := range a {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsAny(list []any, v any) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func removeStr(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// humanize mirrors pydantic's default title: "zip_code" -> "Zip Code".
func humanize(name string) string {
	words := strings.Fields(strings.ReplaceAll(name, "_", " "))
	for i, w := range words {
		r := []rune(strings.ToLower(w))
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
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

package inputschema

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

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
// Every error is an *UnreadableError.
func ParseSchema(raw []byte) (*Schema, error) {
	if len(raw) > maxSchemaBytes {
		return nil, unreadable(fmt.Errorf("it is %d bytes, more than the %d unpause reads", len(raw), maxSchemaBytes), false)
	}
	tree, err := decodeOrdered(raw)
	if err != nil {
		return nil, unreadable(err, true)
	}
	// Prefect's read endpoint returns the stored value; a client that did not
	// unwrap the double encoding hands us a JSON string holding the schema.
	if str, ok := tree.(string); ok {
		if tree, err = decodeOrdered([]byte(str)); err != nil {
			return nil, unreadable(fmt.Errorf("a JSON string that does not hold JSON: %w", err), true)
		}
	}
	root, ok := tree.(*jobj)
	if !ok {
		return nil, unreadable(fmt.Errorf("a JSON %s, not an object", jsonTypeName(plain(tree))), false)
	}
	s, err := buildSchema(raw, root)
	if err != nil {
		return nil, unreadable(err, false)
	}
	return s, nil
}

// buildSchema builds the fields and the validator from the decoded root.
func buildSchema(raw []byte, root *jobj) (*Schema, error) {
	root = cloneTree(root).(*jobj)
	preprocess(root)
	fixRefFallbacks(root)

	s := &Schema{
		Title:  root.str("title"),
		raw:    append([]byte(nil), raw...),
		key:    contentKey(raw),
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
	quoteClashingPaths(s.Fields)
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

type builder struct {
	doc    *jobj
	count  int
	active map[string]bool // $ref targets being expanded by an ancestor field
}

var errRecursive = errors.New("recursive model")

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

// altSchema is one resolved alternative of an anyOf/oneOf.
type altSchema struct {
	m    *jobj
	src  map[string]string
	ptr  string
	refs []string
}

// classify sets Kind and everything that depends on it.
func (b *builder) classify(f *Field, m *jobj, src map[string]string, depth int) error {
	readConstraints(f, m)
	f.Format = m.str("format")
	for _, kw := range []string{"anyOf", "oneOf"} {
		if len(m.arr(kw)) > 0 {
			return b.classifyAlternatives(f, m, src, kw, depth)
		}
	}
	if c, ok := m.get("const"); ok {
		f.Kind = Const
		f.Enum = []any{normJSON(c)}
		return nil
	}
	if e, ok := m.get("enum"); ok {
		classifyEnum(f, e)
		return nil
	}
	types := typeList(m)
	if contains(types, "null") && len(types) > 1 {
		f.Nullable = true
		types = removeStr(types, "null")
	}
	if len(types) > 1 {
		return b.classifyTypeUnion(f, m, src, types, depth)
	}
	t := ""
	if len(types) == 1 {
		t = types[0]
	} else if m.has("properties") {
		t = "object"
	}
	return b.classifyType(f, m, src, t, depth)
}

// classifyAlternatives classifies a field whose schema has anyOf or oneOf
// (kw): Optional[X] is X and Nullable, a union of literals and enums is one
// Enum, any other union is Union.
func (b *builder) classifyAlternatives(f *Field, m *jobj, src map[string]string, kw string, depth int) error {
	nonNull, err := b.alternatives(f, m.arr(kw), src[kw]+"/"+kw)
	if errors.Is(err, errRecursive) {
		f.Kind = JSON
		f.recursive = true
		return nil
	}
	if err != nil {
		return err
	}
	switch len(nonNull) {
	case 0:
		f.Kind = Const
		f.Enum = []any{nil}
		f.Nullable = true
		return nil
	case 1:
		return b.classifyOptional(f, m, src, kw, nonNull[0], depth)
	}
	if members, ok := enumUnion(nonNull); ok {
		f.Kind = Enum
		f.Enum = members
		return nil
	}
	return b.classifyUnion(f, nonNull, depth)
}

// alternatives resolves the alternatives of an anyOf/oneOf found at ptr
// and returns those that are not null; a null one makes f Nullable.
func (b *builder) alternatives(f *Field, alts []any, ptr string) ([]altSchema, error) {
	var nonNull []altSchema
	for i, a := range alts {
		ao, ok := a.(*jobj)
		aptr := ptr + "/" + strconv.Itoa(i)
		if !ok {
			if a == true {
				nonNull = append(nonNull, altSchema{m: newJobj(), src: map[string]string{}, ptr: aptr})
			}
			continue
		}
		am, asrc, arefs, err := b.resolveRefs(ao, aptr, nil)
		if errors.Is(err, errRecursive) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", f.Path, err)
		}
		if isNullSchema(am) {
			f.Nullable = true
			continue
		}
		nonNull = append(nonNull, altSchema{am, asrc, aptr, arefs})
	}
	return nonNull, nil
}

// classifyOptional classifies Optional[X] (the only non-null alternative
// of kw) as X. The outer keys (title, default, description, and the format
// that _fix_null_typing leaves outside) win over the alternative's.
func (b *builder) classifyOptional(f *Field, m *jobj, src map[string]string, kw string, alt altSchema, depth int) error {
	rest := newJobj()
	restSrc := map[string]string{}
	for _, k := range m.keys {
		if k != kw {
			rest.set(k, m.vals[k])
			restSrc[k] = src[k]
		}
	}
	inner := newJobj()
	isrc := map[string]string{}
	mergeInto(inner, isrc, alt.m, alt.src)
	mergeInto(inner, isrc, rest, restSrc)
	nullable := f.Nullable
	leave := b.enter(alt.refs)
	err := b.classify(f, inner, isrc, depth)
	leave()
	f.Nullable = f.Nullable || nullable
	return err
}

// classifyUnion makes f a Union with one variant per alternative.
func (b *builder) classifyUnion(f *Field, alts []altSchema, depth int) error {
	f.Kind = Union
	for _, a := range alts {
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

// classifyEnum: an enum of one member is Const, a null member makes the
// field Nullable.
func classifyEnum(f *Field, e any) {
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
}

// classifyTypeUnion makes a field of several types ("type": ["integer",
// "string"]) a Union with one variant per type.
func (b *builder) classifyTypeUnion(f *Field, m *jobj, src map[string]string, types []string, depth int) error {
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

// classifyType classifies a field of one JSON type t ("" when the schema
// names none).
func (b *builder) classifyType(f *Field, m *jobj, src map[string]string, t string, depth int) error {
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
		return b.classifyObject(f, m, src, depth)
	default:
		f.Kind = JSON
	}
	return nil
}

// classifyObject makes a model with fixed properties an Object with a
// field per property; dicts, open models and models nested too deeply are
// edited as JSON.
func (b *builder) classifyObject(f *Field, m *jobj, src map[string]string, depth int) error {
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

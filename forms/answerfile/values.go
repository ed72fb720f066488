package answerfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

// object reads one model level: each field's key, in any order; unknown,
// repeated and secret keys are problems.
func (p *parser) object(fields []*inputschema.Field, n *yaml.Node, path string) map[string]any {
	out := map[string]any{}
	byName := map[string]*inputschema.Field{}
	var names []string
	for _, f := range fields {
		byName[f.Name] = f
		if !isSecret(f) {
			names = append(names, f.Name)
		}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f := byName[k.Value]
		switch {
		case k.Kind != yaml.ScalarNode || k.Tag == "!!merge":
			p.fail(nil, k.Line, "%s: a key must be a field name", where(path))
			continue
		case f == nil:
			p.errs = append(p.errs, Error{Line: k.Line, FieldError: inputschema.FieldError{Path: path, Message: fmt.Sprintf("unexpected field %q; fields here: %s", clip(k.Value), strings.Join(names, ", "))}})
			continue
		case seen[k.Value] > 0:
			p.fail(f, k.Line, "given twice (lines %d and %d); keep one", seen[k.Value], k.Line)
			continue
		}
		seen[k.Value] = k.Line
		p.lines[f.Path] = k.Line
		if isSecret(f) {
			p.fail(f, k.Line, "a secret is not read from this file, which is on disk; delete the line and type it in the form")
			continue
		}
		if val, ok := p.value(f, v); ok {
			out[f.Name] = val
		}
	}
	for _, f := range fields {
		if _, given := seen[f.Name]; !given && f.Kind == inputschema.Const {
			if v, ok := p.s.DefaultValue(f); ok {
				out[f.Name] = v // the form always sends a fixed value too
			}
		}
	}
	return out
}

func where(path string) string {
	if path == "" {
		return "top level"
	}
	return path
}

// value reads one field's value; false when it is left out or wrong.
func (p *parser) value(f *inputschema.Field, n *yaml.Node) (any, bool) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		p.fail(f, n.Line, "YAML anchors and aliases (& and *) are not read here; write the value out")
		return nil, false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		switch {
		case n.Value == "":
			return nil, false // empty: left out; the validator says if it is required
		case f.Nullable || f.Kind == inputschema.JSON:
			return nil, true
		}
		p.fail(f, n.Line, "cannot be null; leave it empty to leave it out")
		return nil, false
	}
	v, err := p.typed(f, n)
	if err == nil && f.Kind != inputschema.Object {
		// A model's fields were checked one by one; the validator checks
		// the rest of it with the whole answer (as the form does).
		err = p.s.CheckValue(f, v)
	}
	if err != nil {
		p.fail(f, n.Line, "%s", err.Error())
		return nil, false
	}
	return v, true
}

// typed converts a non-null node to the value of field f, by kind.
func (p *parser) typed(f *inputschema.Field, n *yaml.Node) (any, error) {
	switch f.Kind {
	case inputschema.Object:
		if n.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("expects its fields indented below it (got %s)", nodeName(n))
		}
		return p.object(f.Children, n, f.Path), nil
	case inputschema.List, inputschema.MultiEnum, inputschema.Tuple:
		return p.sequence(f, n)
	case inputschema.Union:
		return p.union(f, n)
	case inputschema.JSON:
		return generic(n, 0)
	}
	return p.scalar(f, n)
}

// sequence reads a list, a multiple choice or a tuple.
func (p *parser) sequence(f *inputschema.Field, n *yaml.Node) (any, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("expects a list, one \"- item\" line each or [] for none (got %s)", nodeName(n))
	}
	out := make([]any, 0, len(n.Content))
	for i, item := range n.Content {
		var v any
		var err error
		switch {
		case item.Kind == yaml.AliasNode || item.Anchor != "":
			err = errors.New("YAML anchors and aliases are not read here")
		case f.Kind == inputschema.Tuple && i < len(f.Children):
			v, err = p.scalar(f.Children[i], item)
		case f.Kind == inputschema.Tuple:
			v, err = generic(item, 0) // past the positions: the validator says
		case f.Kind == inputschema.MultiEnum:
			v, err = p.member(f, item)
		default:
			v, err = p.scalar(f.Items, item)
		}
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i+1, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// scalar reads a one-line value: text, number, yes/no, choice.
func (p *parser) scalar(f *inputschema.Field, n *yaml.Node) (any, error) {
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("expects %s (got %s)", f.TypeHint(), nodeName(n))
	}
	switch f.Kind {
	case inputschema.String:
		if n.Tag == "!!null" {
			return nil, errors.New("cannot be null")
		}
		return p.s.NormalizeValue(f, n.Value), nil
	case inputschema.Integer, inputschema.Number:
		if n.Tag != "!!int" && n.Tag != "!!float" {
			return nil, fmt.Errorf("expects a %s, not %s", f.TypeHint(), nodeName(n))
		}
		v, _, err := p.s.ParseText(f, n.Value)
		return v, err
	case inputschema.Boolean:
		if b, ok := boolValue(n); ok {
			return b, nil
		}
		return nil, fmt.Errorf("%s is not true or false (yes/no and on/off are not read as booleans here)", strconv.Quote(clip(n.Value)))
	case inputschema.Enum, inputschema.Const:
		return p.member(f, n)
	}
	return nil, fmt.Errorf("expects %s", f.TypeHint())
}

// member finds the choice a scalar names: by its YAML type first (1 is
// the number, "1" the text), then as --set reads choice text (any case);
// a text choice may be named by any scalar, a number or boolean choice
// not by quoted text.
func (p *parser) member(f *inputschema.Field, n *yaml.Node) (any, error) {
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("expects one of the choices (got %s)", nodeName(n))
	}
	if v, err := generic(n, 0); err == nil {
		if i := f.MemberIndex(v); i >= 0 {
			return f.Enum[i], nil
		}
	}
	v, _, err := p.s.ParseText(f, n.Value)
	if err != nil && n.Value == "" {
		return nil, errors.New("expects one of the choices")
	}
	if _, isText := v.(string); err == nil && !isText && n.Tag == "!!str" {
		// As for numbers and booleans: quoted is text, and this choice is not.
		return nil, fmt.Errorf("%s is quoted text; write the choice %s without quotes", strconv.Quote(clip(n.Value)), inputschema.MemberText(v))
	}
	return v, err
}

// union reads an alternative: the first the YAML value fits, else the
// text as the form reads it.
func (p *parser) union(f *inputschema.Field, n *yaml.Node) (any, error) {
	v, err := generic(n, 0)
	if err != nil {
		return nil, err
	}
	if i := p.s.VariantFor(f, v); i >= 0 {
		return p.s.NormalizeValue(f.Variants[i], v), nil
	}
	if n.Kind == yaml.ScalarNode {
		v, _, err := p.s.ParseText(f, n.Value)
		return v, err
	}
	return v, nil // the validator says why it fits none
}

func boolValue(n *yaml.Node) (bool, bool) {
	if n.Tag != "!!bool" {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func nodeName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a group of keys"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!str":
		return "the text " + strconv.Quote(clip(n.Value))
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "null"
	}
	return clip(n.Value)
}

var jsonNumber = regexp.MustCompile(`^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$`)

// generic reads any YAML value as the JSON value it denotes: mappings with
// text keys, lists, numbers JSON can carry, true/false, null, and text.
func generic(n *yaml.Node, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nested more than %d levels", maxDepth)
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return nil, errors.New("YAML anchors and aliases (& and *) are not read here; write the value out")
	}
	switch n.Kind {
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := generic(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return genericMap(n, depth)
	case yaml.ScalarNode:
		return genericScalar(n)
	}
	return nil, fmt.Errorf("line %d: not a value", n.Line)
}

func genericMap(n *yaml.Node, depth int) (any, error) {
	out := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return nil, fmt.Errorf("line %d: a key must be plain text", k.Line)
		}
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Errorf("line %d: key %q given twice", k.Line, clip(k.Value))
		}
		v, err := generic(n.Content[i+1], depth+1)
		if err != nil {
			return nil, err
		}
		out[k.Value] = v
	}
	return out, nil
}

func genericScalar(n *yaml.Node) (any, error) {
	switch n.Tag {
	case "!!null":
		return nil, nil
	case "!!bool":
		if b, ok := boolValue(n); ok {
			return b, nil
		}
		return nil, fmt.Errorf("%q is not true or false", clip(n.Value))
	case "!!int", "!!float":
		return numberValue(n.Value)
	}
	return n.Value, nil
}

// numberValue is a YAML number as an answer number: int64 when it fits,
// else json.Number; what JSON cannot carry (.inf, .nan, 0x1f) is refused.
func numberValue(text string) (any, error) {
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		return i, nil
	}
	if jsonNumber.MatchString(text) && len(text) <= 400 {
		return json.Number(text), nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || strings.ContainsAny(text, "xXoObB") {
		return nil, fmt.Errorf("%q is not a number JSON can carry; write it in decimal", clip(text))
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

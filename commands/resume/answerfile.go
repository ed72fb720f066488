package resume

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/domain"
)

// The limits of a YAML answer file: aliases may not expand it past
// maxYAMLValues values (a "billion laughs" file), nor nest it deeper than
// maxYAMLDepth.
const (
	maxYAMLValues = 10000
	maxYAMLDepth  = 64
)

// fileRun is one run's answer in a multi-run answer file (runs:).
type fileRun struct {
	Ref    string          // the run id or name the file gives
	Answer json.RawMessage // its answer, a JSON object
}

// toJSON turns the text of --input-file into a JSON answer: JSON stays as
// it is, YAML (by the name's extension, or by its content when the name
// says nothing or is "-") becomes JSON.
func toJSON(name string, raw []byte) (json.RawMessage, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return raw, nil
	case ".yaml", ".yml":
		return yamlToJSON(raw)
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] == '{' {
		return raw, nil
	}
	return yamlToJSON(raw)
}

// yamlToJSON converts one YAML document to JSON. Scalars keep the type their
// tag gives (YAML 1.2's core schema): only true/false are booleans, so
// yes, no, on and off stay strings; numbers keep their digits.
func yamlToJSON(raw []byte) (json.RawMessage, error) {
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, cmdutil.WithCode(domain.ExitInvalidInput, fmt.Errorf("the answer file is not valid YAML: %s", syntaxError(raw, err)))
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, cmdutil.WithCode(domain.ExitInvalidInput, errors.New("the answer file holds more than one YAML document (---); give one"))
	}
	c := &yamlConv{}
	v, err := c.value(&doc, 0)
	if err != nil {
		return nil, cmdutil.WithCode(domain.ExitInvalidInput, fmt.Errorf("the answer file cannot be read: %w", err))
	}
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

// yamlLine is the "yaml: line N: " of a go-yaml error.
var yamlLine = regexp.MustCompile(`^yaml: (line \d+: )?`)

// syntaxError says on which line raw stops being YAML. go-yaml names, for an
// error of its parser, the line where the enclosing construct began,
// counted from 0; so the line is found again as the first prefix of raw, in
// whole lines, that fails with the same message.
func syntaxError(raw []byte, err error) string {
	msg := yamlLine.ReplaceAllString(err.Error(), "")
	lines := bytes.SplitAfter(raw, []byte("\n"))
	if len(lines) > 2000 {
		return strings.TrimPrefix(err.Error(), "yaml: ")
	}
	for k := 1; k <= len(lines); k++ {
		e := decodeAll(bytes.Join(lines[:k], nil))
		if e != nil && yamlLine.ReplaceAllString(e.Error(), "") == msg {
			return fmt.Sprintf("line %d: %s", k, msg)
		}
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// decodeAll parses every document of raw, for its first error.
func decodeAll(raw []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

type yamlConv struct{ values int }

func (c *yamlConv) value(n *yaml.Node, depth int) (any, error) {
	c.values++
	if c.values > maxYAMLValues {
		return nil, fmt.Errorf("it expands to more than %d values (aliases?)", maxYAMLValues)
	}
	if depth > maxYAMLDepth {
		return nil, fmt.Errorf("line %d: nested deeper than %d levels", n.Line, maxYAMLDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth)
	case yaml.AliasNode:
		return c.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return c.mapping(n, depth)
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
}

func (c *yamlConv) mapping(n *yaml.Node, depth int) (any, error) {
	out := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			if k.ShortTag() == "!!merge" {
				return nil, fmt.Errorf("line %d: merge keys (<<) are not supported; write the fields out", k.Line)
			}
			return nil, fmt.Errorf("line %d: a key must be a string (quote it: %q)", k.Line, k.Value)
		}
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Errorf("line %d: the key %q is given twice", k.Line, k.Value)
		}
		v, err := c.value(n.Content[i+1], depth+1)
		if err != nil {
			return nil, err
		}
		out[k.Value] = v
	}
	return out, nil
}

// scalar is a YAML scalar as a JSON value, by its tag.
func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		switch n.Value {
		case "true", "True", "TRUE":
			return true, nil
		case "false", "False", "FALSE":
			return false, nil
		}
		return n.Value, nil
	case "!!int":
		return yamlInt(n)
	case "!!float":
		return yamlFloat(n)
	case "!!str", "!!timestamp":
		// A timestamp stays the text it was: the schema's format decides.
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: the tag %s is not supported", n.Line, n.Tag)
}

func yamlInt(n *yaml.Node) (any, error) {
	s := strings.ReplaceAll(n.Value, "_", "")
	if i, ok := new(big.Int).SetString(s, 0); ok {
		return json.Number(i.String()), nil
	}
	return nil, fmt.Errorf("line %d: %q is not an integer", n.Line, n.Value)
}

func yamlFloat(n *yaml.Node) (any, error) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || strings.Contains(strings.ToLower(n.Value), "inf") || strings.Contains(strings.ToLower(n.Value), "nan") {
		return nil, fmt.Errorf("line %d: %q is not a number JSON can carry", n.Line, n.Value)
	}
	if json.Valid([]byte(n.Value)) {
		return json.Number(n.Value), nil
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// runsFile reads a multi-run answer file: a top-level object whose only key
// is runs, an object of run id or name → that run's answer. ok is false when
// answer has some other shape.
func runsFile(answer json.RawMessage) (runs []fileRun, ok bool, err error) {
	var top map[string]json.RawMessage
	if json.Unmarshal(answer, &top) != nil || len(top) != 1 || top["runs"] == nil {
		return nil, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(top["runs"]))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, true, cmdutil.WithCode(domain.ExitInvalidInput, errors.New("runs: must map each run id or name to its answer"))
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, true, cmdutil.WithCode(domain.ExitInvalidInput, fmt.Errorf("runs: %w", err))
		}
		ref, _ := tok.(string)
		var a json.RawMessage
		if err := dec.Decode(&a); err != nil {
			return nil, true, cmdutil.WithCode(domain.ExitInvalidInput, fmt.Errorf("runs: %s: %w", ref, err))
		}
		if t := bytes.TrimSpace(a); len(t) == 0 || (t[0] != '{' && string(t) != "null") {
			return nil, true, cmdutil.WithCode(domain.ExitInvalidInput, fmt.Errorf("runs: %q: the answer must be an object of fields", ref))
		}
		if string(bytes.TrimSpace(a)) == "null" {
			a = nil
		}
		if seen[ref] {
			return nil, true, cmdutil.WithCode(domain.ExitInvalidInput, fmt.Errorf("runs: %q is given twice", ref))
		}
		seen[ref] = true
		runs = append(runs, fileRun{Ref: ref, Answer: a})
	}
	if len(runs) == 0 {
		return nil, true, cmdutil.WithCode(domain.ExitInvalidInput, errors.New("runs: names no run"))
	}
	return runs, true, nil
}

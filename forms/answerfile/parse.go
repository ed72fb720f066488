package answerfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

// Error is one problem with the edited file: the field (Path, "" for the
// answer as a whole), the message, and the line of the file it is on (0
// when no line holds it, e.g. a required key that was deleted).
type Error struct {
	inputschema.FieldError
	Line int `json:"line,omitempty"`
}

func (e Error) Error() string {
	if e.Line > 0 {
		return "line " + strconv.Itoa(e.Line) + ": " + e.FieldError.Error()
	}
	return e.FieldError.Error()
}

// Result is what an edited file says.
type Result struct {
	// Cancelled: the file was emptied (or holds only comments).
	Cancelled bool
	// Values is the typed answer read from the file, secrets carried over
	// from base; it holds what could be read even when Errors is not empty.
	Values map[string]any
	// Errors are the problems the file can fix (WithErrors shows them).
	Errors []Error
	// SecretErrors are problems of secret fields, which are typed in the
	// form, never in the file (a required secret the form does not hold).
	SecretErrors []inputschema.FieldError
}

// OK reports an answer with no problem at all, ready for review.
func (r Result) OK() bool { return !r.Cancelled && len(r.Errors) == 0 && len(r.SecretErrors) == 0 }

// maxDepth bounds nesting in the file (a YAML value of a JSON field).
const maxDepth = 100

type parser struct {
	s     *inputschema.Schema
	errs  []Error
	lines map[string]int // field path -> line of its key
}

// Parse reads an edited file back into a typed answer. base is the answer
// the form holds: its secrets are carried over (the file never holds them).
// Values are typed by the YAML tag and the field: text fields take any
// scalar as text ("yes" and 123 stay text), numbers must be numbers,
// booleans true or false. Every value is checked as the form and --set
// check it (inputschema.ParseText / CheckValue), then the whole answer by
// the schema's validator (inputschema.Validate).
func Parse(s *inputschema.Schema, data []byte, base map[string]any) Result {
	root, err := decode(data)
	switch {
	case err != nil:
		return Result{Errors: []Error{yamlError(err)}}
	case root == nil:
		return Result{Cancelled: true}
	case root.Kind != yaml.MappingNode:
		return Result{Errors: []Error{{Line: root.Line, FieldError: inputschema.FieldError{Message: "the file must hold the fields as \"name: value\" lines"}}}}
	}
	p := &parser{s: s, lines: map[string]int{}}
	ans := p.object(s.Fields, root, "")
	carrySecrets(s.Fields, ans, base)
	return p.finish(ans)
}

// decode reads one YAML document; nil when it holds nothing but comments.
func decode(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil { // the YAML library on hostile bytes
			root, err = nil, fmt.Errorf("the file cannot be read (%v)", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("line %d: a second YAML document (after ---): keep one answer in the file", max(more.Line, 1))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlError words a syntax error with its line.
func yamlError(err error) Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := Error{FieldError: inputschema.FieldError{Message: "not valid YAML: " + msg}}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Message = "not valid YAML: " + strings.TrimSpace(strings.TrimPrefix(strings.Replace(msg, m[0], "", 1), ":"))
	}
	return e
}

// finish runs the schema's validator over the whole answer (problems
// already reported for a field or its parent are not repeated) and sorts
// the problems into those the file can fix and those of secrets.
func (p *parser) finish(ans map[string]any) Result {
	bad := map[string]bool{}
	for _, e := range p.errs {
		bad[e.Path] = true
	}
	for _, fe := range p.s.Validate(ans) {
		if !inputschema.CoveredBy(bad, fe.Path) {
			p.errs = append(p.errs, Error{FieldError: fe, Line: p.lineOf(fe.Path)})
		}
	}
	res := Result{Values: ans}
	for _, e := range p.errs {
		if f := p.s.Field(e.Path); f != nil && isSecret(f) && p.lines[e.Path] == 0 {
			res.SecretErrors = append(res.SecretErrors, e.FieldError)
			continue
		}
		res.Errors = append(res.Errors, e)
	}
	return res
}

// lineOf is the line of the field's key, or of the nearest model above it.
func (p *parser) lineOf(path string) int {
	for {
		if l, ok := p.lines[path]; ok {
			return l
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return 0
		}
		path = path[:i]
	}
}

func (p *parser) fail(f *inputschema.Field, line int, format string, a ...any) {
	path := ""
	if f != nil {
		path = f.Path
	}
	p.errs = append(p.errs, Error{Line: line, FieldError: inputschema.FieldError{Path: path, Message: fmt.Sprintf(format, a...)}})
}

// carrySecrets puts base's secret values into ans, level by level, where
// the model holding them is present.
func carrySecrets(fields []*inputschema.Field, ans, base map[string]any) {
	if ans == nil || base == nil {
		return
	}
	for _, f := range fields {
		switch {
		case isSecret(f):
			if v, ok := base[f.Name]; ok {
				ans[f.Name] = v
			}
		case f.Kind == inputschema.Object:
			sub, _ := ans[f.Name].(map[string]any)
			bsub, _ := base[f.Name].(map[string]any)
			carrySecrets(f.Children, sub, bsub)
		}
	}
}

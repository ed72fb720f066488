// Package answerfile is the answer of a paused run as a YAML file for the
// operator's own editor: Render writes the values in schema order with each
// field's title, description, type and constraints as comments; Parse reads
// the edited text back into typed values and checks them with the same
// rules as the form and --set (package inputschema); WithErrors puts the
// problems at the top of the text for the next round.
//
// Secrets (pydantic SecretStr: format password) are never written to the
// file, which is on disk while the editor runs: Parse carries them over from
// the answer the form already holds and refuses a secret typed in the file.
//
// The package is pure: no files, no processes, no terminal (tui/editor runs
// the editor). Titles, descriptions and enum members come from the API and
// are untrusted: every comment line goes through termsafe.Line.
package answerfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
)

// Options say what the file is for; the strings are raw from the API.
type Options struct {
	RunName  string
	FlowName string
}

// commentWidth is where description lines are wrapped.
const commentWidth = 76

// Render writes the whole answer as YAML: one key per field in schema order
// (nested models nested), a field absent from values as an empty key,
// secrets left out. It fails only for a value YAML cannot hold.
func Render(s *inputschema.Schema, values map[string]any, o Options) ([]byte, error) {
	root := objectNode(s, s.Fields, values)
	if len(root.Content) == 0 {
		root.Style = yaml.FlowStyle // "{}": saved unchanged, it is an empty answer, not a cancel
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}, HeadComment: strings.Join(header(s, o), "\n")}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("the answer cannot be written as YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("the answer cannot be written as YAML: %w", err)
	}
	return b.Bytes(), nil
}

// header is the file's opening comment: what it is and how to use it.
func header(s *inputschema.Schema, o Options) []string {
	what := "Answer for the paused run " + strconv.Quote(termsafe.Line(o.RunName))
	if o.FlowName != "" {
		what += " of flow " + strconv.Quote(termsafe.Line(o.FlowName))
	}
	lines := []string{
		what + " (unpause).",
		"Edit the values, then save and quit the editor: unpause checks the answer",
		"and shows it for review; nothing is sent before you confirm there.",
		"Delete everything (or leave only comments) to cancel; the form keeps its values.",
		"A key left empty (name:) is left out of the answer; write null to send null.",
		"Text may be quoted (\"yes\") or not; booleans are true or false only.",
	}
	if secrets := s.SecretPaths(); len(secrets) > 0 {
		lines = append(lines,
			"Secrets are not in this file, which is on disk: "+termsafe.Line(strings.Join(secrets, ", "))+".",
			"unpause keeps what the form holds for them; type them in the form, not here.")
	}
	return lines
}

// objectNode is the mapping of one model level: its fields in schema order,
// then keys the schema does not know (sorted), so nothing is dropped.
func objectNode(s *inputschema.Schema, fields []*inputschema.Field, m map[string]any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Name] = true
		if isSecret(f) {
			continue
		}
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.Name, HeadComment: strings.Join(fieldComment(s, f), "\n")}
		v, ok := m[f.Name]
		n.Content = append(n.Content, k, fieldValueNode(s, f, v, ok))
	}
	var extra []string
	for k := range m {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		kn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, HeadComment: "not a field of this model: the flow will refuse it; delete it"}
		n.Content = append(n.Content, kn, anyNode(m[k]))
	}
	return n
}

func isSecret(f *inputschema.Field) bool { return f.Format == "password" }

// fieldValueNode is the value of one field; an absent one is an empty key.
func fieldValueNode(s *inputschema.Schema, f *inputschema.Field, v any, present bool) *yaml.Node {
	if !present {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}
	}
	if sub, ok := v.(map[string]any); ok && f.Kind == inputschema.Object {
		return objectNode(s, f.Children, sub)
	}
	return anyNode(v)
}

// anyNode writes an answer value: strings tagged so that YAML quotes what
// would read back as another type, numbers and booleans plain.
func anyNode(v any) *yaml.Node {
	switch t := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case string:
		return textNode(t)
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatBool(t)}
	case int64:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatInt(t, 10)}
	case json.Number:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: t.String()}
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range t {
			n.Content = append(n.Content, anyNode(e))
		}
		if len(t) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Content = append(n.Content, textNode(k), anyNode(t[k]))
		}
		if len(keys) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	}
	// Not an answer shape (a caller's int or float64): through JSON.
	b, err := json.Marshal(v)
	if err != nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Value: string(b)}
}

// textNode writes a text: a multi-line one of plain lines as a | block,
// one with other whitespace or invisible characters double-quoted (with
// escapes, so nothing is folded or lost), the rest as the encoder likes.
func textNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case strings.Contains(s, "\n") && plainLines(s):
		n.Style = yaml.LiteralStyle
	case s == "<<" || strings.IndexFunc(s, func(r rune) bool { return r != ' ' && !unicode.IsGraphic(r) }) >= 0:
		// "<<" unquoted is YAML's merge key, which the encoder forgets.
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// plainLines: every line is printable, with no space or tab at either
// end, the only shape a | block keeps exactly (YAML folds \r and the
// Unicode line breaks into \n and reads leading whitespace as indentation).
func plainLines(s string) bool {
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != l || strings.IndexFunc(l, func(r rune) bool { return r != ' ' && !unicode.IsGraphic(r) }) >= 0 {
			return false
		}
	}
	return true
}

package accessible

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
)

// askFields asks each field in turn and saves the draft after each answer.
func (a *session) askFields(s *inputschema.Schema, fields []*inputschema.Field, values map[string]any, runID, schemaKey string) (map[string]any, error) {
	for i, f := range fields {
		v, err := a.askField(s, f, values, i+1, len(fields))
		if err != nil {
			return values, err
		}
		values = v
		a.store.Set(runID, schemaKey, values, nil, s.SecretPaths())
		_ = a.store.Flush()
	}
	return values, nil
}

func (a *session) askField(s *inputschema.Schema, f *inputschema.Field, values map[string]any, n, total int) (map[string]any, error) {
	label := termsafe.Line(fieldLabel(f))
	cur, has := getPath(values, f.Path)
	for {
		var b strings.Builder
		fmt.Fprintf(&b, "Question %d of %d: %s", n, total, label)
		if f.Required {
			b.WriteString(" (required)")
		}
		b.WriteString(". ")
		b.WriteString(kindHint(f))
		switch {
		case has && f.Format == "password":
			b.WriteString(" Current: set (hidden).")
		case has:
			fmt.Fprintf(&b, " Current: %s.", displayValue(cur))
		}
		a.printf("%s\n", b.String())
		if d := strings.TrimSpace(f.Description); d != "" {
			a.printf("Help: %s\n", termsafe.Line(d))
		}
		var sets []string
		switch f.Kind {
		case inputschema.List, inputschema.MultiEnum:
			items, err := a.askItems(f)
			if err != nil {
				return values, err
			}
			if items == nil {
				if !has && f.Required {
					a.printf("This question needs an answer.\n")
					continue
				}
				return values, nil
			}
			for _, it := range items {
				sets = append(sets, f.Path+"="+it)
			}
		default:
			prompt, restore := "> ", func() {}
			if f.Format == "password" {
				prompt, restore = "> (typing is not shown) ", hideInput(a.in)
			}
			line, err := a.ask(prompt)
			restore()
			if f.Format == "password" {
				a.printf("\n") // the Enter that ended the secret was not echoed either
			}
			if err != nil {
				return values, err
			}
			text := strings.TrimSpace(line)
			if text == "" {
				if !has && f.Required {
					a.printf("This question needs an answer.\n")
					continue
				}
				return values, nil
			}
			op := "="
			if f.Kind == inputschema.Tuple || f.Kind == inputschema.Object {
				op = ":=" // typed as JSON
			}
			sets = []string{f.Path + op + choiceText(f, text)}
		}
		next, err := s.ApplySets(values, sets)
		if err != nil {
			a.printf("Not accepted: %s\n", termsafe.Line(setError(err)))
			continue
		}
		return next, nil
	}
}

// askItems reads list items, one per line, until an empty line. A first
// empty line keeps the current list (returns nil).
func (a *session) askItems(f *inputschema.Field) ([]string, error) {
	var items []string
	for {
		line, err := a.ask(fmt.Sprintf("item %d> ", len(items)+1))
		if err != nil {
			return nil, err
		}
		text := strings.TrimSpace(line)
		if text == "" {
			return items, nil
		}
		if f.Kind == inputschema.MultiEnum && f.Items != nil {
			for _, part := range strings.Split(text, ",") {
				if p := strings.TrimSpace(part); p != "" {
					items = append(items, choiceText(f.Items, p))
				}
			}
			continue
		}
		items = append(items, text)
	}
}

// setError drops the command-line wording ("--set a=b: ") of ApplySets
// errors: here the operator answered a question.
func setError(err error) string {
	var errs inputschema.SetErrors
	if errors.As(err, &errs) && len(errs) > 0 {
		return errs[0].Msg // one question, one assignment
	}
	return err.Error()
}

func fieldLabel(f *inputschema.Field) string {
	l := strings.TrimSuffix(f.Label(), " *")
	if f.Path != "" && f.Path != f.Name {
		l += " (" + f.Path + ")"
	}
	return l
}

func kindHint(f *inputschema.Field) string {
	switch f.Kind {
	case inputschema.Enum:
		return "Choose one, by number or value: " + enumList(f.Enum) + "."
	case inputschema.MultiEnum:
		opts := ""
		if f.Items != nil {
			opts = enumList(f.Items.Enum)
		}
		return "Choose any of: " + opts + ". Type numbers or values, one per line or separated by commas; an empty line ends the list, and an empty first line keeps the current choice."
	case inputschema.Boolean:
		return "Answer yes or no."
	case inputschema.Integer:
		return "A whole number."
	case inputschema.Number:
		return "A number."
	case inputschema.List:
		return "A list: type one item per line; an empty line ends it, and an empty first line keeps the current list."
	case inputschema.Tuple:
		return "A JSON list, e.g. [1, \"a\"]."
	case inputschema.Object:
		return "A JSON object."
	case inputschema.Union, inputschema.JSON:
		return "A value (JSON is accepted)."
	}
	if f.Format != "" {
		return "Text (" + termsafe.Line(f.Format) + ")."
	}
	return "Text."
}

func enumList(members []any) string {
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = strconv.Itoa(i+1) + " " + displayValue(m)
	}
	return strings.Join(parts, ", ")
}

// choiceText maps a typed number to the enum member it names.
func choiceText(f *inputschema.Field, text string) string {
	if f.Kind == inputschema.Boolean {
		switch strings.ToLower(text) {
		case "y", "yes", "true":
			return "true"
		case "n", "no", "false":
			return "false"
		}
		return text
	}
	if f.Kind != inputschema.Enum || len(f.Enum) == 0 {
		return text
	}
	if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(f.Enum) {
		// A number that is itself a member is taken as the member.
		for _, m := range f.Enum {
			if inputschema.MemberLabel(m) == text {
				return text
			}
		}
		return inputschema.MemberLabel(f.Enum[n-1])
	}
	return text
}

func displayValue(v any) string {
	if s, ok := v.(string); ok && s == "" {
		return "empty text"
	}
	return termsafe.Line(inputschema.MemberLabel(v))
}

// leafFields lists the questions: object properties are asked one by one,
// constants are not asked.
func leafFields(fs []*inputschema.Field) []*inputschema.Field {
	var out []*inputschema.Field
	for _, f := range fs {
		switch {
		case f.Kind == inputschema.Const:
		case f.Kind == inputschema.Object && len(f.Children) > 0:
			out = append(out, leafFields(f.Children)...)
		default:
			out = append(out, f)
		}
	}
	return out
}

func fieldByPath(fs []*inputschema.Field, path string) *inputschema.Field {
	for _, f := range fs {
		if f.Path == path {
			return f
		}
	}
	// An error on a parent object: ask its first child.
	for _, f := range fs {
		if path != "" && strings.HasPrefix(f.Path, path+".") {
			return f
		}
	}
	return nil
}

func containsField(list []*inputschema.Field, f *inputschema.Field) bool {
	for _, x := range list {
		if x == f {
			return true
		}
	}
	return false
}

func pathLabel(s *inputschema.Schema, path string) string {
	if path == "" {
		return "the answer"
	}
	return termsafe.Line(path)
}

func getPath(values map[string]any, path string) (any, bool) {
	var cur any = values
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[part]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

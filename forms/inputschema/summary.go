package inputschema

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

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

// TypeHint describes in a few words what the field takes.
func (f *Field) TypeHint() string {
	switch f.Kind {
	case String:
		switch f.Format {
		case "date-time":
			return "date and time"
		case "date":
			return "date, YYYY-MM-DD"
		case "time":
			return "time, HH:MM"
		case "duration":
			return "duration, e.g. 5m, 1h30m, PT5M"
		case "uuid":
			return "UUID"
		case "email":
			return "email address"
		case "uri", "url":
			return "URL"
		case "password":
			return "secret text"
		}
		return "text"
	case Integer:
		return "whole number"
	case Number:
		return "number"
	case Boolean:
		return "yes/no"
	case Enum:
		return "one of: " + membersText(f.Enum)
	case MultiEnum:
		return "any of: " + membersText(f.Enum)
	case List:
		return "list of " + plural(f.Items.TypeHint())
	case Tuple:
		var parts []string
		for _, c := range f.Children {
			parts = append(parts, c.TypeHint())
		}
		return "tuple (" + strings.Join(parts, "; ") + ")"
	case Object:
		return "group of fields"
	case Union:
		var parts []string
		for _, v := range f.Variants {
			parts = append(parts, v.Name)
		}
		return "either " + strings.Join(parts, " or ")
	case Const:
		return "fixed value " + MemberText(f.Enum[0])
	}
	return "JSON"
}

func plural(h string) string {
	switch h {
	case "text":
		return "texts"
	case "whole number":
		return "whole numbers"
	case "number":
		return "numbers"
	}
	return h
}

func membersText(ms []any) string {
	const max = 12
	var parts []string
	for i, m := range ms {
		if i == max {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(ms)-max))
			break
		}
		parts = append(parts, MemberText(m))
	}
	return strings.Join(parts, ", ")
}

// ConstraintText summarises the field's constraints ("2 to 50 characters",
// "1 to 10", "multiple of 5"), or "".
func (f *Field) ConstraintText() string {
	c := f.Constraints
	var parts []string
	switch {
	case c.MinLength != nil && c.MaxLength != nil:
		parts = append(parts, fmt.Sprintf("%d to %d characters", *c.MinLength, *c.MaxLength))
	case c.MinLength != nil:
		parts = append(parts, fmt.Sprintf("at least %d characters", *c.MinLength))
	case c.MaxLength != nil:
		parts = append(parts, fmt.Sprintf("at most %d characters", *c.MaxLength))
	}
	if c.Pattern != "" {
		parts = append(parts, "matches "+c.Pattern)
	}
	switch {
	case c.Minimum != nil && c.Maximum != nil:
		parts = append(parts, fmtNum(*c.Minimum)+" to "+fmtNum(*c.Maximum))
	case c.Minimum != nil:
		parts = append(parts, "at least "+fmtNum(*c.Minimum))
	case c.Maximum != nil:
		parts = append(parts, "at most "+fmtNum(*c.Maximum))
	}
	if c.ExclusiveMinimum != nil {
		parts = append(parts, "more than "+fmtNum(*c.ExclusiveMinimum))
	}
	if c.ExclusiveMaximum != nil {
		parts = append(parts, "less than "+fmtNum(*c.ExclusiveMaximum))
	}
	if c.MultipleOf != nil {
		parts = append(parts, "multiple of "+fmtNum(*c.MultipleOf))
	}
	if f.Kind != Tuple {
		switch {
		case c.MinItems != nil && c.MaxItems != nil:
			parts = append(parts, fmt.Sprintf("%d to %d items", *c.MinItems, *c.MaxItems))
		case c.MinItems != nil:
			parts = append(parts, fmt.Sprintf("at least %d items", *c.MinItems))
		case c.MaxItems != nil:
			parts = append(parts, fmt.Sprintf("at most %d items", *c.MaxItems))
		}
	}
	if c.UniqueItems {
		parts = append(parts, "no repeats")
	}
	return strings.Join(parts, ", ")
}

// FieldSummary describes one settable field for listings (unpause show).
// Strings are raw from the schema: sanitise before printing.
type FieldSummary struct {
	Path        string `json:"path"`
	Label       string `json:"label"`
	Kind        Kind   `json:"kind"`
	Type        string `json:"type"`
	Format      string `json:"format,omitempty"`
	Required    bool   `json:"required"`
	Nullable    bool   `json:"nullable,omitempty"`
	Default     any    `json:"default,omitempty"`
	HasDefault  bool   `json:"has_default"`
	Choices     []any  `json:"choices,omitempty"`
	Constraints string `json:"constraints,omitempty"`
	Description string `json:"description,omitempty"`
}

// String is one line: "count (whole number, 1 to 10) default 1".
func (fs FieldSummary) String() string {
	var b strings.Builder
	b.WriteString(fs.Path)
	b.WriteString(" (")
	b.WriteString(fs.Type)
	if fs.Constraints != "" {
		b.WriteString(", " + fs.Constraints)
	}
	if fs.Nullable {
		b.WriteString(", or null")
	}
	b.WriteString(")")
	switch {
	case fs.Kind == Const:
	case fs.Required:
		b.WriteString(" required")
	case fs.HasDefault && fs.Default != nil:
		d, _ := json.Marshal(fs.Default)
		b.WriteString(" default " + clip(string(d)))
	case fs.HasDefault:
		b.WriteString(" optional (flow default applies)")
	default:
		b.WriteString(" optional")
	}
	return b.String()
}

// Summaries lists every field in schema order: nested models and the
// fields inside them, with their dotted paths as --set takes them.
func (s *Schema) Summaries() []FieldSummary {
	out := []FieldSummary{}
	for _, p := range s.paths {
		f := s.byPath[p]
		fs := FieldSummary{
			Path: f.Path, Label: strings.TrimSuffix(f.Label(), " *"), Kind: f.Kind, Type: f.TypeHint(),
			Format: f.Format, Required: f.Required, Nullable: f.Nullable,
			HasDefault: f.HasDefault, Constraints: f.ConstraintText(), Description: f.Description,
		}
		if f.HasDefault && !f.MaskedDefault() {
			fs.Default = f.Default
		}
		if f.Kind == Enum || f.Kind == MultiEnum {
			fs.Choices = f.Enum
		}
		out = append(out, fs)
	}
	return out
}

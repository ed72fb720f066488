package answerfile

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
)

// maxDescriptionLines caps a field's description in the file: the run view
// shows all of it, and a schema may carry pages.
const maxDescriptionLines = 12

// fieldComment is the comment above a field: its title, its description
// as plain text, what it takes, and whether it is required.
func fieldComment(s *inputschema.Schema, f *inputschema.Field) []string {
	lines := []string{strings.TrimSuffix(f.Label(), " *")}
	lines = append(lines, plainText(f.Description)...)
	lines = append(lines, typeLine(f))
	if f.HasDefault && !f.MaskedDefault() {
		if b, err := json.Marshal(f.Default); err == nil {
			lines = append(lines, "default: "+string(b))
		}
	}
	lines = append(lines, presenceLine(f))
	for i, l := range lines {
		lines[i] = termsafe.Line(l)
	}
	return lines
}

// typeLine says what the field takes in this file.
func typeLine(f *inputschema.Field) string {
	hint := f.TypeHint()
	switch f.Kind {
	case inputschema.Boolean:
		hint = "true or false"
	case inputschema.List, inputschema.MultiEnum:
		hint += " (one \"- item\" line each, [] for none)"
	case inputschema.Object:
		hint = "group of fields (indented below)"
	case inputschema.JSON:
		hint = "any JSON value, written as YAML or JSON"
	}
	parts := []string{"type: " + hint}
	if f.Format != "" && f.Format != "password" {
		parts = append(parts, "format "+f.Format)
	}
	if c := f.ConstraintText(); c != "" {
		parts = append(parts, c)
	}
	return strings.Join(parts, "; ")
}

func presenceLine(f *inputschema.Field) string {
	null := ""
	if f.Nullable {
		null = "; null allowed"
	}
	switch {
	case f.Kind == inputschema.Const:
		return "fixed: always sent as this value"
	case f.Required:
		return "required" + null
	case f.Kind == inputschema.Object:
		return "optional: leave it empty to leave the model out" + null
	}
	return "optional: leave it empty to leave it out" + null
}

var (
	mdLink     = regexp.MustCompile(`!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)`)
	mdEmphasis = regexp.MustCompile("(\\*\\*|__|`+|~~)")
	mdHeading  = regexp.MustCompile(`^#{1,6}\s+`)
	mdQuote    = regexp.MustCompile(`^(>\s?)+`)
	mdRule     = regexp.MustCompile(`^([-*_]\s*){3,}$`)
)

// plainText flattens a Markdown description to short plain lines: links
// become "text (url)", emphasis marks and heading hashes go, paragraphs are
// wrapped, at most maxDescriptionLines lines.
func plainText(md string) []string {
	var out []string
	for _, raw := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		l := strings.TrimSpace(termsafe.Line(raw))
		l = mdQuote.ReplaceAllString(mdHeading.ReplaceAllString(l, ""), "")
		if l == "" || mdRule.MatchString(l) || strings.HasPrefix(l, "```") {
			continue
		}
		l = mdLink.ReplaceAllStringFunc(l, func(m string) string {
			sub := mdLink.FindStringSubmatch(m)
			if sub[1] == "" || sub[1] == sub[2] {
				return sub[2]
			}
			return sub[1] + " (" + sub[2] + ")"
		})
		l = mdEmphasis.ReplaceAllString(l, "")
		out = append(out, wrap(l, commentWidth)...)
		if len(out) > maxDescriptionLines {
			return append(out[:maxDescriptionLines], "… (the run view shows the whole description)")
		}
	}
	return out
}

// wrap breaks a line at spaces so no piece is longer than width runes
// (a word longer than width stays whole).
func wrap(l string, width int) []string {
	var out []string
	var cur []string
	n := 0
	for _, w := range strings.Fields(l) {
		wl := len([]rune(w))
		if n > 0 && n+1+wl > width {
			out = append(out, strings.Join(cur, " "))
			cur, n = nil, 0
		}
		if n > 0 {
			n++
		}
		cur = append(cur, w)
		n += wl
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, " "))
	}
	return out
}

package inputschema

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	reasonField    = regexp.MustCompile(`Validation failed for field ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")`)
	reasonRequired = regexp.MustCompile(`Failure reason: ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*") is a required property`)
	reasonIndex    = regexp.MustCompile(`\[\d+\]`)
)

// FieldForReason maps the reason of a server REJECT, e.g.
// "Validation failed for field 'home.zip_code'. Failure reason: ...",
// "Validation failed. Failure reason: 'approved' is a required property" or
// a field with an index ("ids[1]"), to the field path it is about.
func (s *Schema) FieldForReason(reason string) (string, bool) {
	var parts []string
	if m := reasonField.FindStringSubmatch(reason); m != nil {
		p := pyUnquote(m[1])
		p = strings.TrimPrefix(strings.TrimPrefix(p, "$"), ".")
		p = reasonIndex.ReplaceAllString(p, "")
		if p != "" {
			parts = append(parts, p)
		}
	}
	if m := reasonRequired.FindStringSubmatch(reason); m != nil {
		parts = append(parts, pyUnquote(m[1]))
	}
	if len(parts) == 0 {
		return "", false
	}
	full := strings.Join(parts, ".")
	// Longest known path that prefixes the reported one: a property name
	// may itself contain dots, and errors deep inside a JSON field or a
	// union belong to that field.
	best := ""
	for _, p := range s.paths {
		if (full == p || strings.HasPrefix(full, p+".")) && len(p) > len(best) {
			best = p
		}
	}
	if best == "" {
		return "", false
	}
	return best, true
}

// pyUnquote undoes Python's repr() of a str.
func pyUnquote(q string) string {
	if len(q) < 2 {
		return q
	}
	body := q[1 : len(q)-1]
	if !strings.Contains(body, `\`) {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch body[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x':
			if i+2 < len(body) {
				if n, err := strconv.ParseUint(body[i+1:i+3], 16, 8); err == nil {
					b.WriteRune(rune(n))
					i += 2
					continue
				}
			}
			b.WriteByte('x')
		default:
			b.WriteByte(body[i])
		}
	}
	return b.String()
}

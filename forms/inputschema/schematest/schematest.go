// Package schematest holds what the tests of inputschema and of the forms
// built on it share: a generator of field text an operator could type, and
// a large schema for benchmarks.
package schematest

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

// Gen makes random text an operator could type into the widget of a field,
// or give to --set. Text and Value return candidates; Legal keeps the ones
// the field's own text rules (Schema.ParseText) accept, which is what "the
// form can produce" means.
type Gen struct {
	R *rand.Rand
	S *inputschema.Schema
}

func (g Gen) pick(opts ...string) string { return opts[g.R.IntN(len(opts))] }

// Chance is true with probability p.
func (g Gen) Chance(p float64) bool { return g.R.Float64() < p }

// Text is a candidate for f: often a value, sometimes empty or a command.
func (g Gen) Text(f *inputschema.Field) string {
	switch {
	case !f.Required && g.Chance(0.12):
		return ""
	case f.HasDefault && g.Chance(0.08):
		return inputschema.DefaultCommand
	case f.Nullable && g.Chance(0.08):
		return inputschema.NullCommand
	case (f.Kind == inputschema.String || f.Kind == inputschema.List) && g.Chance(0.04):
		return inputschema.EmptyCommand
	}
	return g.Value(f)
}

// Value is one non-empty candidate for f (no commands).
func (g Gen) Value(f *inputschema.Field) string {
	switch f.Kind {
	case inputschema.String:
		return g.str(f)
	case inputschema.Integer:
		return g.integer(f)
	case inputschema.Number:
		return g.number(f)
	case inputschema.Boolean:
		return g.pick("yes", "no", "true", "false", "1", "0", "y", "N")
	case inputschema.Enum, inputschema.Const:
		return inputschema.MemberText(f.Enum[g.R.IntN(len(f.Enum))])
	case inputschema.List:
		n := g.R.IntN(4)
		var lines []string
		for range n {
			lines = append(lines, g.Legal(f.Items, true))
		}
		if n == 0 {
			return inputschema.EmptyCommand
		}
		return strings.Join(lines, "\n")
	default: // JSON
		var cands []string
		if f.HasDefault {
			b, _ := json.Marshal(f.Default)
			cands = append(cands, string(b))
		}
		cands = append(cands, "{}", "[]", `{"k": 1}`, `{"a": 1.5, "b": "x"}`, "[1, 2]", `[[1], [2, 3]]`,
			`[{"street": "s", "zip_code": "12345"}]`, "null", `"text"`, "3")
		return g.pick(cands...)
	}
}

func (g Gen) str(f *inputschema.Field) string {
	r := g.R
	switch f.Format {
	case "date-time":
		y, mo, d, h, mi := 1970+r.IntN(130), 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60)
		switch r.IntN(5) {
		case 0:
			return fmt.Sprintf("%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi)
		case 1:
			return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d", y, mo, d, h, mi)
		case 2:
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
		case 3:
			return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, r.IntN(60))
		default:
			return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03d%s%02d:%02d", y, mo, d, h, mi, r.IntN(60), r.IntN(1000), g.pick("+", "-"), r.IntN(15), 15*r.IntN(4))
		}
	case "date":
		return fmt.Sprintf("%04d-%02d-%02d", 1900+r.IntN(200), 1+r.IntN(12), 1+r.IntN(28))
	case "time":
		return g.pick(fmt.Sprintf("%d:%02d", r.IntN(24), r.IntN(60)), fmt.Sprintf("%02d:%02d:%02d", r.IntN(24), r.IntN(60), r.IntN(60)),
			fmt.Sprintf("%02d:%02d:%02d.%d", r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(999999)), fmt.Sprintf("%02d:%02dZ", r.IntN(24), r.IntN(60)),
			fmt.Sprintf("%02d:%02d+%02d:30", r.IntN(24), r.IntN(60), r.IntN(14)))
	case "duration":
		return g.pick(fmt.Sprintf("%dm", r.IntN(500)), fmt.Sprintf("%dh%dm", r.IntN(48), r.IntN(60)), strconv.Itoa(r.IntN(100000)),
			fmt.Sprintf("%dd%dh", r.IntN(30), r.IntN(24)), fmt.Sprintf("PT%dM", r.IntN(100)), fmt.Sprintf("P%dDT%dH", r.IntN(9), r.IntN(24)),
			fmt.Sprintf("%d.%ds", r.IntN(60), r.IntN(1000)), fmt.Sprintf("-%dm", 1+r.IntN(60)), "pt5m", "1ms")
	case "uuid":
		b := make([]byte, 16)
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		h := fmt.Sprintf("%x", b)
		return g.pick(h, strings.ToUpper(h), h[:8]+"-"+h[8:12]+"-"+h[12:16]+"-"+h[16:20]+"-"+h[20:], "{"+h+"}")
	case "uri":
		return g.pick("https://example.com/", "http://a.b/c?d=e", "https://x.org/"+strconv.Itoa(r.IntN(1000)), "urn:isbn:123")
	case "email":
		return g.pick("a@example.com", "first.last@sub.example.org")
	}
	c := f.Constraints
	if c.Pattern != "" && g.Chance(0.7) {
		// Shapes that hit the corpus patterns often; the widget filters.
		return g.pick(strings.Repeat(strconv.Itoa(r.IntN(10)), 1+r.IntN(7)), fmt.Sprintf("%05d", r.IntN(100000)), "u@h", "x@y.z", "@", "abc")
	}
	lo, hi := 1, 12
	if c.MinLength != nil {
		lo = max(lo, *c.MinLength)
	}
	if c.MaxLength != nil {
		hi = min(max(hi, lo), *c.MaxLength)
	}
	if hi < lo {
		hi = lo
	}
	n := lo + r.IntN(hi-lo+1)
	alphabet := []rune("abcXYZ 019-_@.,;:!?éß漢字🙂\\\"'{}[]")
	var b strings.Builder
	for range n {
		b.WriteRune(alphabet[r.IntN(len(alphabet))])
	}
	s := b.String()
	if strings.HasPrefix(s, `\`) {
		s = `\` + s // a literal leading backslash is typed doubled
	}
	return s
}

func (g Gen) bounds(f *inputschema.Field, lo, hi float64) (float64, float64) {
	c := f.Constraints
	if c.Minimum != nil {
		lo = *c.Minimum
	}
	if c.ExclusiveMinimum != nil {
		lo = *c.ExclusiveMinimum
	}
	if c.Maximum != nil {
		hi = *c.Maximum
	}
	if c.ExclusiveMaximum != nil {
		hi = *c.ExclusiveMaximum
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	return lo, hi
}

func (g Gen) integer(f *inputschema.Field) string {
	lo, hi := g.bounds(f, -1e6, 1e6)
	if hi-lo > 2e6 {
		if lo < -1e6 {
			lo = hi - 2e6
		} else {
			hi = lo + 2e6
		}
	}
	v := int64(math.Ceil(lo)) + g.R.Int64N(int64(math.Floor(hi)-math.Ceil(lo))+1)
	if m := f.Constraints.MultipleOf; m != nil && *m >= 1 {
		v -= v % int64(*m)
	}
	switch g.R.IntN(6) {
	case 0:
		return strconv.FormatInt(v, 10) + ".0"
	case 1:
		return " " + strconv.FormatInt(v, 10) + " "
	}
	return strconv.FormatInt(v, 10)
}

func (g Gen) number(f *inputschema.Field) string {
	lo, hi := g.bounds(f, -1e6, 1e6)
	v := lo + g.R.Float64()*(hi-lo)
	if m := f.Constraints.MultipleOf; m != nil && *m > 0 {
		v = math.Round(v / *m) * *m
	}
	switch g.R.IntN(4) {
	case 0:
		return strconv.FormatFloat(v, 'e', -1, 64)
	case 1:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Legal returns text the widget of f accepts (ParseText without an error),
// not empty when nonEmpty is set.
func (g Gen) Legal(f *inputschema.Field, nonEmpty bool) string {
	for range 200 {
		var t string
		if nonEmpty {
			t = g.Value(f)
		} else {
			t = g.Text(f)
		}
		if _, _, err := g.S.ParseText(f, t); err == nil && (!nonEmpty || strings.TrimSpace(t) != "") {
			return t
		}
	}
	panic(fmt.Sprintf("no legal text found for %s (%s)", f.Path, f.TypeHint()))
}

// Schema200 is a RunInput-shaped schema with 200 properties of every kind
// (ten of them nested models with three fields each).
func Schema200() []byte {
	var props []string
	var req []string
	for i := range 200 {
		name := fmt.Sprintf("f%03d", i)
		var p string
		switch i % 10 {
		case 0:
			p = `{"title":"Text","type":"string","minLength":1,"maxLength":80,"description":"Some help text"}`
			req = append(req, `"`+name+`"`)
		case 1:
			p = `{"default":3,"maximum":10,"minimum":1,"title":"Count","type":"integer"}`
		case 2:
			p = `{"default":0.5,"exclusiveMaximum":1,"exclusiveMinimum":0,"title":"Ratio","type":"number"}`
		case 3:
			p = `{"title":"Flag","type":"boolean"}`
			req = append(req, `"`+name+`"`)
		case 4:
			p = `{"$ref":"#/definitions/Color","default":"red"}`
		case 5:
			p = `{"default":"a","enum":["a","b","c","d","e","f","g","h","i","j","k","l"],"title":"Long","type":"string"}`
		case 6:
			p = `{"anyOf":[{"format":"date-time","type":"string"},{"type":"null"}],"default":null,"title":"When"}`
		case 7:
			p = `{"default":[],"items":{"type":"integer"},"title":"Ids","type":"array"}`
		case 8:
			p = `{"default":["x"],"items":{"enum":["x","y","z"],"type":"string"},"title":"Tags","type":"array"}`
		case 9:
			p = `{"anyOf":[{"$ref":"#/definitions/Address"},{"type":"null"}],"default":null}`
		}
		props = append(props, `"`+name+`":`+p)
	}
	defs := `"definitions":{"Color":{"enum":["red","green","blue"],"title":"Color","type":"string"},
	"Address":{"properties":{"street":{"title":"Street","type":"string"},"zip_code":{"pattern":"^\\d{5}$","title":"Zip Code","type":"string"},
	"city":{"default":"Paris","title":"City","type":"string"}},"required":["street","zip_code"],"title":"Address","type":"object"}}`
	return []byte(`{"additionalProperties":false,"properties":{` + strings.Join(props, ",") + `},"required":[` +
		strings.Join(req, ",") + `],"title":"Big","type":"object",` + defs + `}`)
}

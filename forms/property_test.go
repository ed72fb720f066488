package forms

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// gen makes random text an operator could type into the widget of f. It
// returns candidates; callers keep the ones the widget's own validator
// accepts, which is what "the form can produce" means.
type gen struct {
	r *rand.Rand
	s *Schema
}

func (g gen) pick(opts ...string) string { return opts[g.r.IntN(len(opts))] }

func (g gen) chance(p float64) bool { return g.r.Float64() < p }

func (g gen) text(f *Field) string {
	switch {
	case !f.Required && g.chance(0.12):
		return ""
	case f.HasDefault && g.chance(0.08):
		return cmdDefault
	case f.Nullable && g.chance(0.08):
		return cmdNull
	case (f.Kind == String || f.Kind == List) && g.chance(0.04):
		return cmdEmpty
	}
	return g.value(f)
}

// value makes one non-empty candidate for a field (no commands).
func (g gen) value(f *Field) string {
	switch f.Kind {
	case String:
		return g.str(f)
	case Integer:
		return g.integer(f)
	case Number:
		return g.number(f)
	case Boolean:
		return g.pick("yes", "no", "true", "false", "1", "0", "y", "N")
	case Enum, Const:
		return memberText(f.Enum[g.r.IntN(len(f.Enum))])
	case List:
		n := g.r.IntN(4)
		var lines []string
		for range n {
			lines = append(lines, g.legal(f.Items, true))
		}
		if n == 0 {
			return cmdEmpty
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

func (g gen) str(f *Field) string {
	r := g.r
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
	if c.Pattern != "" && g.chance(0.7) {
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

func (g gen) bounds(f *Field, lo, hi float64) (float64, float64) {
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

func (g gen) integer(f *Field) string {
	lo, hi := g.bounds(f, -1e6, 1e6)
	if hi-lo > 2e6 {
		if lo < -1e6 {
			lo = hi - 2e6
		} else {
			hi = lo + 2e6
		}
	}
	v := int64(math.Ceil(lo)) + g.r.Int64N(int64(math.Floor(hi)-math.Ceil(lo))+1)
	if m := f.Constraints.MultipleOf; m != nil && *m >= 1 {
		v -= v % int64(*m)
	}
	switch g.r.IntN(6) {
	case 0:
		return strconv.FormatInt(v, 10) + ".0"
	case 1:
		return " " + strconv.FormatInt(v, 10) + " "
	}
	return strconv.FormatInt(v, 10)
}

func (g gen) number(f *Field) string {
	lo, hi := g.bounds(f, -1e6, 1e6)
	v := lo + g.r.Float64()*(hi-lo)
	if m := f.Constraints.MultipleOf; m != nil && *m > 0 {
		v = math.Round(v / *m) * *m
	}
	switch g.r.IntN(4) {
	case 0:
		return strconv.FormatFloat(v, 'e', -1, 64)
	case 1:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// legal returns text the widget of f accepts (parseText without error).
func (g gen) legal(f *Field, nonEmpty bool) string {
	for range 200 {
		var t string
		if nonEmpty {
			t = g.value(f)
		} else {
			t = g.text(f)
		}
		if _, _, err := g.s.parseText(f, t); err == nil && (!nonEmpty || strings.TrimSpace(t) != "") {
			return t
		}
	}
	panic(fmt.Sprintf("no legal text found for %s (%s)", f.Path, f.TypeHint()))
}

func (g gen) choose(h *holder, members int, prefix string) string {
	var opts []string
	for i := range members {
		opts = append(opts, prefix+strconv.Itoa(i))
	}
	for _, e := range h.extras {
		if e != optChoose {
			opts = append(opts, e)
		}
	}
	return opts[g.r.IntN(len(opts))]
}

// fill puts every holder into a random state its widget allows.
func (g gen) fill(fm *Form, hs []*holder) {
	for _, h := range hs {
		f := h.f
		switch f.Kind {
		case Boolean:
			opts := []string{"true", "false"}
			for _, e := range h.extras {
				if e != optChoose {
					opts = append(opts, e)
				}
			}
			h.choice = opts[g.r.IntN(len(opts))]
		case Enum:
			h.choice = g.choose(h, len(f.Enum), "m")
		case MultiEnum:
			for range 100 {
				var keys []string
				for i := range f.Enum {
					if g.chance(0.4) {
						keys = append(keys, "m"+strconv.Itoa(i))
					}
				}
				if lim := f.Constraints.MaxItems; lim != nil && len(keys) > *lim {
					continue // huh's Limit stops the operator
				}
				hh := *h
				hh.multi = keys
				if _, _, errs := fm.value(&hh); len(errs) == 0 {
					h.multi = keys
					break
				}
			}
		case Object:
			if len(h.extras) > 0 {
				opts := append([]string{optFill}, h.extras...)
				h.choice = opts[g.r.IntN(len(opts))]
			}
			g.fill(fm, h.children)
		case Tuple:
			if !f.Required && g.chance(0.2) {
				for _, c := range h.children {
					c.text = ""
				}
				continue
			}
			for _, c := range h.children {
				c.text = g.legal(c.f, true)
			}
		case Union:
			h.choice = g.choose(h, len(f.Variants), "m")
			if vf := fm.variant(h); vf != nil {
				h.text = g.legal(vf, true)
			}
		case Const:
		default:
			h.text = g.legal(f, false)
		}
	}
}

// TestPropertyFormAnswersValidate: for every corpus schema, many random
// widget-legal fillings of the form give answers the schema validator
// accepts, in schema order.
func TestPropertyFormAnswersValidate(t *testing.T) {
	iters := 300
	if testing.Short() {
		iters = 40
	}
	for si, name := range corpusNames(t) {
		t.Run(name, func(t *testing.T) {
			s := mustSchema(t, name)
			g := gen{r: rand.New(rand.NewPCG(42, uint64(si))), s: s}
			fm := NewForm(s, nil, FormOptions{})
			for i := range iters {
				g.fill(fm, fm.root) // every holder gets a fresh state
				ans, errs := fm.Answer()
				if len(errs) > 0 {
					raw, _ := s.Marshal(ans)
					t.Fatalf("iteration %d: widget-legal input refused: %v\nanswer %s\ninputs %s", i, errs, raw, dumpHolders(fm.root))
				}
				raw, err := s.Marshal(ans)
				if err != nil {
					t.Fatal(err)
				}
				var back map[string]any
				if err := json.Unmarshal(raw, &back); err != nil {
					t.Fatalf("Marshal wrote invalid JSON %s: %v", raw, err)
				}
				checkNoFloatIntegers(t, s.Fields, ans)
			}
		})
	}
}

// checkNoFloatIntegers: integer fields hold int64 or integral json.Number.
func checkNoFloatIntegers(t *testing.T, fields []*Field, m map[string]any) {
	t.Helper()
	for _, f := range fields {
		v, ok := m[f.Name]
		if !ok {
			continue
		}
		switch f.Kind {
		case Integer:
			switch n := v.(type) {
			case int64, nil:
			case json.Number:
				if strings.ContainsAny(string(n), ".eE") {
					t.Fatalf("%s sent as %s", f.Path, n)
				}
			default:
				t.Fatalf("%s holds %T", f.Path, v)
			}
		case Object:
			if sub, ok := v.(map[string]any); ok {
				checkNoFloatIntegers(t, f.Children, sub)
			}
		}
	}
}

func dumpHolders(hs []*holder) string {
	var b strings.Builder
	var walk func([]*holder)
	walk = func(hs []*holder) {
		for _, h := range hs {
			fmt.Fprintf(&b, "\n  %s text=%q choice=%q multi=%v", h.f.Path, h.text, h.choice, h.multi)
			walk(h.children)
		}
	}
	walk(hs)
	return b.String()
}

// TestPropertySetsMatchForm: the CLI's --set path=value types a value the
// same way the form's widget does.
func TestPropertySetsMatchForm(t *testing.T) {
	for si, name := range corpusNames(t) {
		s := mustSchema(t, name)
		g := gen{r: rand.New(rand.NewPCG(7, uint64(si))), s: s}
		for _, p := range s.Paths() {
			f := s.Field(p)
			switch f.Kind {
			case String, Integer, Number, Boolean, Enum:
			default:
				continue
			}
			for range 30 {
				text := g.legal(f, true)
				if strings.HasPrefix(strings.TrimSpace(text), `\`) || strings.TrimSpace(text) == "null" {
					continue
				}
				want, _, err := s.parseText(f, text)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.ApplySets(nil, []string{p + "=" + text})
				if err != nil {
					t.Fatalf("%s: --set %s=%q: %v", name, p, text, err)
				}
				if v := getPath(got, p); !reflect.DeepEqual(v, want) {
					t.Fatalf("%s: --set %s=%q gave %#v, the form gives %#v", name, p, text, v, want)
				}
			}
		}
	}
}

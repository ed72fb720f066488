package forms

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/forms/inputschema/schematest"
)

// gen adds to schematest.Gen the widget states a form can be put in.
type gen struct{ schematest.Gen }

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
	return opts[g.R.IntN(len(opts))]
}

// fill puts every holder into a random state its widget allows.
func (g gen) fill(fm *Form, hs []*holder) {
	for _, h := range hs {
		f := h.f
		switch f.Kind {
		case inputschema.Boolean:
			opts := []string{"true", "false"}
			for _, e := range h.extras {
				if e != optChoose {
					opts = append(opts, e)
				}
			}
			h.choice = opts[g.R.IntN(len(opts))]
		case inputschema.Enum:
			h.choice = g.choose(h, len(f.Enum), "m")
		case inputschema.MultiEnum:
			for range 100 {
				var keys []string
				for i := range f.Enum {
					if g.Chance(0.4) {
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
		case inputschema.Object:
			if len(h.extras) > 0 {
				opts := append([]string{optFill}, h.extras...)
				h.choice = opts[g.R.IntN(len(opts))]
			}
			g.fill(fm, h.children)
		case inputschema.Tuple:
			if !f.Required && g.Chance(0.2) {
				for _, c := range h.children {
					c.text = ""
				}
				continue
			}
			for _, c := range h.children {
				c.text = g.Legal(c.f, true)
			}
		case inputschema.Union:
			h.choice = g.choose(h, len(f.Variants), "m")
			if vf := fm.variant(h); vf != nil {
				h.text = g.Legal(vf, true)
			}
		case inputschema.Const:
		default:
			h.text = g.Legal(f, false)
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
			g := gen{schematest.Gen{R: rand.New(rand.NewPCG(42, uint64(si))), S: s}}
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
func checkNoFloatIntegers(t *testing.T, fields []*inputschema.Field, m map[string]any) {
	t.Helper()
	for _, f := range fields {
		v, ok := m[f.Name]
		if !ok {
			continue
		}
		switch f.Kind {
		case inputschema.Integer:
			switch n := v.(type) {
			case int64, nil:
			case json.Number:
				if strings.ContainsAny(string(n), ".eE") {
					t.Fatalf("%s sent as %s", f.Path, n)
				}
			default:
				t.Fatalf("%s holds %T", f.Path, v)
			}
		case inputschema.Object:
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

package forms

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/forms/inputschema/schematest"
)

func BenchmarkNewForm200(b *testing.B) {
	s, err := inputschema.ParseSchema(schematest.Schema200())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(countFields(s.Fields)), "fields")
	for b.Loop() {
		NewForm(s, nil, FormOptions{Width: 100})
	}
}

func BenchmarkFormAnswer200(b *testing.B) {
	s, _ := inputschema.ParseSchema(schematest.Schema200())
	f := NewForm(s, nil, FormOptions{})
	for b.Loop() {
		f.Answer()
	}
}

// BenchmarkNewForm200Shown is the whole cost before the first frame: build,
// Init (builds the first page), the window size message (huh measures
// every page) and the first View.
func BenchmarkNewForm200Shown(b *testing.B) {
	s, err := inputschema.ParseSchema(schematest.Schema200())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		f := NewForm(s, nil, FormOptions{}).Huh()
		f.Init()
		f.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
		if f.View() == "" {
			b.Fatal("empty view")
		}
	}
}

// countFields counts fields and everything under them (children of models
// and tuples), as the form has widgets or pages for them.
func countFields(fs []*inputschema.Field) int {
	n := 0
	for _, f := range fs {
		n += 1 + countFields(f.Children)
	}
	return n
}

// BenchmarkNewFormEnum200k opens a form (build, Init, size, first frame)
// whose field is an enum of 200,000 members.
func BenchmarkNewFormEnum200k(b *testing.B) {
	s := enumSchema(b, 200_000)
	for b.Loop() {
		f := NewForm(s, nil, FormOptions{}).Huh()
		f.Init()
		f.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
		if f.View() == "" {
			b.Fatal("empty view")
		}
	}
}

// BenchmarkEnum200kKey is one key typed in that field, with its check and
// the frame after it.
func BenchmarkEnum200kKey(b *testing.B) {
	s := enumSchema(b, 200_000)
	f := NewForm(s, nil, FormOptions{}).Huh()
	f.Init()
	f.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	keys := []rune("c19999")
	i := 0
	for b.Loop() {
		f.Update(tea.KeyPressMsg{Code: keys[i%len(keys)], Text: string(keys[i%len(keys)])})
		if f.View() == "" {
			b.Fatal("empty view")
		}
		i++
	}
}

// BenchmarkParseEnum200k parses that schema (done once per run, before the
// form opens).
func BenchmarkParseEnum200k(b *testing.B) {
	for b.Loop() {
		enumSchema(b, 200_000)
	}
}

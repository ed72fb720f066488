package forms

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// schema200 is a RunInput-shaped schema with 200 properties of every kind
// (ten of them nested models with three fields each).
func schema200() []byte {
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

func BenchmarkParseSchema200(b *testing.B) {
	raw := schema200()
	for b.Loop() {
		if _, err := ParseSchema(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewForm200(b *testing.B) {
	s, err := ParseSchema(schema200())
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	walkFields(s.Fields, func(*Field) bool { n++; return true })
	b.ReportMetric(float64(n), "fields")
	for b.Loop() {
		NewForm(s, nil, FormOptions{Width: 100})
	}
}

func BenchmarkValidate(b *testing.B) {
	s, err := ParseSchema(readSchema(b, "approval_input"))
	if err != nil {
		b.Fatal(err)
	}
	a := map[string]any{
		"approved": true, "approver": "alice", "count": int64(3), "color": "green", "mode": "slow",
		"ids": []any{int64(1), int64(2)}, "when": "2026-11-21T14:00:00+01:00", "reason": nil,
		"home": map[string]any{"street": "s", "zip_code": "12345"},
	}
	if errs := s.Validate(a); len(errs) > 0 {
		b.Fatal(errs)
	}
	for b.Loop() {
		s.Validate(a)
	}
}

func BenchmarkValidate200(b *testing.B) {
	s, err := ParseSchema(schema200())
	if err != nil {
		b.Fatal(err)
	}
	a, _ := NewForm(s, nil, FormOptions{}).Answer()
	a, err = s.ApplySets(a, []string{"f000=x", "f003=yes"})
	if err != nil {
		b.Fatal(err)
	}
	for i := 10; i < 200; i += 10 {
		a[fmt.Sprintf("f%03d", i)] = "text"
		a[fmt.Sprintf("f%03d", i+3)] = true
	}
	if errs := s.Validate(a); len(errs) > 0 {
		b.Fatal(errs)
	}
	for b.Loop() {
		s.Validate(a)
	}
}

func BenchmarkFormAnswer200(b *testing.B) {
	s, _ := ParseSchema(schema200())
	f := NewForm(s, nil, FormOptions{})
	for b.Loop() {
		f.Answer()
	}
}

// BenchmarkNewForm200Shown is the whole cost before the first frame: build,
// Init (builds the first page), the window size message (huh measures
// every page) and the first View.
func BenchmarkNewForm200Shown(b *testing.B) {
	s, err := ParseSchema(schema200())
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

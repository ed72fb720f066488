package forms

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

// enumSchema is a schema with one required enum field "code" of n members
// ("c0".."c<n-1>") and a text field after it.
func enumSchema(t testing.TB, n int) *inputschema.Schema {
	t.Helper()
	members := make([]string, n)
	for i := range members {
		members[i] = fmt.Sprintf("c%d", i)
	}
	enum, _ := json.Marshal(members)
	raw := `{"type":"object","properties":{"code":{"enum":` + string(enum) + `,"title":"Code"},"note":{"type":"string","default":""}},"required":["code"]}`
	s, err := inputschema.ParseSchema([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// An enum too long to pick from is a text field checked against its
// members, with a hint that says so.
func TestLargeEnumIsTyped(t *testing.T) {
	s := enumSchema(t, 5000)
	f := NewForm(s, nil, FormOptions{Width: 100})
	d := newDriver(t, f)
	d.expectFocus("code")
	if v := d.Form.View(); !strings.Contains(v, "type one of 5,000 values; see unpause show RUN") {
		t.Errorf("no hint:\n%s", v)
	}
	d.typeText("c49x")
	d.enter() // not a member: refused
	d.expectFocus("code")
	if v := d.Form.View(); !strings.Contains(v, "is not one of the 5,000 values") {
		t.Errorf("no error for a non-member:\n%s", v)
	}
	d.key(tea.KeyBackspace)
	d.typeText("99")
	d.enter()
	d.expectFocus("note")
	ans, errs := f.Answer()
	if len(errs) != 0 || ans["code"] != "c4999" {
		t.Errorf("answer %v, errors %v", ans, errs)
	}
	// The text is what is kept and restored.
	if e := f.Entered()["code"]; e.Text == nil || *e.Text != "c4999" {
		t.Errorf("entered %+v", e)
	}
	again := NewForm(s, map[string]any{"code": "c7"}, FormOptions{})
	if ans, errs := again.Answer(); len(errs) != 0 || ans["code"] != "c7" {
		t.Errorf("initial value: %v %v", ans, errs)
	}
	// A short enum stays a picker.
	small := newDriver(t, NewForm(enumSchema(t, 20), nil, FormOptions{Width: 100}))
	if strings.Contains(small.Form.View(), "type one of") {
		t.Errorf("a 20-member enum is typed:\n%s", small.Form.View())
	}
}

// A long multiple choice is typed too, one member per line.
func TestLargeMultiEnumIsTyped(t *testing.T) {
	members := make([]string, 3000)
	for i := range members {
		members[i] = fmt.Sprintf("c%d", i)
	}
	enum, _ := json.Marshal(members)
	s, err := inputschema.ParseSchema([]byte(`{"type":"object","properties":{"codes":{"type":"array","items":{"enum":` + string(enum) + `}}},"required":["codes"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Field("codes").Kind != inputschema.MultiEnum {
		t.Fatalf("kind %v", s.Field("codes").Kind)
	}
	f := NewForm(s, nil, FormOptions{Width: 100})
	d := newDriver(t, f)
	if v := d.Form.View(); !strings.Contains(v, "type one of 3,000 values") {
		t.Errorf("no hint:\n%s", v)
	}
	d.typeText("c1")
	d.newline()
	d.typeText("c2999")
	ans, errs := f.Answer()
	if len(errs) != 0 || fmt.Sprint(ans["codes"]) != "[c1 c2999]" {
		t.Errorf("answer %v, errors %v", ans, errs)
	}
	again := NewForm(s, map[string]any{"codes": []any{"c7", "c8"}}, FormOptions{})
	if ans, errs := again.Answer(); len(errs) != 0 || fmt.Sprint(ans["codes"]) != "[c7 c8]" {
		t.Errorf("initial value: %v %v", ans, errs)
	}
}

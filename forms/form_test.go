package forms

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/forms/formtest"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/forms/inputschema/schematest"
)

// driver wraps formtest.Driver with the short names these tests use.
type driver struct {
	*formtest.Driver
	t *testing.T
}

func newDriver(t *testing.T, f *Form) *driver {
	t.Helper()
	return &driver{Driver: formtest.New(t, f.Huh(), 100, 60), t: t}
}

func (d *driver) send(msg tea.Msg)  { d.t.Helper(); d.Send(msg) }
func (d *driver) typeText(s string) { d.t.Helper(); d.Type(s) }
func (d *driver) key(code rune)     { d.t.Helper(); d.Key(code) }
func (d *driver) enter()            { d.t.Helper(); d.Enter() }
func (d *driver) down()             { d.t.Helper(); d.Down() }
func (d *driver) newline()          { d.t.Helper(); d.Newline() }
func (d *driver) space()            { d.t.Helper(); d.Space() }
func (d *driver) focused() string   { return d.Focused() }

func (d *driver) expectFocus(key string) {
	d.t.Helper()
	if got := d.focused(); got != key {
		d.t.Fatalf("focus on %q, want %q\n%s", got, key, d.Form.View())
	}
}

func TestDriveApprovalForm(t *testing.T) {
	s := mustSchema(t, "approval_input")
	f := NewForm(s, nil, FormOptions{Width: 90})
	d := newDriver(t, f)

	d.expectFocus("approved")
	d.enter() // still on "— choose —": refused
	d.expectFocus("approved")
	if !strings.Contains(d.Form.View(), "choose one") {
		t.Errorf("no error shown for an unchosen required yes/no:\n%s", d.Form.View())
	}
	d.down() // Yes
	d.enter()
	d.expectFocus("reason")
	d.enter() // empty optional: left out
	d.expectFocus("approver")
	d.typeText("a")
	d.enter() // too short: refused
	d.expectFocus("approver")
	d.typeText("lice")
	d.enter()
	d.expectFocus("count")
	d.key(tea.KeyBackspace)
	d.typeText("4")
	d.enter()
	d.expectFocus("color")
	d.down() // green
	d.enter()
	d.expectFocus("mode")
	d.enter()
	d.expectFocus("ids")
	d.typeText("1")
	d.newline()
	d.typeText("2")
	d.enter()
	d.expectFocus("when")
	d.typeText("2026-11-21 14:00")
	if !strings.Contains(d.Form.View(), "→ sends \"2026-11-21T14:00:00") {
		t.Errorf("the date-time field does not show what will be sent:\n%s", d.Form.View())
	}
	d.enter()
	d.expectFocus("home.street")
	d.typeText("Main St 1")
	d.enter()
	d.expectFocus("home.zip_code")
	d.typeText("123")
	d.enter() // pattern ^\d{5}$: refused
	d.expectFocus("home.zip_code")
	d.typeText("45")
	d.enter()
	if d.Form.State != huh.StateCompleted {
		t.Fatalf("form not completed, state %v, focus %q\n%s", d.Form.State, d.focused(), d.Form.View())
	}
	ans, errs := f.Answer()
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	raw, _ := s.Marshal(ans)
	got := string(raw)
	want := `{"approved":true,"approver":"alice","count":4,"color":"green","mode":"fast","ids":[1,2],"when":"2026-11-21T14:00:00` + offsetOf(s, "2026-11-21 14:00") + `","home":{"street":"Main St 1","zip_code":"12345"}}`
	if got != want {
		t.Errorf("answer\n got %s\nwant %s", got, want)
	}
}

func offsetOf(s *inputschema.Schema, local string) string {
	tm, _ := time.ParseInLocation("2006-01-02 15:04", local, s.TimeZone())
	return strings.TrimPrefix(tm.Format("Z07:00"), "")
}

func TestDriveOptionalNestedModel(t *testing.T) {
	for _, fill := range []bool{false, true} {
		s := mustSchema(t, "optionals")
		f := NewForm(s, nil, FormOptions{})
		d := newDriver(t, f)
		d.expectFocus("reason")
		d.enter()
		d.expectFocus("req_opt")
		d.enter() // required: refused
		d.expectFocus("req_opt")
		d.typeText(`\null`)
		d.enter()
		for _, k := range []string{"when", "run_id", "flag", "color"} {
			d.expectFocus(k)
			d.enter()
		}
		d.expectFocus("home")
		if fill {
			d.key(tea.KeyUp) // from "leave empty" to "fill in Home"
			d.enter()
			d.expectFocus("home.street")
			d.typeText("Main St")
			d.enter()
			d.typeText("54321")
			d.enter()
		} else {
			d.enter() // leave empty: the Home page is hidden
		}
		d.expectFocus("either")
		d.enter()
		d.expectFocus("either#value")
		d.key(tea.KeyBackspace)
		d.typeText("7")
		d.enter()
		d.expectFocus("amount")
		d.enter()
		d.enter()
		d.expectFocus("tags")
		d.typeText("x")
		d.newline()
		d.typeText("y")
		d.enter()
		if d.Form.State != huh.StateCompleted {
			t.Fatalf("not completed; focus %q", d.focused())
		}
		ans, errs := f.Answer()
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		raw, _ := s.Marshal(ans)
		want := `{"req_opt":null,"either":7,"amount":"1.5","tags":["x","y"]}`
		if fill {
			want = `{"req_opt":null,"home":{"street":"Main St","zip_code":"54321"},"either":7,"amount":"1.5","tags":["x","y"]}`
		}
		if string(raw) != want {
			t.Errorf("fill=%v\n got %s\nwant %s", fill, raw, want)
		}
	}
}

func TestDriveChoices(t *testing.T) {
	s := mustSchema(t, "choices")
	f := NewForm(s, nil, FormOptions{})
	d := newDriver(t, f)
	d.expectFocus("color")
	d.enter()
	d.expectFocus("required_color")
	d.down() // from "— choose —" to red
	d.down() // green
	d.enter()
	for _, k := range []string{"priority", "mode", "level"} {
		d.expectFocus(k)
		d.enter()
	}
	// "single" is a fixed Note and is skipped.
	d.expectFocus("multi")
	d.space()
	d.down()
	d.down()
	d.space()
	d.enter()
	d.expectFocus("colors")
	d.space() // unselect the default red
	d.enter()
	d.expectFocus("region")
	d.typeText("us-west-2") // long list: typing filters
	d.enter()
	if d.Form.State != huh.StateCompleted {
		t.Fatalf("not completed; focus %q\n%s", d.focused(), d.Form.View())
	}
	ans, errs := f.Answer()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	raw, _ := s.Marshal(ans)
	want := `{"color":"red","required_color":"green","priority":2,"mode":"fast","level":2,"single":"only","multi":["a","c"],"colors":[],"region":"us-west-2"}`
	if string(raw) != want {
		t.Errorf("\n got %s\nwant %s", raw, want)
	}
}

func TestDriveTupleAndSecret(t *testing.T) {
	s := mustSchema(t, "temporal")
	f := NewForm(s, nil, FormOptions{})
	d := newDriver(t, f)
	d.expectFocus("starts_at")
	d.typeText("2026-11-21")
	if !strings.Contains(d.Form.View(), `→ sends "2026-11-21T00:00:00+01:00"`) {
		t.Errorf("date-time echo missing:\n%s", d.Form.View())
	}
	d.enter()
	for _, k := range []string{"due", "at", "timeout"} {
		d.expectFocus(k)
		d.enter()
	}
	d.expectFocus("window")
	d.typeText("1h30m")
	if !strings.Contains(d.Form.View(), `→ sends "PT1H30M"`) {
		t.Errorf("duration echo missing:\n%s", d.Form.View())
	}
	d.enter()
	d.expectFocus("deadline")
	d.enter()
	d.expectFocus("request_id")
	d.typeText("nope")
	d.enter()
	d.expectFocus("request_id")
	for range 4 {
		d.key(tea.KeyBackspace)
	}
	d.typeText("0b7c1e5e-4d2a-4f7e-9c3b-1a2b3c4d5e6f")
	d.enter()
	d.expectFocus("link")
	d.enter()
	d.expectFocus("token")
	if strings.Contains(d.Form.View(), "*****") {
		t.Errorf("masked default pre-filled:\n%s", d.Form.View())
	}
	d.enter()
	d.expectFocus("password")
	d.typeText("hunter2")
	if strings.Contains(d.Form.View(), "hunter2") {
		t.Errorf("password echoed")
	}
	d.enter()
	if d.Form.State != huh.StateCompleted {
		t.Fatalf("not completed; focus %q", d.focused())
	}
	ans, errs := f.Answer()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	raw, _ := s.Marshal(ans)
	want := `{"starts_at":"2026-11-21T00:00:00+01:00","due":"2025-01-01","at":"14:30:00","timeout":"PT5S","window":"PT1H30M","deadline":"2026-01-01T12:00:00Z","request_id":"0b7c1e5e-4d2a-4f7e-9c3b-1a2b3c4d5e6f","link":"https://example.com/","password":"hunter2"}`
	if string(raw) != want {
		t.Errorf("\n got %s\nwant %s", raw, want)
	}

	c := mustSchema(t, "collections")
	cf := NewForm(c, nil, FormOptions{})
	cd := newDriver(t, cf)
	cd.typeText("5")
	cd.enter()
	cd.expectFocus("names")
	cd.enter()
	cd.expectFocus("uniq")
	cd.typeText("a")
	cd.newline()
	cd.typeText("a")
	cd.enter() // duplicates in a set: refused
	cd.expectFocus("uniq")
	cd.key(tea.KeyBackspace)
	cd.typeText("b")
	cd.enter()
	cd.expectFocus("pair[0]")
	cd.key(tea.KeyBackspace)
	cd.typeText("x")
	cd.enter() // not an integer
	cd.expectFocus("pair[0]")
	cd.key(tea.KeyBackspace)
	cd.typeText("9")
	cd.enter()
	cd.expectFocus("pair[1]")
	cd.enter()
	cd.expectFocus("extra")
	cd.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear the line
	cd.typeText(`{"k": [1, 2]}`)
	cd.enter()
	ans, errs = cf.Answer()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if !reflectJSON(ans["pair"], `[9,"a"]`) || !reflectJSON(ans["extra"], `{"k":[1,2]}`) || !reflectJSON(ans["uniq"], `["a","b"]`) {
		t.Errorf("collections answer %#v", ans)
	}
}

func reflectJSON(v any, want string) bool {
	b, _ := json.Marshal(v)
	return string(b) == want
}

func TestInitialOverridesDefaults(t *testing.T) {
	s := mustSchema(t, "approval_input")
	initial := map[string]any{
		"approved": false, "approver": "bob", "count": json.Number("7"), "color": "green",
		"ids": []any{float64(4), float64(5)}, "reason": nil,
		"home": map[string]any{"zip_code": "99999"},
		"when": "2026-01-02T03:04:05Z",
	}
	ans, errs := NewForm(s, initial, FormOptions{}).Answer()
	want := `{"approved":false,"reason":null,"approver":"bob","count":7,"color":"green","mode":"fast","ids":[4,5],"when":"2026-01-02T03:04:05Z","home":{"zip_code":"99999"}}`
	raw, _ := s.Marshal(ans)
	if string(raw) != want {
		t.Errorf("\n got %s\nwant %s", raw, want)
	}
	if len(errs) != 1 || errs[0].Path != "home.street" {
		t.Errorf("errors %v", errs)
	}
}

func TestTextCommands(t *testing.T) {
	s := mustSchema(t, "approval_input")
	f := NewForm(s, nil, FormOptions{})
	set := func(path, text string) {
		var walk func([]*holder)
		walk = func(hs []*holder) {
			for _, h := range hs {
				if h.f.Path == path {
					h.text = text
				}
				walk(h.children)
			}
		}
		walk(f.root)
	}
	answer := func() (map[string]any, map[string]string) {
		a, errs := f.Answer()
		m := map[string]string{}
		for _, e := range errs {
			m[e.Path] = e.Message
		}
		return a, m
	}
	set("count", `\default`)
	set("reason", `\null`)
	set("approver", `\\ok`)
	a, _ := answer()
	if a["count"] != int64(1) || a["reason"] != nil || a["approver"] != `\ok` {
		t.Errorf("commands: %#v", a)
	}
	if _, present := a["reason"]; !present {
		t.Error("\\null dropped the key")
	}
	set("approver", `\empty`)
	set("count", `\null`)
	set("ids", `\empty`)
	a, errs := answer()
	if !strings.Contains(errs["approver"], "at least 2 characters") || !strings.Contains(errs["count"], "cannot be null") {
		t.Errorf("errors %v", errs)
	}
	if ids, ok := a["ids"].([]any); !ok || len(ids) != 0 {
		t.Errorf("\\empty list: %#v", a["ids"])
	}
	set("approver", `\bogus`)
	set("count", "")
	a, errs = answer()
	if !strings.Contains(errs["approver"], "unknown command") {
		t.Errorf("unknown command: %v", errs)
	}
	if _, present := a["count"]; present {
		t.Error("an empty optional field was sent")
	}
	set("approver", "")
	_, errs = answer()
	// approver has minLength 2: an empty text is refused, so \empty is not offered;
	// home.street takes one, so it is.
	if !strings.Contains(errs["approver"], `required`) || strings.Contains(errs["approver"], `\empty`) {
		t.Errorf("an empty required text with a minimum length must not offer \\empty: %v", errs)
	}
	if !strings.Contains(errs["home.street"], `\empty`) {
		t.Errorf("an empty required text must say how to send an empty string: %v", errs)
	}
}

func TestFormErrorsAndSanitizing(t *testing.T) {
	raw := `{"type":"object","title":"T","properties":{
	"a":{"title":"Evil\u001b]0;pwned\u0007 title","description":"line\u001b[2Jclear \u202eevil","type":"string"},
	"b":{"enum":["x\u001b[31m","y"],"title":"B"}},"required":["a"]}`
	s, err := inputschema.ParseSchema([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	f := NewForm(s, map[string]any{"a": "v"}, FormOptions{Errors: map[string]string{"a": "server said\u001b[5m no"}})
	d := newDriver(t, f)
	view := d.Form.View()
	for _, bad := range []string{"\x1b]0;", "\x07", "\x1b[2J", "\u202e", "\x1b[5m", "\x1b[31m"} {
		if strings.Contains(view, bad) {
			t.Errorf("view contains %q", bad)
		}
	}
	if !strings.Contains(view, "server said") {
		t.Errorf("server error not shown:\n%s", view)
	}
	d.typeText("w")
	if strings.Contains(d.Form.View(), "server said") {
		t.Error("server error still shown after the value changed")
	}
	custom := NewForm(s, nil, FormOptions{Sanitize: func(string) string { return "SANITIZED" }})
	if v := newDriver(t, custom).Form.View(); !strings.Contains(v, "SANITIZED") || strings.Contains(v, "Evil") {
		t.Errorf("custom sanitizer not used:\n%s", v)
	}
}

func TestConstOnlyForm(t *testing.T) {
	s, err := inputschema.ParseSchema([]byte(`{"type":"object","properties":{"kind":{"const":"approve","type":"string"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	f := NewForm(s, nil, FormOptions{})
	d := newDriver(t, f)
	for i := 0; i < 3 && d.Form.State == huh.StateNormal; i++ {
		d.enter()
	}
	if d.Form.State != huh.StateCompleted {
		t.Fatalf("a form of fixed values cannot be submitted\n%s", d.Form.View())
	}
	ans, errs := f.Answer()
	if len(errs) > 0 || ans["kind"] != "approve" {
		t.Errorf("%v %v", ans, errs)
	}
	empty, _ := inputschema.ParseSchema([]byte(`{"type":"object","properties":{}}`))
	ef := NewForm(empty, nil, FormOptions{})
	ed := newDriver(t, ef)
	for i := 0; i < 3 && ed.Form.State == huh.StateNormal; i++ {
		ed.enter()
	}
	if ed.Form.State != huh.StateCompleted {
		t.Fatal("an input without fields cannot be submitted")
	}
}

// Pages are measured before their fields are built: the stand-ins must be
// exactly as tall as the widgets they stand for, or pages would be sized
// wrong.
func TestLazyFieldHeights(t *testing.T) {
	schemas := map[string]*inputschema.Schema{}
	for _, name := range corpusNames(t) {
		schemas[name] = mustSchema(t, name)
	}
	big, err := inputschema.ParseSchema(schematest.Schema200())
	if err != nil {
		t.Fatal(err)
	}
	schemas["schema200"] = big
	for name, s := range schemas {
		for _, width := range []int{0, 40, 100} {
			fm := NewForm(s, nil, FormOptions{Width: width})
			var lazies []*lazyField
			for _, g := range collectLazy(fm) {
				lazies = append(lazies, g...)
			}
			if len(lazies) == 0 {
				t.Fatalf("%s: no lazy fields", name)
			}
			built := 0
			for _, l := range lazies {
				if l.Built() {
					built++
				}
			}
			if built != 0 {
				t.Errorf("%s: %d fields built by NewForm", name, built)
			}
			for _, l := range lazies {
				want := l.lines(l.width)
				l.materialize()
				got := lipgloss.Height(l.real.View())
				if got != want {
					t.Errorf("%s width %d field %q (%s): estimated %d lines, renders %d\n%s", name, width, l.key, l.title, want, got, l.real.View())
				}
			}
		}
	}
}

// collectLazy returns the stand-in fields of a form, page by page.
func collectLazy(fm *Form) [][]*lazyField {
	seen := map[*lazyGroup]bool{}
	var out [][]*lazyField
	for _, l := range fm.lazies {
		if !seen[l.group] {
			seen[l.group] = true
			out = append(out, l.group.fields)
		}
	}
	return out
}

func TestOnlyTheFirstPageIsBuilt(t *testing.T) {
	big, _ := inputschema.ParseSchema(schematest.Schema200())
	fm := NewForm(big, nil, FormOptions{})
	d := newDriver(t, fm)
	pages := collectLazy(fm)
	if len(pages) < 10 {
		t.Fatalf("%d pages", len(pages))
	}
	for i, p := range pages {
		for _, l := range p {
			if l.Built() != (i == 0) {
				t.Fatalf("page %d field %q built=%v", i, l.key, l.Built())
			}
		}
	}
	if !strings.Contains(d.Form.View(), "Text *") {
		t.Errorf("first page not shown:\n%s", d.Form.View())
	}
}

func TestServerErrorsOnFields(t *testing.T) {
	s := mustSchema(t, "approval_input")
	f := NewForm(s, nil, FormOptions{Errors: map[string]string{
		"":              "Additional properties are not allowed ('foo' was unexpected)",
		"home.zip_code": "'1' does not match '^\\\\d{5}$'",
	}})
	d := newDriver(t, f)
	if !strings.Contains(d.Form.View(), "✗ Additional properties are not allowed") {
		t.Errorf("whole-answer error not on the first field:\n%s", d.Form.View())
	}
	d.down()
	d.enter()
	d.enter()
	d.typeText("alice")
	for range 4 {
		d.enter()
	}
	d.expectFocus("ids")
	d.typeText("1")
	d.enter()
	d.enter()
	d.expectFocus("home.street")
	if !strings.Contains(d.Form.View(), `✗ '1' does not match`) {
		t.Errorf("nested field error not shown:\n%s", d.Form.View())
	}
}

func TestThemeAfterNewForm(t *testing.T) {
	s := mustSchema(t, "shirt_order")
	f := NewForm(s, nil, FormOptions{})
	d := newDriver(t, f)
	before := d.Form.View()
	d.Form.WithTheme(huh.ThemeFunc(huh.ThemeDracula))
	d.send(tea.WindowSizeMsg{Width: 100, Height: 60})
	if after := d.Form.View(); after == before {
		t.Error("a theme set on the huh form after NewForm changed nothing")
	}
}

// A form whose fields default to "" (or []) starts empty and, untouched,
// sends nothing: the flow applies those defaults (inputschema shows such
// defaults as empty text, not as the \empty command).
func TestEmptyDefaultsStartEmpty(t *testing.T) {
	raw := []byte(`{"additionalProperties":false,"properties":{"notes":{"default":"","title":"Notes","type":"string"},` +
		`"tags":{"default":[],"items":{"type":"string"},"title":"Tags","type":"array"}},"title":"T","type":"object"}`)
	s, err := inputschema.ParseSchema(raw)
	if err != nil {
		t.Fatal(err)
	}
	fm := NewForm(s, nil, FormOptions{})
	for _, h := range fm.root {
		if h.text != "" {
			t.Errorf("%s starts as %q, want empty", h.f.Path, h.text)
		}
	}
	ans, errs := fm.Answer()
	if len(errs) != 0 || len(ans) != 0 {
		t.Errorf("untouched form: answer %v, errors %v; want {} (the flow applies its defaults)", ans, errs)
	}
}

// What the operator typed survives a rebuild through Entered, even when it
// does not parse: Answer drops it, Entered keeps it.
func TestEnteredKeepsInvalidText(t *testing.T) {
	s := mustSchema(t, "approval_input")
	f := NewForm(s, nil, FormOptions{})
	set := func(path, text string) {
		t.Helper()
		for _, h := range allHolders(f.root) {
			if h.f.Path == path {
				h.text = text
				return
			}
		}
		t.Fatalf("no holder %s", path)
	}
	set("count", "12abc")
	set("approver", "al")
	set("home.zip_code", "123")
	for _, h := range f.root {
		if h.f.Path == "color" {
			h.choice = "m1"
		}
	}
	ans, errs := f.Answer()
	if _, ok := ans["count"]; ok || len(errs) == 0 {
		t.Fatalf("count %q should not parse: answer %v errors %v", "12abc", ans, errs)
	}
	entered := f.Entered()
	raw, err := json.Marshal(entered)
	if err != nil {
		t.Fatal(err)
	}
	var back Entered
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	g := NewForm(s, ans, FormOptions{Entered: back})
	got := g.Entered()
	for _, path := range []string{"count", "approver", "home.zip_code"} {
		if got[path].Text == nil || entered[path].Text == nil || *got[path].Text != *entered[path].Text {
			t.Errorf("%s after rebuild: %v, want %q", path, got[path].Text, *entered[path].Text)
		}
	}
	if got["color"].Choice != "m1" {
		t.Errorf("color choice after rebuild = %q, want m1", got["color"].Choice)
	}
	// A stale choice (another schema) is ignored rather than trusted.
	h := NewForm(s, nil, FormOptions{Entered: Entered{"color": {Choice: "m9"}}})
	if c := h.Entered()["color"].Choice; c == "m9" {
		t.Errorf("out-of-range choice restored: %q", c)
	}
}

func allHolders(hs []*holder) []*holder {
	var out []*holder
	for _, h := range hs {
		out = append(out, h)
		out = append(out, allHolders(h.children)...)
	}
	return out
}

// The help line never offers \empty where "" would be refused, and names
// the time zone by its abbreviation and offset.
func TestHintsOfferOnlyWhatWorks(t *testing.T) {
	raw := []byte(`{"additionalProperties":false,"properties":{` +
		`"zip":{"pattern":"^\\d{5}$","title":"Zip","type":"string"},` +
		`"free":{"title":"Free","type":"string"},` +
		`"when":{"format":"date-time","title":"When","type":"string"}},` +
		`"required":["zip","free","when"],"title":"T","type":"object"}`)
	s, err := inputschema.ParseSchema(raw)
	if err != nil {
		t.Fatal(err)
	}
	s.Location = time.FixedZone("IST", 5*3600+1800)
	fm := NewForm(s, nil, FormOptions{})
	hints := map[string]string{}
	for _, f := range s.Fields {
		hints[f.Name] = fm.hint(f)
	}
	if strings.Contains(hints["zip"], `\empty`) || strings.Contains(hints["when"], `\empty`) {
		t.Errorf("hints offer \\empty where it is refused: zip %q, when %q", hints["zip"], hints["when"])
	}
	if !strings.Contains(hints["free"], `\empty`) {
		t.Errorf("free text hint %q lacks \\empty", hints["free"])
	}
	if !strings.Contains(hints["when"], "IST (+05:30)") {
		t.Errorf("date-time hint %q does not name the zone and offset", hints["when"])
	}
	if got := inputschema.ZoneName(time.UTC, time.Now()); got != "UTC" {
		t.Errorf("ZoneName(UTC) = %q", got)
	}
}

// A required choice refused with "— choose —" shows one asterisk (the
// label's), not a second one from huh's error indicator.
func TestRefusedChoiceHasOneAsterisk(t *testing.T) {
	s := mustSchema(t, "automatic_bool")
	f := NewForm(s, nil, FormOptions{})
	d := newDriver(t, f)
	d.enter() // "— choose —" is refused
	v := ansi.Strip(d.Form.View())
	if !strings.Contains(v, "choose") {
		t.Fatalf("no refusal shown:\n%s", v)
	}
	if strings.Contains(v, "* *") {
		t.Errorf("title carries two asterisks:\n%s", v)
	}
}

// The help bar under a multi-select names the toggle key the field's own
// hint names (huh's default bar says "x toggle"; both keys work).
func TestMultiSelectHelpAgreesWithHint(t *testing.T) {
	s := mustSchema(t, "choices")
	d := newDriver(t, NewForm(s, nil, FormOptions{}))
	d.enter()
	d.down() // required_color: red
	for range 4 {
		d.enter()
	}
	d.expectFocus("multi")
	v := ansi.Strip(d.Form.View())
	if !strings.Contains(v, "space toggles") {
		t.Fatalf("field hint lacks the toggle key:\n%s", v)
	}
	if strings.Contains(v, "x toggle") || !strings.Contains(v, "space toggle") {
		t.Fatalf("help bar does not say space toggles:\n%s", v)
	}
}

// A value the pattern check cannot decide in time is refused in the form,
// and the message says what to do.
func TestSlowPatternRefusedInForm(t *testing.T) {
	s, err := inputschema.ParseSchema([]byte(`{"type":"object","properties":{"f":{"type":"string","pattern":"^(a+)+$"}},"required":["f"]}`))
	if err != nil {
		t.Fatal(err)
	}
	f := NewForm(s, map[string]any{"f": strings.Repeat("a", 30) + "!"}, FormOptions{})
	_, errs := f.Answer()
	if len(errs) == 0 || errs[0].Path != "f" || !strings.Contains(errs[0].Message, "--skip-slow-pattern-checks") {
		t.Errorf("Answer errors %+v, want f refused with the way out", errs)
	}
}

package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/forms"
	"github.com/unpause-dev/unpause/forms/formtest"
	"github.com/unpause-dev/unpause/forms/inputschema"
)

// TestFormsDriven answers every fixture flow that asks for input the way the TUI does,
// without a terminal: the run's input request is read with the real apiclient, the form
// is built by package forms, filled by feeding the huh form the key presses a person
// would type, and the answer is sent with apiclient.Resume. Each subtest then checks
// three things: the exact JSON the form produced (key order, integers as integers), the
// response the server stored (numbers compared as written, so 3 and 3.0 differ), and
// what the flow itself received.
func TestFormsDriven(t *testing.T) {
	apiURL, _ := requireServer(t)
	client, err := apiclient.New(apiclient.Options{BaseURL: apiURL})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("greeting", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "greeting")
		s := openForm(t, client, f, nil)
		if s.request.Description != "" {
			t.Errorf("greeting description %q, want none", s.request.Description)
		}
		fillGreeting(s.driver)
		s.send(t, wantGreeting)
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], "Ada Lovelace-Zoë")
	})

	t.Run("number", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "number")
		s := openForm(t, client, f, nil)
		fillNumber(s.driver)
		s.send(t, wantNumber)
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], 42.0)
	})

	t.Run("image-label", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "image-label")
		s := openForm(t, client, f, nil)
		fillImageLabel(s.driver)
		s.send(t, wantImageLabel)
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], "dog")
	})

	t.Run("markdown", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "markdown")
		s := openForm(t, client, f, nil)
		for _, want := range []string{"# Deploy approval", "**v2.3.1**", "- Faster checkout"} {
			if !strings.Contains(s.request.Description, want) {
				t.Errorf("description lacks %q:\n%s", want, s.request.Description)
			}
		}
		fillMarkdown(s.driver)
		s.send(t, wantMarkdown)
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], map[string]any{
			"approve": true, "environment": "production", "reviewer": "Ada", "notes": "LGTM, ship it",
		})
	})

	t.Run("shirt", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "shirt")
		s := openForm(t, client, f, nil)
		fillShirtFirst(s.driver)
		// Valid for the schema; the flow's model validator refuses it after the resume.
		first := s.send(t, wantShirtFirst)

		waitRun(t, f.APIURL, f.RunID, 90*time.Second, "second pause", func(r *apiRun) bool {
			return r.StateType == "PAUSED" && r.State != nil && r.State.Details.RunInputKeyset["schema"] == "paused-2-schema"
		})
		// The flow saves the new schema and description right after the pause.
		waitFor(t, 30*time.Second, "paused-2 schema and description", func() bool {
			_, schema := readRunInput(t, f.APIURL, f.RunID, "paused-2-schema")
			_, desc := readRunInput(t, f.APIURL, f.RunID, "paused-2-description")
			return schema && desc
		})

		// The TUI offers the previous answer (read back from the server) as the starting values.
		var previous map[string]any
		if err := json.Unmarshal(first, &previous); err != nil {
			t.Fatal(err)
		}
		s2 := openForm(t, client, f, previous)
		assertEqual(t, "keyset", s2.run.State.Details.RunInputKeyset.Schema, "paused-2-schema")
		if !strings.Contains(s2.request.Description, "not available") {
			t.Errorf("second description %q does not explain the refusal", s2.request.Description)
		}
		fillShirtAgain(s2.driver)
		s2.send(t, wantShirtAgain)
		result := f.WaitResult(t, 90*time.Second)
		assertEqual(t, "received", result["received"], map[string]any{"size": "medium", "color": "green"})
		assertEqual(t, "attempts", result["attempts"], 2.0)
		if errs, _ := result["errors"].([]any); len(errs) != 1 || !strings.Contains(errs[0].(string), "medium and large") {
			t.Errorf("flow errors %v, want one refusal of small+green", result["errors"])
		}
	})

	t.Run("everything", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "everything")
		s := openFormIn(t, client, f, nil, formsZone)
		fillEverything(s.driver)
		s.send(t, wantEverything)
		assertEqual(t, "received", f.WaitResult(t, 90*time.Second)["received"], map[string]any{
			"title": "Broken login", "count": 3.0, "ratio": 0.25, "urgent": true, "priority": "high",
			"labels": []any{"bug", "docs"}, "reason": nil,
			"due": "2026-12-01T10:00:00Z", "remind_at": "2026-11-30T18:45:00+05:30",
			"home":    map[string]any{"street": "1 Main St", "city": "Springfield", "zip_code": "12345"},
			"billing": map[string]any{"street": "2 Side St", "city": "Shelbyville", "zip_code": "54321"},
		})
	})

	t.Run("suspend", func(t *testing.T) {
		t.Parallel()
		f := startFlow(t, "suspend")
		s := openForm(t, client, f, nil)
		if !s.run.Suspended() {
			t.Fatalf("run %s is not suspended (state %s)", f.RunID, s.run.StateName)
		}
		fillSuspend(s.driver)
		s.send(t, wantSuspend)
		// The runner picks the run up again and re-executes the flow from the top.
		result := f.WaitResult(t, 2*time.Minute)
		assertEqual(t, "received", result["received"], map[string]any{"approve": true, "comment": "ship it"})
	})
}

// ---------------------------------------------------------------------------------------
// What a person types into each fixture's form, and the JSON the form must produce

const wantGreeting = `{"value":"Ada Lovelace-Zoë"}`

func fillGreeting(d *formDriver) {
	d.t.Helper()
	d.expectFocus("value")
	d.refused("value", "required: type a value") // empty
	d.typeText("Ada Lovelace-Zoë")
	d.enter()
}

const wantNumber = `{"value":42}`

func fillNumber(d *formDriver) {
	d.t.Helper()
	d.expectFocus("value")
	d.typeText("4x")
	d.refused("value", `"4x" is not a whole number`)
	d.key(tea.KeyBackspace)
	d.typeText(".5")
	d.refused("value", `"4.5" is not a whole number`)
	d.clearLine()
	d.typeText("42")
	d.enter()
}

const wantImageLabel = `{"value":"dog"}`

func fillImageLabel(d *formDriver) {
	d.t.Helper()
	d.expectFocus("value")
	d.expectCursor("— choose —") // required, no default: nothing is picked for the operator
	d.refused("value", "required: choose one")
	d.choose("dog")
	d.enter()
}

const wantMarkdown = `{"approve":true,"environment":"production","reviewer":"Ada","notes":"LGTM, ship it"}`

func fillMarkdown(d *formDriver) {
	d.t.Helper()
	// with_initial_data(approve=True, environment="production") overrides the class
	// defaults (False, "staging"): the form must start on them, and enter keeps them.
	d.expectFocus("approve")
	d.expectCursor("Yes")
	d.enter()
	d.expectFocus("environment")
	d.expectCursor("production")
	d.enter()
	d.expectFocus("reviewer")
	d.typeText("A")
	d.refused("reviewer", "at least 2 characters") // minLength 2
	d.typeText("da")
	d.enter()
	d.expectFocus("notes")
	d.expectInput("") // default "": starts empty, not as the \empty command
	d.typeText("LGTM, ship it")
	d.enter()
}

const wantShirtFirst = `{"size":"small","color":"green"}`

func fillShirtFirst(d *formDriver) {
	d.t.Helper()
	d.expectFocus("size")
	d.expectCursor("— choose —")
	d.choose("small")
	d.enter()
	d.expectFocus("color")
	d.choose("green")
	d.enter()
}

const wantShirtAgain = `{"size":"medium","color":"green"}`

// fillShirtAgain: the form starts from the previous answer, small+green.
func fillShirtAgain(d *formDriver) {
	d.t.Helper()
	d.expectFocus("size")
	d.expectCursor("small")
	d.choose("medium")
	d.enter()
	d.expectFocus("color")
	d.expectCursor("green")
	d.enter()
}

const wantEverything = `{"title":"Broken login","count":3,"ratio":0.25,"urgent":true,"priority":"high",` +
	`"labels":["bug","docs"],"due":"2026-12-01T10:00:00Z","remind_at":"2026-11-30T18:45:00+05:30",` +
	`"home":{"street":"1 Main St","city":"Springfield","zip_code":"12345"},` +
	`"billing":{"street":"2 Side St","city":"Shelbyville","zip_code":"54321"}}`

// fillEverything expects the schema's Location to be formsZone.
func fillEverything(d *formDriver) {
	d.t.Helper()
	d.expectFocus("title")
	d.typeText("Broken login")
	d.enter()

	d.expectFocus("count")
	d.expectInput("1") // the default, pre-filled
	d.clearLine()
	d.typeText("11")
	d.refused("count", "must be at most 10")
	d.clearLine()
	d.typeText("3")
	d.enter()

	d.expectFocus("ratio")
	d.expectInput("0.5")
	d.clearLine()
	d.typeText("1")
	d.refused("ratio", "must be less than 1") // exclusiveMaximum
	d.clearLine()
	d.typeText("0")
	d.refused("ratio", "must be greater than 0") // exclusiveMinimum
	d.clearLine()
	d.typeText("0.25")
	d.enter()

	d.expectFocus("urgent")
	d.expectCursor("No")
	d.choose("Yes")
	d.enter()

	d.expectFocus("priority")
	d.expectCursor("normal")
	d.choose("high")
	d.enter()

	// Toggled in the opposite order of the options: the list follows the options.
	d.expectFocus("labels")
	d.toggle("docs")
	d.toggle("bug")
	d.enter()

	d.expectFocus("reason")
	d.enter() // left empty: Optional[str] = None is left to the flow

	d.expectFocus("due")
	d.typeText("2026-12-01T10:00:00Z")
	d.enter()

	// Local time without an offset: the form adds formsZone's offset.
	d.expectFocus("remind_at")
	d.typeText("2026-11-30 18:45")
	d.expectFieldShows(`→ sends "2026-11-30T18:45:00+05:30"`)
	d.enter()

	// Required nested model: its own page, the model's default city pre-filled.
	d.expectFocus("home.street")
	d.typeText("1 Main St")
	d.enter()
	d.expectFocus("home.city")
	d.expectInput("Springfield")
	d.enter()
	d.expectFocus("home.zip_code")
	d.typeText("1234")
	d.refused("home.zip_code", `must match the pattern ^\d{5}$`)
	d.typeText("5")
	d.enter()

	// Optional nested model (default None): include it, then fill its page.
	d.expectFocus("billing")
	d.choose("fill in Billing")
	d.enter()
	d.expectFocus("billing.street")
	d.typeText("2 Side St")
	d.enter()
	d.expectFocus("billing.city")
	d.expectInput("Springfield")
	d.clearLine()
	d.typeText("Shelbyville")
	d.enter()
	d.expectFocus("billing.zip_code")
	d.typeText("54321")
	d.enter()
}

const wantSuspend = `{"approve":true,"comment":"ship it"}`

func fillSuspend(d *formDriver) {
	d.t.Helper()
	d.expectFocus("approve")
	d.expectCursor("— choose —")
	d.choose("Yes")
	d.enter()
	d.expectFocus("comment")
	d.expectInput("")
	d.typeText("ship it")
	d.enter()
}

// formsZone is the time zone for friendly date-time input in the everything subtest: a
// fixed, non-UTC offset, so the expected values do not depend on the machine's zone and
// a lost or doubled offset shows.
var formsZone = time.FixedZone("IST", 5*3600+30*60)

// formSession is one paused run opened for answering, as the TUI opens it.
type formSession struct {
	client  *apiclient.Client
	fixture *FixtureFlow
	run     *apiclient.Run
	request *apiclient.InputRequest
	schema  *inputschema.Schema
	form    *forms.Form
	driver  *formDriver
}

func openForm(t *testing.T, client *apiclient.Client, f *FixtureFlow, saved map[string]any) *formSession {
	t.Helper()
	return openFormIn(t, client, f, saved, nil)
}

// openFormIn reads the run and its input request with the real client and builds the
// form from the schema defaults merged with saved values (what the TUI's
// domain.InitialValues does: saved ones win). loc, if not nil, is the time zone for
// date-times typed without an offset.
func openFormIn(t *testing.T, client *apiclient.Client, f *FixtureFlow, saved map[string]any, loc *time.Location) *formSession {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run, err := client.GetRun(ctx, f.RunID)
	if err != nil {
		t.Fatalf("GetRun %s: %v", f.RunID, err)
	}
	if !run.Paused() || !run.NeedsInput() {
		t.Fatalf("run %s is %s and needs input=%v; want a paused run asking for input", f.RunID, run.StateType, run.NeedsInput())
	}
	req, err := client.InputRequest(ctx, run)
	if err != nil {
		t.Fatalf("InputRequest %s: %v", f.RunID, err)
	}
	schema, err := inputschema.ParseSchema(req.Schema)
	if err != nil {
		t.Fatalf("ParseSchema: %v\n%s", err, req.Schema)
	}
	schema.Location = loc
	initial := map[string]any{}
	maps.Copy(initial, schema.Defaults())
	maps.Copy(initial, saved)
	form := forms.NewForm(schema, initial, forms.FormOptions{Width: 100})
	return &formSession{
		client: client, fixture: f, run: run, request: req, schema: schema, form: form,
		driver: newFormDriver(t, form),
	}
}

// send takes the answer of a completed form, requires it to marshal to exactly want,
// resumes the run with it and requires the outcome "resumed" and the server's stored
// response to be the same JSON (numbers as written). It returns the payload.
func (s *formSession) send(t *testing.T, want string) json.RawMessage {
	t.Helper()
	d := s.driver
	if d.Form.State != huh.StateCompleted {
		t.Fatalf("form not completed (state %v, focus %q)\n%s", d.Form.State, d.focused(), d.view())
	}
	answer, errs := s.form.Answer()
	if len(errs) > 0 {
		t.Fatalf("Answer() errors: %v (answer %v)", errs, answer)
	}
	payload, err := s.schema.Marshal(answer)
	if err != nil {
		t.Fatalf("Marshal(%v): %v", answer, err)
	}
	if string(payload) != want {
		t.Fatalf("form answer\n got %s\nwant %s", payload, want)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := s.client.Resume(ctx, s.run.ID, payload)
	if err != nil {
		t.Fatalf("Resume %s: %v", s.run.ID, err)
	}
	if res.Outcome != apiclient.OutcomeResumed {
		t.Fatalf("Resume %s: outcome %q reason %q, want %q", s.run.ID, res.Outcome, res.Reason, apiclient.OutcomeResumed)
	}
	key := s.run.State.Details.RunInputKeyset.Response
	stored, found := readRunInput(t, s.fixture.APIURL, s.run.ID, key)
	if !found {
		t.Fatalf("run %s has no stored response %s after an accepted resume", s.run.ID, key)
	}
	if !sameJSONNumbers(t, stored, payload) {
		t.Errorf("stored response %s = %s, want %s", key, bytes.TrimSpace(stored), payload)
	}
	return payload
}

// sameJSONNumbers compares two JSON texts as values, keeping numbers as written: 3 and
// 3.0 differ, as they may for the flow.
func sameJSONNumbers(t *testing.T, a, b []byte) bool {
	t.Helper()
	decode := func(raw []byte) any {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("not JSON: %v: %s", err, raw)
		}
		return v
	}
	return reflect.DeepEqual(decode(a), decode(b))
}

// ---------------------------------------------------------------------------------------
// Driving a huh form with key presses (after the driver in forms/form_test.go)

// formDriver is formtest.Driver with the checks these tests add below.
type formDriver struct {
	*formtest.Driver
	t *testing.T
}

func newFormDriver(t *testing.T, f *forms.Form) *formDriver {
	t.Helper()
	return &formDriver{Driver: formtest.New(t, f.Huh(), 100, 60), t: t}
}

func (d *formDriver) typeText(s string) { d.t.Helper(); d.Type(s) }
func (d *formDriver) key(code rune)     { d.t.Helper(); d.Key(code) }
func (d *formDriver) enter()            { d.t.Helper(); d.Enter() }
func (d *formDriver) space()            { d.t.Helper(); d.Space() }
func (d *formDriver) clearLine()        { d.t.Helper(); d.ClearLine() }
func (d *formDriver) focused() string   { return d.Focused() }

// view is the whole form as the terminal would show it, without styling.
func (d *formDriver) view() string { return stripANSI(d.Form.View()) }

// fieldView is the focused field as shown, without styling.
func (d *formDriver) fieldView() string {
	if f := d.Form.GetFocusedField(); f != nil {
		return stripANSI(f.View())
	}
	return ""
}

func (d *formDriver) expectFocus(key string) {
	d.t.Helper()
	if d.Form.State != huh.StateNormal {
		d.t.Fatalf("form state %v, want focus on %q\n%s", d.Form.State, key, d.view())
	}
	if got := d.focused(); got != key {
		d.t.Fatalf("focus on %q, want %q\n%s", got, key, d.view())
	}
}

func (d *formDriver) expectFieldShows(text string) {
	d.t.Helper()
	if !strings.Contains(d.fieldView(), text) {
		d.t.Fatalf("focused field %q does not show %q:\n%s", d.focused(), text, d.fieldView())
	}
}

// refused presses enter and requires the form to keep the focus on key and show why.
func (d *formDriver) refused(key, why string) {
	d.t.Helper()
	d.enter()
	d.expectFocus(key)
	d.expectViewShows(why)
}

// expectViewShows looks at the whole form: huh shows a field's error below the page.
func (d *formDriver) expectViewShows(text string) {
	d.t.Helper()
	if !strings.Contains(d.view(), text) {
		d.t.Fatalf("form (focus %q) does not show %q:\n%s", d.focused(), text, d.view())
	}
}

// marked is the text after the focused field's one "> " mark: the option under the
// cursor of a Select or MultiSelect ("> medium", "> • docs"), or the text in an Input
// (its prompt, "> 0.5").
func (d *formDriver) marked() string {
	d.t.Helper()
	var found []string
	for _, line := range strings.Split(d.fieldView(), "\n") {
		if i := strings.Index(line, "> "); i >= 0 {
			found = append(found, strings.TrimSpace(line[i+len("> "):]))
		}
	}
	if len(found) != 1 {
		d.t.Fatalf("focused field %q: want one line marked \"> \", found %q:\n%s", d.focused(), found, d.fieldView())
	}
	return found[0]
}

// cursor is the option under the cursor of the focused Select or MultiSelect, and for
// a MultiSelect whether that option is selected ("> ✓ docs").
func (d *formDriver) cursor() (label string, selected bool) {
	d.t.Helper()
	label = d.marked()
	if rest, ok := strings.CutPrefix(label, "✓ "); ok {
		return rest, true
	}
	if rest, ok := strings.CutPrefix(label, "• "); ok {
		return rest, false
	}
	return label, false
}

// expectInput requires the focused text input to show exactly text.
func (d *formDriver) expectInput(text string) {
	d.t.Helper()
	if got := d.marked(); got != text {
		d.t.Fatalf("focused field %q shows %q, want %q:\n%s", d.focused(), got, text, d.fieldView())
	}
}

func (d *formDriver) expectCursor(label string) {
	d.t.Helper()
	if got, _ := d.cursor(); got != label {
		d.t.Fatalf("focused field %q: cursor on %q, want %q:\n%s", d.focused(), got, label, d.fieldView())
	}
}

// choose moves the cursor of the focused Select or MultiSelect to the option shown as
// label, with down (then up, from the bottom) as a person would, looking at the screen
// after every key.
func (d *formDriver) choose(label string) {
	d.t.Helper()
	dir := rune(tea.KeyDown)
	for range 50 {
		if got, _ := d.cursor(); got == label {
			return
		}
		before := d.fieldView()
		d.key(dir)
		if d.fieldView() == before { // at the end of the list
			if dir == tea.KeyUp {
				break
			}
			dir = tea.KeyUp
		}
	}
	d.t.Fatalf("focused field %q has no option %q:\n%s", d.focused(), label, d.fieldView())
}

// toggle selects the option shown as label in the focused MultiSelect (space).
func (d *formDriver) toggle(label string) {
	d.t.Helper()
	d.choose(label)
	if _, selected := d.cursor(); selected {
		d.t.Fatalf("option %q is already selected:\n%s", label, d.fieldView())
	}
	d.space()
	if got, selected := d.cursor(); got != label || !selected {
		d.t.Fatalf("space did not select %q (cursor on %q, selected %v):\n%s", label, got, selected, d.fieldView())
	}
}

var ansiSequence = regexp.MustCompile(`\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])`)

func stripANSI(s string) string { return ansiSequence.ReplaceAllString(s, "") }

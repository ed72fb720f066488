// Package answer is the answer flow of one run: the huh form built by
// package forms, local validation, and the review step that shows the exact
// JSON before it is sent. Sending and outcomes belong to the root model; it
// reacts to the Events this component reports.
package answer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"maps"
	"reflect"
	"slices"
	"strings"

	"charm.land/bubbles/v2/cursor"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/forms"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/common"
)

// Stage is where the user is in the answer flow.
type Stage int

// Stages.
const (
	StageForm    Stage = iota // editing
	StageReview               // looking at the JSON, asked to confirm
	StageSending              // waiting for the server
)

// Event tells the root model what happened.
type Event int

// Events.
const (
	EventNone    Event = iota
	EventChanged       // the values changed: save the draft
	EventBack          // esc in the form: leave it (values kept)
	EventSend          // confirmed in review: send Payload()
	EventInvalid       // the form was submitted with local errors (shown)
	EventEdit          // ctrl+e in the form, e in review: the whole answer in $EDITOR
	EventPicked        // a digit picked a one-key choice: now in review
)

// submittedMsg is sent by the huh form when its last field is completed.
type submittedMsg struct{ gen int }

// abortedMsg is sent by the huh form on its quit key (ctrl+c, which the
// root model intercepts first; kept for safety).
type abortedMsg struct{ gen int }

// Model is the answer component for one run.
type Model struct {
	c *common.Common

	RunID     string
	RunName   string // sanitised
	SchemaKey string
	schema    *inputschema.Schema

	form *forms.Form
	gen  int

	values  map[string]any    // last known answer (typed)
	raw     forms.Entered     // what each widget held, valid or not
	errs    map[string]string // errors shown beside fields
	formErr string            // error about the whole answer (sanitised)
	note    string            // informational line, e.g. restored draft
	desc    []string          // the run's rendered description, blank lines dropped
	refusal string            // why the flow refused the previous answer (sanitised)

	choicePath string               // the one field a digit answers
	choices    []inputschema.Choice // one-key choices (inputschema.Schema.Choices); nil for other schemas
	picked     int                  // index of the last choice picked, -1 for none
	queue      string               // the queue line under the title ("" outside a queue; sanitised)

	payload json.RawMessage
	review  viewport.Model
	stage   Stage

	width, height int
}

var _ common.Component[Event] = (*Model)(nil)

// New builds the answer flow for a run, starting from initial values
// (schema defaults merged with a draft or a previous answer).
func New(c *common.Common, runID, runName, schemaKey string, schema *inputschema.Schema, initial map[string]any, raw forms.Entered) *Model {
	m := &Model{
		c: c, RunID: runID, RunName: runName, SchemaKey: schemaKey, schema: schema,
		values: initial, raw: raw, review: viewport.New(), picked: -1,
	}
	if path, cs, ok := schema.Choices(); ok {
		m.choicePath, m.choices = path, cs
	}
	m.review.SoftWrap = true
	m.build()
	return m
}

// Stage is the current stage.
func (m *Model) Stage() Stage { return m.stage }

// Values is the last known answer.
func (m *Model) Values() map[string]any { return m.values }

// Raw is what each widget held at the last snapshot, valid or not.
func (m *Model) Raw() forms.Entered { return m.raw }

// Schema is the schema the form was built from.
func (m *Model) Schema() *inputschema.Schema { return m.schema }

// Widgets is what the form's widgets hold right now, valid or not.
func (m *Model) Widgets() forms.Entered { return m.form.Entered() }

// Errors are the field errors currently shown (path -> message).
func (m *Model) Errors() map[string]string { return m.errs }

// FormError is the error about the whole answer, if any.
func (m *Model) FormError() string { return m.formErr }

// Payload is the JSON shown in review and sent on EventSend.
func (m *Model) Payload() json.RawMessage { return m.payload }

// Choices are the one-key choices (nil for other schemas).
func (m *Model) Choices() []inputschema.Choice { return m.choices }

// Filtering reports whether the focused field's filter is open: keys are
// its text.
func (m *Model) Filtering() bool { return m.stage == StageForm && m.fieldFiltering() }

// FieldUsesLineKeys reports whether the focused field moves with ctrl+n and
// ctrl+p (a text area between lines, a select or multi-select between
// options), so the queue must not take them there.
func (m *Model) FieldUsesLineKeys() bool {
	if m.stage != StageForm {
		return false
	}
	return forms.UsesLineKeys(m.form.Huh().GetFocusedField())
}

// HasChoices reports whether a digit answers this form (a one-key choice).
func (m *Model) HasChoices() bool { return len(m.choices) > 0 }

// PickedLabel is the label of the choice last picked (raw schema text:
// sanitise it for display), "" when none was.
func (m *Model) PickedLabel() string {
	if m.picked < 0 || m.picked >= len(m.choices) {
		return ""
	}
	return m.choices[m.picked].Label
}

// SetQueue shows a line about the queue this run is answered in ("" for
// none); the caller sanitises it.
func (m *Model) SetQueue(s string) {
	if s == m.queue {
		return
	}
	m.queue = s
	m.syncSize()
}

// Pick answers with choice i (0-based) and goes to review, as submitting
// the form does; the review shows the exact JSON. Nothing happens when i
// is not a choice.
func (m *Model) Pick(i int) (tea.Cmd, Event) {
	if i < 0 || i >= len(m.choices) || m.stage != StageForm {
		return nil, EventNone
	}
	values := map[string]any{m.choicePath: m.choices[i].Value}
	raw, err := m.schema.Marshal(values)
	if err != nil {
		m.formErr = "Could not encode the answer: " + termsafe.Line(err.Error())
		return m.Rebuild(), EventInvalid
	}
	m.picked = i
	m.values, m.raw = values, nil
	m.errs, m.formErr = nil, ""
	m.payload = raw
	m.stage = StageReview
	m.review.SetContent(m.reviewContent())
	m.sizeReview()
	m.review.GotoTop()
	return nil, EventPicked
}

// choiceKey is the choice a digit key picks, -1 for other keys.
func (m *Model) choiceKey(msg tea.Msg) int {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok || len(m.choices) == 0 {
		return -1
	}
	s := kp.String()
	if len(s) != 1 || s[0] < '1' || s[0] > '9' || int(s[0]-'1') >= len(m.choices) {
		return -1
	}
	return int(s[0] - '1')
}

// choicesLine is "1 pig  2 dog", labels sanitised.
func (m *Model) choicesLine() string {
	s := m.c.Styles
	parts := make([]string, len(m.choices))
	for i, c := range m.choices {
		parts[i] = s.KeyHint.Render(fmt.Sprint(i+1)) + " " + termsafe.Line(c.Label)
	}
	return strings.Join(parts, "  ") + s.Dim.Render("   a digit answers (then y sends)")
}

// SetNote shows an informational line above the form.
func (m *Model) SetNote(s string) { m.note = s }

// SetContext shows, above the form, the first lines of the run's
// description, rendered (and sanitised) by package markdown, and why the
// flow refused the previous answer ("" for none): a log line, sanitised
// here. The form keeps most of the screen; the run view shows all of the
// description.
func (m *Model) SetContext(rendered, refusal string) {
	var desc []string
	for l := range strings.SplitSeq(rendered, "\n") {
		if strings.TrimSpace(ansi.Strip(l)) != "" {
			desc = append(desc, l)
		}
	}
	refusal = termsafe.Line(refusal)
	if slices.Equal(desc, m.desc) && refusal == m.refusal {
		return
	}
	m.desc, m.refusal = desc, refusal
	m.syncSize()
}

// contextLines is the block above the form: a few lines of the
// description, a note when it goes on, and the refusal.
func (m *Model) contextLines() []string {
	s := m.c.Styles
	var out []string
	// 2 lines at 80x24 (21 rows for the body), 3 from 27 rows, 1 below 21.
	n := min(len(m.desc), max(1, min(3, (m.height-9)/6)))
	for _, l := range m.desc[:n] {
		out = append(out, ansi.Truncate(l, max(1, m.width), "…"))
	}
	if n < len(m.desc) {
		out = append(out, s.Dim.Render("… (description continues: esc to the run view)"))
	}
	if m.refusal != "" {
		// At most two lines: the run view's logs show all of it.
		w := strings.Split(common.Wrap("The flow refused the previous answer: "+m.refusal, max(1, m.width)), "\n")
		if len(w) > 2 {
			w = []string{w[0], ansi.Truncate(w[1]+" "+w[2], max(1, m.width-1), "") + "…"}
		}
		for _, l := range w {
			out = append(out, s.Error.Render(l))
		}
	}
	return out
}

// Huh exposes the embedded huh form (tests drive it).
func (m *Model) Huh() *huh.Form { return m.form.Huh() }

// Init starts the form (focus, size request).
func (m *Model) Init() tea.Cmd { return m.form.Huh().Init() }

// Background colours handed to huh for the app's dark/light decision.
var (
	darkBG  color.Color = color.Black
	lightBG color.Color = color.White
)

// formTheme is the huh theme; it follows tea.BackgroundColorMsg.
var formTheme = huh.ThemeFunc(huh.ThemeCharm)

// build (re)creates the huh form from the current values and errors. huh
// forms cannot be reset, so every return to the form is a rebuild.
func (m *Model) build() {
	m.gen++
	gen := m.gen
	m.form = forms.NewForm(m.schema, m.values, forms.FormOptions{
		Width:   m.formWidth(),
		Theme:   formTheme,
		Errors:  m.errs,
		Entered: m.raw,
		// Titles, help, option labels and error texts come from the API:
		// use the app's sanitiser rather than forms' built-in filter.
		Sanitize: termsafe.Line,
	})
	h := m.form.Huh()
	h.SubmitCmd = func() tea.Msg { return submittedMsg{gen} }
	h.CancelCmd = func() tea.Msg { return abortedMsg{gen} }
	m.stage = StageForm
	m.syncSize()
	m.syncBackground()
}

func (m *Model) formWidth() int { return max(30, min(m.width, 100)) }

// Rebuild recreates the form (going back from review, or after an error) and
// returns its Init command.
func (m *Model) Rebuild() tea.Cmd {
	m.build()
	return m.Init()
}

// Rejected shows the server's REJECT reason beside the field it names (or
// above the form) and returns to the form with the values kept.
func (m *Model) Rejected(reason string) tea.Cmd {
	safe := termsafe.Text(reason)
	m.errs = map[string]string{}
	m.formErr = ""
	if path, ok := m.schema.FieldForReason(reason); ok && path != "" {
		m.errs[path] = safe
		m.formErr = "The server refused the answer (see the field marked below)."
	} else {
		m.formErr = "The server refused the answer: " + safe
	}
	return m.Rebuild()
}

// SetStage moves to a stage (the root uses it after a send fails or must
// wait: back to review).
func (m *Model) SetStage(s Stage) { m.stage = s }

// SetSize sets the area of the form or review.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.syncSize()
}

func (m *Model) headerLines() int {
	n := 2 // title + blank
	if m.note != "" {
		n++
	}
	if m.queue != "" {
		n++
	}
	if len(m.choices) > 0 {
		n++
	}
	n += len(m.contextLines())
	if m.formErr != "" {
		n += strings.Count(common.Wrap(m.formErr, max(1, m.width)), "\n") + 1
	}
	return n
}

func (m *Model) syncSize() {
	if m.form == nil || m.width <= 0 {
		return
	}
	h := m.form.Huh()
	h.WithWidth(m.formWidth())
	// huh sizes its groups from WindowSizeMsg: give it the area under our
	// header, not the terminal.
	// (minus two lines for huh's own key help under the group).
	h.Update(tea.WindowSizeMsg{Width: m.formWidth(), Height: max(3, m.height-m.headerLines()-2)})
	m.sizeReview()
}

// sizeReview fits the JSON viewport to its content, leaving room for the
// title lines and the question below it.
func (m *Model) sizeReview() {
	m.review.SetWidth(max(1, m.width))
	lines := m.review.TotalLineCount()
	room := m.height - 5
	if m.queue != "" {
		room--
	}
	m.review.SetHeight(max(1, min(lines, room)))
}

// syncBackground tells huh the background the app decided on (which may be
// a configured override rather than the terminal's answer).
func (m *Model) syncBackground() {
	if m.form == nil {
		return
	}
	bg := tea.BackgroundColorMsg{Color: darkBG}
	if !m.c.IsDark {
		bg = tea.BackgroundColorMsg{Color: lightBG}
	}
	m.form.Huh().Update(bg)
}

// SyncTheme re-applies the app's background decision to the form.
func (m *Model) SyncTheme() { m.syncBackground() }

// Update handles a message while this flow is on screen (or a huh message
// still in flight). It returns the command to run and what happened.
func (m *Model) Update(msg tea.Msg) (tea.Cmd, Event) {
	switch msg := msg.(type) {
	case cursor.BlinkMsg:
		// No animation: the cursor stays visible and still.
		return nil, EventNone
	case submittedMsg:
		if msg.gen != m.gen {
			return nil, EventNone
		}
		return m.submitted()
	case abortedMsg:
		if msg.gen != m.gen {
			return nil, EventNone
		}
		return m.Rebuild(), EventBack
	case tea.BackgroundColorMsg:
		// The root decides dark or light (config may override the
		// terminal); it calls SyncTheme.
		return nil, EventNone
	}

	switch m.stage {
	case StageReview:
		return m.updateReview(msg)
	case StageSending:
		return nil, EventNone
	}

	if i := m.choiceKey(msg); i >= 0 && !m.fieldFiltering() {
		return m.Pick(i)
	}
	if kp, ok := msg.(tea.KeyPressMsg); ok && kp.String() == "esc" && !m.fieldFiltering() {
		m.snapshot()
		return nil, EventBack
	}
	if kp, ok := msg.(tea.KeyPressMsg); ok && key.Matches(kp, m.c.Keys.EditAnswer) {
		m.snapshot()
		return nil, EventEdit
	}
	hf := m.form.Huh()
	if hf.State != huh.StateNormal {
		return nil, EventNone
	}
	model, cmd := hf.Update(msg)
	if f, ok := model.(*huh.Form); ok && f != hf {
		// huh returns the same form; a different one would break SubmitCmd.
		_ = f
	}
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
		if m.snapshot() {
			return cmd, EventChanged
		}
	}
	return cmd, EventNone
}

// fieldFiltering reports whether the focused field is a select whose filter
// is open: esc then belongs to the field (clear filter), not to us.
func (m *Model) fieldFiltering() bool {
	f := m.form.Huh().GetFocusedField()
	if ff, ok := f.(interface{ GetFiltering() bool }); ok {
		return ff.GetFiltering()
	}
	return false
}

// snapshot reads the current answer from the form and reports a change.
func (m *Model) snapshot() bool {
	v, _ := m.form.Answer()
	raw := m.form.Entered()
	if v == nil || (reflect.DeepEqual(v, m.values) && reflect.DeepEqual(raw, m.raw)) {
		return false
	}
	m.values, m.raw = v, raw
	return true
}

// Edited takes the answer the operator wrote in $EDITOR: the form is rebuilt
// from it (what the widgets held before is dropped) and, when it is valid,
// submitted, so the review shows the exact JSON as after the last field.
// fieldErrs are problems the file could not fix (a required secret), shown
// beside their fields.
func (m *Model) Edited(values map[string]any, fieldErrs map[string]string) (tea.Cmd, Event) {
	m.values, m.raw = values, nil
	m.errs, m.formErr = fieldErrs, ""
	m.build()
	if len(fieldErrs) > 0 {
		m.formErr = "Fill in the fields marked below (they cannot be written in the file)."
		return m.Init(), EventInvalid
	}
	cmd, ev := m.submitted()
	return tea.Batch(m.Init(), cmd), ev
}

// Snapshot refreshes Values from the form (used before leaving it).
func (m *Model) Snapshot() bool { return m.snapshot() }

func (m *Model) submitted() (tea.Cmd, Event) {
	v, errs := m.form.Answer()
	if v != nil {
		m.values = v
	}
	m.raw = m.form.Entered()
	if len(errs) > 0 {
		m.errs = map[string]string{}
		m.formErr = ""
		var whole []string
		for _, e := range errs {
			msg := termsafe.Line(e.Message)
			if e.Path == "" {
				whole = append(whole, msg)
				continue
			}
			if _, dup := m.errs[e.Path]; !dup {
				m.errs[e.Path] = msg
			}
		}
		n := len(errs)
		m.formErr = fmt.Sprintf("%d problem(s) to fix before sending.", n)
		if len(whole) > 0 {
			m.formErr += " " + strings.Join(whole, "; ")
		}
		return m.Rebuild(), EventInvalid
	}
	raw, err := m.schema.Marshal(m.values)
	if err != nil {
		m.formErr = "Could not encode the answer: " + termsafe.Line(err.Error())
		return m.Rebuild(), EventInvalid
	}
	m.errs = nil
	m.formErr = ""
	m.payload = raw
	m.stage = StageReview
	m.review.SetContent(m.reviewContent())
	m.sizeReview()
	m.review.GotoTop()
	return nil, EventChanged
}

func (m *Model) reviewContent() string {
	// Secrets are sent as typed but never shown on screen.
	shown := m.payload
	note := ""
	if masked, err := m.schema.Marshal(m.schema.MaskSecrets(m.values)); err == nil && !bytes.Equal(masked, m.payload) {
		shown, note = masked, "\n(secret values are hidden here; they are sent as typed)"
	}
	var buf bytes.Buffer
	text := string(shown)
	if err := json.Indent(&buf, shown, "", "  "); err == nil {
		text = buf.String()
	}
	return termsafe.Text(text + note)
}

func (m *Model) updateReview(msg tea.Msg) (tea.Cmd, Event) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, EventNone
	}
	k := m.c.Keys
	switch {
	case key.Matches(kp, k.Confirm):
		m.stage = StageSending
		return nil, EventSend
	case key.Matches(kp, k.Deny):
		return m.Rebuild(), EventNone
	case key.Matches(kp, k.EditInReview), key.Matches(kp, k.EditAnswer):
		return nil, EventEdit
	}
	k.Scroll(&m.review, kp)
	return nil, EventNone
}

// scrollLine says what of the JSON is out of view and how to see it; ""
// when all of it shows.
func (m *Model) scrollLine() string {
	above := m.review.YOffset()
	below := max(0, m.review.TotalLineCount()-above-m.review.Height())
	if above == 0 && below == 0 {
		return ""
	}
	var parts []string
	if above > 0 {
		parts = append(parts, "↑ "+common.Plural(above, "line", "lines")+" above")
	}
	if below > 0 {
		parts = append(parts, "↓ "+common.Plural(below, "more line", "more lines")+" below")
	}
	return strings.Join(parts, " · ") + " · j/k, pgup/pgdn, g/G scroll"
}

// View renders the current stage.
func (m *Model) View() string {
	s := m.c.Styles
	var b strings.Builder
	switch m.stage {
	case StageForm:
		b.WriteString(s.Title.Render("Answer: "+m.RunName) + s.Dim.Render("   enter/tab next · shift+tab back · esc leave (kept)"))
		b.WriteString("\n")
		if m.queue != "" {
			b.WriteString(s.Info.Render(m.queue) + "\n")
		}
		if len(m.choices) > 0 {
			b.WriteString(m.choicesLine() + "\n")
		}
		if m.note != "" {
			b.WriteString(s.Info.Render(m.note) + "\n")
		}
		for _, l := range m.contextLines() {
			b.WriteString(l + "\n")
		}
		if m.formErr != "" {
			b.WriteString(s.Error.Render(common.Wrap(m.formErr, max(1, m.width))) + "\n")
		}
		b.WriteString("\n")
		// forms sanitises labels, but a value pre-filled from the schema
		// (a default) is shown by huh's text input as is; filter the
		// rendered form so only SGR and printable text reach the terminal.
		b.WriteString(termsafe.RenderedANSI(m.form.Huh().View()))
	case StageReview, StageSending:
		b.WriteString(s.Title.Render("Review the answer for " + m.RunName))
		b.WriteString("\n")
		if m.queue != "" {
			b.WriteString(s.Info.Render(m.queue) + "\n")
		}
		b.WriteString(s.Label.Render("This exact JSON will be sent as the run input:"))
		b.WriteString("\n")
		b.WriteString(m.review.View())
		// The line under the JSON says when some of it is out of view.
		b.WriteString("\n" + s.Warning.Render(m.scrollLine()) + "\n")
		if m.stage == StageSending {
			b.WriteString(s.Info.Render("Sending…"))
		} else {
			b.WriteString(s.KeyHint.Render("Send it? ") + s.KeyDesc.Render("y send · n/esc back to the form · e edit in $EDITOR"))
		}
	}
	return common.Fit(b.String(), m.width, m.height)
}

// ErrorPaths lists the fields with errors, sorted (for tests and status).
func (m *Model) ErrorPaths() []string {
	return slices.Sorted(maps.Keys(m.errs))
}

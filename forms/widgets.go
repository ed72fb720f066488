package forms

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

// --- page layout ---

type pendingGroup struct {
	title, desc string
	hide        func() bool
	specs       []spec
}

type groupBuilder struct {
	groups []*pendingGroup
	cur    *pendingGroup
}

func (gb *groupBuilder) start(title, desc string, hide func() bool) {
	gb.flush()
	gb.cur = &pendingGroup{title: title, desc: desc, hide: hide}
}

func (gb *groupBuilder) add(ss ...spec) { gb.cur.specs = append(gb.cur.specs, ss...) }

func (gb *groupBuilder) flush() {
	if gb.cur != nil && len(gb.cur.specs) > 0 {
		gb.groups = append(gb.groups, gb.cur)
	}
	gb.cur = nil
}

func (gb *groupBuilder) size() int {
	if gb.cur == nil {
		return 0
	}
	return len(gb.cur.specs)
}

// addGroups lays fields out in schema order: runs of plain fields share a
// page (at most maxFieldsPerGroup), each nested model gets its own titled
// page (after its "fill in / leave empty" choice, and hidden unless filled
// in), and the parent's remaining fields continue after it.
func (fm *Form) addGroups(gb *groupBuilder, hs []*holder, title, desc string, hide func() bool) {
	gb.start(title, desc, hide)
	for _, h := range hs {
		f := h.f
		if gb.size() >= maxFieldsPerGroup {
			gb.start(continued(title), "", hide)
		}
		if f.Kind != inputschema.Object {
			gb.add(fm.specs(h)...)
			continue
		}
		childHide := hide
		if len(h.extras) > 0 {
			gb.add(fm.includeSpec(h))
			parent := hide
			childHide = func() bool {
				return h.choice != optFill || (parent != nil && parent())
			}
		}
		sub := oneLine(fm.clean(strings.TrimSuffix(f.Label(), " *")))
		if title != "" {
			sub = title + " › " + sub
		}
		groupDesc := fm.clean(f.Description)
		if h.serverErr != "" && len(h.extras) == 0 {
			groupDesc = strings.TrimPrefix(groupDesc+"\n✗ "+oneLine(fm.clean(h.serverErr)), "\n")
		}
		fm.addGroups(gb, h.children, sub, groupDesc, childHide)
		gb.start(continued(title), "", hide)
	}
	gb.flush()
}

func continued(title string) string {
	if title == "" {
		return ""
	}
	return title + " (continued)"
}

func (fm *Form) clean(s string) string { return fm.sanitize(s) }

func (fm *Form) label(f *inputschema.Field) string { return oneLine(fm.clean(f.Label())) }

// --- widget specs ---

// spec describes one huh field before it exists: enough to build it and to
// know how many lines it takes. huh renders every field of every page when
// a form is built and on every window resize (to size the pages), and a
// Select costs ~0.3 ms per render; building a 200-field form eagerly took
// over 100 ms. Fields are therefore built when their page is first used,
// and until then answer only how tall they will be.
type spec struct {
	key    string
	title  string // exactly as given to the widget
	desc   string // the initial description, exactly as given
	body   int    // lines below title and description: 1 (input), n (text), options (select)
	height int    // an explicit Height() given to the widget, 0 if none
	skip   bool   // a Note: focus passes over it
	card   bool   // a Note: rendered in a card, measured by rendering it
	build  func() huh.Field
}

// maxPickerMembers is the longest enum offered as a picker. huh builds an
// option per member and filters them all on each key (a 200,000-member enum
// took seconds to open and per key), so a longer one is a text field checked
// against its members.
const maxPickerMembers = 1000

// widgetKind is the kind of widget a field gets: its own, except that an
// enum too long to pick from is typed like text.
func widgetKind(f *inputschema.Field) inputschema.Kind {
	switch {
	case len(f.Enum) <= maxPickerMembers:
	case f.Kind == inputschema.Enum:
		return inputschema.String
	case f.Kind == inputschema.MultiEnum:
		return inputschema.List // one member per line
	}
	return f.Kind
}

func (fm *Form) specs(h *holder) []spec {
	f := h.f
	switch widgetKind(f) {
	case inputschema.Const:
		return []spec{fm.noteSpec(fm.label(f), fm.staticHelp(h, "fixed value "+oneLine(fm.clean(inputschema.MemberText(f.Enum[0])))+" (always sent)"))}
	case inputschema.Boolean, inputschema.Enum:
		return []spec{fm.choiceSpec(h)}
	case inputschema.MultiEnum:
		return []spec{fm.multiSpec(h)}
	case inputschema.Tuple:
		var out []spec
		for i, c := range h.children {
			out = append(out, fm.tupleSpec(h, c, i))
		}
		return out
	case inputschema.Union:
		return []spec{fm.unionSelectSpec(h), fm.unionInputSpec(h)}
	case inputschema.List, inputschema.JSON:
		return []spec{fm.textSpec(h)}
	}
	return []spec{fm.inputSpec(h)}
}

func (fm *Form) noteSpec(title, desc string) spec {
	return spec{title: title, desc: desc, skip: true, card: true, build: func() huh.Field {
		n := huh.NewNote()
		n.WithTheme(fm.theme)
		return n.Title(title).Description(desc)
	}}
}

func (fm *Form) continueSpec() spec {
	var next string
	opts := []huh.Option[string]{huh.NewOption("next", "next")}
	return spec{title: "Continue", body: 1, build: func() huh.Field {
		return fm.selectField().Title("Continue").Options(opts...).Value(&next)
	}}
}

func (fm *Form) inputSpec(h *holder) spec {
	f := h.f
	title := fm.label(f)
	hint := fm.hint(f)
	desc := fm.liveHelp(h, hint)
	return spec{key: f.Path, title: title, desc: desc, body: 1, build: func() huh.Field {
		in := fm.inputField().Key(f.Path).Title(title).Description(desc).Value(&h.text).
			Validate(func(s string) error { _, _, err := fm.schema.ParseText(f, s); return err })
		if f.Format == "password" {
			in.EchoMode(huh.EchoModePassword)
		}
		if p := fm.placeholder(f); p != "" {
			in.Placeholder(p)
		}
		return in.DescriptionFunc(func() string { return fm.liveHelp(h, hint) }, &h.text)
	}}
}

func (fm *Form) textSpec(h *holder) spec {
	f := h.f
	title := fm.label(f)
	hint := fm.hint(f)
	desc := fm.liveHelp(h, hint)
	lines := max(3, min(strings.Count(h.text, "\n")+1, 8))
	return spec{key: f.Path, title: title, desc: desc, body: lines, build: func() huh.Field {
		t := fm.textField().Key(f.Path).Title(title).Description(desc).Value(&h.text).
			Validate(func(s string) error { _, _, err := fm.schema.ParseText(f, s); return err }).
			ExternalEditor(false).Lines(lines) // ctrl+e edits the whole answer (tui/editor)
		return t.DescriptionFunc(func() string { return fm.liveHelp(h, hint) }, &h.text)
	}}
}

func (fm *Form) tupleSpec(h, c *holder, i int) spec {
	f := h.f
	title := fmt.Sprintf("%s — %d of %d", fm.label(f), i+1, len(h.children))
	hint := fm.positionHint(f, c.f)
	desc := fm.liveHelp(c, hint)
	return spec{key: c.f.Path, title: title, desc: desc, body: 1, build: func() huh.Field {
		in := fm.inputField().Key(c.f.Path).Title(title).Description(desc).Value(&c.text).
			Validate(func(s string) error {
				if strings.TrimSpace(s) == "" && !f.Required && fm.tupleEmpty(h) {
					return nil
				}
				_, _, err := fm.schema.ParseText(c.f, s)
				return err
			})
		return in.DescriptionFunc(func() string { return fm.liveHelp(c, hint) }, &c.text)
	}}
}

func (fm *Form) tupleEmpty(h *holder) bool {
	for _, c := range h.children {
		if strings.TrimSpace(c.text) != "" {
			return false
		}
	}
	return true
}

func (fm *Form) placeholder(f *inputschema.Field) string {
	switch f.Format {
	case "date-time":
		return inputschema.DateTimeExample(fm.schema.TimeZone(), time.Now())
	case "date":
		return "YYYY-MM-DD"
	case "time":
		return "HH:MM"
	case "duration":
		return "5m, 1h30m or PT5M"
	case "uuid":
		return "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
	}
	return ""
}

func (fm *Form) extraOptions(h *holder) []huh.Option[string] {
	f := h.f
	var out []huh.Option[string]
	for _, e := range h.extras {
		switch e {
		case optUnset:
			label := "leave unset"
			if f.HasDefault && f.Default == nil {
				label = "none (leave unset)"
			}
			out = append(out, huh.NewOption(label, optUnset))
		case optNull:
			out = append(out, huh.NewOption("none (null)", optNull))
		}
	}
	return out
}

// selectSpec builds a single-choice Select; long lists start in filter
// mode (typing filters) with a fixed height.
func (fm *Form) selectSpec(h *holder, title, desc string, opts []huh.Option[string], validate func(string) error) spec {
	f := h.f
	sp := spec{key: f.Path, title: title, desc: desc, body: len(opts)}
	long := len(opts) > 8
	if long {
		sp.height = 8 + fm.textLines(title, desc, 0)
	}
	sp.build = func() huh.Field {
		sel := fm.selectField().Key(f.Path).Title(title).Description(desc)
		if long {
			sel.Filtering(true).Height(sp.height)
		}
		sel.Options(opts...).Value(&h.choice)
		if validate != nil {
			sel.Validate(validate)
		}
		return sel
	}
	return sp
}

// chooseOption is the "— choose —" placeholder a select starts with when it
// has no default, or none.
func chooseOption(h *holder) []huh.Option[string] {
	if slices.Contains(h.extras, optChoose) {
		return []huh.Option[string]{huh.NewOption("— choose —", optChoose)}
	}
	return nil
}

func (fm *Form) choiceSpec(h *holder) spec {
	f := h.f
	opts := chooseOption(h)
	if f.Kind == inputschema.Boolean {
		opts = append(opts, huh.NewOption("Yes", "true"), huh.NewOption("No", "false"))
	} else {
		for i, m := range f.Enum {
			opts = append(opts, huh.NewOption(oneLine(fm.clean(inputschema.MemberText(m))), "m"+strconv.Itoa(i)))
		}
	}
	opts = append(opts, fm.extraOptions(h)...)
	return fm.selectSpec(h, fm.label(f), fm.staticHelp(h, fm.choiceHint(h, len(opts))), opts, func(c string) error {
		if c == optChoose {
			return inputschema.RequiredError{Hint: "choose one"}
		}
		return nil
	})
}

func (fm *Form) includeSpec(h *holder) spec {
	f := h.f
	name := oneLine(fm.clean(strings.TrimSuffix(f.Label(), " *")))
	opts := []huh.Option[string]{huh.NewOption("fill in "+name, optFill)}
	for _, o := range fm.extraOptions(h) {
		if o.Value == optUnset {
			o.Key = "leave empty"
			if f.HasDefault && f.Default == nil {
				o.Key = "leave empty (none)"
			}
		}
		opts = append(opts, o)
	}
	return fm.selectSpec(h, fm.label(f), fm.staticHelp(h, "a group of fields: fill it in on the next page, or leave it empty"), opts, nil)
}

func (fm *Form) multiSpec(h *holder) spec {
	f := h.f
	var opts []huh.Option[string]
	for i, m := range f.Enum {
		key := "m" + strconv.Itoa(i)
		opts = append(opts, huh.NewOption(oneLine(fm.clean(inputschema.MemberText(m))), key).Selected(slices.Contains(h.multi, key)))
	}
	hint := "space toggles"
	if c := f.ConstraintText(); c != "" {
		hint += " · " + c
	}
	if f.HasDefault && f.Default != nil {
		hint += " · default: " + oneLine(fm.clean(clip(compactJSON(f.Default))))
	}
	title, desc := fm.label(f), fm.staticHelp(h, hint)
	// Without an explicit height huh's MultiSelect hides as many options
	// as its title and description take lines.
	height := min(len(opts), 10) + fm.textLines(title, desc, 0)
	return spec{key: f.Path, title: title, desc: desc, height: height, build: func() huh.Field {
		ms := fm.multiField().Key(f.Path).Title(title).Description(desc).Options(opts...).Value(&h.multi).
			Validate(func(keys []string) error {
				hh := *h
				hh.multi = keys
				if _, _, errs := fm.value(&hh); len(errs) > 0 {
					return fmt.Errorf("%s", errs[0].Message)
				}
				return nil
			}).Height(height)
		if f.Constraints.MaxItems != nil && *f.Constraints.MaxItems > 0 {
			ms.Limit(*f.Constraints.MaxItems)
		}
		return ms
	}}
}

func (fm *Form) unionSelectSpec(h *holder) spec {
	f := h.f
	opts := chooseOption(h)
	for i, vf := range f.Variants {
		opts = append(opts, huh.NewOption(oneLine(fm.clean(vf.Name)), "m"+strconv.Itoa(i)))
	}
	opts = append(opts, fm.extraOptions(h)...)
	return fm.selectSpec(h, fm.label(f), fm.staticHelp(h, "choose the kind of value, then type it below"), opts, func(c string) error {
		if c == optChoose {
			return inputschema.RequiredError{Hint: "choose an alternative"}
		}
		return nil
	})
}

func (fm *Form) unionInputSpec(h *holder) spec {
	f := h.f
	help := func() string {
		vf := fm.variant(h)
		if vf == nil {
			return "not used for this choice\n "
		}
		tmp := &holder{f: vf, text: h.text, initialText: h.initialText, serverErr: h.serverErr}
		return fm.liveHelp(tmp, fm.hint(vf))
	}
	desc := help()
	key := f.Path + "#value"
	return spec{key: key, title: "  value", desc: desc, body: 1, build: func() huh.Field {
		in := fm.inputField().Key(key).Title("  value").Description(desc).Value(&h.text).
			Validate(func(s string) error {
				vf := fm.variant(h)
				if vf == nil {
					return nil // none / unset / choose: nothing to type
				}
				_, _, err := fm.schema.ParseText(vf, s)
				return err
			})
		return in.DescriptionFunc(help, []any{&h.text, &h.choice})
	}}
}

// textLines is how many lines a title and description take at a width,
// counted the way huh renders them (its wrap, then the style's frame).
func (fm *Form) textLines(title, desc string, width int) int {
	st := &fm.theme.Theme(false).Blurred
	maxW := width - st.Base.GetHorizontalFrameSize()
	count := func(s string, style lipgloss.Style) int {
		if maxW > 0 {
			s = huhWrap(s, maxW)
		}
		return strings.Count(s, "\n") + 1 + style.GetVerticalFrameSize()
	}
	n := 0
	if title != "" {
		n += count(title, st.Title)
	}
	if desc != "" {
		n += count(desc, st.Description)
	}
	return n
}

// huhWrap is huh's own wrapping (wrap.go), so estimates match renders.
func huhWrap(s string, limit int) string { return lipgloss.Wrap(s, limit, ",.-; ") }

// --- help lines ---

// hint is the second help line of a text widget: what it takes and how
// to reset it.
func (fm *Form) hint(f *inputschema.Field) string {
	parts := []string{f.TypeHint()}
	switch {
	case widgetKind(f) != f.Kind: // an enum too long to pick from
		each := ""
		if f.Kind == inputschema.MultiEnum {
			each = ", one per line"
		}
		parts = []string{"type one of " + thousands(len(f.Enum)) + " values" + each + "; see unpause show RUN"}
	case f.Kind == inputschema.Enum || f.Kind == inputschema.Union:
		parts = parts[:0]
	case f.Kind == inputschema.List:
		parts = []string{f.TypeHint() + ", one per line"}
		if c := f.Items.ConstraintText(); c != "" {
			parts = append(parts, "each "+c)
		}
	}
	if f.Format == "date-time" {
		parts = append(parts, "time zone "+inputschema.ZoneName(fm.schema.TimeZone(), time.Now()))
	}
	if c := f.ConstraintText(); c != "" {
		parts = append(parts, oneLine(fm.clean(c)))
	}
	if f.Recursive() {
		parts = append(parts, "recursive model, edit as JSON")
	}
	switch {
	case f.MaskedDefault():
		parts = append(parts, "empty keeps the flow's hidden default")
	case !f.Required && f.HasDefault && f.Default != nil:
		parts = append(parts, "empty = flow default")
	case !f.Required:
		parts = append(parts, "empty = leave unset")
	}
	if f.HasDefault && !f.MaskedDefault() && f.Default != nil {
		parts = append(parts, inputschema.DefaultCommand+" = "+oneLine(fm.clean(clip(compactJSON(f.Default)))))
	}
	if f.Nullable {
		parts = append(parts, inputschema.NullCommand+" = none")
	}
	if f.Required && emptyAllowed(fm.schema, f) {
		parts = append(parts, inputschema.EmptyCommand+" = empty")
	}
	if widgetKind(f) == inputschema.List {
		parts = append(parts, "ctrl+j new line")
	}
	if f.Kind == inputschema.JSON {
		parts = append(parts, "ctrl+j new line, ctrl+e $EDITOR")
	}
	return strings.Join(parts, " · ")
}

// emptyAllowed reports whether \empty can be a valid answer for f, so the
// hint never offers a command the field would refuse.
func emptyAllowed(s *inputschema.Schema, f *inputschema.Field) bool {
	switch f.Kind {
	case inputschema.String:
		return s.CheckValue(f, "") == nil
	case inputschema.List:
		return s.CheckValue(f, []any{}) == nil
	}
	return false
}

func (fm *Form) positionHint(tuple, pos *inputschema.Field) string {
	parts := []string{pos.TypeHint()}
	if c := pos.ConstraintText(); c != "" {
		parts = append(parts, oneLine(fm.clean(c)))
	}
	if !tuple.Required {
		parts = append(parts, "all empty = leave unset")
	}
	return strings.Join(parts, " · ")
}

func (fm *Form) choiceHint(h *holder, options int) string {
	f := h.f
	if options > 8 {
		return "type to filter · enter picks"
	}
	if f.HasDefault && f.Default != nil {
		return "default: " + oneLine(fm.clean(clip(inputschema.MemberText(f.Default))))
	}
	return ""
}

// staticHelp: description, hint, then a server error if any.
func (fm *Form) staticHelp(h *holder, hint string) string {
	var lines []string
	if d := fm.clean(h.f.Description); d != "" {
		lines = append(lines, d)
	}
	if hint != "" {
		lines = append(lines, hint)
	}
	if h.serverErr != "" {
		lines = append(lines, "✗ "+oneLine(fm.clean(h.serverErr)))
	}
	return strings.Join(lines, "\n")
}

// liveHelp is the description of a text widget: the field's description,
// the hint, and a feedback line on what is typed: the exact value that will
// be sent when it differs from the text (date-times, durations), or the
// problem with it. The feedback line is always there (blank when there is
// nothing to say) so the field does not change height while typing.
func (fm *Form) liveHelp(h *holder, hint string) string {
	var lines []string
	if d := fm.clean(h.f.Description); d != "" {
		lines = append(lines, d)
	}
	lines = append(lines, hint)
	feedback := " "
	if h.serverErr != "" && h.text == h.initialText {
		feedback = "✗ " + oneLine(fm.clean(h.serverErr))
	} else if strings.TrimSpace(h.text) != "" {
		v, present, err := fm.schema.ParseText(h.f, h.text)
		switch {
		case err != nil:
			feedback = "✗ " + oneLine(fm.clean(err.Error()))
		case !present:
		case v == nil:
			feedback = "→ sends null"
		case fm.showsSent(h.f, v, h.text):
			feedback = "→ sends " + oneLine(fm.clean(clip(compactJSON(v))))
		}
	}
	lines = append(lines, clipRunes(feedback, 76))
	return strings.Join(lines, "\n")
}

// clip shortens a value shown in a help line as inputschema's messages
// do: at most 40 characters, then an ellipsis.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (fm *Form) showsSent(f *inputschema.Field, v any, text string) bool {
	if strings.HasPrefix(strings.TrimSpace(text), `\`) {
		return true
	}
	switch f.Kind {
	case inputschema.String:
		s, _ := v.(string)
		return f.Format != "" && f.Format != "password" && s != text
	case inputschema.Integer, inputschema.Number:
		return inputschema.MemberText(v) != strings.TrimSpace(text)
	}
	return false
}

// thousands writes n with commas: 200,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// stripControls is the default Sanitize: it drops C0/C1 control characters
// (keeping newline and tab), DEL, and bidi and other invisible format
// characters, which could rewrite the terminal or disguise text.
func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		case unicode.Is(unicode.Cf, r) && r != 0x200d:
			return -1
		}
		return r
	}, s)
}

// --- theme ---

// cachedTheme computes huh styles once per background: huh asks its theme
// for styles on every render of every option, and ThemeCharm builds them
// from scratch each time.
type cachedTheme struct {
	base        huh.Theme
	mu          sync.Mutex
	dark, light *huh.Styles
}

func (c *cachedTheme) setBase(t huh.Theme) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.dark, c.light = t, nil, nil
}

func (c *cachedTheme) Theme(isDark bool) *huh.Styles {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := &c.light
	if isDark {
		p = &c.dark
	}
	if *p == nil {
		st := c.base.Theme(isDark)
		// Labels already mark required fields with " *"; huh's own error
		// indicator would add a second one. The message below says it all.
		st.Focused.ErrorIndicator = st.Focused.ErrorIndicator.SetString("")
		st.Blurred.ErrorIndicator = st.Blurred.ErrorIndicator.SetString("")
		*p = st
	}
	return *p
}

// Widgets get the theme before anything renders them.
func (fm *Form) inputField() *huh.Input {
	in := huh.NewInput()
	in.WithTheme(fm.theme)
	return in
}

func (fm *Form) textField() *huh.Text {
	t := huh.NewText()
	t.WithTheme(fm.theme)
	return t
}

func (fm *Form) selectField() *huh.Select[string] {
	s := huh.NewSelect[string]()
	s.WithTheme(fm.theme)
	return s
}

func (fm *Form) multiField() *huh.MultiSelect[string] {
	m := huh.NewMultiSelect[string]()
	m.WithTheme(fm.theme)
	return m
}

// --- lazily built fields ---

// lazyGroup builds all of a page's fields together, the first time any of
// them is focused, updated or run, so a page never shows a mix.
type lazyGroup struct {
	fields []*lazyField
	built  bool
}

func (g *lazyGroup) build() {
	if g.built {
		return
	}
	g.built = true
	for _, f := range g.fields {
		f.materialize()
	}
}

// lazyField is a huh.Field that stands in for the real widget until its
// page is used. Before that it renders as blank lines of the real widget's
// height (huh only measures pages it does not show), and it records the
// settings huh pushes to it so the real widget gets them.
type lazyField struct {
	spec
	fm    *Form
	group *lazyGroup
	real  huh.Field

	keymap    *huh.KeyMap
	width     int
	height    int
	pos       *huh.FieldPosition
	estimates map[int]string
}

var _ huh.Field = (*lazyField)(nil)

func (l *lazyField) materialize() {
	if l.real != nil {
		return
	}
	f := l.build()
	if l.keymap != nil {
		f = f.WithKeyMap(l.keymap)
	}
	if l.width > 0 {
		f = f.WithWidth(l.width)
	}
	if l.height > 0 {
		f = f.WithHeight(l.height)
	}
	if l.pos != nil {
		f = f.WithPosition(*l.pos)
	}
	l.real = f
}

func (l *lazyField) get() huh.Field {
	l.group.build()
	return l.real
}

// GetFiltering reports whether the real widget is a select whose filter is
// open (huh's Select.GetFiltering): its keys, esc included, are the
// filter's then.
func (l *lazyField) GetFiltering() bool {
	f, ok := l.real.(interface{ GetFiltering() bool })
	return ok && f.GetFiltering()
}

// UsesLineKeys reports whether field f moves with ctrl+n and ctrl+p: a text
// area between lines (bubbles' textarea LineNext/LinePrevious), a select or
// multi-select between options (huh's keymap), so a caller binding them
// elsewhere must leave them to it there.
func UsesLineKeys(f huh.Field) bool {
	if l, ok := f.(*lazyField); ok {
		f = l.get()
	}
	switch f.(type) {
	case *huh.Text, *huh.Select[string], *huh.MultiSelect[string]:
		return true
	}
	return false
}

// Built reports whether the real widget exists (tests).
func (l *lazyField) Built() bool { return l.real != nil }

func (l *lazyField) Init() tea.Cmd { return l.get().Init() }

func (l *lazyField) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	m, cmd := l.get().Update(msg)
	if f, ok := m.(huh.Field); ok {
		l.real = f
	}
	return l, cmd
}

func (l *lazyField) View() string {
	if l.real != nil {
		return l.real.View()
	}
	s, ok := l.estimates[l.width]
	if !ok {
		s = strings.Repeat("\n", max(l.lines(l.width), 1)-1)
		if l.estimates == nil {
			l.estimates = map[int]string{}
		}
		l.estimates[l.width] = s
	}
	return s
}

// lines is the height the real widget will render with, unfocused.
func (l *lazyField) lines(width int) int {
	if l.card {
		// Notes render Markdown in a card: measure a real one (cheap).
		return lipgloss.Height(l.spec.build().WithTheme(l.fm.theme).WithWidth(width).View())
	}
	if l.spec.height > 0 {
		return l.spec.height
	}
	st := &l.fm.theme.Theme(false).Blurred
	return l.fm.textLines(l.title, l.desc, width) + l.body + st.Base.GetVerticalFrameSize()
}

func (l *lazyField) Blur() tea.Cmd {
	if l.real == nil {
		return nil
	}
	return l.real.Blur()
}

func (l *lazyField) Focus() tea.Cmd { return l.get().Focus() }

func (l *lazyField) Error() error {
	if l.real == nil {
		return nil
	}
	return l.real.Error()
}

func (l *lazyField) Run() error { return l.get().Run() }

func (l *lazyField) RunAccessible(w io.Writer, r io.Reader) error {
	return l.get().RunAccessible(w, r)
}

func (l *lazyField) Skip() bool { return l.skip }

func (l *lazyField) Zoom() bool {
	if l.real == nil {
		return false
	}
	return l.real.Zoom()
}

// KeyBinds of an unbuilt field: huh asks every page for its footer height
// (one help line), which must not build the page.
func (l *lazyField) KeyBinds() []key.Binding {
	if l.real != nil {
		return l.real.KeyBinds()
	}
	k := l.keymap
	if k == nil {
		k = huh.NewDefaultKeyMap()
	}
	return []key.Binding{k.Input.Prev, k.Input.Submit, k.Input.Next}
}

// WithTheme: every widget of the form draws through the form's one
// cachedTheme, so a theme set on the huh form after NewForm (e.g. when the
// terminal's background is known) replaces its base for all of them.
func (l *lazyField) WithTheme(t huh.Theme) huh.Field {
	if ct, ok := t.(*cachedTheme); t != nil && (!ok || ct != l.fm.theme) {
		l.fm.theme.setBase(t)
	}
	return l
}

func (l *lazyField) WithKeyMap(k *huh.KeyMap) huh.Field {
	l.keymap = k
	if l.real != nil {
		l.real = l.real.WithKeyMap(k)
	}
	return l
}

func (l *lazyField) WithWidth(w int) huh.Field {
	l.width = w
	if l.real != nil {
		l.real = l.real.WithWidth(w)
	}
	return l
}

func (l *lazyField) WithHeight(h int) huh.Field {
	l.height = h
	if l.real != nil {
		l.real = l.real.WithHeight(h)
	}
	return l
}

func (l *lazyField) WithPosition(p huh.FieldPosition) huh.Field {
	l.pos = &p
	if l.real != nil {
		l.real = l.real.WithPosition(p)
	}
	return l
}

func (l *lazyField) GetKey() string { return l.key }

func (l *lazyField) GetValue() any { return l.get().GetValue() }

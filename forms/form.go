// Package forms builds the huh form for a run input schema parsed by
// package inputschema: one widget per field, pages laid out in schema order,
// and the answer read back from the widgets through inputschema's field
// text rules.
//
// Titles, descriptions and enum members come from the API and are
// untrusted; the form shows them only after FormOptions.Sanitize.
package forms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/huh/v2"

	"github.com/unpause-dev/unpause/forms/inputschema"
)

// FormOptions configure NewForm.
type FormOptions struct {
	Width      int
	Accessible bool
	Theme      huh.Theme
	// Errors shows a message on a field (by path), e.g. the server's
	// REJECT reason mapped with FieldForReason; on a text field until its
	// value changes. Path "" (the answer as a whole) goes on the first field.
	Errors map[string]string
	// Sanitize cleans every string that came from the API (titles,
	// descriptions, enum members, error texts) before it is displayed.
	// nil uses a built-in filter that drops control and bidi characters.
	Sanitize func(string) string
	// Entered restores what the widgets held, saved by Form.Entered, over
	// initial and the defaults, so text that does not parse yet survives.
	Entered Entered
}

// Entered is what the operator entered into every widget, by field path:
// exactly what was typed or chosen, valid or not. Answer drops what does
// not parse; Entered keeps it, for going back to the form, a failed
// submit, or a draft on disk after a crash. Tuple positions are keyed
// "path[i]".
type Entered map[string]EnteredField

// EnteredField is what one widget holds: its text, its choice or its
// selected options.
type EnteredField struct {
	Text   *string  `json:"text,omitempty"`
	Choice string   `json:"choice,omitempty"`
	Multi  []string `json:"multi,omitempty"`
}

// Form is a huh form for a Schema plus the typed value holders behind it.
//
// How fields behave (also shown in each field's help line):
//   - text fields: an empty optional field is left out of the answer (the
//     flow applies its own default); \default resets to the schema default,
//     \null sends null where allowed, \empty sends an empty text or list, and
//     a leading \\ types a literal backslash;
//   - choices (yes/no, enums, "fill in / leave empty" for optional nested
//     models, union alternatives) are Selects whose extra options say
//     "— choose —" (required, must be changed), "leave unset" and "none (null)";
//   - lists take one item per line; dicts and anything else are JSON, with
//     ctrl+e opening $EDITOR.
type Form struct {
	theme    *cachedTheme
	lazies   []*lazyField
	schema   *inputschema.Schema
	form     *huh.Form
	root     []*holder
	opts     FormOptions
	sanitize func(string) string
}

// holder keeps the widget state of one field.
type holder struct {
	f        *inputschema.Field
	text     string   // Input / Text
	choice   string   // Select: a member key or one of the opt* keys
	multi    []string // MultiSelect member keys
	children []*holder

	initialText string
	serverErr   string
	extras      []string // special options present in the select
}

// Special Select values; member options use "m<index>".
const (
	optChoose = "\x00choose"
	optUnset  = "\x00unset"
	optNull   = "\x00null"
	optFill   = "\x00fill"
)

const maxFieldsPerGroup = 10

// NewForm builds the huh form for s. initial (an earlier answer in the same
// shape as Answer's, e.g. the previous answer of this run) overrides the
// schema defaults.
func NewForm(s *inputschema.Schema, initial map[string]any, o FormOptions) *Form {
	base := o.Theme
	if base == nil {
		base = huh.ThemeFunc(huh.ThemeCharm)
	}
	fm := &Form{schema: s, opts: o, sanitize: o.Sanitize, theme: &cachedTheme{base: base}}
	if fm.sanitize == nil {
		fm.sanitize = stripControls
	}
	fm.root = fm.holders(s.Fields, initial)
	if len(o.Entered) > 0 {
		restoreEntered(fm.root, "", o.Entered)
	}
	if msg := o.Errors[""]; msg != "" {
		// An error about the answer as a whole goes on the first field.
		if h := firstLeaf(fm.root); h != nil && h.serverErr == "" {
			h.serverErr = msg
		}
	}
	gb := &groupBuilder{}
	fm.addGroups(gb, fm.root, "", "", nil)
	if len(gb.groups) == 0 {
		gb.start("", "", nil)
		gb.add(fm.noteSpec("This input has no fields", "Submit to resume the run."))
		gb.flush()
	}
	var groups []*huh.Group
	for _, g := range gb.groups {
		allSkip := true
		for _, sp := range g.specs {
			allSkip = allSkip && sp.skip
		}
		if allSkip {
			// huh cannot leave a group whose fields all skip focus (it
			// bounces back); give it something focusable.
			g.specs = append(g.specs, fm.continueSpec())
		}
		lg := &lazyGroup{}
		fields := make([]huh.Field, len(g.specs))
		for i, sp := range g.specs {
			lf := &lazyField{spec: sp, fm: fm, group: lg}
			lg.fields = append(lg.fields, lf)
			fm.lazies = append(fm.lazies, lf)
			fields[i] = lf
		}
		hg := huh.NewGroup(fields...)
		if g.title != "" {
			hg = hg.Title(g.title)
		}
		if g.desc != "" {
			hg = hg.Description(g.desc)
		}
		if g.hide != nil {
			hg = hg.WithHideFunc(g.hide)
		}
		groups = append(groups, hg)
	}
	fm.form = huh.NewForm(groups...).WithShowHelp(true).WithAccessible(o.Accessible).WithTheme(fm.theme).WithKeyMap(keyMap())
	if o.Width > 0 {
		fm.form = fm.form.WithWidth(o.Width)
	}
	return fm
}

// keyMap is huh's, with the multi-select's toggle shown as space in the
// help bar, as its field hint says (huh's bar says "x", though both keys
// toggle: charm.land/huh/v2 keymap.go NewDefaultKeyMap).
func keyMap() *huh.KeyMap {
	k := huh.NewDefaultKeyMap()
	k.MultiSelect.Toggle.SetHelp("space", "toggle")
	return k
}

// Huh returns the underlying huh form (embed it in a Bubble Tea model).
func (fm *Form) Huh() *huh.Form { return fm.form }

// Answer returns the typed answer and every local problem: values that do
// not parse or fit their field, plus the schema validator's verdict on the
// whole answer. Hidden (not included) nested models are left out.
func (fm *Form) Answer() (map[string]any, []inputschema.FieldError) {
	ans, errs := fm.values(fm.root)
	bad := map[string]bool{}
	for _, e := range errs {
		bad[e.Path] = true
	}
	for _, e := range fm.schema.Validate(ans) {
		if !inputschema.CoveredBy(bad, e.Path) {
			errs = append(errs, e)
		}
	}
	return ans, dedupe(errs)
}

// Entered returns what every widget holds (see Entered).
func (fm *Form) Entered() Entered {
	d := Entered{}
	var walk func(hs []*holder, tuple string)
	walk = func(hs []*holder, tuple string) {
		for i, h := range hs {
			key := h.f.Path
			if tuple != "" {
				key = fmt.Sprintf("%s[%d]", tuple, i)
			}
			var df EnteredField
			switch widgetKind(h.f) {
			case inputschema.Const:
				continue
			case inputschema.Boolean, inputschema.Enum:
				df.Choice = h.choice
			case inputschema.MultiEnum:
				df.Multi = append([]string{}, h.multi...)
			case inputschema.Object:
				df.Choice = h.choice
				walk(h.children, "")
			case inputschema.Tuple:
				walk(h.children, h.f.Path)
				continue
			case inputschema.Union:
				text := h.text
				df.Choice, df.Text = h.choice, &text
			default:
				text := h.text
				df.Text = &text
			}
			d[key] = df
		}
	}
	walk(fm.root, "")
	return d
}

// restoreEntered puts what the widgets held back. A choice or selection that
// no longer exists (the run asked again with another schema) is ignored.
func restoreEntered(hs []*holder, tuple string, d Entered) {
	for i, h := range hs {
		key := h.f.Path
		if tuple != "" {
			key = fmt.Sprintf("%s[%d]", tuple, i)
		}
		if h.f.Kind == inputschema.Tuple {
			restoreEntered(h.children, h.f.Path, d)
			continue
		}
		df, ok := d[key]
		if h.f.Kind == inputschema.Object {
			if ok && validChoice(h, df.Choice) {
				h.choice = df.Choice
			}
			restoreEntered(h.children, "", d)
			continue
		}
		if !ok {
			continue
		}
		switch widgetKind(h.f) {
		case inputschema.Boolean, inputschema.Enum:
			if validChoice(h, df.Choice) {
				h.choice = df.Choice
			}
		case inputschema.MultiEnum:
			var keep []string
			for _, k := range df.Multi {
				if memberKey(k, len(h.f.Enum)) {
					keep = append(keep, k)
				}
			}
			h.multi = keep
		case inputschema.Union:
			if validChoice(h, df.Choice) {
				h.choice = df.Choice
			}
			if df.Text != nil {
				h.text = *df.Text
			}
		case inputschema.Const:
		default:
			if df.Text != nil {
				h.text = *df.Text
			}
		}
	}
}

func validChoice(h *holder, choice string) bool {
	if choice == "" {
		return false
	}
	if slices.Contains(h.extras, choice) || (h.f.Kind == inputschema.Object && choice == optFill) {
		return true
	}
	switch h.f.Kind {
	case inputschema.Boolean:
		return choice == "true" || choice == "false"
	case inputschema.Union:
		return memberKey(choice, len(h.f.Variants))
	}
	return memberKey(choice, len(h.f.Enum))
}

// memberKey reports a select key "m<i>" with 0 <= i < n.
func memberKey(k string, n int) bool {
	i, err := strconv.Atoi(strings.TrimPrefix(k, "m"))
	return strings.HasPrefix(k, "m") && err == nil && i >= 0 && i < n
}

// --- holders: initial state ---

func (fm *Form) holders(fields []*inputschema.Field, initial map[string]any) []*holder {
	var out []*holder
	for _, f := range fields {
		v, present := initial[f.Name]
		fromDefault := false
		if !present {
			v, present = fm.schema.DefaultValue(f)
			fromDefault = true
		}
		h := fm.newHolder(f, v, present)
		if fromDefault && !f.Required && isEmptyValue(v) && (f.Kind == inputschema.String || f.Kind == inputschema.List) {
			// An empty default shows as an empty field: leaving it empty
			// omits the key and the flow applies that same default.
			h.text, h.initialText = "", ""
		}
		out = append(out, h)
	}
	return out
}

func isEmptyValue(v any) bool {
	switch t := v.(type) {
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	}
	return false
}

func (fm *Form) newHolder(f *inputschema.Field, v any, present bool) *holder {
	h := &holder{f: f, serverErr: fm.opts.Errors[f.Path]}
	if present {
		v = fm.schema.NormalizeValue(f, v)
	}
	switch widgetKind(f) {
	case inputschema.Boolean, inputschema.Enum:
		h.extras = choiceExtras(f)
		h.choice = fm.initialChoice(h, v, present)
	case inputschema.MultiEnum:
		if list, ok := v.([]any); ok && present {
			for _, x := range list {
				if i := f.MemberIndex(x); i >= 0 {
					h.multi = append(h.multi, "m"+strconv.Itoa(i))
				}
			}
		}
	case inputschema.Object:
		fm.initObject(h, v, present)
	case inputschema.Tuple:
		initTuple(h, v)
	case inputschema.Union:
		fm.initUnion(h, v, present)
	case inputschema.Const:
	default:
		if present {
			h.text = f.FormatText(v)
		}
	}
	h.initialText = h.text
	return h
}

// initObject sets a nested model's "fill in / leave empty" choice and the
// holders of its fields.
func (fm *Form) initObject(h *holder, v any, present bool) {
	f := h.f
	h.extras = choiceExtras(f)
	m, isMap := v.(map[string]any)
	switch {
	case present && isMap:
		h.choice = optFill
	case present && v == nil && slices.Contains(h.extras, optNull):
		h.choice = optNull
	case slices.Contains(h.extras, optUnset):
		h.choice = optUnset
	default:
		h.choice = optFill
	}
	if !isMap {
		// Start the sub-form from the model's own defaults.
		m = fm.schema.ObjectDefaults(f)
	}
	h.children = fm.holders(f.Children, m)
}

// initTuple gives each position of a tuple its own holder.
func initTuple(h *holder, v any) {
	list, _ := v.([]any)
	for i, c := range h.f.Children {
		ch := &holder{f: c}
		if i == 0 {
			ch.serverErr = h.serverErr // errors name the tuple, not a position
		}
		if i < len(list) {
			ch.text = c.FormatText(list[i])
		}
		ch.initialText = ch.text
		h.children = append(h.children, ch)
	}
}

// initUnion picks the alternative v belongs to and shows v as its text.
func (fm *Form) initUnion(h *holder, v any, present bool) {
	f := h.f
	h.extras = choiceExtras(f)
	switch {
	case present && v == nil:
		h.choice = pick(h.extras, optNull, optUnset, optChoose)
		if h.choice == "" {
			h.choice = "m0"
		}
	case present:
		h.choice = "m0"
		if i := fm.schema.VariantFor(f, v); i >= 0 {
			h.choice = "m" + strconv.Itoa(i)
			h.text = f.Variants[i].FormatText(v)
		}
		if h.text == "" {
			h.text = f.Variants[0].FormatText(v)
		}
	default:
		h.choice = pick(h.extras, optUnset, optChoose)
		if h.choice == "" {
			h.choice = "m0"
		}
	}
}

func firstLeaf(hs []*holder) *holder {
	for _, h := range hs {
		if h.f.Kind == inputschema.Object {
			if len(h.extras) > 0 {
				return h
			}
			if l := firstLeaf(h.children); l != nil {
				return l
			}
			continue
		}
		if h.f.Kind == inputschema.Tuple && len(h.children) > 0 {
			return h.children[0]
		}
		return h
	}
	return nil
}

func pick(have []string, prefs ...string) string {
	for _, p := range prefs {
		if slices.Contains(have, p) {
			return p
		}
	}
	return ""
}

// choiceExtras decides the special options of a Select: "— choose —" for
// a required field without default (so the operator must pick), "leave
// unset" for optional fields whose omission means something (no default,
// or a null default), "none (null)" where null is allowed and differs from
// leaving the field out.
func choiceExtras(f *inputschema.Field) []string {
	var ex []string
	nullDefault := f.HasDefault && f.Default == nil
	if f.Kind != inputschema.Object && f.Required && !f.HasDefault {
		ex = append(ex, optChoose)
	}
	if !f.Required && (!f.HasDefault || nullDefault) {
		ex = append(ex, optUnset)
	}
	if f.Nullable && (f.Required || (f.HasDefault && !nullDefault)) {
		ex = append(ex, optNull)
	}
	if f.Kind == inputschema.Object && f.Required && !f.Nullable {
		return nil
	}
	return ex
}

func (fm *Form) initialChoice(h *holder, v any, present bool) string {
	f := h.f
	if present && v == nil {
		if c := pick(h.extras, optNull, optUnset); c != "" {
			return c
		}
	}
	if present {
		if f.Kind == inputschema.Boolean {
			if b, ok := v.(bool); ok {
				return strconv.FormatBool(b)
			}
		} else if i := f.MemberIndex(v); i >= 0 {
			return "m" + strconv.Itoa(i)
		}
	}
	if c := pick(h.extras, optChoose, optUnset); c != "" {
		return c
	}
	if f.Kind == inputschema.Boolean {
		return "false"
	}
	return "m0"
}

// --- answers ---

// value reads one field's answer from its widgets: the value, whether it
// is present in the answer, and what is wrong with it.
func (fm *Form) value(h *holder) (any, bool, []inputschema.FieldError) {
	switch widgetKind(h.f) {
	case inputschema.Const:
		v, ok := fm.schema.DefaultValue(h.f)
		return v, ok, nil
	case inputschema.Boolean, inputschema.Enum:
		return choiceValue(h)
	case inputschema.MultiEnum:
		return fm.multiValue(h)
	case inputschema.Object:
		return fm.objectValue(h)
	case inputschema.Tuple:
		return fm.tupleValue(h)
	case inputschema.Union:
		return fm.unionValue(h)
	}
	v, present, err := fm.schema.ParseText(h.f, h.text)
	if err != nil {
		return failed(h.f, err)
	}
	return v, present, nil
}

// failed is the answer of a field whose widgets hold nothing valid.
func failed(f *inputschema.Field, err error) (any, bool, []inputschema.FieldError) {
	return nil, false, []inputschema.FieldError{{Path: f.Path, Message: err.Error()}}
}

// choiceValue reads a yes/no or enum Select.
func choiceValue(h *holder) (any, bool, []inputschema.FieldError) {
	f := h.f
	switch h.choice {
	case optChoose:
		return failed(f, inputschema.RequiredError{Hint: "choose one"})
	case optUnset:
		return nil, false, nil
	case optNull:
		return nil, true, nil
	}
	if f.Kind == inputschema.Boolean {
		return h.choice == "true", true, nil
	}
	i, err := strconv.Atoi(strings.TrimPrefix(h.choice, "m"))
	if err != nil || i < 0 || i >= len(f.Enum) {
		return failed(f, fmt.Errorf("no choice made"))
	}
	return f.Enum[i], true, nil
}

// multiValue reads a MultiSelect; nothing selected on a nullable field
// without a default is null (required) or left out.
func (fm *Form) multiValue(h *holder) (any, bool, []inputschema.FieldError) {
	f := h.f
	list := []any{}
	for _, k := range h.multi {
		if i, err := strconv.Atoi(strings.TrimPrefix(k, "m")); err == nil && i >= 0 && i < len(f.Enum) {
			list = append(list, f.Enum[i])
		}
	}
	if len(list) == 0 && f.Nullable && (!f.HasDefault || f.Default == nil) {
		if f.Required {
			return nil, true, nil
		}
		return nil, false, nil
	}
	if err := fm.schema.CheckValue(f, list); err != nil {
		return list, true, []inputschema.FieldError{{Path: f.Path, Message: err.Error()}}
	}
	return list, true, nil
}

// objectValue reads a nested model: left out, null, or its fields.
func (fm *Form) objectValue(h *holder) (any, bool, []inputschema.FieldError) {
	switch h.choice {
	case optUnset:
		return nil, false, nil
	case optNull:
		return nil, true, nil
	}
	m, errs := fm.values(h.children)
	return m, true, errs
}

// values reads the fields of one object level: the present ones by name, and
// every local problem.
func (fm *Form) values(holders []*holder) (map[string]any, []inputschema.FieldError) {
	m := map[string]any{}
	var errs []inputschema.FieldError
	for _, h := range holders {
		v, present, herrs := fm.value(h)
		errs = append(errs, herrs...)
		if present {
			m[h.f.Name] = v
		}
	}
	return m, errs
}

// tupleValue reads a tuple's positions; all empty leaves an optional tuple
// out.
func (fm *Form) tupleValue(h *holder) (any, bool, []inputschema.FieldError) {
	f := h.f
	if fm.tupleEmpty(h) && !f.Required {
		return nil, false, nil
	}
	list := make([]any, 0, len(h.children))
	var errs []inputschema.FieldError
	for i, c := range h.children {
		v, _, err := fm.schema.ParseText(c.f, c.text)
		if err != nil {
			errs = append(errs, inputschema.FieldError{Path: f.Path, Message: fmt.Sprintf("position %d: %v", i+1, err)})
			continue
		}
		list = append(list, v)
	}
	if errs != nil {
		return nil, false, errs
	}
	return list, true, nil
}

// unionValue reads a union: the chosen alternative, then its text.
func (fm *Form) unionValue(h *holder) (any, bool, []inputschema.FieldError) {
	switch h.choice {
	case optChoose:
		return failed(h.f, inputschema.RequiredError{Hint: "choose an alternative"})
	case optUnset:
		return nil, false, nil
	case optNull:
		return nil, true, nil
	}
	vf := fm.variant(h)
	if vf == nil {
		return failed(h.f, fmt.Errorf("no alternative chosen"))
	}
	v, _, err := fm.schema.ParseText(vf, h.text)
	if err != nil {
		return failed(h.f, err)
	}
	return v, true, nil
}

func (fm *Form) variant(h *holder) *inputschema.Field {
	i, err := strconv.Atoi(strings.TrimPrefix(h.choice, "m"))
	if err != nil || i < 0 || i >= len(h.f.Variants) {
		return nil
	}
	return h.f.Variants[i]
}

func dedupe(errs []inputschema.FieldError) []inputschema.FieldError {
	seen := map[inputschema.FieldError]bool{}
	var out []inputschema.FieldError
	for _, e := range errs {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

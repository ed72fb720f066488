// Package accessible is the inbox's line-by-line front end, for screen
// readers and terminals without cursor control (unpause --accessible): it
// reads one answer per line and writes plain, sanitised text, with no
// Bubble Tea program and nothing from package tui.
package accessible

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/common"
	"github.com/unpause-dev/unpause/tui/drafts"
)

// ErrEndOfInput is returned by Run when its input ends (Ctrl-D,
// closed pipe). End of input never confirms anything: whatever was being
// answered is not sent.
var ErrEndOfInput = errors.New("end of input: nothing was sent")

// Run is the line-by-line inbox for screen readers and terminals without
// cursor control: plain sanitised text, one question per line, numbered
// choices, and an explicit "yes" before anything is sent.
//
// It does not use huh's accessible mode: that treats end of input as
// "accept the defaults", re-buffers input per prompt and colours prompts.
// This loop reads one line at a time from o.In, coerces each answer with
// the run's schema (forms) and validates the whole answer before asking for
// confirmation.
func Run(ctx context.Context, o Options) error {
	if err := o.defaults(); err != nil {
		return err
	}
	store, err := drafts.Open(o.StateDir, o.Now)
	if err != nil {
		fmt.Fprintf(o.Out, "Drafts are kept in memory only: %s\n", termsafe.Line(err.Error()))
		store, _ = drafts.Open("", o.Now)
	}
	a := &session{ctx: ctx, o: o, api: o.API, in: o.In, out: o.Out, store: store, profile: o.Profile, server: o.ServerURL}
	a.lines = startLineReader(o.In)
	defer func() { _ = store.Flush() }()
	return a.loop()
}

// session is one run of the loop: its streams, drafts and whether
// anything was sent.
type session struct {
	ctx     context.Context
	o       Options
	api     API
	in      io.Reader // only to hide secrets as they are typed; lines come from lines
	out     io.Writer
	lines   <-chan lineResult
	store   *drafts.Store
	profile string
	server  string
	sent    bool // something was sent this session
}

type lineResult struct {
	text string
	err  error
}

// startLineReader reads lines in the background so that a cancelled context
// (Ctrl-C) is noticed while waiting for input. One reader serves every
// prompt: nothing typed ahead is lost.
func startLineReader(in io.Reader) <-chan lineResult {
	ch := make(chan lineResult)
	go func() {
		defer close(ch)
		r := bufio.NewReader(in)
		for {
			line, err := r.ReadString('\n')
			if line != "" || err == nil {
				ch <- lineResult{text: strings.TrimRight(line, "\r\n")}
			}
			if err != nil {
				ch <- lineResult{err: err}
				return
			}
		}
	}()
	return ch
}

// errEOF marks the end of input inside the loop.
var errEOF = errors.New("eof")

func (a *session) printf(format string, args ...any) {
	fmt.Fprintf(a.out, format, args...)
}

func (a *session) ask(prompt string) (string, error) {
	a.printf("%s", prompt)
	select {
	case <-a.ctx.Done():
		a.printf("\nInterrupted. %s\n", a.nothingSent())
		return "", a.ctx.Err()
	case l, ok := <-a.lines:
		if !ok || l.err != nil {
			a.printf("\nEnd of input. %s\n", a.nothingSent())
			return "", errEOF
		}
		return termsafe.Line(l.text), nil
	}
}

func (a *session) nothingSent() string {
	if a.sent {
		return "Nothing more was sent."
	}
	return "Nothing was sent."
}

func (a *session) finish(err error) error {
	if errors.Is(err, errEOF) {
		return ErrEndOfInput
	}
	return err
}

func (a *session) loop() error {
	for {
		runs, err := a.list()
		if err != nil {
			return err
		}
		if len(runs) == 0 {
			return nil
		}
		choice, err := a.ask("Run number (or name) to open, r to refresh, q to quit: ")
		if err != nil {
			return a.finish(err)
		}
		switch c := strings.ToLower(strings.TrimSpace(choice)); c {
		case "q", "quit", "exit":
			return nil
		case "", "r":
			continue
		default:
			row := pickRow(runs, strings.TrimSpace(choice))
			if row == nil {
				a.printf("No run numbered or named %q. Type a number from 1 to %d, or a run's name.\n", termsafe.Line(c), len(runs))
				continue
			}
			if err := a.run(row.Run); err != nil {
				if errors.Is(err, errQuit) {
					return nil
				}
				return a.finish(err)
			}
		}
	}
}

var errQuit = errors.New("quit")

// pickRow finds the run a user named by its number in the list, its id, or
// its name (case-insensitive; an ambiguous name picks nothing).
func pickRow(rows []domain.Row, choice string) *domain.Row {
	if n, err := strconv.Atoi(choice); err == nil {
		if n >= 1 && n <= len(rows) {
			return &rows[n-1]
		}
		return nil
	}
	var found *domain.Row
	for i := range rows {
		if rows[i].ID == choice {
			return &rows[i]
		}
		if strings.EqualFold(rows[i].Run.Name, choice) {
			if found != nil {
				return nil
			}
			found = &rows[i]
		}
	}
	return found
}

// list prints the numbered inbox and returns its rows.
func (a *session) list() ([]domain.Row, error) {
	runs, _, err := a.api.ListPaused(a.ctx, apiclient.ListOptions{})
	now := a.o.Now()
	if err != nil {
		a.printf("Could not load the inbox from %s (profile %s): %s\n", termsafe.Line(a.server), termsafe.Line(a.profile), termsafe.Line(err.Error()))
		a.printf("Check PREFECT_API_URL, the profile and its API key.\n")
		return nil, fmt.Errorf("loading the inbox: %w", err)
	}
	rows := domain.NewRows(runs)
	domain.SortRows(rows, domain.SortExpiry)
	if len(rows) == 0 {
		a.printf("Nothing is waiting: no paused or suspended flow runs on %s (profile %s).\n", termsafe.Line(a.server), termsafe.Line(a.profile))
		return nil, nil
	}
	a.printf("%s waiting on %s (profile %s), soonest deadline first:\n", common.Plural(len(rows), "run", "runs"), termsafe.Line(a.server), termsafe.Line(a.profile))
	for i, r := range rows {
		a.printf("%d. %s\n", i+1, describeRow(r, now))
	}
	return rows, nil
}

// describeRow is one inbox line read aloud: name, flow, state, wait,
// deadline, input, tags.
func describeRow(r domain.Row, now time.Time) string {
	parts := []string{r.Name, "flow " + r.Flow, describeState(r, now)}
	if r.Tags != "" {
		parts = append(parts, "tags "+r.Tags)
	}
	return strings.Join(parts, "; ")
}

// describeState says how long the run has waited, its deadline and whether
// it asks for input.
func describeState(r domain.Row, now time.Time) string {
	state := r.State()
	if !r.Since.IsZero() {
		state += " for " + domain.Age(r.Since, now)
	}
	parts := []string{state}
	switch domain.Urgency(r.Expires, now) {
	case domain.ExpiryNone:
		parts = append(parts, "no deadline")
	case domain.ExpiryExpired:
		parts = append(parts, "pause expired")
	case domain.ExpirySoon:
		parts = append(parts, "expires in "+domain.Countdown(r.Expires, now)+" (soon)")
	default:
		parts = append(parts, "expires in "+domain.Countdown(r.Expires, now))
	}
	if r.Input {
		parts = append(parts, "asks for input")
	} else {
		parts = append(parts, "no input asked")
	}
	return strings.Join(parts, "; ")
}

// run shows one run and its actions.
func (a *session) run(r *apiclient.Run) error {
	if fresh, err := a.api.GetRun(a.ctx, r.ID); err == nil && fresh != nil {
		r = fresh
	}
	now := a.o.Now()
	var req *apiclient.InputRequest
	var schema *inputschema.Schema
	if r.NeedsInput() {
		var err error
		req, err = a.api.InputRequest(a.ctx, r)
		if err != nil {
			a.printf("Could not load what this run asks for: %s\n", termsafe.Line(err.Error()))
		} else if schema, err = inputschema.ParseSchema(req.Schema); err != nil {
			a.printf("This run's input schema cannot be used: %s\n", termsafe.Line(err.Error()))
			schema = nil
		}
	}
	a.printDetails(r, req, now)

	for {
		var prompt string
		if a.o.ReadOnly {
			prompt = "Read-only mode. b to go back to the list, q to quit: "
		} else {
			prompt = "a to answer and resume, c to cancel the run, b to go back, q to quit: "
		}
		choice, err := a.ask(prompt)
		if err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(choice)) {
		case "b", "back", "":
			return nil
		case "q", "quit":
			return errQuit
		case "a", "answer", "r", "resume":
			if a.o.ReadOnly {
				a.printf("Read-only: resuming is disabled.\n")
				continue
			}
			done, err := a.answer(r, schema)
			if err != nil || done {
				return err
			}
		case "c", "cancel", "x":
			if a.o.ReadOnly {
				a.printf("Read-only: cancelling is disabled.\n")
				continue
			}
			done, err := a.cancel(r)
			if err != nil || done {
				return err
			}
		default:
			a.printf("Unknown choice %q.\n", choice)
		}
	}
}

func (a *session) printDetails(r *apiclient.Run, req *apiclient.InputRequest, now time.Time) {
	row := domain.NewRow(r)
	a.printf("\nRun: %s\n", row.Name)
	a.printf("Flow: %s\n", row.Flow)
	a.printf("State: %s\n", describeState(row, now))
	if row.Tags != "" {
		a.printf("Tags: %s\n", row.Tags)
	}
	if exp := r.ExpiresAt(); exp != nil {
		a.printf("Deadline: %s\n", common.Stamp(exp.In(now.Location())))
	}
	if row.Pool != "" {
		a.printf("Work pool: %s\n", row.Pool)
	}
	if u := a.api.RunURL(r.ID); u != "" {
		a.printf("Link: %s\n", termsafe.Line(u))
	}
	if len(bytes.TrimSpace(r.Parameters)) > 0 && string(bytes.TrimSpace(r.Parameters)) != "{}" {
		a.printf("Parameters: %s\n", termsafe.Line(string(r.Parameters)))
	}
	if req != nil {
		if d := strings.TrimSpace(req.Description); d != "" {
			// Plain text: the Markdown source, sanitised, not rendered.
			a.printf("Description:\n%s\n", termsafe.Text(d))
		} else {
			a.printf("Description: none.\n")
		}
	}
	if rs, err := a.api.Responses(a.ctx, r.ID); err == nil && len(rs) > 0 {
		a.printf("Answers already received: %d\n", len(rs))
		for _, resp := range rs {
			a.printf("  %s %s: %s\n", common.Stamp(resp.Created.In(now.Location())), termsafe.Line(resp.Key), termsafe.Line(string(resp.Value)))
		}
	}
	a.printf("\n")
}

// confirmYes asks for the explicit word "yes"; anything else (including end
// of input, which returns an error) is a no.
func (a *session) confirmYes(prompt string) (bool, error) {
	ans, err := a.ask(prompt)
	if err != nil {
		return false, err
	}
	return strings.EqualFold(strings.TrimSpace(ans), "yes"), nil
}

func (a *session) answer(r *apiclient.Run, schema *inputschema.Schema) (done bool, err error) {
	if !r.Paused() {
		a.printf("This run is no longer paused (%s).\n", domain.StateName(r.State))
		return true, nil
	}
	if !r.NeedsInput() {
		return a.resumeNoInput(r)
	}
	if schema == nil {
		a.printf("This run's form could not be loaded, so it cannot be answered here.\n")
		return false, nil
	}
	schemaKey := r.State.Details.RunInputKeyset.Schema
	values := domain.InitialValues(schema.Defaults(), a.savedValues(r.ID))
	fields := leafFields(schema.Fields)
	a.printf("%d question(s). Press enter to keep the value shown as current.\n", len(fields))
	if values, err = a.askFields(schema, fields, values, r.ID, schemaKey); err != nil {
		return false, err
	}
	return a.reviewAndSend(r, schema, fields, values)
}

// resumeNoInput resumes a run that asks for nothing, once confirmed.
func (a *session) resumeNoInput(r *apiclient.Run) (done bool, err error) {
	ok, err := a.confirmYes("This run asks for no input. Type yes to resume it, anything else to go back: ")
	if err != nil || !ok {
		if err == nil {
			a.printf("Not resumed.\n")
		}
		return false, err
	}
	res, err := a.api.Resume(a.ctx, r.ID, nil)
	return a.outcome(domain.Action{Kind: domain.Resume, RunID: r.ID}, res, err, "", nil), nil
}

// savedValues are the draft's values, else the last answer sent, else nil.
func (a *session) savedValues(runID string) map[string]any {
	if d, err := a.store.Load(runID); err == nil && d != nil {
		a.printf("Restored draft from %s.\n", common.Stamp(d.SavedAt))
		return d.Values
	}
	if s, err := a.store.LoadSubmitted(runID); err == nil && s != nil {
		a.printf("Starting from your previous answer (%s).\n", common.Stamp(s.SavedAt))
		return s.Values
	}
	return nil
}

// reviewAndSend validates, shows the JSON and sends it once confirmed,
// asking again where the answer is invalid or the flow refused it.
func (a *session) reviewAndSend(r *apiclient.Run, schema *inputschema.Schema, fields []*inputschema.Field, values map[string]any) (done bool, err error) {
	schemaKey := r.State.Details.RunInputKeyset.Schema
	for {
		// Validate the whole answer; ask again only where something is wrong.
		if errs := schema.Validate(values); len(errs) > 0 {
			if values, err = a.askFields(schema, a.invalidFields(schema, fields, errs), values, r.ID, schemaKey); err != nil {
				return false, err
			}
			continue
		}
		payload, err := schema.Marshal(values)
		if err != nil {
			a.printf("The answer cannot be encoded: %s\n", termsafe.Line(err.Error()))
			return false, nil
		}
		a.printf("This exact JSON will be sent as the run input:\n%s\n", termsafe.Text(domain.IndentJSON(payload, "")))
		ans, err := a.ask("Type yes to send it and resume the run, e to edit the answers, anything else to go back without sending: ")
		if err != nil {
			return false, err
		}
		switch strings.ToLower(strings.TrimSpace(ans)) {
		case "yes":
		case "e", "edit":
			if values, err = a.askFields(schema, fields, values, r.ID, schemaKey); err != nil {
				return false, err
			}
			continue
		default:
			a.printf("Not sent. Your answers are kept as a draft.\n")
			return false, nil
		}
		res, sendErr := a.api.Resume(a.ctx, r.ID, payload)
		act := domain.Action{Kind: domain.Resume, RunID: r.ID, Answering: true}
		if sendErr == nil && res != nil && res.Outcome == apiclient.OutcomeRejected {
			a.printf("%s\n", domain.Describe(act, res).Accessible)
			if values, err = a.askFields(schema, rejectedFields(schema, fields, res.Reason), values, r.ID, schemaKey); err != nil {
				return false, err
			}
			continue
		}
		done := a.outcome(act, res, sendErr, schemaKey, values)
		if sendErr != nil || res.Outcome == apiclient.OutcomeWait {
			continue // nothing changed on the server: the answer can be sent again
		}
		return done, nil
	}
}

// invalidFields prints the problems and returns the fields to ask again
// (all of them when no problem names a field).
func (a *session) invalidFields(schema *inputschema.Schema, fields []*inputschema.Field, errs []inputschema.FieldError) []*inputschema.Field {
	a.printf("%d problem(s) to fix:\n", len(errs))
	var again []*inputschema.Field
	for _, fe := range errs {
		a.printf("  %s: %s\n", pathLabel(schema, fe.Path), termsafe.Line(fe.Message))
		if f := fieldByPath(fields, fe.Path); f != nil && !containsField(again, f) {
			again = append(again, f)
		}
	}
	if len(again) == 0 {
		return fields
	}
	return again
}

// rejectedFields is the field the flow's refusal names, else all fields.
func rejectedFields(schema *inputschema.Schema, fields []*inputschema.Field, reason string) []*inputschema.Field {
	if path, ok := schema.FieldForReason(reason); ok {
		if f := fieldByPath(fields, path); f != nil {
			return []*inputschema.Field{f}
		}
	}
	return fields
}

// outcome prints what a resume or cancel achieved (or why it failed) and
// reports whether the run is done with.
func (a *session) outcome(act domain.Action, res *apiclient.ActionResult, err error, schemaKey string, values map[string]any) bool {
	if err != nil {
		a.printf("%s\n", domain.Failed(act, err).Accessible)
		return false
	}
	told := domain.Describe(act, res)
	a.printf("%s\n", told.Accessible)
	switch res.Outcome {
	case apiclient.OutcomeResumed:
		a.sent = true
		_ = a.store.Delete(act.RunID)
		if values != nil {
			_ = a.store.SetSubmitted(act.RunID, schemaKey, values)
		}
	case apiclient.OutcomeCancelled:
		a.sent = true
	}
	return told.Final
}

func (a *session) cancel(r *apiclient.Run) (bool, error) {
	if !r.Paused() {
		a.printf("This run is no longer paused (%s).\n", domain.StateName(r.State))
		return true, nil
	}
	reason, err := a.ask("Reason for cancelling (optional, recorded with the cancellation): ")
	if err != nil {
		return false, err
	}
	ok, err := a.confirmYes("Type yes to cancel this run, anything else to go back: ")
	if err != nil || !ok {
		if err == nil {
			a.printf("Not cancelled.\n")
		}
		return false, err
	}
	res, err := a.api.Cancel(a.ctx, r.ID, strings.TrimSpace(reason))
	return a.outcome(domain.Action{Kind: domain.Cancel, RunID: r.ID}, res, err, "", nil), nil
}

// askFields asks each field in turn and saves the draft after each answer.
func (a *session) askFields(s *inputschema.Schema, fields []*inputschema.Field, values map[string]any, runID, schemaKey string) (map[string]any, error) {
	for i, f := range fields {
		v, err := a.askField(s, f, values, i+1, len(fields))
		if err != nil {
			return values, err
		}
		values = v
		a.store.Set(runID, schemaKey, values, nil)
		_ = a.store.Flush()
	}
	return values, nil
}

func (a *session) askField(s *inputschema.Schema, f *inputschema.Field, values map[string]any, n, total int) (map[string]any, error) {
	label := termsafe.Line(fieldLabel(f))
	cur, has := getPath(values, f.Path)
	for {
		var b strings.Builder
		fmt.Fprintf(&b, "Question %d of %d: %s", n, total, label)
		if f.Required {
			b.WriteString(" (required)")
		}
		b.WriteString(". ")
		b.WriteString(kindHint(f))
		switch {
		case has && f.Format == "password":
			b.WriteString(" Current: set (hidden).")
		case has:
			fmt.Fprintf(&b, " Current: %s.", displayValue(cur))
		}
		a.printf("%s\n", b.String())
		if d := strings.TrimSpace(f.Description); d != "" {
			a.printf("Help: %s\n", termsafe.Line(d))
		}
		var sets []string
		switch f.Kind {
		case inputschema.List, inputschema.MultiEnum:
			items, err := a.askItems(f)
			if err != nil {
				return values, err
			}
			if items == nil {
				if !has && f.Required {
					a.printf("This question needs an answer.\n")
					continue
				}
				return values, nil
			}
			for _, it := range items {
				sets = append(sets, f.Path+"="+it)
			}
		default:
			prompt, restore := "> ", func() {}
			if f.Format == "password" {
				prompt, restore = "> (typing is not shown) ", hideInput(a.in)
			}
			line, err := a.ask(prompt)
			restore()
			if f.Format == "password" {
				a.printf("\n") // the Enter that ended the secret was not echoed either
			}
			if err != nil {
				return values, err
			}
			text := strings.TrimSpace(line)
			if text == "" {
				if !has && f.Required {
					a.printf("This question needs an answer.\n")
					continue
				}
				return values, nil
			}
			op := "="
			if f.Kind == inputschema.Tuple || f.Kind == inputschema.Object {
				op = ":=" // typed as JSON
			}
			sets = []string{f.Path + op + choiceText(f, text)}
		}
		next, err := s.ApplySets(values, sets)
		if err != nil {
			a.printf("Not accepted: %s\n", termsafe.Line(setError(err)))
			continue
		}
		return next, nil
	}
}

// askItems reads list items, one per line, until an empty line. A first
// empty line keeps the current list (returns nil).
func (a *session) askItems(f *inputschema.Field) ([]string, error) {
	var items []string
	for {
		line, err := a.ask(fmt.Sprintf("item %d> ", len(items)+1))
		if err != nil {
			return nil, err
		}
		text := strings.TrimSpace(line)
		if text == "" {
			return items, nil
		}
		if f.Kind == inputschema.MultiEnum && f.Items != nil {
			for _, part := range strings.Split(text, ",") {
				if p := strings.TrimSpace(part); p != "" {
					items = append(items, choiceText(f.Items, p))
				}
			}
			continue
		}
		items = append(items, text)
	}
}

// setError drops the command-line wording ("--set a=b: ") of ApplySets
// errors: here the operator answered a question.
func setError(err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "--set "); ok {
		if i := strings.Index(rest, ": "); i >= 0 {
			return rest[i+2:]
		}
	}
	return msg
}

func fieldLabel(f *inputschema.Field) string {
	l := strings.TrimSuffix(f.Label(), " *")
	if f.Path != "" && f.Path != f.Name {
		l += " (" + f.Path + ")"
	}
	return l
}

func kindHint(f *inputschema.Field) string {
	switch f.Kind {
	case inputschema.Enum:
		return "Choose one, by number or value: " + enumList(f.Enum) + "."
	case inputschema.MultiEnum:
		opts := ""
		if f.Items != nil {
			opts = enumList(f.Items.Enum)
		}
		return "Choose any of: " + opts + ". Type numbers or values, one per line or separated by commas; an empty line ends the list, and an empty first line keeps the current choice."
	case inputschema.Boolean:
		return "Answer yes or no."
	case inputschema.Integer:
		return "A whole number."
	case inputschema.Number:
		return "A number."
	case inputschema.List:
		return "A list: type one item per line; an empty line ends it, and an empty first line keeps the current list."
	case inputschema.Tuple:
		return "A JSON list, e.g. [1, \"a\"]."
	case inputschema.Object:
		return "A JSON object."
	case inputschema.Union, inputschema.JSON:
		return "A value (JSON is accepted)."
	}
	if f.Format != "" {
		return "Text (" + termsafe.Line(f.Format) + ")."
	}
	return "Text."
}

func enumList(members []any) string {
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = strconv.Itoa(i+1) + " " + displayValue(m)
	}
	return strings.Join(parts, ", ")
}

// choiceText maps a typed number to the enum member it names.
func choiceText(f *inputschema.Field, text string) string {
	if f.Kind == inputschema.Boolean {
		switch strings.ToLower(text) {
		case "y", "yes", "true":
			return "true"
		case "n", "no", "false":
			return "false"
		}
		return text
	}
	if f.Kind != inputschema.Enum || len(f.Enum) == 0 {
		return text
	}
	if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(f.Enum) {
		// A number that is itself a member is taken as the member.
		for _, m := range f.Enum {
			if rawText(m) == text {
				return text
			}
		}
		return rawText(f.Enum[n-1])
	}
	return text
}

func rawText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func displayValue(v any) string {
	if s, ok := v.(string); ok && s == "" {
		return "empty text"
	}
	return termsafe.Line(rawText(v))
}

// leafFields lists the questions: object properties are asked one by one,
// constants are not asked.
func leafFields(fs []*inputschema.Field) []*inputschema.Field {
	var out []*inputschema.Field
	for _, f := range fs {
		switch {
		case f.Kind == inputschema.Const:
		case f.Kind == inputschema.Object && len(f.Children) > 0:
			out = append(out, leafFields(f.Children)...)
		default:
			out = append(out, f)
		}
	}
	return out
}

func fieldByPath(fs []*inputschema.Field, path string) *inputschema.Field {
	for _, f := range fs {
		if f.Path == path {
			return f
		}
	}
	// An error on a parent object: ask its first child.
	for _, f := range fs {
		if path != "" && strings.HasPrefix(f.Path, path+".") {
			return f
		}
	}
	return nil
}

func containsField(list []*inputschema.Field, f *inputschema.Field) bool {
	for _, x := range list {
		if x == f {
			return true
		}
	}
	return false
}

func pathLabel(s *inputschema.Schema, path string) string {
	if path == "" {
		return "the answer"
	}
	return termsafe.Line(path)
}

func getPath(values map[string]any, path string) (any, bool) {
	var cur any = values
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[part]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

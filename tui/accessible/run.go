package accessible

import (
	"bytes"
	"strings"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/common"
)

// run shows one run and its actions.
func (a *session) run(r *apiclient.Run) error {
	if fresh, err := a.api.GetRun(a.ctx, r.ID); err == nil && fresh != nil {
		r = fresh
	}
	if !r.Paused() {
		// Its draft is for a pause that is over (a send reported as failed
		// may have resumed it after all): drafts.Store.Current removes it.
		_, _ = a.store.Current(r.ID, "")
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
			a.printf("Cannot answer here: %s.\n", termsafe.Line(err.Error())) // the error says what cannot be read, and why
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
		for _, resp := range domain.MaskResponses(rs) { // a secret sent once is never shown
			a.printf("  %s %s: %s\n", common.Stamp(resp.Created.In(now.Location())), termsafe.Line(resp.Key), termsafe.Line(string(resp.Value)))
			if by := domain.AnsweredBy(resp.AnsweredBy, now.Location()); by != "" {
				a.printf("    %s\n", by)
			}
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
	values := domain.InitialValues(schema.Defaults(), a.savedValues(r, schema))
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
	return a.outcome(domain.Action{Kind: domain.Resume, RunID: r.ID}, res, err), nil
}

// savedValues are the draft's values (if it was written for this pause; a
// draft for an earlier one is removed), else the answer the run received for
// an earlier pause (kept by the server; secrets are typed anew), else nil.
func (a *session) savedValues(r *apiclient.Run, schema *inputschema.Schema) map[string]any {
	if d, err := a.store.Current(r.ID, r.State.Details.RunInputKeyset.Schema); err == nil && d != nil {
		a.printf("Restored draft from %s.\n", common.Stamp(d.SavedAt))
		return d.Values
	}
	rs, err := a.api.Responses(a.ctx, r.ID)
	if err != nil {
		return nil
	}
	if v, at, ok := domain.PreviousAnswer(rs, r.State.Details.RunInputKeyset.Response); ok {
		a.printf("Starting from the previous answer, sent %s.\n", common.Stamp(at))
		return schema.Reusable(v)
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
		done := a.outcome(act, res, sendErr)
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
func (a *session) outcome(act domain.Action, res *apiclient.ActionResult, err error) bool {
	if err != nil {
		a.printf("%s\n", domain.Failed(act, err).Accessible)
		return false
	}
	told := domain.Describe(act, res)
	a.printf("%s\n", told.Accessible)
	switch res.Outcome {
	case apiclient.OutcomeResumed, apiclient.OutcomeAlreadyAnswered:
		a.sent = true
		_ = a.store.Delete(act.RunID) // what was sent is on the server now
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
	a.printf("%s\n", domain.CancelEffect(r))
	reason, err := a.ask("Reason for cancelling (required; " + domain.CancelReasonWhy + "): ")
	if err != nil {
		return false, err
	}
	if strings.TrimSpace(reason) == "" {
		a.printf("A reason is required: %s. Not cancelled.\n", domain.CancelReasonWhy)
		return false, nil
	}
	ok, err := a.confirmYes("Type yes to cancel this run, anything else to go back: ")
	if err != nil || !ok {
		if err == nil {
			a.printf("Not cancelled.\n")
		}
		return false, err
	}
	res, err := a.api.Cancel(a.ctx, r.ID, strings.TrimSpace(reason))
	return a.outcome(domain.Action{Kind: domain.Cancel, RunID: r.ID}, res, err), nil
}

package tui

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/common"
)

// Bulk answers: runs marked in the inbox (space, *) are answered once. The
// form is the first marked run's; the answer goes to every marked run whose
// schema is the same (domain.SameSchema; the others are named and left
// out), four at a time, each with a single resume's rules. The outcomes
// are listed at the end, worded as for one run (domain.Describe); one
// failing never stops the others.

// bulkConcurrency bounds the resumes in flight, as resume --all does.
const bulkConcurrency = 4

type bulkState struct {
	template string           // the run whose form is filled
	runs     []*apiclient.Run // the marked runs, in the inbox's order
	results  []bulkResult     // once sent
	lines    []string         // the results screen, built once
}

type bulkResult struct {
	run     *apiclient.Run
	res     *apiclient.ActionResult
	err     error
	skipped bool // its schema differs from the template's
}

type bulkDoneMsg struct {
	gen     int
	results []bulkResult
}

// keyMarks handles space and * in the inbox. ok is false for other keys.
func (m *Model) keyMarks(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Mark):
		m.inbox.ToggleMark()
	case key.Matches(msg, k.MarkAll):
		m.inbox.MarkAllShown()
	case key.Matches(msg, k.Back) && m.inbox.MarkedCount() > 0 && m.inbox.Filter() == "":
		m.inbox.ClearMarks()
		m.setStatus("Marks cleared.", false)
		return nil, true
	default:
		return nil, false
	}
	if n := m.inbox.MarkedCount(); n > 0 {
		m.setStatus(common.Plural(n, "run", "runs")+" marked · a answers them all · esc clears the marks", false)
	} else {
		m.setStatus("", false)
	}
	return nil, true
}

// startBulk opens the form of the first marked run for all of them.
func (m *Model) startBulk() tea.Cmd {
	runs := m.inbox.Marked()
	if len(runs) == 0 {
		return nil
	}
	tmpl := runs[0]
	for _, r := range runs {
		if r.NeedsInput() {
			tmpl = r
			break
		}
	}
	m.bulk = &bulkState{template: tmpl.ID, runs: runs}
	cmd := m.openRunView(tmpl)
	m.setStatus("One answer for "+common.Plural(len(runs), "marked run", "marked runs")+": this run's form; y sends it to each that asks the same.", false)
	return tea.Batch(cmd, m.startAnswerSoon())
}

// bulkFor reports whether sending run id's answer is the bulk's.
func (m *Model) bulkFor(id string) bool {
	return m.bulk != nil && m.bulk.template == id && m.bulk.results == nil
}

// sendBulk resumes every marked run with payload (nil: a pause that asks
// for nothing); the template's schema decides which runs may take it.
func (m *Model) sendBulk(payload json.RawMessage) tea.Cmd {
	b := m.bulk
	for _, r := range b.runs {
		m.inFlight[r.ID] = InFlightAction{RunID: r.ID, RunName: runName(r), Kind: domain.Resume, Answering: payload != nil}
	}
	if m.cur != nil {
		m.cur.sending = true
	}
	m.setStatus("Sending the answer to "+common.Plural(len(b.runs), "run", "runs")+"…", false)
	runs := append([]*apiclient.Run(nil), b.runs...)
	tmpl := b.template
	api, gen, ctx := m.api, m.profileGen, m.ctx
	return func() tea.Msg {
		return bulkDoneMsg{gen: gen, results: bulkResume(ctx, api, runs, tmpl, payload)}
	}
}

// bulkResume does the work of sendBulk, off the UI goroutine.
func bulkResume(ctx context.Context, api API, runs []*apiclient.Run, tmpl string, payload json.RawMessage) []bulkResult {
	results := make([]bulkResult, len(runs))
	var schema json.RawMessage
	for _, r := range runs {
		if r.ID == tmpl && r.NeedsInput() {
			if in, err := inputOf(ctx, api, r); err == nil {
				schema = in.Schema
			}
		}
	}
	sem := make(chan struct{}, bulkConcurrency)
	var wg sync.WaitGroup
	for i, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = resumeOne(ctx, api, r, tmpl, schema, payload)
		}()
	}
	wg.Wait()
	return results
}

func resumeOne(ctx context.Context, api API, r *apiclient.Run, tmpl string, schema, payload json.RawMessage) bulkResult {
	out := bulkResult{run: r}
	if r.ID != tmpl {
		var theirs json.RawMessage
		if r.NeedsInput() {
			in, err := inputOf(ctx, api, r)
			if err != nil {
				out.err = err
				return out
			}
			theirs = in.Schema
		}
		if !domain.SameSchema(schema, theirs) {
			out.skipped = true
			return out
		}
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	out.res, out.err = api.Resume(ctx, r.ID, payload)
	return out
}

func inputOf(ctx context.Context, api API, r *apiclient.Run) (*apiclient.InputRequest, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	return api.InputRequest(ctx, r)
}

// onBulkDone shows each run's outcome and what they add up to.
func (m *Model) onBulkDone(msg bulkDoneMsg) tea.Cmd {
	b := m.bulk
	for _, r := range msg.results {
		delete(m.inFlight, r.run.ID)
	}
	if b == nil || msg.gen != m.profileGen {
		return nil
	}
	if m.cur != nil {
		m.cur.sending = false
	}
	b.results = msg.results
	var outcomes []string
	var cmds []tea.Cmd
	for _, r := range msg.results {
		line, outcome := bulkLine(r)
		b.lines = append(b.lines, line)
		outcomes = append(outcomes, outcome)
		if outcome == string(apiclient.OutcomeResumed) || outcome == string(apiclient.OutcomeAlreadyAnswered) {
			m.inbox.Remove(r.run.ID)
			delete(m.answers, r.run.ID)
			cmds = append(cmds, m.afterResumeCmd(r.run.ID))
		}
	}
	b.lines = append([]string{"Sent to " + common.Plural(len(msg.results), "run", "runs") + ": " + domain.BulkSummary(outcomes)}, b.lines...)
	m.inbox.ClearMarks()
	m.screen = scrBulk
	m.setStatus("", false)
	return tea.Batch(append(cmds, m.refresh(false))...)
}

// bulkLine is one run's line on the results screen, and its outcome word
// for domain.BulkSummary.
func bulkLine(r bulkResult) (line, outcome string) {
	act := domain.Action{Kind: domain.Resume, RunID: r.run.ID, RunName: r.run.Name}
	var said string
	switch {
	case r.skipped:
		said, outcome = domain.SchemaDiffers(act).TUI, "skipped"
	case r.err != nil:
		said, outcome = domain.Failed(act, r.err).TUI, "failed"
		if apiclient.KindOf(r.err) == apiclient.ErrUnknownOutcome {
			outcome = "unknown"
		}
	default:
		said, outcome = domain.Describe(act, r.res).TUI, string(r.res.Outcome)
	}
	return termsafe.Line(r.run.Name) + " (" + termsafe.Line(domain.FlowLabel(r.run, "-")) + "): " + said, outcome
}

// bulkView is the results screen: every run's outcome, then the way back.
func (m *Model) bulkView() string {
	if m.bulk == nil {
		return ""
	}
	s := m.c.Styles
	var b strings.Builder
	for i, l := range m.bulk.lines {
		if i == 0 {
			b.WriteString(s.Section.Render(common.Truncate(l, m.width)))
		} else {
			b.WriteString(common.Truncate("  "+l, m.width))
		}
		b.WriteByte('\n')
	}
	b.WriteString("\n" + s.Dim.Render("enter or esc: back to the inbox"))
	return b.String()
}

// keyBulk leaves the results screen; q quits (asking first while quick
// answers wait: armed is that it asked).
func (m *Model) keyBulk(msg tea.KeyPressMsg, armed bool) tea.Cmd {
	if key.Matches(msg, m.c.Keys.Quit) {
		return m.quitKey(armed)
	}
	m.bulk = nil
	m.screen = scrInbox
	m.setStatus("", false)
	return nil
}

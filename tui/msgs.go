package tui

import (
	"context"
	"encoding/json"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/tui/drafts"
	"github.com/unpause-dev/unpause/tui/inbox"
)

// Messages from the commands below. Every one carries what it is about (run
// id, generation) so that a late answer for something no longer on screen is
// dropped instead of shown in the wrong place.

type listMsg struct {
	gen      int // profile generation
	runs     []apiclient.Run
	prepared *inbox.Prepared // rows built in the command, off the UI goroutine
	err      error
	at       time.Time
}

type tickMsg struct{ gen int }

type runMsg struct {
	gen int
	id  string
	run *apiclient.Run
	err error
	at  time.Time
}

type inputMsg struct {
	gen       int
	id        string
	cacheKey  string
	req       *apiclient.InputRequest
	schema    *inputschema.Schema
	err       error // fetching
	schemaErr error // parsing
}

type responsesMsg struct {
	gen int
	id  string
	rs  []apiclient.Response
	err error
}

type logsMsg struct {
	gen  int
	id   string
	logs []apiclient.LogLine
	err  error
}

type draftLoadedMsg struct {
	id        string
	draft     *drafts.Draft
	submitted *drafts.Draft
	err       error
}

type actionMsg struct {
	gen       int
	kind      domain.ActionKind
	id        string
	res       *apiclient.ActionResult
	err       error
	values    map[string]any // the answer sent (resume with input)
	schemaKey string
}

type draftFlushMsg struct{ gen int }

type draftSavedMsg struct{ err error }

type profileMsg struct {
	api  API
	info ProfileInfo
	err  error
}

type resizeRenderMsg struct{ gen int }

// newTick makes the app's timers (refresh interval, draft debounce, resize
// debounce). Tests replace it to fire timers on demand.
var newTick = tea.Tick

// requestTimeout bounds one command's API work (the client retries reads
// within it).
const requestTimeout = 60 * time.Second

// logLines is how many of a run's latest log lines the run view shows.
const logLines = 20

func (m *Model) listCmd() tea.Cmd {
	api, gen, now := m.api, m.profileGen, m.opts.Now
	ctx := m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		runs, _, err := api.ListPaused(ctx, apiclient.ListOptions{})
		msg := listMsg{gen: gen, runs: runs, err: err, at: now()}
		if err == nil {
			msg.prepared = inbox.Prepare(runs)
		}
		return msg
	}
}

func (m *Model) tickCmd() tea.Cmd {
	gen := m.tickGen
	return newTick(m.opts.RefreshInterval, func(time.Time) tea.Msg { return tickMsg{gen: gen} })
}

func (m *Model) getRunCmd(id string) tea.Cmd {
	api, gen, now := m.api, m.profileGen, m.opts.Now
	ctx := m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		r, err := api.GetRun(ctx, id)
		return runMsg{gen: gen, id: id, run: r, err: err, at: now()}
	}
}

// inputCacheKey identifies a pause's input request: the keyset keys are
// written once per pause, so a cached schema and description stay valid.
func inputCacheKey(r *apiclient.Run) string {
	if r.State == nil || r.State.Details.RunInputKeyset == nil {
		return ""
	}
	k := r.State.Details.RunInputKeyset
	return r.ID + "\x00" + k.Schema + "\x00" + k.Description
}

func (m *Model) inputCmd(r *apiclient.Run) tea.Cmd {
	api, gen := m.api, m.profileGen
	ctx := m.ctx
	run := *r
	key := inputCacheKey(r)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		req, err := api.InputRequest(ctx, &run)
		msg := inputMsg{gen: gen, id: run.ID, cacheKey: key, req: req, err: err}
		if err == nil && req != nil {
			// Parse here, off the UI goroutine: schemas can be large.
			msg.schema, msg.schemaErr = inputschema.ParseSchema(req.Schema)
		}
		return msg
	}
}

func (m *Model) responsesCmd(id string) tea.Cmd {
	api, gen := m.api, m.profileGen
	ctx := m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		rs, err := api.Responses(ctx, id)
		return responsesMsg{gen: gen, id: id, rs: rs, err: err}
	}
}

func (m *Model) logsCmd(id string) tea.Cmd {
	api, gen := m.api, m.profileGen
	ctx := m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		ls, err := api.Logs(ctx, id, logLines)
		return logsMsg{gen: gen, id: id, logs: ls, err: err}
	}
}

func (m *Model) draftLoadCmd(id string) tea.Cmd {
	store := m.drafts
	return func() tea.Msg {
		d, err := store.Load(id)
		s, err2 := store.LoadSubmitted(id)
		if err == nil {
			err = err2
		}
		return draftLoadedMsg{id: id, draft: d, submitted: s, err: err}
	}
}

func (m *Model) draftFlushCmd() tea.Cmd {
	store := m.drafts
	return func() tea.Msg { return draftSavedMsg{err: store.Flush()} }
}

// draftDebounce is how long typing must pause before the draft is written.
const draftDebounce = 400 * time.Millisecond

func (m *Model) draftDebounceCmd() tea.Cmd {
	m.draftGen++
	gen := m.draftGen
	return newTick(draftDebounce, func(time.Time) tea.Msg { return draftFlushMsg{gen: gen} })
}

// resumedCmd forgets the draft and records what was sent, after a resume.
func (m *Model) afterResumeCmd(id, schemaKey string, values map[string]any) tea.Cmd {
	store := m.drafts
	return func() tea.Msg {
		err := store.Delete(id)
		if values != nil {
			if e := store.SetSubmitted(id, schemaKey, values); err == nil {
				err = e
			}
		}
		return draftSavedMsg{err: err}
	}
}

func (m *Model) resumeCmd(id string, payload json.RawMessage, values map[string]any, schemaKey string) tea.Cmd {
	api, gen := m.api, m.profileGen
	ctx := m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		res, err := api.Resume(ctx, id, payload)
		return actionMsg{gen: gen, kind: domain.Resume, id: id, res: res, err: err, values: values, schemaKey: schemaKey}
	}
}

func (m *Model) cancelCmd(id, reason string) tea.Cmd {
	api, gen := m.api, m.profileGen
	ctx := m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		res, err := api.Cancel(ctx, id, reason)
		return actionMsg{gen: gen, kind: domain.Cancel, id: id, res: res, err: err}
	}
}

func (m *Model) switchProfileCmd(name string) tea.Cmd {
	sw := m.opts.SwitchProfile
	return func() tea.Msg {
		api, info, err := sw(name)
		return profileMsg{api: api, info: info, err: err}
	}
}

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
	"github.com/unpause-dev/unpause/tui/markdown"
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

type tickMsg struct {
	gen int
	at  time.Time
}

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
	links     []markdown.Link // the description's links, safe to show and open
	err       error           // fetching
	schemaErr error           // parsing
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
	id       string
	draft    *drafts.Draft
	previous *drafts.Draft // the newest answer to an earlier pause, from the server
	err      error
}

type actionMsg struct {
	gen       int
	kind      domain.ActionKind
	id        string
	res       *apiclient.ActionResult
	err       error
	values    map[string]any // the answer sent (resume with input)
	schemaKey string
	quick     bool   // a quick answer (queue.go), sent while another run may be on screen
	name      string // the run's name (raw) for a quick answer's outcome
}

// draftFlushMsg is a draft timer: the debounce (gen is Model.draftGen) or
// the max wait (maxWait, gen is Model.draftMaxGen).
type draftFlushMsg struct {
	gen     int
	maxWait bool
}

type draftSavedMsg struct{ err error }

type profileMsg struct {
	api  API
	info ProfileInfo
	err  error
}

type resizeRenderMsg struct{ gen int }

// followLogsMsg fetches the open run's logs again a moment after a resume
// or cancel: Prefect ships a flow's log lines in batches (APILogWorker in
// src/prefect/logging/handlers.py, at most every
// PREFECT_LOGGING_TO_API_BATCH_INTERVAL, 2 s by default), so what the flow
// logged on waking arrives after the outcome. gen is Model.followGen.
type followLogsMsg struct {
	gen  int
	id   string
	step int // index in followLogDelays of the delay that led here
}

// newTick makes the app's timers (refresh interval, draft debounce, resize
// debounce). Tests replace it to fire timers on demand.
var newTick = tea.Tick

// requestTimeout bounds one command's API work (the client retries reads
// within it).
const requestTimeout = 60 * time.Second

// logLines is how many of a run's latest log lines the run view shows.
const logLines = 20

// apiCmd calls the API in a command, within requestTimeout, and turns the
// result into a message with reply. The API, context and profile generation
// are taken now, in Update: the message carries that generation so a reply
// that arrives after a profile switch is dropped.
func apiCmd[T any](m *Model, call func(ctx context.Context, api API) (T, error), reply func(gen int, v T, err error) tea.Msg) tea.Cmd {
	api, gen, ctx := m.api, m.profileGen, m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		v, err := call(ctx, api)
		return reply(gen, v, err)
	}
}

func (m *Model) listCmd() tea.Cmd {
	now := m.opts.Now
	return apiCmd(m, func(ctx context.Context, api API) ([]apiclient.Run, error) {
		runs, _, err := api.ListPaused(ctx, apiclient.ListOptions{})
		return runs, err
	}, func(gen int, runs []apiclient.Run, err error) tea.Msg {
		msg := listMsg{gen: gen, runs: runs, err: err, at: now()}
		if err == nil {
			msg.prepared = inbox.Prepare(runs)
		}
		return msg
	})
}

func (m *Model) tickCmd() tea.Cmd {
	gen := m.tickGen
	return newTick(m.opts.RefreshInterval, func(t time.Time) tea.Msg { return tickMsg{gen: gen, at: t} })
}

func (m *Model) getRunCmd(id string) tea.Cmd {
	now := m.opts.Now
	return apiCmd(m, func(ctx context.Context, api API) (*apiclient.Run, error) {
		return api.GetRun(ctx, id)
	}, func(gen int, r *apiclient.Run, err error) tea.Msg {
		return runMsg{gen: gen, id: id, run: r, err: err, at: now()}
	})
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
	run := *r
	key := inputCacheKey(r)
	return apiCmd(m, func(ctx context.Context, api API) (*apiclient.InputRequest, error) {
		return api.InputRequest(ctx, &run)
	}, func(gen int, req *apiclient.InputRequest, err error) tea.Msg {
		msg := inputMsg{gen: gen, id: run.ID, cacheKey: key, req: req, err: err}
		if err == nil && req != nil {
			// Parse here, off the UI goroutine: schemas can be large.
			msg.schema, msg.schemaErr = inputschema.ParseSchema(req.Schema)
			msg.links = markdown.Links(req.Description)
		}
		return msg
	})
}

func (m *Model) responsesCmd(id string) tea.Cmd {
	return apiCmd(m, func(ctx context.Context, api API) ([]apiclient.Response, error) {
		rs, err := api.Responses(ctx, id)
		return domain.MaskResponses(rs), err // a secret sent once is never shown
	}, func(gen int, rs []apiclient.Response, err error) tea.Msg {
		return responsesMsg{gen: gen, id: id, rs: rs, err: err}
	})
}

func (m *Model) logsCmd(id string) tea.Cmd {
	return apiCmd(m, func(ctx context.Context, api API) ([]apiclient.LogLine, error) {
		return api.Logs(ctx, id, logLines)
	}, func(gen int, ls []apiclient.LogLine, err error) tea.Msg {
		return logsMsg{gen: gen, id: id, logs: ls, err: err}
	})
}

// followLogDelays are the waits between the follow-up log fetches after an
// action: at about 2 s and 5 s.
var followLogDelays = []time.Duration{2 * time.Second, 3 * time.Second}

// followLogsCmd waits followLogDelays[step], then asks for another fetch.
func (m *Model) followLogsCmd(id string, step int) tea.Cmd {
	if step >= len(followLogDelays) {
		return nil
	}
	gen := m.followGen
	return newTick(followLogDelays[step], func(time.Time) tea.Msg { return followLogsMsg{gen: gen, id: id, step: step} })
}

// draftLoadCmd reads the run's draft (if it is for the pause the run is in:
// drafts.Store.Current), and the answer it received for an
// earlier pause: a flow that refused an answer and paused again starts the
// new form from it. The server keeps that answer (the pause's "-response"
// input), so nothing sent is kept on disk.
func (m *Model) draftLoadCmd(r *apiclient.Run) tea.Cmd {
	store := m.drafts
	id, current, pause := r.ID, "", ""
	if r.State != nil && r.State.Details.RunInputKeyset != nil {
		current = r.State.Details.RunInputKeyset.Response
		if r.Paused() {
			pause = r.State.Details.RunInputKeyset.Schema
		}
	}
	return apiCmd(m, func(ctx context.Context, api API) (draftLoadedMsg, error) {
		// A draft for a pause that is over is removed, not offered.
		d, err := store.Current(id, pause)
		msg := draftLoadedMsg{id: id, draft: d, err: err}
		// Without the earlier answers the form starts from the defaults.
		if rs, rerr := api.Responses(ctx, id); rerr == nil {
			if v, at, ok := domain.PreviousAnswer(rs, current); ok {
				msg.previous = &drafts.Draft{RunID: id, Values: v, SavedAt: at}
			}
		}
		return msg, nil
	}, func(_ int, msg draftLoadedMsg, _ error) tea.Msg { return msg })
}

func (m *Model) draftFlushCmd() tea.Cmd {
	store := m.drafts
	return func() tea.Msg { return draftSavedMsg{err: store.Flush()} }
}

// draftDebounce is how long typing must pause before the draft is written;
// draftMaxWait bounds how long a change waits while typing goes on (a key
// every 300 ms restarts the debounce for ever). So typing that is not on
// disk is at most draftMaxWait (1 s) old, plus the write itself.
const (
	draftDebounce = 400 * time.Millisecond
	draftMaxWait  = time.Second
)

// draftChangedCmd restarts the debounce and, for the first change since the
// last write, starts the max-wait timer.
func (m *Model) draftChangedCmd() tea.Cmd {
	m.draftGen++
	gen := m.draftGen
	debounce := newTick(draftDebounce, func(time.Time) tea.Msg { return draftFlushMsg{gen: gen} })
	if m.draftUnsaved {
		return debounce
	}
	m.draftUnsaved = true
	m.draftMaxGen++
	maxGen := m.draftMaxGen
	return tea.Batch(debounce, newTick(draftMaxWait, func(time.Time) tea.Msg { return draftFlushMsg{gen: maxGen, maxWait: true} }))
}

// onDraftTimer writes the drafts when the timer is still the current one;
// either timer supersedes the other.
func (m *Model) onDraftTimer(msg draftFlushMsg) tea.Cmd {
	if (msg.maxWait && msg.gen != m.draftMaxGen) || (!msg.maxWait && msg.gen != m.draftGen) || !m.draftUnsaved {
		return nil
	}
	m.draftUnsaved = false
	m.draftGen++
	m.draftMaxGen++
	return m.draftFlushCmd()
}

// pauseOverCmd removes the draft of a run seen to have left its pause.
func (m *Model) pauseOverCmd(id string) tea.Cmd {
	store := m.drafts
	return func() tea.Msg {
		_, err := store.Current(id, "")
		return draftSavedMsg{err: err}
	}
}

// afterResumeCmd forgets the draft after a resume: what was sent is on the
// server now.
func (m *Model) afterResumeCmd(id string) tea.Cmd {
	store := m.drafts
	return func() tea.Msg { return draftSavedMsg{err: store.Delete(id)} }
}

func (m *Model) resumeCmd(id string, payload json.RawMessage, values map[string]any, schemaKey string) tea.Cmd {
	return apiCmd(m, func(ctx context.Context, api API) (*apiclient.ActionResult, error) {
		return api.Resume(ctx, id, payload)
	}, func(gen int, res *apiclient.ActionResult, err error) tea.Msg {
		return actionMsg{gen: gen, kind: domain.Resume, id: id, res: res, err: err, values: values, schemaKey: schemaKey}
	})
}

func (m *Model) cancelCmd(id, reason string) tea.Cmd {
	return apiCmd(m, func(ctx context.Context, api API) (*apiclient.ActionResult, error) {
		return api.Cancel(ctx, id, reason)
	}, func(gen int, res *apiclient.ActionResult, err error) tea.Msg {
		return actionMsg{gen: gen, kind: domain.Cancel, id: id, res: res, err: err}
	})
}

func (m *Model) switchProfileCmd(name string) tea.Cmd {
	sw := m.opts.SwitchProfile
	return func() tea.Msg {
		api, info, err := sw(name)
		return profileMsg{api: api, info: info, err: err}
	}
}

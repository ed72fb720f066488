package tui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/cursor"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/forms"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/answer"
	"github.com/unpause-dev/unpause/tui/cancel"
	"github.com/unpause-dev/unpause/tui/common"
	"github.com/unpause-dev/unpause/tui/confirm"
	"github.com/unpause-dev/unpause/tui/drafts"
	"github.com/unpause-dev/unpause/tui/inbox"
	"github.com/unpause-dev/unpause/tui/markdown"
	"github.com/unpause-dev/unpause/tui/runview"
)

// screen is what the body shows.
type screen int

const (
	scrInbox screen = iota
	scrRun
	scrAnswer        // form or review (answer.Model)
	scrConfirmResume // "Resume this run? [y/N]" for runs that ask no input
	scrCancel        // reason, then "Cancel this run? [y/N]" (cancel.Model)
	scrBulk          // the outcomes of one answer sent to the marked runs (bulk.go)
)

type overlay int

const (
	ovNone overlay = iota
	ovHelp
	ovProfiles
)

// openRun is what the app knows about the run on screen.
type openRun struct {
	id            string
	run           *apiclient.Run
	input         *inputMsg // schema and description, once loaded
	inputFailed   bool
	draftLoaded   bool
	draft         *drafts.Draft
	previous      *drafts.Draft       // the answer to an earlier pause (server's, or sent in this session)
	logs          []apiclient.LogLine // its latest log lines, as the run view shows them
	pendingAnswer bool                // "a" was pressed before the form could be built
	// rechecks counts the input requests asked again for a description the
	// flow may still be saving (recheckKey: of that pause).
	rechecks     int
	recheckKey   string
	sending      bool
	resumed      bool     // the banner says "resumed"; the next GET shows what became of it
	resumedNotes []string // what went wrong alongside that resume (domain.Message.Notes)
}

// Model is the root model. It is used through a pointer: it holds 10,000
// rows without copying them on every message.
type Model struct {
	ctx  context.Context
	opts Options
	api  API

	c       *common.Common
	inbox   *inbox.Model
	runview *runview.Model
	md      *markdown.Cache
	drafts  *drafts.Store

	profile   string
	server    string
	screen    screen
	overlay   overlay
	helpTop   int // the help overlay's first line shown, when it scrolls
	cur       *openRun
	answers   map[string]*answer.Model  // per run: values and stage survive going back
	inputs    map[string]*inputMsg      // input requests per pause
	inFlight  map[string]InFlightAction // per run: resumes and cancels sent, not answered yet
	resumeQ   *confirm.Model
	cancel    *cancel.Model
	pickIndex int

	width, height int

	profileGen   int
	tickGen      int
	draftGen     int  // debounce timer
	draftMaxGen  int  // max-wait timer
	draftUnsaved bool // a change waits for a draft timer
	resizeGen    int
	followGen    int // follow-up log fetches: a new action or run supersedes them
	refreshing   bool
	lastRefresh  time.Time
	listErr      error
	status       string
	statusErr    bool
	failure      string // a failed action, pinned until a key dismisses it (failure.go)
	quitting     bool
	themeFixed   bool
	live         liveState  // the feed, when the API serves one (live.go)
	pickLink     bool       // o was pressed: the next digit picks a link (links.go)
	bulk         *bulkState // one answer for the marked runs (bulk.go)

	queue   *queueState           // queue mode (queue.go); nil outside a queue
	quick   map[string]bool       // flows (flowKey) with quick answers on, this session
	pending map[string]*quickSend // quick answers in their undo window, by run
	// quitArmed: q was pressed with quick answers pending, and said so;
	// a second q quits (keeping them as drafts).
	quitArmed bool
	undo      []string // their runs, oldest first: u takes back the last
	quickGen  int
	unsent    int // quick answers quitting kept as drafts
}

// New builds the root model (Run uses it; tests drive it directly).
func New(ctx context.Context, o Options) (*Model, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	// An unusable state directory must not keep the operator out of the
	// inbox: keep drafts in memory and say so.
	store, storeErr := drafts.Open(o.StateDir, o.Now)
	if storeErr != nil {
		store, _ = drafts.Open("", o.Now)
	}
	c := common.New(o.Now())
	c.ReadOnly = o.ReadOnly
	m := &Model{
		ctx: ctx, opts: o, api: o.API,
		c: c, md: markdown.NewCache(64), drafts: store,
		profile: o.Profile, server: o.ServerURL,
		answers: map[string]*answer.Model{}, inputs: map[string]*inputMsg{},
		inFlight: map[string]InFlightAction{},
		quick:    map[string]bool{}, pending: map[string]*quickSend{},
	}
	subject := common.Subject{Title: m.runTitle, Sending: m.sending}
	m.resumeQ = confirm.New(c, subject, "Resume this run?",
		[]string{"It asks for no input: resuming lets it continue."},
		"Resume this run? [y/N] ")
	m.cancel = cancel.New(c, subject)
	switch o.Theme {
	case "light":
		c.SetDark(false)
		m.themeFixed = true
	case "dark":
		m.themeFixed = true
	}
	m.inbox = inbox.New(c)
	m.runview = runview.New(c)
	if storeErr != nil {
		m.setStatus("Drafts are kept in memory only: "+termsafe.Line(storeErr.Error()), true)
	}
	return m, nil
}

// Drafts is the draft store (Run flushes it on exit).
func (m *Model) Drafts() *drafts.Store { return m.drafts }

// Init asks for the terminal background and loads the inbox.
func (m *Model) Init() tea.Cmd {
	m.refreshing = true
	if cmd := m.startFeed(); cmd != nil {
		return tea.Batch(tea.RequestBackgroundColor, cmd)
	}
	return tea.Batch(tea.RequestBackgroundColor, m.listCmd())
}

func (m *Model) setStatus(s string, isErr bool) {
	m.status, m.statusErr = s, isErr
}

// bodyHeight is the screen minus header (1) and footer (status, or a
// pinned failure's lines, and the key bar).
func (m *Model) bodyHeight() int { return max(1, m.height-2-max(1, len(m.failureLines()))) }

func (m *Model) resize() {
	m.c.Width, m.c.Height = m.width, m.height
	h := m.bodyHeight()
	m.inbox.SetSize(m.width, h)
	m.runview.SetSize(m.width, h)
	m.resumeQ.SetSize(m.width, h)
	m.cancel.SetSize(m.width, h)
	if a := m.currentAnswer(); a != nil {
		a.SetSize(m.width, h)
	}
}

func (m *Model) currentAnswer() *answer.Model {
	if m.cur == nil {
		return nil
	}
	return m.answers[m.cur.id]
}

func (m *Model) styleName() string {
	if m.c.IsDark {
		return "dark"
	}
	return "light"
}

// Update handles one message. No I/O happens here: API calls, rendering and
// draft writes are tea.Cmds.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, ok := m.updateTerminal(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.updateLoaded(msg); ok {
		return m, cmd
	}
	// Anything else (huh's internal messages) belongs to the open form.
	if a := m.currentAnswer(); a != nil {
		cmd, ev := a.Update(msg)
		return m, tea.Batch(cmd, m.onAnswerEvent(a, ev))
	}
	return m, nil
}

// updateTerminal handles what the terminal sends: keys, paste, mouse, size,
// background colour. ok is false for any other message.
func (m *Model) updateTerminal(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case cursor.BlinkMsg:
		return nil, true // no blinking: an idle screen sends nothing
	case tea.WindowSizeMsg:
		return m.onWindowSize(msg), true
	case resizeRenderMsg:
		if msg.gen != m.resizeGen {
			return nil, true
		}
		return m.ensureDescription(), true
	case tea.BackgroundColorMsg:
		return m.onBackground(msg), true
	case tea.KeyPressMsg:
		return m.handleKey(msg), true
	case shutdownMsg:
		return m.quit(), true
	case tea.PasteMsg:
		return m.handlePaste(msg), true
	case tea.MouseWheelMsg:
		m.onMouseWheel(msg)
		return nil, true
	}
	return nil, false
}

// updateLoaded handles the replies of the app's own commands: API calls,
// renderings, draft reads and writes, timers. ok is false for any other
// message.
func (m *Model) updateLoaded(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case listMsg:
		return m.onList(msg), true
	case tickMsg:
		if msg.gen != m.tickGen {
			return nil, true
		}
		if m.live.on {
			return m.onLiveTick(msg.at), true
		}
		return m.refresh(false), true
	case feedStartedMsg:
		return m.onFeedStarted(msg), true
	case feedMsg:
		return m.onFeed(msg), true
	case runMsg:
		return m.onRun(msg), true
	case inputMsg:
		return m.onInput(msg), true
	case recheckInputMsg:
		return m.onRecheckInput(msg), true
	case responsesMsg:
		if m.cur != nil && msg.gen == m.profileGen && msg.id == m.cur.id {
			m.runview.SetResponses(msg.rs, msg.err)
		}
		return nil, true
	case logsMsg:
		if m.cur != nil && msg.gen == m.profileGen && msg.id == m.cur.id {
			m.runview.SetLogs(msg.logs, msg.err)
			if msg.err == nil {
				m.cur.logs = msg.logs
				m.syncFormContext() // the refusal may arrive in a later batch
			}
		}
		return nil, true
	case markdown.RenderedMsg:
		return m.onRendered(msg), true
	case draftLoadedMsg:
		return m.onDraftLoaded(msg), true
	case draftFlushMsg:
		return m.onDraftTimer(msg), true
	case draftSavedMsg:
		if msg.err != nil {
			m.setStatus("Could not save the draft: "+termsafe.Line(msg.err.Error()), true)
		}
		return nil, true
	case actionMsg:
		return m.onAction(msg), true
	case profileMsg:
		return m.onProfile(msg), true
	case followLogsMsg:
		return m.onFollowLogs(msg), true
	case bulkDoneMsg:
		return m.onBulkDone(msg), true
	case linkOpenedMsg:
		return m.onLinkOpened(msg), true
	case editorOpenedMsg:
		return m.onEditorOpened(msg), true
	case editedMsg:
		return m.onEdited(msg), true
	case quickSendMsg:
		return m.onQuickSend(msg), true
	}
	return nil, false
}

func (m *Model) onWindowSize(msg tea.WindowSizeMsg) tea.Cmd {
	m.width, m.height = msg.Width, msg.Height
	m.resize()
	if m.cur != nil && m.cur.input != nil {
		// Re-render the description once the resizing stops.
		m.resizeGen++
		gen := m.resizeGen
		return newTick(120*time.Millisecond, func(time.Time) tea.Msg { return resizeRenderMsg{gen} })
	}
	return nil
}

func (m *Model) onBackground(msg tea.BackgroundColorMsg) tea.Cmd {
	if m.themeFixed {
		return nil
	}
	dark := msg.IsDark()
	if dark == m.c.IsDark {
		return nil
	}
	m.c.SetDark(dark)
	m.runview.Restyle()
	if a := m.currentAnswer(); a != nil {
		a.SyncTheme()
	}
	return m.ensureDescription()
}

// onMouseWheel scrolls like j/k. Only delivered when Options.MouseEnabled
// turned the mouse on.
func (m *Model) onMouseWheel(msg tea.MouseWheelMsg) {
	if m.overlay != ovNone || (m.screen != scrInbox && m.screen != scrRun) {
		return
	}
	k := "j"
	if msg.Mouse().Button == tea.MouseWheelUp {
		k = "k"
	}
	kp := tea.KeyPressMsg{Code: rune(k[0]), Text: k}
	if m.screen == scrInbox {
		m.inbox.Update(kp)
	} else {
		m.runview.Update(kp)
	}
}

// refresh reloads the inbox (and the open run). manual=true is the r key.
func (m *Model) refresh(manual bool) tea.Cmd {
	if m.live.feed != nil {
		return m.refreshLive(manual)
	}
	var cmds []tea.Cmd
	if manual && m.screen == scrRun && m.cur != nil {
		// r in the run view reloads all of it: what the run logged and the
		// answers it received since it was opened.
		cmds = append(cmds, m.responsesCmd(m.cur.id), m.logsCmd(m.cur.id))
	}
	if m.refreshing {
		if manual {
			m.setStatus("Already refreshing…", false)
		}
		return tea.Batch(cmds...)
	}
	m.refreshing = true
	m.tickGen++ // a pending tick is superseded; the result schedules the next
	cmds = append(cmds, m.listCmd())
	if m.cur != nil && !m.cur.sending {
		cmds = append(cmds, m.getRunCmd(m.cur.id))
	}
	if manual {
		m.setStatus("Refreshing…", false)
	}
	return tea.Batch(cmds...)
}

func (m *Model) onList(msg listMsg) tea.Cmd {
	if msg.gen != m.profileGen {
		return nil
	}
	m.refreshing = false
	m.c.Now = msg.at
	if msg.err != nil {
		m.listErr = msg.err
		m.setStatus("", false)
	} else {
		m.listErr = nil
		m.lastRefresh = msg.at
		if msg.prepared != nil {
			m.inbox.SetPrepared(msg.prepared)
		} else {
			m.inbox.SetRuns(msg.runs)
		}
		if m.status == "Refreshing…" {
			m.setStatus("", false)
		}
	}
	m.runview.Restyle() // countdowns moved
	m.tickGen++
	return m.tickCmd()
}

func (m *Model) onRun(msg runMsg) tea.Cmd {
	if m.cur == nil || msg.gen != m.profileGen || msg.id != m.cur.id {
		return nil
	}
	if msg.err != nil {
		if apiclient.KindOf(msg.err) == apiclient.ErrNotFound {
			m.runview.SetBanner(runview.BannerWarning, "This run no longer exists on the server.")
		}
		return nil
	}
	m.c.Now = msg.at
	old := m.cur.run
	m.cur.run = msg.run
	m.runview.UpdateRun(msg.run)
	if m.cur.sending {
		return nil
	}
	switch {
	case m.cur.resumed && !msg.run.Paused():
		// The banner said the run would leave the inbox: now it has.
		m.cur.resumed = false
		kind := runview.BannerSuccess
		if len(m.cur.resumedNotes) > 0 {
			kind = runview.BannerWarning
		}
		m.runview.SetBanner(kind, domain.WithNotes("Resumed: the run continues (now "+domain.StateName(msg.run.State)+"); it has left the inbox.", m.cur.resumedNotes))
	case old.Paused() && !msg.run.Paused():
		if k, _ := m.runview.Banner(); k == runview.BannerNone {
			m.runview.SetBanner(runview.BannerWarning, "This run is no longer paused (now "+domain.StateName(msg.run.State)+"): it was answered, or it ended.")
		}
		// Its draft is for a pause that is over (a send reported as failed
		// may have resumed it after all).
		m.cur.draft = nil
		return m.pauseOverCmd(msg.run.ID)
	case msg.run.Paused() && msg.run.NeedsInput() && m.cur.input != nil && inputCacheKey(msg.run) != m.cur.input.cacheKey:
		// It paused again (e.g. the flow refused the answer and asks anew):
		// load the new request; the last answer sent is offered again.
		m.cur.resumed = false
		m.cur.input, m.cur.inputFailed, m.cur.draftLoaded = nil, false, false
		delete(m.answers, m.cur.id)
		if m.screen == scrAnswer {
			m.screen = scrRun
		}
		m.runview.ResetInput()
		m.runview.SetBanner(runview.BannerInfo, "The run paused again and asks for input.")
		return tea.Batch(m.inputCmd(msg.run), m.draftLoadCmd(msg.run), m.responsesCmd(m.cur.id), m.logsCmd(m.cur.id))
	case msg.run.Paused() && !old.Paused():
		// It had left the pause and paused anew (a run that asks no input,
		// or whose form was not loaded): it is back in the inbox.
		m.cur.resumed = false
		m.runview.SetBanner(runview.BannerInfo, "The run paused again.")
		cmds := []tea.Cmd{m.responsesCmd(m.cur.id), m.logsCmd(m.cur.id)}
		if msg.run.NeedsInput() {
			m.cur.input, m.cur.inputFailed = nil, false
			m.runview.ResetInput()
			cmds = append(cmds, m.inputCmd(msg.run))
		}
		return tea.Batch(cmds...)
	}
	return nil
}

// followLogs starts the follow-up fetches of the run's logs (and answers)
// after an action on it.
func (m *Model) followLogs(id string) tea.Cmd {
	m.followGen++
	return m.followLogsCmd(id, 0)
}

// onFollowLogs fetches the logs again while the same run is on screen.
func (m *Model) onFollowLogs(msg followLogsMsg) tea.Cmd {
	if msg.gen != m.followGen || m.cur == nil || m.cur.id != msg.id || m.screen == scrInbox {
		return nil
	}
	return tea.Batch(m.logsCmd(msg.id), m.responsesCmd(msg.id), m.followLogsCmd(msg.id, msg.step+1))
}

// openRunView shows a run and loads its details in parallel.
func (m *Model) openRunView(r *apiclient.Run) tea.Cmd {
	if r == nil {
		return nil
	}
	if m.cur == nil || m.cur.id != r.ID {
		m.followGen++ // the previous run's follow-ups are not for this one
		m.cur = &openRun{id: r.ID, run: r}
		m.runview.SetRun(r, m.api.RunURL(r.ID))
	} else {
		m.cur.run = r
		m.runview.UpdateRun(r)
		m.runview.ScrollTop()
	}
	m.screen = scrRun
	m.setStatus("", false)
	cmds := []tea.Cmd{m.getRunCmd(r.ID), m.responsesCmd(r.ID), m.logsCmd(r.ID), m.draftLoadCmd(r)}
	if r.NeedsInput() {
		if in, ok := m.inputs[inputCacheKey(r)]; ok {
			cmds = append(cmds, m.applyInput(in), m.recheckLateDescription(in))
		} else {
			cmds = append(cmds, m.inputCmd(r))
		}
	} else {
		m.runview.SetInputError(nil)
	}
	return tea.Batch(cmds...)
}

func (m *Model) onInput(msg inputMsg) tea.Cmd {
	if msg.gen != m.profileGen {
		return nil
	}
	if msg.err == nil && msg.schemaErr == nil {
		if len(m.inputs) >= 256 {
			m.inputs = map[string]*inputMsg{} // bound a long session's cache
		}
		m.inputs[msg.cacheKey] = &msg
	}
	if m.cur == nil || msg.id != m.cur.id {
		return nil
	}
	return tea.Batch(m.applyInput(&msg), m.recheckLateDescription(&msg))
}

// A flow saves a pause's schema, then its description, in two requests
// (src/prefect/input/run_input.py RunInput.save); a busy flow process can
// take longer between them than apiclient waits. So a fresh pause shown
// without a description is asked again, every lateDescriptionEvery while
// it is on screen, at most lateDescriptionTries times.
const (
	lateDescriptionWindow = time.Minute // a pause older than this has said all it will
	lateDescriptionEvery  = 3 * time.Second
	lateDescriptionTries  = 20
)

type recheckInputMsg struct {
	gen      int
	id       string
	cacheKey string
}

// recheckLateDescription schedules another read of in's input request when
// its pause is fresh, has a description key, and none was found yet.
func (m *Model) recheckLateDescription(in *inputMsg) tea.Cmd {
	cur := m.cur
	r := cur.run
	if in.err != nil || in.req == nil || in.req.Description != "" || r == nil || r.State == nil {
		return nil
	}
	ks := r.State.Details.RunInputKeyset
	if ks == nil || ks.Description == "" || m.c.Now.Sub(r.State.Timestamp) > lateDescriptionWindow {
		return nil
	}
	if cur.recheckKey != in.cacheKey {
		cur.recheckKey, cur.rechecks = in.cacheKey, 0
	}
	if cur.rechecks >= lateDescriptionTries {
		return nil
	}
	cur.rechecks++
	msg := recheckInputMsg{gen: m.profileGen, id: r.ID, cacheKey: in.cacheKey}
	return newTick(lateDescriptionEvery, func(time.Time) tea.Msg { return msg })
}

// onRecheckInput reads the input request again, if its run and pause are
// still the ones on screen.
func (m *Model) onRecheckInput(msg recheckInputMsg) tea.Cmd {
	if msg.gen != m.profileGen || m.cur == nil || m.cur.id != msg.id || m.cur.run == nil || inputCacheKey(m.cur.run) != msg.cacheKey {
		return nil
	}
	return m.inputCmd(m.cur.run)
}

func (m *Model) applyInput(in *inputMsg) tea.Cmd {
	cur := m.cur
	switch {
	case in.err != nil:
		cur.inputFailed = true
		m.runview.SetInputError(in.err)
		m.runview.SetDescriptionError(in.err)
		if cur.pendingAnswer {
			cur.pendingAnswer = false
			m.setStatus("Cannot answer: the run's form could not be loaded ("+termsafe.Line(in.err.Error())+")", true)
		}
		return nil
	case in.schemaErr != nil:
		cur.inputFailed = true
		cur.input = in
		err := in.schemaErr
		if ue := (*inputschema.UnreadableError)(nil); !errors.As(err, &ue) {
			err = fmt.Errorf("the run's schema cannot be used: %w", err) // an unreadable schema says so itself
		}
		m.runview.SetInputError(err)
	default:
		cur.input = in
		m.runview.SetInputError(nil)
	}
	m.runview.SetLinks(in.links)
	cmd := m.ensureDescription()
	return tea.Batch(cmd, m.maybeStartPending())
}

func (m *Model) descKey() (markdown.Key, string, bool) {
	if m.cur == nil || m.cur.input == nil || m.cur.input.req == nil {
		return markdown.Key{}, "", false
	}
	src := m.cur.input.req.Description
	return markdown.Key{RunID: m.cur.id, Hash: markdown.Hash(src), Width: m.runview.DescriptionWidth(), Style: m.styleName()}, src, true
}

// ensureDescription shows the cached rendering or starts rendering it.
func (m *Model) ensureDescription() tea.Cmd {
	k, src, ok := m.descKey()
	if !ok {
		return nil
	}
	if strings.TrimSpace(src) == "" {
		m.runview.SetDescription("", true)
		return nil
	}
	if out, ok := m.md.Get(k); ok {
		m.runview.SetDescription(out, false)
		m.syncFormContext()
		return nil
	}
	m.runview.DescriptionLoading()
	return markdown.RenderCmd(k, src)
}

func (m *Model) onRendered(msg markdown.RenderedMsg) tea.Cmd {
	if msg.Err != nil {
		if m.cur != nil && msg.Key.RunID == m.cur.id {
			m.runview.SetDescriptionError(msg.Err)
		}
		return nil
	}
	m.md.Put(msg.Key, msg.Out)
	if k, _, ok := m.descKey(); ok && k == msg.Key {
		m.runview.SetDescription(msg.Out, false)
		m.syncFormContext()
	}
	return nil
}

// syncFormContext tells the open form what to show above it: the run's
// description as the run view rendered it (from the cache; nothing is
// rendered here) and, when the run paused again after an answer, why the
// flow refused that answer, from the logs already fetched.
func (m *Model) syncFormContext() {
	a := m.currentAnswer()
	if a == nil {
		return
	}
	desc := ""
	if k, _, ok := m.descKey(); ok {
		desc, _ = m.md.Get(k)
	}
	refusal := ""
	if p := m.cur.previous; p != nil && m.cur.run.Paused() {
		refusal, _ = domain.Refusal(m.cur.logs, p.SavedAt, m.cur.run.PausedSince())
	}
	a.SetContext(desc, refusal)
}

func (m *Model) onDraftLoaded(msg draftLoadedMsg) tea.Cmd {
	if m.cur == nil || msg.id != m.cur.id {
		return nil
	}
	m.cur.draftLoaded = true
	m.cur.draft, m.cur.previous = msg.draft, msg.previous
	if msg.err != nil {
		m.setStatus("Could not read the saved draft: "+termsafe.Line(msg.err.Error()), true)
	}
	if _, open := m.answers[m.cur.id]; !open {
		switch {
		case msg.draft != nil:
			m.runview.SetNotice("Restored draft from " + common.Stamp(msg.draft.SavedAt.In(m.c.Now.Location())) + " (a to continue answering).")
		case msg.previous != nil && m.cur.run.Paused():
			m.runview.SetNotice("The previous answer, sent " + common.Stamp(msg.previous.SavedAt.In(m.c.Now.Location())) + ", is offered as the starting values.")
		}
	}
	m.syncFormContext()
	return m.maybeStartPending()
}

func (m *Model) maybeStartPending() tea.Cmd {
	if m.cur == nil {
		return nil
	}
	if m.cur.pendingAnswer && m.cur.draftLoaded && (m.cur.input != nil || m.cur.inputFailed) {
		m.cur.pendingAnswer = false
		return m.startAnswer()
	}
	return nil
}

// startAnswer opens the form (or the plain confirmation for runs that ask
// no input).
func (m *Model) startAnswer() tea.Cmd {
	cur := m.cur
	if cur == nil {
		return nil
	}
	if m.c.ReadOnly {
		m.setStatus("Read-only: resuming is disabled.", true)
		return nil
	}
	if !cur.run.Paused() {
		m.setStatus("This run is no longer paused.", true)
		return nil
	}
	if !cur.run.NeedsInput() {
		m.screen = scrConfirmResume
		return nil
	}
	if cmd, skipped := m.queueSkipsSchema(); skipped {
		return cmd
	}
	if a, ok := m.answers[cur.id]; ok {
		m.screen = scrAnswer
		a.SetSize(m.width, m.bodyHeight())
		m.syncFormContext()
		m.syncQueueLine()
		if a.Stage() == answer.StageSending && !cur.sending {
			a.SetStage(answer.StageReview)
		}
		return nil
	}
	if cur.inputFailed {
		m.setStatus("Cannot answer: the run's form could not be loaded.", true)
		return nil
	}
	if cur.input == nil || !cur.draftLoaded {
		cur.pendingAnswer = true
		m.setStatus("Loading the form…", false)
		return nil
	}
	var (
		saved map[string]any
		raw   forms.Entered
	)
	note := ""
	switch {
	case cur.draft != nil:
		saved, raw = cur.draft.Values, cur.draft.Raw
		note = "Restored draft from " + common.Stamp(cur.draft.SavedAt.In(m.c.Now.Location()))
	case cur.previous != nil:
		// Secrets are typed anew, never offered from an earlier answer.
		saved = cur.input.schema.Reusable(cur.previous.Values)
		note = "Starting from the previous answer, sent " + common.Stamp(cur.previous.SavedAt.In(m.c.Now.Location()))
	}
	schemaKey := cur.run.State.Details.RunInputKeyset.Schema
	a := answer.New(m.c, cur.id, termsafe.Line(cur.run.Name), schemaKey, cur.input.schema, domain.InitialValues(cur.input.schema.Defaults(), saved), raw)
	a.SetNote(note)
	m.answers[cur.id] = a
	m.syncQueueLine() // before sizing: each size change lays the form out again
	a.SetSize(m.width, m.bodyHeight())
	m.syncFormContext()
	m.screen = scrAnswer
	m.setStatus(m.queueNote(cur.id), false)
	return a.Init()
}

func (m *Model) onAnswerEvent(a *answer.Model, ev answer.Event) tea.Cmd {
	switch ev {
	case answer.EventChanged:
		m.saveDraft(a)
		return m.draftChangedCmd()
	case answer.EventBack:
		m.saveDraft(a)
		m.screen = scrRun
		m.setStatus("Answer kept as a draft; a to continue.", false)
		if q := m.queue; q != nil {
			m.leaveQueue()
			m.setStatus("Left the queue ("+strconv.Itoa(q.confirmed)+" answered); answer kept as a draft, a to continue.", false)
		}
		return m.draftFlushCmd()
	case answer.EventPicked:
		return m.onPicked(a)
	case answer.EventInvalid:
		m.saveDraft(a)
		m.setStatus("Some values need fixing (marked in the form).", true)
		return m.draftFlushCmd()
	case answer.EventEdit:
		return m.editCmd(a)
	case answer.EventSend:
		if m.c.ReadOnly {
			a.SetStage(answer.StageReview)
			m.setStatus("Read-only: resuming is disabled.", true)
			return nil
		}
		if m.bulkFor(a.RunID) {
			return m.sendBulk(a.Payload())
		}
		m.sent(domain.Resume, true)
		m.setStatus("Sending the answer…", false)
		return m.resumeCmd(a.RunID, a.Payload(), a.Values(), a.SchemaKey)
	}
	return nil
}

func (m *Model) onAction(msg actionMsg) tea.Cmd {
	delete(m.inFlight, msg.id) // answered, whichever profile sent it
	if msg.gen != m.profileGen {
		return nil
	}
	onScreen := m.cur != nil && m.cur.id == msg.id
	if onScreen {
		m.cur.sending = false
	}
	a := m.answers[msg.id]
	act := domain.Action{Kind: msg.kind, RunID: msg.id, RunName: msg.name, Answering: msg.kind == domain.Resume && a != nil}
	if msg.err != nil {
		m.onActionFailed(act, a, onScreen, msg.err)
		if msg.quick && m.queue != nil {
			delete(m.queue.answered, msg.id) // not answered: the queue offers it again
		}
		return nil
	}
	if onScreen && msg.res.State != nil {
		r := *m.cur.run
		st := *msg.res.State
		r.State = &st
		m.cur.run = &r
		m.runview.UpdateRun(&r)
	}
	return m.onOutcome(msg, act, a, onScreen)
}

// onActionFailed tells why a resume or cancel call failed.
func (m *Model) onActionFailed(act domain.Action, a *answer.Model, onScreen bool, err error) {
	failed := domain.Failed(act, err)
	m.setStatus("", false)
	if act.Answering {
		a.SetStage(answer.StageReview)
	}
	if onScreen && !act.Answering {
		m.screen = scrRun
		m.runview.SetBanner(bannerKind(failed.Tone), failed.TUI)
	}
	m.pinFailure(failed)
}

// onOutcome acts on what the server did with a resume or cancel.
func (m *Model) onOutcome(msg actionMsg, act domain.Action, a *answer.Model, onScreen bool) tea.Cmd {
	res := msg.res
	told := domain.Describe(act, res)
	var cmds []tea.Cmd
	switch res.Outcome {
	case apiclient.OutcomeResumed, apiclient.OutcomeAlreadyAnswered:
		delete(m.answers, msg.id)
		if onScreen {
			m.cur.draft = nil
			if msg.values != nil {
				m.cur.previous = &drafts.Draft{RunID: msg.id, SchemaKey: msg.schemaKey, Values: msg.values, SavedAt: m.c.Now}
			}
		}
		m.inbox.Remove(msg.id)
		m.backToRun(told, onScreen)
		if onScreen {
			m.runview.SetNotice("")
			m.cur.resumed, m.cur.resumedNotes = true, told.Notes
		}
		cmds = append(cmds, m.afterResumeCmd(msg.id), m.refresh(false))
		if onScreen {
			cmds = append(cmds, m.followLogs(msg.id))
		}
		if cmd, ok := m.queueResumed(msg, a, told, onScreen); ok {
			cmds = append(cmds, cmd)
		}
	case apiclient.OutcomeCancelled:
		delete(m.answers, msg.id)
		m.inbox.Remove(msg.id)
		m.backToRun(told, onScreen)
		cmds = append(cmds, m.refresh(false))
		if onScreen {
			cmds = append(cmds, m.followLogs(msg.id))
		}
	case apiclient.OutcomeRejected:
		if act.Answering {
			if onScreen {
				m.screen = scrAnswer
			}
			m.setStatus(told.TUI, true)
			cmds = append(cmds, a.Rejected(res.Reason))
		} else {
			m.backToRun(told, onScreen)
		}
	case apiclient.OutcomeNotPaused:
		delete(m.answers, msg.id)
		m.backToRun(told, onScreen)
		if onScreen {
			cmds = append(cmds, m.getRunCmd(msg.id))
		}
		cmds = append(cmds, m.refresh(false))
	case apiclient.OutcomeExpired:
		delete(m.answers, msg.id)
		m.backToRun(told, onScreen)
		cmds = append(cmds, m.refresh(false))
	case apiclient.OutcomeWait:
		if act.Answering {
			a.SetStage(answer.StageReview)
			m.setStatus(told.TUI, true)
		} else {
			m.backToRun(told, onScreen)
		}
	default:
		m.backToRun(told, onScreen)
	}
	m.quickOutcome(msg, told)
	return tea.Batch(cmds...)
}

// backToRun shows what happened: on the run's banner when it is on screen
// (and goes back to it from a form or prompt), else in the status line.
func (m *Model) backToRun(told domain.Message, onScreen bool) {
	if onScreen {
		m.runview.SetBanner(bannerKind(told.Tone), told.TUI)
		if m.screen != scrInbox {
			m.screen = scrRun
			m.setStatus("", false)
			return
		}
	}
	m.setStatus(told.TUI, told.Tone == domain.ToneError)
}

// bannerKind is how the run view shows a message of tone t.
func bannerKind(t domain.Tone) runview.BannerKind {
	switch t {
	case domain.ToneSuccess:
		return runview.BannerSuccess
	case domain.ToneWarning:
		return runview.BannerWarning
	}
	return runview.BannerError
}

func (m *Model) onProfile(msg profileMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus("Could not switch profile: "+termsafe.Line(msg.err.Error()), true)
		return nil
	}
	m.api = msg.api
	m.profile = msg.info.Name
	m.server = msg.info.ServerURL
	// SwitchProfile resolves read-only for the new profile with --read-only
	// and UNPAUSE_READ_ONLY still on top (config.LoadProfile).
	m.c.ReadOnly = msg.info.ReadOnly
	m.opts.Notify = msg.info.Notify
	m.profileGen++
	kept := m.keepUnsent() // they were for the other profile's server
	m.leaveQueue()
	m.cur = nil
	m.answers = map[string]*answer.Model{}
	m.inputs = map[string]*inputMsg{}
	m.screen = scrInbox
	m.inbox = inbox.New(m.c)
	m.resize()
	m.listErr = nil
	m.lastRefresh = time.Time{}
	m.refreshing = false
	m.setStatus("Switched to profile "+termsafe.Line(m.profile)+".", false)
	var flush tea.Cmd
	if kept > 0 {
		m.setStatus(m.status+" "+(&UnsentQuickError{N: kept}).Error(), false)
		flush = m.draftFlushCmd()
	}
	if cmd := m.startFeed(); cmd != nil {
		m.refreshing = true
		return tea.Batch(flush, cmd)
	}
	m.stopFeed()
	return tea.Batch(flush, m.refresh(false))
}

// quit records the open form's values and ends the program; the drafts are
// flushed by a command first and again by Run after the program ends.
func (m *Model) quit() tea.Cmd {
	if a := m.currentAnswer(); a != nil && a.Stage() == answer.StageForm {
		a.Snapshot()
		m.saveDraft(a)
	}
	m.keepUnsent()
	m.quitting = true
	return tea.Sequence(m.draftFlushCmd(), tea.Quit)
}

func (m *Model) handlePaste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case m.screen == scrInbox && m.inbox.Filtering():
		m.inbox.Update(msg)
	case m.screen == scrCancel:
		_, ev := m.cancel.Update(msg)
		return m.onCancelEvent(ev)
	case m.screen == scrAnswer:
		if a := m.currentAnswer(); a != nil {
			cmd, ev := a.Update(msg)
			return tea.Batch(cmd, m.onAnswerEvent(a, ev))
		}
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	if key.Matches(msg, k.ForceQuit) {
		return m.quit()
	}
	armed := m.quitArmed
	m.quitArmed = false // only the very next key confirms
	if m.dismissFailure() {
		return nil
	}

	// Overlays take every key.
	switch m.overlay {
	case ovHelp:
		return m.keyHelp(msg)
	case ovProfiles:
		return m.handleProfileKey(msg)
	}

	switch m.screen {
	case scrAnswer:
		return m.keyAnswer(msg)
	case scrConfirmResume:
		return m.keyConfirmResume(msg)
	case scrCancel:
		_, ev := m.cancel.Update(msg)
		return m.onCancelEvent(ev)
	case scrBulk:
		return m.keyBulk(msg, armed)
	}

	// Inbox filter editing takes the keys (q types q).
	if m.screen == scrInbox && m.inbox.Filtering() {
		m.inbox.Update(msg)
		return nil
	}

	// Keys common to the inbox and the run view.
	switch {
	case key.Matches(msg, k.Quit):
		return m.quitKey(armed)
	case key.Matches(msg, k.Help):
		m.openHelp()
		return nil
	case key.Matches(msg, k.Profiles):
		return m.openProfiles()
	case key.Matches(msg, k.Refresh):
		return m.refresh(true)
	}

	if m.screen == scrInbox {
		return m.keyInbox(msg)
	}
	return m.keyRunView(msg)
}

// keyAnswer hands the key to the open form.
func (m *Model) keyAnswer(msg tea.KeyPressMsg) tea.Cmd {
	a := m.currentAnswer()
	if a == nil {
		m.screen = scrRun
		return nil
	}
	if a.Stage() == answer.StageSending {
		return nil
	}
	if cmd, ok := m.keyQueue(msg, a); ok {
		return cmd
	}
	cmd, ev := a.Update(msg)
	return tea.Batch(cmd, m.onAnswerEvent(a, ev))
}

// keyConfirmResume is "Resume this run? [y/N]".
func (m *Model) keyConfirmResume(msg tea.KeyPressMsg) tea.Cmd {
	_, ev := m.resumeQ.Update(msg)
	switch ev {
	case confirm.EventNone:
		return nil
	case confirm.EventConfirmed:
		if m.c.ReadOnly {
			m.setStatus("Read-only: resuming is disabled.", true)
			m.screen = scrRun
			return nil
		}
		if m.bulkFor(m.cur.id) {
			return m.sendBulk(nil)
		}
		m.sent(domain.Resume, false)
		m.setStatus("Resuming…", false)
		return m.resumeCmd(m.cur.id, nil, nil, "")
	}
	m.screen = scrRun
	m.setStatus("Not resumed.", false)
	return nil
}

// onCancelEvent acts on the cancel flow's outcome.
func (m *Model) onCancelEvent(ev cancel.Event) tea.Cmd {
	switch ev {
	case cancel.EventCancel:
		if m.c.ReadOnly {
			m.setStatus("Read-only: cancelling is disabled.", true)
			m.screen = scrRun
			return nil
		}
		m.sent(domain.Cancel, false)
		if r := m.cur.run; r.DeploymentID != "" && !r.Suspended() {
			m.setStatus("Cancelling: waiting for its runner to stop the flow's process (up to 30 s)…", false)
		} else {
			m.setStatus("Cancelling…", false)
		}
		return m.cancelCmd(m.cur.id, m.cancel.Reason())
	case cancel.EventBack:
		m.screen = scrRun
		m.setStatus("Not cancelled.", false)
	}
	return nil
}

// sending reports whether the run on screen has an action in flight.
func (m *Model) sending() bool { return m.cur != nil && m.cur.sending }

// keyInbox handles the inbox's own keys.
func (m *Model) keyInbox(msg tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.keyMarks(msg); ok {
		return cmd
	}
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Open):
		return m.openRunView(m.inbox.Selected())
	case key.Matches(msg, k.Answer):
		if m.c.ReadOnly {
			m.setStatus("Read-only: resuming is disabled.", true)
			return nil
		}
		if m.inbox.MarkedCount() > 0 {
			return m.startBulk()
		}
		r := m.inbox.Selected()
		if r == nil {
			return nil
		}
		cmd := m.openRunView(r)
		return tea.Batch(cmd, m.startAnswerSoon())
	case key.Matches(msg, k.Cancel):
		if m.c.ReadOnly {
			m.setStatus("Read-only: cancelling is disabled.", true)
			return nil
		}
		r := m.inbox.Selected()
		if r == nil {
			return nil
		}
		cmd := m.openRunView(r)
		m.startCancel()
		return cmd
	case key.Matches(msg, k.Sort):
		s := m.inbox.CycleSort()
		m.setStatus("Sorted by "+s.String()+".", false)
		return nil
	case key.Matches(msg, k.Undo) && len(m.undo) > 0:
		return m.undoQuick()
	}
	m.inbox.Update(msg)
	return nil
}

// keyRunView handles the run view's own keys.
func (m *Model) keyRunView(msg tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.keyLinks(msg); ok {
		return cmd
	}
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Back):
		m.screen = scrInbox
		m.bulk = nil // the marks stay; a answers them again
		if m.cur != nil {
			m.inbox.Select(m.cur.id)
		}
		m.setStatus("", false)
		if m.queue != nil {
			m.setStatus("Left the queue ("+strconv.Itoa(m.queue.confirmed)+" answered).", false)
			m.leaveQueue()
		}
		return nil
	case m.queue != nil && key.Matches(msg, k.QueueNext):
		return m.queueNav(1)
	case m.queue != nil && key.Matches(msg, k.QueuePrev):
		return m.queueNav(-1)
	case key.Matches(msg, k.Undo) && len(m.undo) > 0:
		return m.undoQuick()
	case key.Matches(msg, k.Answer), key.Matches(msg, k.Open):
		if m.c.ReadOnly {
			m.setStatus("Read-only: resuming is disabled.", true)
			return nil
		}
		return m.startAnswer()
	case key.Matches(msg, k.Cancel):
		if m.c.ReadOnly {
			m.setStatus("Read-only: cancelling is disabled.", true)
			return nil
		}
		m.startCancel()
		return nil
	}
	m.runview.Update(msg)
	return nil
}

// startAnswerSoon answers as soon as the run's form is loaded.
func (m *Model) startAnswerSoon() tea.Cmd {
	if m.cur == nil {
		return nil
	}
	if !m.cur.run.NeedsInput() {
		return m.startAnswer()
	}
	if m.cur.input != nil && m.cur.draftLoaded {
		return m.startAnswer()
	}
	m.cur.pendingAnswer = true
	m.setStatus("Loading the form…", false)
	return nil
}

func (m *Model) startCancel() {
	if m.cur == nil {
		return
	}
	if !m.cur.run.Paused() {
		m.setStatus("This run is no longer paused.", true)
		return
	}
	m.cancel.Start(domain.CancelEffect(m.cur.run))
	m.screen = scrCancel
}

func (m *Model) openProfiles() tea.Cmd {
	if len(m.opts.Profiles) == 0 || m.opts.SwitchProfile == nil {
		m.setStatus("No other Prefect profiles to switch to.", false)
		return nil
	}
	m.overlay = ovProfiles
	m.pickIndex = 0
	for i, p := range m.opts.Profiles {
		if p == m.profile {
			m.pickIndex = i
		}
	}
	return nil
}

func (m *Model) handleProfileKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.Quit), key.Matches(msg, k.Profiles):
		m.overlay = ovNone
	case key.Matches(msg, k.Up):
		m.pickIndex = max(0, m.pickIndex-1)
	case key.Matches(msg, k.Down):
		m.pickIndex = min(len(m.opts.Profiles)-1, m.pickIndex+1)
	case key.Matches(msg, k.Open):
		m.overlay = ovNone
		name := m.opts.Profiles[m.pickIndex]
		if name == m.profile {
			return nil
		}
		if a := m.currentAnswer(); a != nil {
			m.saveDraft(a)
		}
		m.setStatus("Switching to profile "+termsafe.Line(name)+"…", false)
		return tea.Batch(m.draftFlushCmd(), m.switchProfileCmd(name))
	}
	return nil
}

// saveDraft records the answer being typed for the next flush, secrets left
// out (see drafts.Store.Set).
func (m *Model) saveDraft(a *answer.Model) {
	m.drafts.Set(a.RunID, a.SchemaKey, a.Values(), a.Raw(), a.Schema().SecretPaths())
}

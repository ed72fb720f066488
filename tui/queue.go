package tui

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/answer"
	"github.com/unpause-dev/unpause/tui/common"
)

// Queue mode: after a run is answered, the next waiting run of the same
// flow (and deployment) that asks the same question opens at once, form
// ready. n/p (ctrl+n/ctrl+p in a form) skip, esc leaves. A schema of one
// enum or bool field is answered with a digit (answer.Model.Pick); with
// quick answers on for the flow, the digit skips the review and the answer
// is sent after quickUndoWindow unless u takes it back.

// quickUndoWindow is how long a quick answer waits before it is sent.
const quickUndoWindow = 3 * time.Second

// queueState is one queue: the flow it answers, the question (schema key)
// it was started with, and what it did with each run.
type queueState struct {
	flow      string // flowKey of its runs
	label     string // the flow as the inbox shows it, sanitised
	schemaKey string // inputschema.Schema.Key of the first answered run
	answered  map[string]bool
	skipped   map[string]bool // passed over with n/p: not opened after an answer
	mismatch  map[string]bool // asks another question: never opened
	confirmed int             // resumes the server confirmed
	note      string          // status line for when noteFor's form opens
	noteFor   string
}

func newQueue(r *apiclient.Run, schemaKey string) *queueState {
	return &queueState{
		flow: flowKey(r), label: domain.FlowLabel(r, "(unknown flow)"), schemaKey: schemaKey,
		answered: map[string]bool{}, skipped: map[string]bool{}, mismatch: map[string]bool{},
	}
}

// flowKey groups the runs a queue answers: one flow, one deployment.
func flowKey(r *apiclient.Run) string { return r.FlowID + "\x00" + r.DeploymentID }

// quickSend is a quick answer waiting out its undo window.
type quickSend struct {
	id, name, label string // name and label raw: sanitise for display
	payload         json.RawMessage
	values          map[string]any
	schemaKey       string // run_input_keyset.schema of the pause (drafts key)
	secrets         []string
	gen             int
}

// quickSendMsg is the end of a quick answer's undo window.
type quickSendMsg struct {
	id  string
	gen int
}

// pickRun chooses the run to open among ids (the queue's runs in inbox
// order). dir 0: the first one; +1 the next after cur, -1 the one before,
// wrapping around. cur and the runs excluded reports are never chosen; ""
// when none is left.
func pickRun(ids []string, cur string, dir int, excluded func(string) bool) string {
	ok := func(id string) bool { return id != cur && !excluded(id) }
	at := slices.Index(ids, cur)
	n := len(ids)
	if dir == 0 || at < 0 {
		if dir < 0 {
			at = n
		} else {
			at = -1
		}
		if dir == 0 {
			dir = 1
		}
	}
	for i := 1; i <= n; i++ {
		id := ids[((at+dir*i)%n+n)%n]
		if ok(id) {
			return id
		}
	}
	return ""
}

// ids are the queue's runs in the inbox's order.
func (q *queueState) ids(rows []domain.Row) []string {
	var out []string
	for _, r := range rows {
		if r.Run != nil && r.Input && flowKey(r.Run) == q.flow {
			out = append(out, r.ID)
		}
	}
	return out
}

// left counts the runs still to answer, the one on screen included.
func (q *queueState) left(rows []domain.Row) int {
	n := 0
	for _, id := range q.ids(rows) {
		if !q.answered[id] && !q.mismatch[id] {
			n++
		}
	}
	return n
}

// skippedLeft counts the runs passed over with n/p that still wait.
func (q *queueState) skippedLeft(rows []domain.Row) int {
	n := 0
	for _, id := range q.ids(rows) {
		if q.skipped[id] && !q.answered[id] && !q.mismatch[id] {
			n++
		}
	}
	return n
}

// line is the counter on the answer screen.
func (q *queueState) line(rows []domain.Row) string {
	return "queue: " + q.label + " · " + strconv.Itoa(q.left(rows)) + " left"
}

// syncQueueLine shows the queue's counter on the open form, or that the
// answer goes to the marked runs (nothing otherwise).
func (m *Model) syncQueueLine() {
	a := m.currentAnswer()
	if a == nil {
		return
	}
	if m.bulkFor(a.RunID) {
		a.SetQueue("one answer for " + strconv.Itoa(len(m.bulk.runs)) + " marked runs: y sends it to each that asks the same")
		return
	}
	if m.queue == nil || m.cur == nil || flowKey(m.cur.run) != m.queue.flow {
		a.SetQueue("")
		return
	}
	a.SetQueue(m.queue.line(m.inbox.Rows()))
}

// queueResumed follows a confirmed resume: the run on screen, answered in
// its form, opens the queue's next run (ok then says the screen moved); a
// quick answer's resume counts for its queue.
func (m *Model) queueResumed(msg actionMsg, a *answer.Model, told domain.Message, onScreen bool) (tea.Cmd, bool) {
	if msg.res.Outcome != apiclient.OutcomeResumed || a == nil {
		return nil, false
	}
	if !onScreen {
		if m.queue != nil && m.queue.answered[msg.id] {
			m.queue.confirmed++
		}
		return nil, false
	}
	if m.screen != scrRun || m.c.ReadOnly {
		return nil, false // the operator went elsewhere meanwhile
	}
	return m.queueAfterResume(a, told)
}

// quickOutcome names the run in the status line when a quick answer's
// outcome arrives (another run is on screen by then), and gives a run
// whose answer did not go through back to its queue.
func (m *Model) quickOutcome(msg actionMsg, told domain.Message) {
	if !msg.quick {
		return
	}
	m.setStatus(termsafe.Line(msg.name)+": "+told.TUI, told.Tone == domain.ToneError)
	if m.queue != nil && msg.res.Outcome != apiclient.OutcomeResumed && msg.res.Outcome != apiclient.OutcomeAlreadyAnswered {
		delete(m.queue.answered, msg.id)
	}
}

// queueAfterResume goes on to the next run after the run on screen was
// answered and resumed; ok is false when no queue applies (nothing else of
// its flow waits) and the run view shows the outcome as before.
func (m *Model) queueAfterResume(a *answer.Model, told domain.Message) (tea.Cmd, bool) {
	r := m.cur.run
	if m.queue == nil || m.queue.flow != flowKey(r) {
		m.queue = newQueue(r, a.Schema().Key())
		if m.nextQueued() == "" {
			m.queue = nil
			return nil, false
		}
	}
	m.queue.answered[r.ID] = true
	m.queue.confirmed++
	return m.queueOpenNext(termsafe.Line(r.Name) + ": " + told.TUI), true
}

// nextQueued is the run a queue opens after an answer.
func (m *Model) nextQueued() string {
	q, cur := m.queue, ""
	if m.cur != nil {
		cur = m.cur.id
	}
	return pickRun(q.ids(m.inbox.Rows()), cur, 0, func(id string) bool {
		return q.answered[id] || q.skipped[id] || q.mismatch[id] || m.pending[id] != nil
	})
}

// queueOpenNext opens the queue's next run with note in the status line,
// or ends the queue when none is left.
func (m *Model) queueOpenNext(note string) tea.Cmd {
	id := m.nextQueued()
	if id == "" {
		m.queueDone(note)
		return nil
	}
	return m.queueOpen(id, note)
}

// queueOpen opens run id of the inbox in the answer stage (once its form
// has loaded).
func (m *Model) queueOpen(id, note string) tea.Cmd {
	var r *apiclient.Run
	for _, row := range m.inbox.Rows() {
		if row.ID == id {
			r = row.Run
		}
	}
	if r == nil {
		return nil
	}
	cmd := m.openRunView(r)
	cmd = tea.Batch(cmd, m.startAnswerSoon())
	m.syncQueueLine()
	if note != "" {
		m.setStatus(note, false)
		if m.queue != nil {
			m.queue.note, m.queue.noteFor = note, id // for when the form opens
		}
	}
	return cmd
}

// queueNote is the status line for run id's form as it opens: what the
// queue did last ("" for none).
func (m *Model) queueNote(id string) string {
	q := m.queue
	if q == nil || q.noteFor != id {
		return ""
	}
	note := q.note
	q.note, q.noteFor = "", ""
	return note
}

// queueDone ends the queue and goes back to the inbox.
func (m *Model) queueDone(note string) {
	q := m.queue
	m.leaveQueue()
	m.screen = scrInbox
	if m.cur != nil {
		m.inbox.Select(m.cur.id)
	}
	s := "Queue done: " + strconv.Itoa(q.confirmed) + " answered"
	if n := q.skippedLeft(m.inbox.Rows()); n > 0 {
		s += ", " + strconv.Itoa(n) + " skipped"
	}
	if n := len(m.pending); n > 0 {
		s += ", " + common.Plural(n, "quick answer", "quick answers") + " still to send"
	}
	if note != "" {
		s += " · " + note
	}
	m.setStatus(s, false)
}

// leaveQueue ends the queue where the operator is.
func (m *Model) leaveQueue() {
	m.queue = nil
	for _, a := range m.answers {
		a.SetQueue("")
	}
}

// queueSkipsSchema skips the run on screen when it asks another question
// than the queue's runs; ok reports it did.
func (m *Model) queueSkipsSchema() (tea.Cmd, bool) {
	q, cur := m.queue, m.cur
	if q == nil || cur.input == nil || cur.input.schema == nil || flowKey(cur.run) != q.flow {
		return nil, false
	}
	if cur.input.schema.Key() == q.schemaKey {
		return nil, false
	}
	q.mismatch[cur.id] = true
	cur.pendingAnswer = false
	return m.queueOpenNext("Skipped " + termsafe.Line(cur.run.Name) + ": it asks a different question than the queue's runs."), true
}

// queueNav opens the next (dir +1) or previous (-1) run of the queue; the
// form on screen is kept as a draft.
func (m *Model) queueNav(dir int) tea.Cmd {
	q := m.queue
	var cmds []tea.Cmd
	if a := m.currentAnswer(); a != nil && a.Stage() == answer.StageForm {
		a.Snapshot()
		m.saveDraft(a)
		cmds = append(cmds, m.draftFlushCmd())
	}
	id := pickRun(q.ids(m.inbox.Rows()), m.cur.id, dir, func(id string) bool {
		return q.answered[id] || q.mismatch[id] || m.pending[id] != nil
	})
	if id == "" {
		m.setStatus("No other run waits in this queue.", false)
		return tea.Batch(cmds...)
	}
	q.skipped[m.cur.id] = true
	delete(q.skipped, id)
	return tea.Batch(append(cmds, m.queueOpen(id, ""))...)
}

// toggleQuick turns quick answers on or off for the flow on screen.
func (m *Model) toggleQuick() {
	k := flowKey(m.cur.run)
	m.quick[k] = !m.quick[k]
	label := domain.FlowLabel(m.cur.run, "this flow")
	if m.quick[k] {
		m.setStatus("Quick answers ON for "+label+": a digit sends after 3 s; u undoes", false)
		return
	}
	m.setStatus("Quick answers OFF for "+label+": a digit opens the review; y sends", false)
}

// onPicked follows a digit's choice: to the review, or with quick answers
// on, to a send after the undo window and the next run at once.
func (m *Model) onPicked(a *answer.Model) tea.Cmd {
	m.saveDraft(a)
	// One answer for the marked runs always goes through review.
	if m.c.ReadOnly || !m.quick[flowKey(m.cur.run)] || m.bulkFor(a.RunID) {
		m.setStatus("", false)
		return m.draftChangedCmd()
	}
	r := m.cur.run
	m.quickGen++
	p := &quickSend{
		id: r.ID, name: r.Name, label: a.PickedLabel(), payload: a.Payload(), values: a.Values(),
		schemaKey: a.SchemaKey, secrets: a.Schema().SecretPaths(), gen: m.quickGen,
	}
	m.pending[r.ID] = p
	m.undo = append(m.undo, r.ID)
	if m.queue == nil || m.queue.flow != flowKey(r) {
		m.queue = newQueue(r, a.Schema().Key())
	}
	m.queue.answered[r.ID] = true
	note := "Sending '" + termsafe.Line(p.label) + "' to " + termsafe.Line(p.name) + " in 3 s · u undo"
	tick := newTick(quickUndoWindow, func(time.Time) tea.Msg { return quickSendMsg{id: p.id, gen: p.gen} })
	if m.queue.confirmed == 0 && m.nextQueued() == "" {
		// Nothing else of its flow waits: no queue, its run view says
		// what becomes of it.
		m.leaveQueue()
		m.screen = scrRun
		m.setStatus(note, false)
		return tea.Batch(m.draftFlushCmd(), tick)
	}
	return tea.Batch(m.draftFlushCmd(), tick, m.queueOpenNext(note))
}

// onQuickSend sends a quick answer whose undo window passed.
func (m *Model) onQuickSend(msg quickSendMsg) tea.Cmd {
	p := m.pending[msg.id]
	if p == nil || p.gen != msg.gen {
		return nil
	}
	m.dropPending(p.id)
	m.inFlight[p.id] = InFlightAction{RunID: p.id, RunName: p.name, Kind: domain.Resume, Answering: true}
	if a := m.answers[p.id]; a != nil {
		a.SetStage(answer.StageSending)
	}
	send := m.resumeCmd(p.id, p.payload, p.values, p.schemaKey)
	name := p.name
	return func() tea.Msg {
		msg := send()
		if am, ok := msg.(actionMsg); ok {
			am.name, am.quick = name, true
			return am
		}
		return msg
	}
}

func (m *Model) dropPending(id string) {
	delete(m.pending, id)
	m.undo = slices.DeleteFunc(m.undo, func(x string) bool { return x == id })
}

// undoQuick takes back the latest quick answer still in its window and
// reopens its run with the form.
func (m *Model) undoQuick() tea.Cmd {
	if len(m.undo) == 0 {
		m.setStatus("No quick answer to undo.", false)
		return nil
	}
	p := m.pending[m.undo[len(m.undo)-1]]
	m.dropPending(p.id)
	if m.queue != nil {
		delete(m.queue.answered, p.id)
	}
	var cmds []tea.Cmd
	if a := m.answers[p.id]; a != nil {
		cmds = append(cmds, a.Rebuild())
	}
	note := "Not sent: '" + termsafe.Line(p.label) + "' to " + termsafe.Line(p.name) + " (undone)."
	cmds = append(cmds, m.queueOpen(p.id, note))
	if m.cur == nil || m.cur.id != p.id {
		m.setStatus(note+" It has left the inbox.", false)
	}
	return tea.Batch(cmds...)
}

// keepUnsent turns the quick answers still in their window into drafts
// and says how many: quitting (or switching profile) never sends them, and
// never loses them.
func (m *Model) keepUnsent() int {
	n := len(m.pending)
	for _, p := range m.pending {
		m.drafts.Set(p.id, p.schemaKey, p.values, nil, p.secrets)
	}
	m.unsent += n
	m.pending = map[string]*quickSend{}
	m.undo = nil
	return n
}

// quitKey is q. With quick answers still in their undo window it asks
// first: a q typed right after an answer must not leave the run unanswered
// unnoticed. q again (armed) quits and keeps them as drafts; ctrl+c quits
// at once, keeping them too.
func (m *Model) quitKey(armed bool) tea.Cmd {
	if n := len(m.pending); n > 0 && !armed {
		m.quitArmed = true
		// What matters first: the tail is cut in a narrow terminal.
		msg := "1 quick answer is not sent yet. q again quits and keeps it as a draft; u takes it back."
		if n > 1 {
			msg = strconv.Itoa(n) + " quick answers are not sent yet. q again quits and keeps them as drafts; u takes the last back."
		}
		m.setStatus(msg, true)
		return nil
	}
	return m.quit()
}

// UnsentQuickError is what Run returns when the operator quit while quick
// answers waited out their undo window: they were not sent, and are kept
// as drafts.
type UnsentQuickError struct{ N int }

func (e *UnsentQuickError) Error() string {
	if e.N == 1 {
		return "1 quick answer was not sent (kept as a draft): open its run and press a to send it"
	}
	return strconv.Itoa(e.N) + " quick answers were not sent (kept as drafts): open their runs and press a to send them"
}

// UnsentError reports the quick answers quitting kept as drafts (nil when
// none was).
func (m *Model) UnsentError() error {
	if m.unsent == 0 {
		return nil
	}
	return &UnsentQuickError{N: m.unsent}
}

// keyQueue handles the queue's keys on the answer screen; ok is false for
// any other key (the form takes it).
func (m *Model) keyQueue(msg tea.KeyPressMsg, a *answer.Model) (tea.Cmd, bool) {
	k := m.c.Keys
	choice := a.HasChoices() && a.Stage() == answer.StageForm && !a.Filtering()
	switch {
	case choice && key.Matches(msg, k.QuickToggle):
		m.toggleQuick()
		return nil, true
	case choice && key.Matches(msg, k.Undo):
		return m.undoQuick(), true
	case m.queue == nil:
		return nil, false
	}
	next, prev := k.FormQueueNext, k.FormQueuePrev
	if a.FieldUsesLineKeys() {
		next, prev = k.FieldQueueNext, k.FieldQueuePrev // ctrl+n/ctrl+p are the field's
	}
	switch {
	case key.Matches(msg, next), choice && key.Matches(msg, k.QueueNext):
		return m.queueNav(1), true
	case key.Matches(msg, prev), choice && key.Matches(msg, k.QueuePrev):
		return m.queueNav(-1), true
	}
	return nil, false
}

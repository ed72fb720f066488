package tui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/apiclient"
)

// Fixed clock for every test: 2026-11-21 12:00:00 UTC.
var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// runSpec describes a fixture run; mkRun turns it into the JSON the Prefect
// server sends (testdata/run_template.json, a real FlowRunResponse shape)
// and decodes that, so tests see exactly what apiclient produces.
type runSpec struct {
	ID, Name, Flow, Deployment string
	PausedAgo                  time.Duration
	ExpiresIn                  *time.Duration // nil: no pause_timeout
	Suspended                  bool
	NoInput                    bool
	Tags                       []string
	Pool                       string
	PauseKey                   string // default "1"
}

func in(d time.Duration) *time.Duration { return &d }

func mkRun(t testing.TB, s runSpec) apiclient.Run {
	t.Helper()
	raw, err := os.ReadFile("testdata/run_template.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["id"] = s.ID
	doc["name"] = s.Name
	doc["flow_name"] = s.Flow
	// One flow id per flow name: queue mode groups runs by flow id.
	doc["flow_id"] = "flow-id-" + s.Flow
	doc["deployment_name"] = s.Deployment
	if s.Tags != nil {
		tags := make([]any, len(s.Tags))
		for i, tg := range s.Tags {
			tags[i] = tg
		}
		doc["tags"] = tags
	}
	doc["work_pool_name"] = s.Pool
	st := doc["state"].(map[string]any)
	st["timestamp"] = testNow.Add(-s.PausedAgo).Format(time.RFC3339Nano)
	det := st["state_details"].(map[string]any)
	det["flow_run_id"] = s.ID
	if s.ExpiresIn == nil {
		det["pause_timeout"] = nil
	} else {
		det["pause_timeout"] = testNow.Add(*s.ExpiresIn).Format(time.RFC3339Nano)
	}
	prefix := "paused"
	if s.Suspended {
		prefix = "suspended"
		det["pause_reschedule"] = true
		st["name"] = "Suspended"
		doc["state_name"] = "Suspended"
	}
	key := s.PauseKey
	if key == "" {
		key = "1"
	}
	det["pause_key"] = key
	if s.NoInput {
		det["run_input_keyset"] = nil
	} else {
		det["run_input_keyset"] = map[string]any{
			"schema":      prefix + "-" + key + "-schema",
			"description": prefix + "-" + key + "-description",
			"response":    prefix + "-" + key + "-response",
		}
	}
	b, _ := json.Marshal(doc)
	var r apiclient.Run
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

type resumeCall struct {
	ID    string
	Input json.RawMessage
}

type cancelCall struct{ ID, Reason string }

// fakeAPI is an in-memory Prefect server for model tests.
type fakeAPI struct {
	mu        sync.Mutex
	runs      []apiclient.Run
	listErr   error
	listCalls int
	inputs    map[string]*apiclient.InputRequest // by run id
	inputErr  error
	responses map[string][]apiclient.Response
	logs      map[string][]apiclient.LogLine
	getRun    map[string]*apiclient.Run // overrides for GetRun

	resumeResult func(id string, input json.RawMessage) (*apiclient.ActionResult, error)
	cancelResult func(id, reason string) (*apiclient.ActionResult, error)
	resumes      []resumeCall
	cancels      []cancelCall
	inputCalls   int
	logCalls     int
}

func newFake() *fakeAPI {
	return &fakeAPI{
		inputs:    map[string]*apiclient.InputRequest{},
		responses: map[string][]apiclient.Response{},
		logs:      map[string][]apiclient.LogLine{},
		getRun:    map[string]*apiclient.Run{},
	}
}

func (f *fakeAPI) setRuns(rs ...apiclient.Run) {
	f.mu.Lock()
	f.runs = rs
	f.mu.Unlock()
}

func (f *fakeAPI) ListPaused(ctx context.Context, o apiclient.ListOptions) ([]apiclient.Run, apiclient.ListStats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listCalls++
	if f.listErr != nil {
		return nil, apiclient.ListStats{}, f.listErr
	}
	out := make([]apiclient.Run, len(f.runs))
	copy(out, f.runs)
	return out, apiclient.ListStats{Requests: 1, Pages: 1}, nil
}

func (f *fakeAPI) GetRun(ctx context.Context, id string) (*apiclient.Run, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.getRun[id]; ok {
		cp := *r
		return &cp, nil
	}
	for _, r := range f.runs {
		if r.ID == id {
			cp := r
			return &cp, nil
		}
	}
	return nil, &apiclient.Error{Op: "get run", StatusCode: 404, Kind: apiclient.ErrNotFound}
}

func (f *fakeAPI) InputRequest(ctx context.Context, r *apiclient.Run) (*apiclient.InputRequest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inputCalls++
	if f.inputErr != nil {
		return nil, f.inputErr
	}
	if req, ok := f.inputs[r.ID]; ok {
		cp := *req
		return &cp, nil
	}
	return nil, &apiclient.Error{Op: "input request", StatusCode: 404, Kind: apiclient.ErrNotFound}
}

func (f *fakeAPI) Resume(ctx context.Context, runID string, input json.RawMessage) (*apiclient.ActionResult, error) {
	f.mu.Lock()
	f.resumes = append(f.resumes, resumeCall{runID, append(json.RawMessage(nil), input...)})
	fn := f.resumeResult
	f.mu.Unlock()
	var res *apiclient.ActionResult
	var err error
	if fn == nil {
		res = &apiclient.ActionResult{Outcome: apiclient.OutcomeResumed, State: &apiclient.State{Type: "RUNNING", Name: "Running", Timestamp: testNow}}
	} else {
		res, err = fn(runID, input)
	}
	if err == nil && res != nil && res.Outcome == apiclient.OutcomeResumed && len(input) > 0 {
		f.recordAnswer(runID, input)
	}
	f.settle(runID, res)
	return res, err
}

// recordAnswer keeps an accepted answer as the server does: under the
// response key of the pause it answered (src/prefect/server/api/flow_runs.py
// resume_flow_run).
func (f *fakeAPI) recordAnswer(runID string, input json.RawMessage) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.runs {
		if r.ID == runID && r.State != nil && r.State.Details.RunInputKeyset != nil {
			f.responses[runID] = append(f.responses[runID], apiclient.Response{
				Key: r.State.Details.RunInputKeyset.Response, Created: testNow, Value: append(json.RawMessage(nil), input...),
			})
		}
	}
}

// settle applies an accepted action like the server: the run leaves the
// paused list and GetRun shows its new state.
func (f *fakeAPI) settle(runID string, res *apiclient.ActionResult) {
	if res == nil || res.State == nil || res.State.Type == "PAUSED" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.runs {
		if r.ID == runID {
			r.State = res.State
			f.getRun[runID] = &r
			f.runs = append(f.runs[:i:i], f.runs[i+1:]...)
			return
		}
	}
}

func (f *fakeAPI) Cancel(ctx context.Context, runID, reason string) (*apiclient.ActionResult, error) {
	f.mu.Lock()
	f.cancels = append(f.cancels, cancelCall{runID, reason})
	fn := f.cancelResult
	f.mu.Unlock()
	var res *apiclient.ActionResult
	var err error
	if fn == nil {
		res = &apiclient.ActionResult{Outcome: apiclient.OutcomeCancelled, State: &apiclient.State{Type: "CANCELLED", Name: "Cancelled", Timestamp: testNow}}
	} else {
		res, err = fn(runID, reason)
	}
	f.settle(runID, res)
	return res, err
}

func (f *fakeAPI) Responses(ctx context.Context, runID string) ([]apiclient.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.responses[runID], nil
}

func (f *fakeAPI) Logs(ctx context.Context, runID string, limit int) ([]apiclient.LogLine, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logCalls++
	return f.logs[runID], nil
}

func (f *fakeAPI) RunURL(runID string) string {
	return "http://127.0.0.1:4200/runs/flow-run/" + runID
}

func (f *fakeAPI) resumeCalls() []resumeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]resumeCall(nil), f.resumes...)
}

func (f *fakeAPI) cancelCalls() []cancelCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]cancelCall(nil), f.cancels...)
}

func readSchema(t testing.TB, name string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return json.RawMessage(strings.TrimSpace(string(b)))
}

// pendingTick is what the app's timers produce in tests: the harness keeps
// them until a test fires them.
type pendingTick struct {
	d   time.Duration
	msg tea.Msg
	due time.Duration // on the harness clock (advance)
}

func init() {
	newTick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		return func() tea.Msg { return pendingTick{d: d, msg: fn(testNow.Add(d))} }
	}
}

// harness drives the root model like Bubble Tea does, synchronously:
// every command runs and its message goes back into Update. Timers wait
// until fireTicks; commands that do not finish quickly (huh's cursor blink)
// are dropped.
type harness struct {
	t     testing.TB
	m     *Model
	api   *fakeAPI
	ticks []pendingTick
	quit  bool
	clock time.Duration // virtual time since the start, moved by advance
}

func newHarness(t testing.TB, api *fakeAPI, mod ...func(*Options)) *harness {
	t.Helper()
	o := Options{
		API: api, Profile: "prod", ServerURL: "http://127.0.0.1:4200/api",
		Profiles: []string{"prod", "staging"}, RefreshInterval: 10 * time.Second,
		StateDir: t.TempDir(), Now: fixedNow, Theme: "dark", Version: "test",
	}
	for _, f := range mod {
		f(&o)
	}
	m, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, m: m, api: api}
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.run(m.Init())
	return h
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

var cmdSliceType = reflect.TypeOf([]tea.Cmd(nil))

// run executes commands and feeds their messages back, until none is left.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg, ok := execCmd(c)
		if !ok || msg == nil {
			continue
		}
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdSliceType) {
			// tea.BatchMsg or a tea.Sequence: keep their order.
			cmds := v.Convert(cmdSliceType).Interface().([]tea.Cmd)
			queue = append(append([]tea.Cmd(nil), cmds...), queue...)
			continue
		}
		switch msg := msg.(type) {
		case pendingTick:
			msg.due = h.clock + msg.d
			h.ticks = append(h.ticks, msg)
			continue
		case tea.QuitMsg:
			h.quit = true
			continue
		}
		if isTeaInternal(msg) {
			continue
		}
		_, next := h.m.Update(msg)
		queue = append(queue, next)
	}
}

// isTeaInternal reports Bubble Tea's own request messages (window size,
// background colour), which only the real program answers.
func isTeaInternal(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	return t.PkgPath() == "charm.land/bubbletea/v2" && t.Name() != "" && unicode.IsLower(rune(t.Name()[0]))
}

// Timers the app does not control (the text inputs' cursor blink inside
// huh) are learnt by the code pointer of their command: the first one costs
// a timeout, later ones are skipped at once.
var (
	slowMu   sync.Mutex
	slowCmds = map[uintptr]bool{}
)

func execCmd(c tea.Cmd) (tea.Msg, bool) {
	pc := reflect.ValueOf(c).Pointer()
	slowMu.Lock()
	slow := slowCmds[pc]
	slowMu.Unlock()
	if slow {
		return nil, false
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case msg := <-ch:
		return msg, true
	case <-time.After(450 * time.Millisecond):
		slowMu.Lock()
		slowCmds[pc] = true
		slowMu.Unlock()
		return nil, false
	}
}

// liveTicks counts pending timers that still matter (a refresh tick
// superseded by a manual refresh is ignored when it fires).
func (h *harness) liveTicks() int {
	n := 0
	for _, tk := range h.ticks {
		if t, ok := tk.msg.(tickMsg); ok && t.gen != h.m.tickGen {
			continue
		}
		n++
	}
	return n
}

// fireTicks delivers pending timer messages matching keep (nil: all).
func (h *harness) fireTicks(keep func(tea.Msg) bool) {
	h.t.Helper()
	ticks := h.ticks
	h.ticks = nil
	for _, tk := range ticks {
		if keep == nil || keep(tk.msg) {
			h.send(tk.msg)
		} else {
			h.ticks = append(h.ticks, tk)
		}
	}
}

// advance moves the harness clock by d, firing on the way, in order, every
// timer that falls due.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	end := h.clock + d
	for {
		i := -1
		for j, tk := range h.ticks {
			if tk.due <= end && (i < 0 || tk.due < h.ticks[i].due) {
				i = j
			}
		}
		if i < 0 {
			break
		}
		tk := h.ticks[i]
		h.ticks = append(h.ticks[:i:i], h.ticks[i+1:]...)
		h.clock = tk.due
		h.send(tk.msg)
	}
	h.clock = end
}

func keyMsg(s string) tea.KeyPressMsg {
	named := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "up": tea.KeyUp, "down": tea.KeyDown,
		"tab": tea.KeyTab, "backspace": tea.KeyBackspace, "space": tea.KeySpace,
		"pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "left": tea.KeyLeft, "right": tea.KeyRight,
	}
	if s == "ctrl+c" {
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	if c, ok := strings.CutPrefix(s, "ctrl+"); ok && len(c) == 1 {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	if s == "shift+tab" {
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	}
	if r, ok := named[s]; ok {
		if s == "space" {
			return tea.KeyPressMsg{Code: r, Text: " "}
		}
		return tea.KeyPressMsg{Code: r}
	}
	r := []rune(s)
	if len(r) != 1 {
		panic(fmt.Sprintf("keyMsg %q", s))
	}
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		if r == ' ' {
			h.send(keyMsg("space"))
			continue
		}
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// view is the screen as plain text.
func (h *harness) view() string { return ansi.Strip(h.m.Render()) }

func (h *harness) mustSee(parts ...string) {
	h.t.Helper()
	v := h.view()
	for _, p := range parts {
		if !strings.Contains(v, p) {
			h.t.Fatalf("screen lacks %q:\n%s", p, v)
		}
	}
}

func (h *harness) mustNotSee(parts ...string) {
	h.t.Helper()
	v := h.view()
	for _, p := range parts {
		if strings.Contains(v, p) {
			h.t.Fatalf("screen shows %q:\n%s", p, v)
		}
	}
}

var errConn = &apiclient.Error{
	Op: "list paused runs", Method: "POST", URL: "http://127.0.0.1:4200/api/flow_runs/filter",
	Kind: apiclient.ErrConnection, Err: errors.New("dial tcp 127.0.0.1:4200: connect: connection refused"),
}

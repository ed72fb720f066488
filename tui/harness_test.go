package tui

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/tui/tuitest"
)

// pendingTick is what the app's timers produce in tests: the harness keeps
// them until a test fires them.
type pendingTick struct {
	d   time.Duration
	msg tea.Msg
	due time.Duration // on the harness clock (advance)
}

func init() {
	newTick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		return func() tea.Msg { return pendingTick{d: d, msg: fn(tuitest.Now.Add(d))} }
	}
}

// harness drives the root model like Bubble Tea does, synchronously:
// every command runs and its message goes back into Update. Timers wait
// until fireTicks; commands that do not finish quickly (huh's cursor blink)
// are dropped.
type harness struct {
	t     testing.TB
	m     *Model
	api   *tuitest.FakeAPI
	ticks []pendingTick
	quit  bool
	clock time.Duration // virtual time since the start, moved by advance
}

func newHarness(t testing.TB, api *tuitest.FakeAPI, mod ...func(*Options)) *harness {
	t.Helper()
	o := Options{
		API: api, Profile: "prod", ServerURL: "http://127.0.0.1:4200/api",
		Profiles: []string{"prod", "staging"}, RefreshInterval: 10 * time.Second,
		StateDir: t.TempDir(), Now: tuitest.FixedNow, Theme: "dark", Version: "test",
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

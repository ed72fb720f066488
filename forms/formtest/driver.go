// Package formtest drives a huh form with key presses the way a Bubble Tea
// program would, for tests of forms built by package forms (its own tests,
// and the integration tests that fill real forms and resume real runs).
package formtest

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// Driver feeds messages to a huh form: every returned Cmd is executed and
// its message fed back, in order, because huh moves focus through such
// Cmds. Commands that only animate (cursor blink, spinners) sleep and are
// dropped; a command that blocks for 2 s fails the test.
type Driver struct {
	T    testing.TB
	Form *huh.Form
}

// New starts form (Init) at the given size.
func New(t testing.TB, form *huh.Form, width, height int) *Driver {
	t.Helper()
	d := &Driver{T: t, Form: form}
	d.Run(form.Init())
	d.Send(tea.WindowSizeMsg{Width: width, Height: height})
	return d
}

// Send delivers one message and everything it sets off.
func (d *Driver) Send(msg tea.Msg) {
	d.T.Helper()
	m, cmd := d.Form.Update(msg)
	d.Form = m.(*huh.Form)
	d.Run(cmd)
}

var cmdSliceType = reflect.TypeOf([]tea.Cmd(nil))

// Run executes cmd and feeds its messages back until nothing is left.
func (d *Driver) Run(cmd tea.Cmd) {
	d.T.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			d.T.Fatal("form keeps producing commands")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil || isAnimation(c) {
			continue
		}
		msg, ok := execWithin(c, 2*time.Second)
		if !ok {
			d.T.Fatalf("a form command blocked: %s", funcName(c))
		}
		if msg == nil {
			continue
		}
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdSliceType) {
			// tea.BatchMsg and tea's unexported sequenceMsg: run in order.
			sub := make([]tea.Cmd, 0, v.Len())
			for i := 0; i < v.Len(); i++ {
				sub = append(sub, v.Index(i).Interface().(tea.Cmd))
			}
			queue = append(sub, queue...)
			continue
		}
		m, next := d.Form.Update(msg)
		d.Form = m.(*huh.Form)
		queue = append(queue, next)
	}
}

// isAnimation spots the timer commands of cursors and spinners.
func isAnimation(c tea.Cmd) bool {
	n := funcName(c)
	return strings.Contains(n, "/cursor.") || strings.Contains(n, "/spinner.") || strings.Contains(n, "bubbletea/v2.Tick")
}

func funcName(c tea.Cmd) string {
	return runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name()
}

func execWithin(c tea.Cmd, wait time.Duration) (tea.Msg, bool) {
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case m := <-ch:
		return m, true
	case <-time.After(wait):
		return nil, false
	}
}

// Type types s, one key press per rune.
func (d *Driver) Type(s string) {
	d.T.Helper()
	for _, r := range s {
		d.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// Key presses a special key (tea.KeyEnter, tea.KeyDown, ...).
func (d *Driver) Key(code rune) { d.T.Helper(); d.Send(tea.KeyPressMsg{Code: code}) }

// Enter, Down, Up, Space, Newline (ctrl+j in a text area) and ClearLine
// (ctrl+u: delete the text before the cursor) are the keys forms use.
func (d *Driver) Enter()     { d.T.Helper(); d.Key(tea.KeyEnter) }
func (d *Driver) Down()      { d.T.Helper(); d.Key(tea.KeyDown) }
func (d *Driver) Up()        { d.T.Helper(); d.Key(tea.KeyUp) }
func (d *Driver) Space()     { d.T.Helper(); d.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}) }
func (d *Driver) Newline()   { d.T.Helper(); d.Send(tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl}) }
func (d *Driver) ClearLine() { d.T.Helper(); d.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) }

// Focused is the key of the field that has focus, or "".
func (d *Driver) Focused() string {
	if f := d.Form.GetFocusedField(); f != nil {
		return f.GetKey()
	}
	return ""
}

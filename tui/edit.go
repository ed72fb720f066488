package tui

import (
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/forms/answerfile"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/answer"
	"github.com/unpause-dev/unpause/tui/editor"
)

// The whole answer in the operator's $EDITOR (ctrl+e in the form, e in
// review): written as annotated YAML, read back and validated, and the
// editor comes back with the problems at the top until the file is right
// or emptied. Files are written and read in commands and in the
// ExecProcess callback, never in Update.

type editorOpenedMsg struct {
	id      string
	session *editor.Session
	err     error
}

type editedMsg struct {
	id      string
	session *editor.Session
	res     answerfile.Result
	err     error
}

// editCmd opens the editor on a's answer.
func (m *Model) editCmd(a *answer.Model) tea.Cmd {
	if m.opts.NoEditor != "" {
		m.setStatus(m.opts.NoEditor, true)
		return nil
	}
	id, schema, values := a.RunID, a.Schema(), a.Values()
	o := answerfile.Options{}
	if m.cur != nil && m.cur.run != nil && m.cur.id == id {
		o.RunName, o.FlowName = m.cur.run.Name, m.cur.run.FlowName
	}
	getenv := m.opts.Getenv
	return func() tea.Msg {
		se, err := editor.Open(schema, values, o, getenv)
		return editorOpenedMsg{id: id, session: se, err: err}
	}
}

// runEditor hands the terminal to the editor; the callback reads the file
// back once it exits.
func runEditor(id string, se *editor.Session) tea.Cmd {
	return tea.ExecProcess(se.Cmd(), func(err error) tea.Msg {
		res, ferr := se.Finish(err)
		return editedMsg{id: id, session: se, res: res, err: ferr}
	})
}

func closeEditor(se *editor.Session) tea.Cmd {
	return func() tea.Msg { _ = se.Close(); return nil }
}

func (m *Model) onEditorOpened(msg editorOpenedMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus("Cannot open the editor: "+termsafe.Line(msg.err.Error()), true)
		return nil
	}
	if m.answers[msg.id] == nil {
		return closeEditor(msg.session)
	}
	return runEditor(msg.id, msg.session)
}

func (m *Model) onEdited(msg editedMsg) tea.Cmd {
	a := m.answers[msg.id]
	switch {
	case a == nil:
		return closeEditor(msg.session)
	case msg.err != nil:
		m.setStatus("The editor did not finish: "+termsafe.Line(msg.err.Error())+"; the form is as it was.", true)
		return closeEditor(msg.session)
	case msg.res.Cancelled:
		m.setStatus("The file was emptied: nothing changed in the form.", false)
		return closeEditor(msg.session)
	case len(msg.res.Errors) > 0:
		m.setStatus(strconv.Itoa(len(msg.res.Errors))+" problem(s) in the file: they are listed at its top (empty the file to give up).", true)
		return runEditor(msg.id, msg.session) // the file was rewritten with them
	}
	fieldErrs := map[string]string{}
	for _, e := range msg.res.SecretErrors {
		fieldErrs[e.Path] = termsafe.Line(e.Message)
	}
	cmd, ev := a.Edited(msg.res.Values, fieldErrs)
	if ev == answer.EventChanged {
		m.setStatus("Answer read from the editor: review it, then y sends.", false)
	}
	return tea.Batch(cmd, m.onAnswerEvent(a, ev), closeEditor(msg.session))
}

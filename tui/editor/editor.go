// Package editor runs the operator's own editor on an answer: the answer
// is written as an annotated YAML file (package forms/answerfile) in a
// private temporary directory, the editor runs on it (the TUI hands Cmd to
// tea.ExecProcess), and Finish reads it back. A file with problems is
// rewritten with them at the top for the next round; nothing typed is lost.
//
// Open and Finish do file I/O: call them inside a tea.Cmd (or the
// ExecProcess callback), never in Update or View.
package editor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/unpause-dev/unpause/forms/answerfile"
	"github.com/unpause-dev/unpause/forms/inputschema"
)

// fileName ends in .yaml so that editors highlight it.
const fileName = "answer.yaml"

// Session is one answer being edited: the file, the editor, and the
// answer the form held when it started (its secrets are never written to
// the file and are carried over from it).
type Session struct {
	argv   []string
	dir    string
	path   string
	schema *inputschema.Schema
	base   map[string]any
}

// Open picks the editor (Command), renders values into a 0600 file in a
// new 0700 temporary directory, and returns the session. getenv nil means
// os.Getenv.
func Open(s *inputschema.Schema, values map[string]any, o answerfile.Options, getenv func(string) string) (*Session, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	argv, err := Command(getenv)
	if err != nil {
		return nil, err
	}
	if _, err := exec.LookPath(argv[0]); err != nil {
		return nil, fmt.Errorf("cannot run the editor %q (%w); set $VISUAL or $EDITOR to an editor that is installed", argv[0], err)
	}
	data, err := answerfile.Render(s, values, o)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "unpause-answer-")
	if err != nil {
		return nil, fmt.Errorf("cannot make a temporary directory for the answer file: %w", err)
	}
	se := &Session{argv: argv, dir: dir, path: filepath.Join(dir, fileName), schema: s, base: values}
	if err := se.write(data); err != nil {
		se.Close()
		return nil, err
	}
	return se, nil
}

// Path is the answer file.
func (se *Session) Path() string { return se.path }

// Cmd is the editor on the file, for tea.ExecProcess (which connects the
// terminal). A new one for every round: an exec.Cmd runs once.
func (se *Session) Cmd() *exec.Cmd {
	return exec.Command(se.argv[0], append(se.argv[1:len(se.argv):len(se.argv)], se.path)...)
}

// Finish reads the file after the editor exited with runErr. A file with
// problems (Result.Errors) is rewritten with them at the top and kept for
// the next round (run Cmd again, or Close to give up); otherwise (the
// answer is read, or the operator cancelled) the directory is removed.
// An editor that failed (vim's :cq, a crash) reads nothing: an error, the
// directory removed, the form keeps its values.
func (se *Session) Finish(runErr error) (answerfile.Result, error) {
	if runErr != nil {
		se.Close()
		return answerfile.Result{}, fmt.Errorf("the editor %s did not finish (%w); nothing was read from it and the form keeps its values", se.argv[0], runErr)
	}
	data, err := os.ReadFile(se.path)
	if errors.Is(err, fs.ErrNotExist) {
		se.Close() // the file deleted: as good as emptied
		return answerfile.Result{Cancelled: true}, nil
	}
	if err != nil {
		se.Close()
		return answerfile.Result{}, fmt.Errorf("cannot read the answer file back: %w", err)
	}
	res := answerfile.Parse(se.schema, data, se.base)
	if len(res.Errors) == 0 {
		return res, se.Close()
	}
	if err := se.write(answerfile.WithErrors(data, res.Errors)); err != nil {
		se.Close()
		return res, err
	}
	return res, nil
}

// Close removes the temporary directory and the file in it; it is safe to
// call more than once.
func (se *Session) Close() error {
	if se.dir == "" {
		return nil
	}
	err := os.RemoveAll(se.dir)
	se.dir = ""
	if err != nil {
		return fmt.Errorf("cannot remove the answer file: %w", err)
	}
	return nil
}

// write replaces the file with data, mode 0600, through a new file and a
// rename, so that an editor which replaced the file cannot widen its mode.
func (se *Session) write(data []byte) error {
	tmp, err := os.CreateTemp(se.dir, ".answer-*")
	if err != nil {
		return fmt.Errorf("cannot write the answer file: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), 0o600)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write the answer file: %w", err)
	}
	if err := os.Rename(tmp.Name(), se.path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write the answer file: %w", err)
	}
	return nil
}

// Command is the editor to run, as git picks it: $VISUAL, then $EDITOR,
// else vi, split into words without a shell ("code --wait" → code,
// --wait; quotes and backslashes as in sh). A value that needs a shell
// (|, ;, $, a backtick...) is refused with what to set instead.
func Command(getenv func(string) string) ([]string, error) {
	for _, name := range []string{"VISUAL", "EDITOR"} {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		argv, err := splitWords(v)
		if err == nil && (len(argv) == 0 || argv[0] == "") {
			err = errors.New("it names no program")
		}
		if err != nil {
			return nil, fmt.Errorf("$%s is %q: %w; unpause runs the editor without a shell, so set it to a program and its arguments, e.g. \"code --wait\"", name, v, err)
		}
		return argv, nil
	}
	return []string{"vi"}, nil
}

// splitWords splits s as sh splits simple words: blanks separate, '...'
// is literal, "..." keeps \" \\ \$ \` escapes, a backslash outside quotes
// escapes the next character.
func splitWords(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			if quote == '"' && !strings.ContainsRune("\"\\$`", r) {
				cur.WriteByte('\\')
			}
			cur.WriteRune(r)
			escaped = false
		case quote == '\'' && r != '\'', quote == '"' && r != '"' && r != '\\':
			cur.WriteRune(r)
		case r == '\\' && quote != '\'':
			escaped, inWord = true, true
		case r == quote:
			quote = 0
		case quote == 0 && (r == '\'' || r == '"'):
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune("|&;<>()$`*?[]{}~#\n", r):
			return nil, fmt.Errorf("%q is shell syntax", r)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 || escaped {
		return nil, errors.New("a quote or backslash is not closed")
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

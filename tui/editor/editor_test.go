package editor

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/forms/answerfile"
	"github.com/unpause-dev/unpause/forms/inputschema"
)

func TestCommand(t *testing.T) {
	tests := []struct {
		visual, editor string
		want           []string
		err            string
	}{
		{"", "", []string{"vi"}, ""},
		{"", "nano", []string{"nano"}, ""},
		{"code --wait", "nano", []string{"code", "--wait"}, ""},
		{"  ", "emacsclient -t  -a ''", []string{"emacsclient", "-t", "-a", ""}, ""},
		{`"/opt/My Editor/bin/ed" -x`, "", []string{"/opt/My Editor/bin/ed", "-x"}, ""},
		{`vim -c 'set ft=yaml'`, "", []string{"vim", "-c", "set ft=yaml"}, ""},
		{`my\ editor "a\"b" 'c\d'`, "", []string{"my editor", `a"b`, `c\d`}, ""},
		{"vim | tee log", "", nil, `$VISUAL is "vim | tee log": '|' is shell syntax; unpause runs the editor without a shell, so set it to a program and its arguments, e.g. "code --wait"`},
		{"", "$HOME/bin/ed", nil, `$EDITOR is "$HOME/bin/ed": '$' is shell syntax`},
		{"", "vim 'x", nil, `$EDITOR is "vim 'x": a quote or backslash is not closed`},
		{"''", "", nil, `$VISUAL is "''": it names no program`},
	}
	for _, tt := range tests {
		env := map[string]string{"VISUAL": tt.visual, "EDITOR": tt.editor}
		got, err := Command(func(k string) string { return env[k] })
		if tt.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
				t.Errorf("%q/%q: error %v, want %s", tt.visual, tt.editor, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%q/%q: %q, %v; want %q", tt.visual, tt.editor, got, err, tt.want)
		}
	}
}

const schemaText = `{"additionalProperties":false,"properties":{` +
	`"name":{"title":"Name","type":"string"},` +
	`"age":{"title":"Age","type":"integer","minimum":0},` +
	`"token":{"format":"password","title":"Token","type":"string","writeOnly":true}},` +
	`"required":["name","age","token"],"title":"T","type":"object"}`

// fakeEditor is a script run as $EDITOR: it applies the sed script given
// as its first argument to the file, and records the modes it saw.
func fakeEditor(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("sed"); err != nil {
		t.Skip("no sed")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "fake-editor")
	script := "#!/bin/sh\nset -e\nstat -c '%a' \"$2\" \"$(dirname \"$2\")\" > " + filepath.Join(dir, "modes") + "\nsed -i \"$1\" \"$2\"\n"
	if err := os.WriteFile(p, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

func open(t *testing.T, editor string, values map[string]any) (*inputschema.Schema, *Session) {
	t.Helper()
	s, err := inputschema.ParseSchema([]byte(schemaText))
	if err != nil {
		t.Fatal(err)
	}
	se, err := Open(s, values, answerfile.Options{RunName: "r1", FlowName: "f"}, func(k string) string {
		if k == "EDITOR" {
			return editor
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { se.Close() })
	return s, se
}

// round runs the editor once, as tea.ExecProcess would, and finishes.
func round(t *testing.T, se *Session) answerfile.Result {
	t.Helper()
	cmd := se.Cmd()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Logf("editor output: %s", out)
	}
	res, err := se.Finish(err)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRoundTripThroughAnEditor(t *testing.T) {
	ed := fakeEditor(t)
	form := map[string]any{"name": "ann", "age": int64(3), "token": "s3cret"}
	s, se := open(t, ed+` 's/^age: 3$/age: 42/'`, form)
	data, _ := os.ReadFile(se.Path())
	if strings.Contains(string(data), "s3cret") {
		t.Fatalf("the secret is in the file:\n%s", data)
	}
	dir := filepath.Dir(se.Path())
	res := round(t, se)
	if !res.OK() {
		t.Fatalf("%+v", res)
	}
	got, _ := s.Marshal(res.Values)
	if string(got) != `{"name":"ann","age":42,"token":"s3cret"}` {
		t.Fatalf("answer %s", got)
	}
	modes, _ := os.ReadFile(filepath.Join(filepath.Dir(ed), "modes"))
	if string(modes) != "600\n700\n" {
		t.Fatalf("the editor saw modes %q, want 600 and 700", modes)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the temporary directory is still there: %v", err)
	}
}

func TestBadValueComesBackWithTheErrorOnTop(t *testing.T) {
	ed := fakeEditor(t)
	form := map[string]any{"name": "ann", "age": int64(3), "token": "s3cret"}
	// The operator types a new name and a bad age.
	s, se := open(t, ed+` 's/^name: ann$/name: typed by me/; s/^age: 3$/age: -5/'`, form)
	dir := filepath.Dir(se.Path())
	res := round(t, se)
	if len(res.Errors) != 1 || res.Errors[0].Path != "age" {
		t.Fatalf("errors %v", res.Errors)
	}
	data, err := os.ReadFile(se.Path())
	if err != nil {
		t.Fatalf("the file is gone after a bad round: %v", err)
	}
	lines := strings.Split(string(data), "\n")
	errLine := strings.TrimPrefix(lines[1], "# ERROR line ")
	n := 0
	for _, c := range errLine {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	if !strings.HasSuffix(lines[1], ": age: must be at least 0") || n == 0 || lines[n-1] != "age: -5" {
		t.Fatalf("error line %q does not point at the bad value:\n%s", lines[1], data)
	}
	if !strings.Contains(string(data), "\nname: typed by me\n") {
		t.Fatalf("what was typed is lost:\n%s", data)
	}
	if fi, err := os.Stat(se.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("rewritten file mode %v, %v", fi.Mode(), err)
	}

	// Next round, the operator fixes the age: the answer keeps the name.
	se.argv = []string{ed, "s/^age: -5$/age: 7/"}
	res = round(t, se)
	got, _ := s.Marshal(res.Values)
	if !res.OK() || string(got) != `{"name":"typed by me","age":7,"token":"s3cret"}` {
		t.Fatalf("%s %+v", got, res)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the temporary directory is still there: %v", err)
	}
}

func TestEmptiedFileCancels(t *testing.T) {
	ed := fakeEditor(t)
	_, se := open(t, ed+" '1,$d'", map[string]any{"name": "ann"})
	dir := filepath.Dir(se.Path())
	if res := round(t, se); !res.Cancelled {
		t.Fatalf("%+v", res)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the temporary directory is still there: %v", err)
	}
}

func TestFailedEditorReadsNothing(t *testing.T) {
	_, se := open(t, "false", map[string]any{"name": "ann"})
	dir := filepath.Dir(se.Path())
	res, err := se.Finish(se.Cmd().Run())
	if err == nil || !strings.Contains(err.Error(), "the form keeps its values") || res.Values != nil {
		t.Fatalf("%+v, %v", res, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the temporary directory is still there: %v", err)
	}
}

func TestMissingEditorIsSaid(t *testing.T) {
	s, _ := inputschema.ParseSchema([]byte(schemaText))
	_, err := Open(s, nil, answerfile.Options{}, func(k string) string {
		if k == "VISUAL" {
			return "/nonexistent/editor --wait"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), `cannot run the editor "/nonexistent/editor"`) {
		t.Fatal(err)
	}
}

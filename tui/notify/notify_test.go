package notify

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"off": Off, "bell": Bell, " Desktop ": Desktop, "BOTH": Both} {
		got, err := ParseMode(in)
		if err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", in, got, err, want)
		}
		if got.String() != strings.ToLower(strings.TrimSpace(in)) {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
	for _, in := range []string{"", "on", "yes", "bell,desktop", "osc9", "sound"} {
		if m, err := ParseMode(in); err == nil || m != Off || !strings.Contains(err.Error(), "off, bell, desktop, both") {
			t.Errorf("ParseMode(%q) = %v, %v; want an error naming the values", in, m, err)
		}
	}
}

func TestEnvFrom(t *testing.T) {
	env := map[string]string{"TMUX": "/tmp/tmux-1000/default,1,0", "TERM": "tmux-256color", "TERM_PROGRAM": "tmux"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	if got := EnvFrom(lookup); got != (Env{TMUX: true, Term: "tmux-256color", TermProgram: "tmux"}) {
		t.Errorf("EnvFrom = %+v", got)
	}
	env = map[string]string{"TMUX": ""}
	if got := EnvFrom(lookup); got != (Env{}) {
		t.Errorf("EnvFrom with an empty TMUX = %+v", got)
	}
}

func TestSequence(t *testing.T) {
	xterm := Env{Term: "xterm-256color"}
	cases := []struct {
		name        string
		mode        Mode
		env         Env
		title, body string
		want        string
	}{
		{"off", Off, xterm, "t", "b", ""},
		{"bell", Bell, xterm, "t", "b", "\x07"},
		{"bell in tmux is a plain BEL", Bell, Env{TMUX: true, Term: "tmux-256color"}, "t", "b", "\x07"},
		{"desktop, unknown terminal: OSC 9", Desktop, xterm, "Run waiting", "deploy-run", "\x1b]9;Run waiting: deploy-run\x07"},
		{"iTerm2", Desktop, Env{TermProgram: "iTerm.app", Term: "xterm-256color"}, "t", "b", "\x1b]9;t: b\x07"},
		{"WezTerm", Desktop, Env{TermProgram: "WezTerm", Term: "xterm-256color"}, "t", "b", "\x1b]9;t: b\x07"},
		{"Ghostty", Desktop, Env{TermProgram: "ghostty", Term: "xterm-ghostty"}, "t", "b", "\x1b]9;t: b\x07"},
		{"kitty", Desktop, Env{Term: "xterm-kitty"}, "t", "b", "\x1b]9;t: b\x07"},
		{"urxvt: OSC 777", Desktop, Env{Term: "rxvt-unicode-256color"}, "Run waiting", "deploy-run", "\x1b]777;notify;Run waiting;deploy-run\x07"},
		{"foot: OSC 777", Desktop, Env{Term: "foot"}, "t", "b", "\x1b]777;notify;t;b\x07"},
		{"foot-extra", Desktop, Env{Term: "foot-extra"}, "t", "b", "\x1b]777;notify;t;b\x07"},
		{"linux console: no OSC", Desktop, Env{Term: "linux"}, "t", "b", ""},
		{"linux console, both: the bell only", Both, Env{Term: "linux"}, "t", "b", "\x07"},
		{"dumb", Both, Env{Term: "dumb"}, "t", "b", "\x07"},
		{"both", Both, xterm, "t", "b", "\x07\x1b]9;t: b\x07"},
		{
			"tmux: DCS passthrough, ESC doubled", Desktop,
			Env{TMUX: true, Term: "tmux-256color", TermProgram: "tmux"},
			"t", "b",
			"\x1bPtmux;\x1b\x1b]9;t: b\x07\x1b\\",
		},
		{
			"tmux, both: BEL outside the passthrough", Both,
			Env{TMUX: true, Term: "screen-256color"},
			"t", "b",
			"\x07\x1bPtmux;\x1b\x1b]9;t: b\x07\x1b\\",
		},
		{
			"tmux inside urxvt keeps 777 when TERM says so", Desktop,
			Env{TMUX: true, Term: "rxvt-unicode"},
			"t", "b",
			"\x1bPtmux;\x1b\x1b]777;notify;t;b\x07\x1b\\",
		},
		{"title only", Desktop, xterm, "t", "", "\x1b]9;t\x07"},
		{"body only", Desktop, xterm, "", "b", "\x1b]9;b\x07"},
		{"nothing to say", Desktop, xterm, " \x1b ", "\x07", ""},
		{"a leading digit is not a ConEmu command", Desktop, xterm, "4", "2", "\x1b]9;unpause: 4: 2\x07"},
		{"semicolons cannot add OSC 777 fields", Desktop, Env{Term: "foot"}, "a;b", "c;d", "\x1b]777;notify;a,b;c,d\x07"},
		{
			"hostile names", Both, xterm, "evil\x1b]52;c;aGk=\x07run\x1b\\", "flow\u009c\u009d0;x\u009b2J\u202e",
			"\x07\x1b]9;evil]52,c,aGk=run\\: flow0,x2J\x07",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Sequence(c.mode, c.env, c.title, c.body)
			if string(got) != c.want {
				t.Errorf("Sequence = %q, want %q", got, c.want)
			}
			if c.want == "" && got != nil {
				t.Errorf("Sequence = %q, want nil", got)
			}
		})
	}
}

func TestClean(t *testing.T) {
	long := strings.Repeat("ab", 100)
	cases := map[string]string{
		"  deploy-run  ":             "deploy-run",
		"line\none\ttab\r\nend":      "line one tab end",
		"a\u2028b\u2029c\u0085d":     "a b c d",
		"zero\u200bwidth\ufeff":      "zerowidth",
		"bad\xffbytes\xc3":           "badbytes",
		"nbsp\u00a0here":             "nbsp here",
		"ünïcödé ✓ 名前":               "ünïcödé ✓ 名前",
		long:                         long[:MaxRunes-1] + "…",
		strings.Repeat("é ", 100):    strings.Repeat("é ", 59) + "é…",
		"\x1b[31mred\x1b[0m":         "[31mred[0m",
		"private\ue000use\U0010fffd": "privateuse",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// payload is what the package lets through from a title or body: no control
// byte, no semicolon.
const payload = `[^\x00-\x1f\x7f;]*`

// shape is every sequence Sequence may write: an optional BEL, then an
// optional OSC 9 or OSC 777, bare or in tmux's passthrough.
var shape = regexp.MustCompile(`^(?:\x07)?(?:` +
	`\x1b\]9;` + payload + `\x07|` +
	`\x1b\]777;notify;` + payload + `;` + payload + `\x07|` +
	`\x1bPtmux;\x1b\x1b\]9;` + payload + `\x07\x1b\\|` +
	`\x1bPtmux;\x1b\x1b\]777;notify;` + payload + `;` + payload + `\x07\x1b\\` +
	`)?$`)

// No control byte of a title or body ever reaches the output: every control
// byte in it is one the package writes, in one of its shapes, and what is
// left is valid UTF-8 with no C1 or format character.
func FuzzSequence(f *testing.F) {
	f.Add(uint8(Both), "xterm-256color", "", false, "Run waiting", "deploy-run")
	f.Add(uint8(Desktop), "foot", "", true, "a;b\x1b]52;c;x\x07", "\u009c\u009b\xff\xfe")
	f.Add(uint8(Desktop), "xterm", "iTerm.app", true, "\x1bPtmux;\x1b\x1b]9;x\x07\x1b\\", "9;4;1")
	f.Add(uint8(Bell), "linux", "", false, "t", "b")
	f.Fuzz(func(t *testing.T, mode uint8, term, program string, tmux bool, title, body string) {
		out := Sequence(Mode(mode)&Both, Env{TMUX: tmux, Term: term, TermProgram: program}, title, body)
		if !shape.Match(out) {
			t.Fatalf("Sequence(%q, %q) = %q: not one of the package's shapes", title, body, out)
		}
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 in %q", out)
		}
		for _, r := range string(out) {
			if r >= 0x80 && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
				t.Fatalf("%U in %q", r, out)
			}
		}
		for _, s := range []string{title, body} {
			if c := Clean(s); utf8.RuneCountInString(c) > MaxRunes {
				t.Fatalf("Clean(%q) is %d runes", s, utf8.RuneCountInString(c))
			}
		}
	})
}

// Package notify builds the bytes unpause writes to its terminal to say that
// a new run started waiting: the bell, a desktop notification, or both. It
// does no I/O and imports no UI: the caller writes the bytes (a tea.Raw
// command in the TUI) when it decides a run is new.
//
// Title and body come from the API (run and flow names) and are untrusted:
// every control character, C1 code (ST and CSI among them), format character
// and invalid byte is removed, semicolons become commas so that they cannot
// split OSC 777's fields, and each is cut to MaxRunes.
package notify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/unpause-dev/unpause/config"
)

// MaxRunes is how long a title or a body may be once cleaned.
const MaxRunes = 120

const (
	bel = "\x07"
	esc = "\x1b"
)

// Mode says what unpause does when a run starts waiting. Its values are
// config's notify values (config.NotifyValues): config owns the spelling.
type Mode uint8

// The modes; Both is Bell and Desktop.
const (
	Off     Mode = 0
	Bell    Mode = 1 << 0
	Desktop Mode = 1 << 1
	Both         = Bell | Desktop
)

// ParseMode reads a notify value from the config (off, bell, desktop, both;
// case and surrounding space ignored). Anything else is an error that names
// the accepted values.
func ParseMode(s string) (Mode, error) {
	v, err := config.CheckNotify(s)
	if err != nil {
		return Off, err
	}
	switch v {
	case config.NotifyBell:
		return Bell, nil
	case config.NotifyDesktop:
		return Desktop, nil
	case config.NotifyBoth:
		return Both, nil
	}
	return Off, nil
}

// String is the config value of m.
func (m Mode) String() string {
	switch m & Both {
	case Bell:
		return config.NotifyBell
	case Desktop:
		return config.NotifyDesktop
	case Both:
		return config.NotifyBoth
	}
	return config.NotifyOff
}

// Env is what Sequence needs to know of the terminal.
type Env struct {
	TMUX        bool   // $TMUX is set: unpause runs inside tmux
	Term        string // $TERM
	TermProgram string // $TERM_PROGRAM
}

// EnvFrom reads an Env through lookup (os.LookupEnv, or a test's map).
func EnvFrom(lookup func(string) (string, bool)) Env {
	get := func(k string) string { v, _ := lookup(k); return v }
	tmux, _ := lookup("TMUX")
	return Env{TMUX: tmux != "", Term: get("TERM"), TermProgram: get("TERM_PROGRAM")}
}

// Sequence is what to write for mode: the bell (BEL) first if asked, then
// the desktop notification if asked and the terminal can take one. Off
// gives nil.
//
// Inside tmux a plain BEL goes through as it is (tmux marks the window in
// its window list and passes the bell on per its bell-action), while an OSC
// sequence would be swallowed by tmux: it is wrapped in tmux's DCS
// passthrough, ESC P tmux ; <sequence, every ESC doubled> ESC \, which tmux
// forwards to the outer terminal only with `set -g allow-passthrough on`
// (off by default since tmux 3.3); without it tmux drops it silently.
func Sequence(mode Mode, env Env, title, body string) []byte {
	var b strings.Builder
	if mode&Bell != 0 {
		b.WriteString(bel)
	}
	if mode&Desktop != 0 {
		if osc := desktop(env, Clean(title), Clean(body)); osc != "" {
			if env.TMUX {
				osc = "\x1bPtmux;" + strings.ReplaceAll(osc, esc, esc+esc) + "\x1b\\"
			}
			b.WriteString(osc)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return []byte(b.String())
}

// protocol is the desktop notification sequence a terminal reads.
type protocol int

const (
	noDesktop protocol = iota // the terminal would print an OSC sequence as text
	osc9                      // ESC ] 9 ; text BEL
	osc777                    // ESC ] 777 ; notify ; title ; body BEL
)

// protocolFor picks the sequence. OSC 9 (iTerm2's, text only) is the one
// most terminals read: iTerm2, WezTerm and Ghostty document it (the last two
// document OSC 777 as well), and kitty, whose own protocol is OSC 99
// (sw.kovidgoyal.net/kitty/desktop-notifications) and which declined OSC
// 777 (kovidgoyal/kitty#1474), does not print an OSC it does not know. So
// OSC 9 is the default, unknown terminals included. OSC 777 (it carries a
// title) goes to the terminals whose documented sequence it is:
// rxvt-unicode (its notify extension, where OSC 777 comes from) and foot
// (foot-ctlseqs(7): "only the ;notify sub-command of OSC 777"). The Linux
// console and dumb terminals get none: the console prints an OSC it does not
// know as text.
//
// Inside tmux TERM and TERM_PROGRAM name tmux, not the terminal around it,
// so OSC 9 is sent there.
func protocolFor(env Env) protocol {
	switch strings.ToLower(env.TermProgram) {
	case "iterm.app", "wezterm", "ghostty":
		return osc9
	}
	term := strings.ToLower(env.Term)
	switch {
	case term == "linux" || term == "dumb" || strings.HasPrefix(term, "linux-"):
		return noDesktop
	case strings.HasPrefix(term, "rxvt") || term == "foot" || strings.HasPrefix(term, "foot-"):
		return osc777
	}
	return osc9
}

// desktop is the notification sequence for env, of cleaned title and body;
// "" when the terminal takes none or there is nothing to say.
func desktop(env Env, title, body string) string {
	if title == "" && body == "" {
		return ""
	}
	switch protocolFor(env) {
	case osc777:
		return esc + "]777;notify;" + title + ";" + body + bel
	case osc9:
		text := title
		switch {
		case title == "":
			text = body
		case body != "":
			text = title + ": " + body
		}
		// ConEmu and Windows Terminal read OSC 9 ; <digits> ; ... as
		// commands of their own (9;4 sets a progress bar): text must not
		// start with a digit.
		if text[0] >= '0' && text[0] <= '9' {
			text = "unpause: " + text
		}
		return esc + "]9;" + text + bel
	}
	return ""
}

// Clean makes untrusted text safe inside an OSC sequence: invalid bytes,
// control characters (C0, DEL, C1, so ESC, BEL and ST too), format
// characters (bidi overrides, zero-width) and other unprintable runes go;
// line breaks, tabs and other spaces become one space; semicolons become
// commas; the result is cut to
// MaxRunes (an ellipsis marks the cut).
func Clean(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(s, "") {
		switch {
		case r == ';':
			r = ','
		case unicode.IsSpace(r): // tabs, line breaks, NEL, U+2028 and U+2029 among them
			space = b.Len() > 0
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || !unicode.IsPrint(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if utf8.RuneCountInString(out) > MaxRunes {
		out = strings.TrimRight(string([]rune(out)[:MaxRunes-1]), " ") + "…"
	}
	return out
}

// Package termsafe sanitises untrusted text (everything that comes from the
// Prefect API) before it reaches a terminal.
//
// There are three entry points for text going in and one for text coming out
// of glamour:
//
//   - Line: one-line display (table cells, titles, labels, option names).
//   - Text: multi-line display (logs, help, reasons, JSON); keeps \n and \t.
//   - MarkdownSource: layer 1 before glamour (Text, & escaped, size capped).
//   - RenderedANSI: layer 2 after glamour (only SGR escapes survive).
//
// OnlySGR is the matching check for tests.
package termsafe

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// MarkdownLimit caps the Markdown handed to glamour: rendering cost grows
// quickly with size and nesting, and the text is attacker-controlled.
const MarkdownLimit = 64 << 10

// markdownTruncatedNote is appended when MarkdownSource cuts its input.
const markdownTruncatedNote = "\n\n…(description truncated at 64 KiB)\n"

// Line returns s made safe for a single terminal line. Newlines, carriage
// returns, tabs, vertical tabs, form feeds and U+2028/U+2029 become one space
// per run; every other C0 control, DEL, C1 control, bidi control and
// invisible format character is dropped; invalid UTF-8 bytes become U+FFFD.
func Line(s string) string {
	if isPlainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			// keep the position visible instead of passing a raw byte on
		case isLineBreakOrTab(r):
			pendingSpace = true
			continue
		case dropRune(r):
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(r)
	}
	if pendingSpace {
		b.WriteByte(' ')
	}
	return b.String()
}

// Text returns s made safe for multi-line terminal output. It keeps \n and
// \t, turns \r\n and U+2028/U+2029 into \n, drops a lone \r (it would let
// later text overwrite earlier text on the same line), drops every other C0
// control, DEL, C1 control, bidi control and invisible format character, and
// replaces invalid UTF-8 bytes with U+FFFD.
func Text(s string) string {
	if isPlainText(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == 0x2028 || r == 0x2029:
			b.WriteByte('\n')
		case dropRune(r):
			// includes \r: as part of \r\n the \n that follows is kept,
			// a lone \r simply disappears
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MarkdownSource prepares untrusted Markdown for glamour (layer 1). It
// applies Text, then replaces every & with &amp; because glamour
// html-unescapes character references in text, so "&#27;" would otherwise
// become a live ESC (also across emphasis nodes and inside code spans). The
// price is that genuine entities such as &copy; show literally. The result is
// capped at MarkdownLimit bytes (cut at a rune boundary, never inside an
// &amp;), followed by a note line saying so.
func MarkdownSource(s string) string {
	t := strings.ReplaceAll(Text(s), "&", "&amp;")
	if len(t) <= MarkdownLimit {
		return t
	}
	cut := MarkdownLimit
	for cut > 0 && !utf8.RuneStart(t[cut]) {
		cut--
	}
	// Every & in t starts an "&amp;" (5 bytes): an & among the last 4 bytes
	// before the cut means the cut would split one.
	start := max(0, cut-4)
	if k := strings.LastIndexByte(t[start:cut], '&'); k >= 0 {
		cut = start + k
	}
	return t[:cut] + markdownTruncatedNote
}

// RenderedANSI filters glamour's output (layer 2). It re-scans s with the
// x/ansi sequence decoder and keeps printable text, \n, \t and SGR sequences
// (ESC [ digits ; : m) only. Every other escape sequence (OSC including
// hyperlinks, clipboard and title, DCS, APC, PM, SOS, non-SGR CSI such as
// cursor moves and screen clears, lone ESC), every other C0 control, DEL, C1
// control, bidi control and invisible format character is dropped; invalid
// UTF-8 bytes become U+FFFD. An escape sequence left unterminated at the end
// of s swallows the rest of s: it cannot be shown safely.
func RenderedANSI(s string) string {
	s = validUTF8(s)
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		// Always start from the normal state: each token is judged on its own.
		seq, _, n, _ := ansi.DecodeSequence(s, ansi.NormalState, nil)
		if n <= 0 {
			// Defensive: the decoder should always make progress.
			n = 1
			seq = s[:1]
		}
		s = s[n:]
		switch c := seq[0]; {
		case c == ansi.ESC:
			if sgrLen(seq) == len(seq) {
				b.WriteString(seq)
			}
		case c < 0x20 || c == ansi.DEL:
			if c == '\n' || c == '\t' {
				b.WriteByte(c)
			}
		case c >= 0x80 && c < 0xC0:
			// A raw C1 or continuation byte cannot appear at a token start in
			// valid UTF-8; drop it rather than trust that.
		default:
			// A grapheme cluster: extenders (ZWJ, bidi marks) can ride along
			// with a printable rune, so filter rune by rune.
			for _, r := range seq {
				if r == '\n' || r == '\t' || !dropRune(r) {
					b.WriteRune(r)
				}
			}
		}
	}
	return b.String()
}

// OnlySGR reports whether s is safe terminal output in the sense of
// RenderedANSI: valid UTF-8 in which every ESC starts a complete SGR sequence
// (ESC [ digits ; : m), and which has no other C0 control except \n and \t,
// no DEL, no C1 control, no bidi control and no invisible format character.
func OnlySGR(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); {
		if s[i] == ansi.ESC {
			n := sgrLen(s[i:])
			if n == 0 {
				return false
			}
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != '\n' && r != '\t' && dropRune(r) {
			return false
		}
		i += size
	}
	return true
}

// sgrLen returns the length of the SGR sequence at the start of s, or 0 when
// s does not start with one. Only the 7-bit form with plain numeric
// parameters counts; private or intermediate forms are other commands.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != ansi.ESC || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == ';', c == ':':
		case c == 'm':
			return i + 1
		default:
			return 0
		}
	}
	return 0
}

// dropRune reports runes that must not reach a terminal: C0 controls, DEL,
// C1 controls, bidi controls and invisible format characters.
func dropRune(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isInvisibleFormat(r)
}

// isInvisibleFormat reports bidi controls and zero-width or otherwise
// invisible format characters, which can make one name look like another
// ("evil\u202Egnp.exe" displays as "evilexe.png") or smuggle hidden text.
func isInvisibleFormat(r rune) bool {
	switch {
	case r == 0x061C, // Arabic letter mark
		r == 0x180E,                  // Mongolian vowel separator
		r >= 0x200B && r <= 0x200F,   // zero-width space/non-joiner/joiner, LRM, RLM
		r >= 0x202A && r <= 0x202E,   // bidi embeddings and overrides
		r >= 0x2060 && r <= 0x2064,   // word joiner, invisible operators
		r >= 0x2066 && r <= 0x206F,   // bidi isolates, deprecated format controls
		r == 0xFEFF,                  // zero-width no-break space (BOM)
		r >= 0xFFF9 && r <= 0xFFFB,   // interlinear annotation controls
		r >= 0xE0000 && r <= 0xE007F: // tag characters (invisible ASCII copies)
		return true
	}
	return false
}

// isLineBreakOrTab reports runes that Line turns into a space.
func isLineBreakOrTab(r rune) bool {
	switch r {
	case '\n', '\r', '\t', '\v', '\f', 0x2028, 0x2029:
		return true
	}
	return false
}

// isPlainASCII reports whether s is printable ASCII only (the common case),
// which Line returns unchanged.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// isPlainText is isPlainASCII plus \n and \t, which Text returns unchanged.
func isPlainText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// validUTF8 replaces each invalid byte of s with U+FFFD.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

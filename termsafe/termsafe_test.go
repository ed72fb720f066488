package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain ascii unchanged", "approve-deploy 42", "approve-deploy 42"},
		{"unicode kept", "déploiement ✓ 日本", "déploiement ✓ 日本"},
		{"emoji kept", "ship it 🚀", "ship it 🚀"},
		{"newline becomes space", "a\nb", "a b"},
		{"crlf run is one space", "a\r\n\r\nb", "a b"},
		{"tab becomes space", "a\tb", "a b"},
		{"mixed break run with dropped controls is one space", "a\n\x07\t\x1b\nb", "a b"},
		{"vertical tab and form feed", "a\vb\fc", "a b c"},
		{"line and paragraph separators", "a\u2028b\u2029c", "a b c"},
		{"trailing newline", "name\n", "name "},
		{"ESC dropped, rest of CSI stays inert", "\x1b[2Jx", "[2Jx"},
		{"OSC 52 clipboard", "\x1b]52;c;aGk=\x07run", "]52;c;aGk=run"},
		{"OSC 0 title", "\x1b]0;pwned\x07run", "]0;pwnedrun"},
		{"BEL", "ding\x07", "ding"},
		{"NUL", "a\x00b", "ab"},
		{"DEL", "a\x7fb", "ab"},
		{"C1 CSI rune", "\u009b2Jx", "2Jx"},
		{"C1 NEL rune", "a\u0085b", "ab"},
		{"raw 8-bit CSI byte is invalid UTF-8", "a\x9b2Jb", "a\uFFFD2Jb"},
		{"each invalid byte is one U+FFFD", "a\xff\xfeb", "a\uFFFD\uFFFDb"},
		{"truncated UTF-8 sequence", "a\xe2\x82", "a\uFFFD\uFFFD"},
		{"bidi override", "evil\u202Egnp.exe", "evilgnp.exe"},
		{"bidi isolates and marks", "\u2066a\u2069\u200Eb\u200F\u061Cc", "abc"},
		{"zero width joiner and space", "ad\u200Dmin\u200B", "admin"},
		{"word joiner and BOM", "\uFEFFa\u2060b", "ab"},
		{"tag characters", "ok\U000E0041\U000E0042", "ok"},
		{"literal replacement char kept", "a\uFFFDb", "a\uFFFDb"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Line(tc.in)
			if got != tc.want {
				t.Fatalf("Line(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if !lineSafe(got) {
				t.Fatalf("Line(%q) = %q is not line-safe", tc.in, got)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain unchanged", "line 1\n\tline 2\n", "line 1\n\tline 2\n"},
		{"crlf normalised", "a\r\nb\r\n", "a\nb\n"},
		{"lone CR dropped (no overwrite trick)", "safe\rEVIL", "safeEVIL"},
		{"CR CR LF", "a\r\r\nb", "a\nb"},
		{"separators become newlines", "a\u2028b\u2029c", "a\nb\nc"},
		{"ESC and BEL dropped", "\x1b]0;title\x07log", "]0;titlelog"},
		{"clear screen inert", "\x1b[2J\x1b[Hdone", "[2J[Hdone"},
		{"vertical tab, form feed dropped", "a\vb\fc", "abc"},
		{"C1 dropped", "a\u009b31mb\u0090c", "a31mbc"},
		{"invalid UTF-8 replaced", "x\x9by", "x\uFFFDy"},
		{"bidi and zero-width dropped", "evil\u202Egnp.exe\u200D", "evilgnp.exe"},
		{"JSON kept", "{\n  \"a\": \"b\"\n}", "{\n  \"a\": \"b\"\n}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Text(tc.in)
			if got != tc.want {
				t.Fatalf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if !OnlySGR(got) || strings.ContainsRune(got, '\r') {
				t.Fatalf("Text(%q) = %q still has controls", tc.in, got)
			}
		})
	}
}

func TestMarkdownSource(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "# Approve\n\nDeploy *now*?", "# Approve\n\nDeploy *now*?"},
		{"ampersand escaped", "a & b", "a &amp; b"},
		{"decimal reference neutralised", "&#27;[31m", "&amp;#27;[31m"},
		{"hex reference neutralised", "&#x1b;]52;c;aGk=&#7;", "&amp;#x1b;]52;c;aGk=&amp;#7;"},
		{"named entity shows literally", "&copy;", "&amp;copy;"},
		{"raw controls removed first", "\x1b[31mred\x1b[0m\r\n", "[31mred[0m\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MarkdownSource(tc.in); got != tc.want {
				t.Fatalf("MarkdownSource(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMarkdownSourceCap(t *testing.T) {
	note := "…(description truncated at 64 KiB)"
	tests := []struct {
		name string
		in   string
		// wantPrefixLen is the length of the kept prefix of the escaped text.
		wantPrefixLen int
		truncated     bool
	}{
		{"exactly at the limit is kept", strings.Repeat("a", MarkdownLimit), MarkdownLimit, false},
		{"one byte over is cut", strings.Repeat("a", MarkdownLimit+1), MarkdownLimit, true},
		// "é" is 2 bytes; an odd limit position falls inside a rune.
		{"cut at a rune boundary", "x" + strings.Repeat("é", MarkdownLimit), MarkdownLimit - 1, true},
		// The escaped text is "aa…a&amp;&amp;…": the limit falls inside an &amp;.
		{"never splits &amp;", strings.Repeat("a", MarkdownLimit-2) + strings.Repeat("&", 10), MarkdownLimit - 2, true},
		{"escaping counts toward the limit", strings.Repeat("&", MarkdownLimit/5+1), (MarkdownLimit / 5) * 5, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := MarkdownSource(tc.in)
			escaped := strings.ReplaceAll(tc.in, "&", "&amp;")
			if !tc.truncated {
				if got != escaped {
					t.Fatalf("unexpected change (len %d -> %d)", len(escaped), len(got))
				}
				return
			}
			want := escaped[:tc.wantPrefixLen] + "\n\n" + note + "\n"
			if got != want {
				t.Fatalf("got len %d ending %q, want len %d ending %q", len(got), tail(got), len(want), tail(want))
			}
			if !utf8.ValidString(got) {
				t.Fatal("cut produced invalid UTF-8")
			}
			if len(got) > MarkdownLimit+len(markdownTruncatedNote) {
				t.Fatalf("result %d bytes exceeds limit", len(got))
			}
		})
	}
}

func tail(s string) string {
	if len(s) > 60 {
		return s[len(s)-60:]
	}
	return s
}

func TestRenderedANSI(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text", "hello\n\tworld", "hello\n\tworld"},
		{"SGR kept", "\x1b[38;5;252mhi\x1b[m \x1b[1;4mB\x1b[0m", "\x1b[38;5;252mhi\x1b[m \x1b[1;4mB\x1b[0m"},
		{"SGR with colon sub-params kept", "\x1b[38:2::1:2:3mx\x1b[m", "\x1b[38:2::1:2:3mx\x1b[m"},
		{"clear screen dropped", "a\x1b[2Jb", "ab"},
		{"cursor home dropped", "a\x1b[Hb", "ab"},
		{"cursor move dropped", "a\x1b[10;20fb\x1b[5A", "ab"},
		{"private CSI ending in m dropped", "a\x1b[?25mb", "ab"},
		{"CSI with intermediate dropped", "a\x1b[0 mb", "ab"},
		{"OSC 52 BEL terminated", "a\x1b]52;c;aGk=\x07b", "ab"},
		{"OSC 52 ST terminated", "a\x1b]52;c;aGk=\x1b\\b", "ab"},
		{"OSC 0 title", "\x1b]0;owned\x07text", "text"},
		{"OSC 8 hyperlink keeps visible text", "\x1b]8;id=1;https://e.com\x07https://e.com\x1b]8;;\x07", "https://e.com"},
		{"DCS", "a\x1bP1$qm\x1b\\b", "ab"},
		{"APC", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		{"PM", "a\x1b^secret\x1b\\b", "ab"},
		{"SOS", "a\x1bXsecret\x1b\\b", "ab"},
		{"ESC single char (RIS)", "a\x1bcb", "ab"},
		{"lone ESC at end", "ab\x1b", "ab"},
		{"unterminated OSC swallows rest", "a\x1b]52;c;aGk=b", "a"},
		{"BEL dropped", "ding\x07", "ding"},
		{"CR dropped", "safe\rEVIL", "safeEVIL"},
		{"C1 CSI rune dropped", "a\u009b2Jb", "a2Jb"},
		{"C1 OSC rune dropped", "a\u009d0;t\u009cb", "a0;tb"},
		{"raw 8-bit CSI byte replaced", "a\x9b2Jb", "a\uFFFD2Jb"},
		{"raw 8-bit OSC byte replaced", "a\x9d0;t\x07b", "a\uFFFD0;tb"},
		{"bidi override dropped", "evil\u202Egnp.exe", "evilgnp.exe"},
		{"zero width joiner inside a cluster dropped", "a\u200Db", "ab"},
		{"SGR mid text kept around dropped OSC", "\x1b[31m\x1b]0;t\x07red\x1b[m", "\x1b[31mred\x1b[m"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RenderedANSI(tc.in)
			if got != tc.want {
				t.Fatalf("RenderedANSI(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if !OnlySGR(got) {
				t.Fatalf("RenderedANSI(%q) = %q fails OnlySGR", tc.in, got)
			}
		})
	}
}

func TestOnlySGR(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"empty", "", true},
		{"text with newline and tab", "a\n\tb", true},
		{"SGR", "\x1b[1;38;5;2mx\x1b[m", true},
		{"SGR colon form", "\x1b[4:3mx", true},
		{"clear screen", "\x1b[2J", false},
		{"cursor home", "\x1b[H", false},
		{"private mode", "\x1b[?1049h", false},
		{"private CSI ending in m", "\x1b[?4m", false},
		{"OSC 52", "\x1b]52;c;aGk=\x07", false},
		{"OSC 8", "\x1b]8;;https://e.com\x1b\\x\x1b]8;;\x1b\\", false},
		{"lone ESC", "x\x1b", false},
		{"unterminated SGR", "\x1b[31", false},
		{"BEL", "\x07", false},
		{"CR", "a\rb", false},
		{"DEL", "\x7f", false},
		{"C1 rune", "\u009b2J", false},
		{"raw C1 byte (invalid UTF-8)", "\x9b2J", false},
		{"bidi", "\u202E", false},
		{"zero width", "\u200B", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := OnlySGR(tc.in); got != tc.want {
				t.Fatalf("OnlySGR(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// lineSafe is the property Line promises, spelled out independently of the
// implementation: valid UTF-8 without any rune below 0x20, DEL, C1, bidi
// control or zero-width character.
func lineSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiOrZeroWidth(r) {
			return false
		}
	}
	return true
}

// isBidiOrZeroWidth lists the spoofing characters named in the design:
// bidi embeddings/overrides/isolates/marks and zero-width characters.
func isBidiOrZeroWidth(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
		r == 0x200E, r == 0x200F, r == 0x061C,
		r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF:
		return true
	}
	return false
}

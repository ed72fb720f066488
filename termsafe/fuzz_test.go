package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are shared by the fuzz targets: the corpus plus small edge cases.
func fuzzSeeds(f *testing.F) {
	for _, tc := range adversarialCorpus {
		f.Add(tc.md)
	}
	for _, s := range []string{
		"", "\x1b", "\x1b[", "\x1b[31", "\x1b[31m", "\x1b[?25m", "\x1b]", "\x1bP", "\x9b", "\xc2\x9b",
		"\x1b[38;5;252m\x1b\x1b[m", "\r\n", "\u2028", "a\u200d\U0001F600", "&#27;", "&", "\x1b]8;;x\x1b\\y",
		"\x18\x1a", "\x1b\x1b]0;\x07", "é\x80", strings.Repeat("&", 100),
	} {
		f.Add(s)
	}
}

func FuzzLine(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		out := Line(in)
		if !lineSafe(out) {
			t.Fatalf("Line(%q) = %q contains a control, bidi or invalid UTF-8", in, out)
		}
		if strings.ContainsRune(out, '\x1b') || strings.ContainsRune(out, '\n') {
			t.Fatalf("Line(%q) = %q", in, out)
		}
		if Line(out) != out {
			t.Fatalf("Line not idempotent on %q", in)
		}
	})
}

func FuzzText(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		out := Text(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Text(%q) = %q is invalid UTF-8", in, out)
		}
		for _, r := range out {
			if r == '\n' || r == '\t' {
				continue
			}
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiOrZeroWidth(r) {
				t.Fatalf("Text(%q) = %q contains %U", in, out, r)
			}
		}
		if Text(out) != out {
			t.Fatalf("Text not idempotent on %q", in)
		}
	})
}

func FuzzMarkdownSource(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		out := MarkdownSource(in)
		// Every & must start an &amp; so that glamour cannot decode a
		// character reference into a control.
		for i := strings.IndexByte(out, '&'); i >= 0; {
			if !strings.HasPrefix(out[i:], "&amp;") {
				t.Fatalf("MarkdownSource(%q) = %q has a bare & at %d", in, out, i)
			}
			next := strings.IndexByte(out[i+1:], '&')
			if next < 0 {
				break
			}
			i += 1 + next
		}
		if !OnlySGR(out) || strings.ContainsRune(out, '\x1b') {
			t.Fatalf("MarkdownSource(%q) = %q contains controls", in, out)
		}
		if len(out) > MarkdownLimit+len(markdownTruncatedNote) {
			t.Fatalf("MarkdownSource result is %d bytes", len(out))
		}
	})
}

func FuzzRenderedANSI(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		out := RenderedANSI(in)
		if !utf8.ValidString(out) {
			t.Fatalf("RenderedANSI(%q) = %q is invalid UTF-8", in, out)
		}
		// ESC only as the start of ESC [ <digits ; :> m, checked here without
		// the package's helpers.
		for i := 0; i < len(out); i++ {
			if out[i] != 0x1b {
				continue
			}
			j := i + 1
			if j >= len(out) || out[j] != '[' {
				t.Fatalf("RenderedANSI(%q) = %q: ESC at %d not followed by [", in, out, i)
			}
			for j++; j < len(out) && (out[j] >= '0' && out[j] <= '9' || out[j] == ';' || out[j] == ':'); j++ {
			}
			if j >= len(out) || out[j] != 'm' {
				t.Fatalf("RenderedANSI(%q) = %q: escape at %d is not SGR", in, out, i)
			}
		}
		for _, r := range out {
			if r == '\n' || r == '\t' || r == 0x1b {
				continue
			}
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiOrZeroWidth(r) {
				t.Fatalf("RenderedANSI(%q) = %q contains %U", in, out, r)
			}
		}
		if !OnlySGR(out) {
			t.Fatalf("OnlySGR rejects RenderedANSI(%q) = %q", in, out)
		}
		if RenderedANSI(out) != out {
			t.Fatalf("RenderedANSI not idempotent on %q", in)
		}
	})
}

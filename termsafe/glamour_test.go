package termsafe

import (
	"strings"
	"testing"

	"charm.land/glamour/v2"
	"github.com/charmbracelet/x/ansi"
)

// renderMarkdown renders like the TUI does: dark style, wrapped at 60.
func renderMarkdown(t *testing.T, md string) string {
	t.Helper()
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(60))
	if err != nil {
		t.Fatalf("glamour renderer: %v", err)
	}
	out, err := r.Render(md)
	if err != nil {
		t.Fatalf("glamour render: %v", err)
	}
	return out
}

// safeRender is the full pipeline the TUI must use for descriptions.
func safeRender(t *testing.T, md string) string {
	t.Helper()
	return RenderedANSI(renderMarkdown(t, MarkdownSource(md)))
}

// adversarialCorpus holds untrusted Markdown and the visible words that must
// survive sanitising.
var adversarialCorpus = []struct {
	name    string
	md      string
	visible []string
	// rawBroken: glamour alone passes or creates a control for this input
	// (a non-SGR escape, or an attacker-made SGR that eats the visible text).
	// Asserted so that the corpus keeps exercising real threats.
	rawBroken bool
}{
	{"OSC 52 clipboard write", "Approve \x1b]52;c;aGk=\x07deploy", []string{"Approve", "deploy"}, true},
	{"OSC 0 title change", "\x1b]0;you have been pwned\x07Title", []string{"Title"}, true},
	{"clear screen", "before\x1b[2Jafter", []string{"before", "after"}, true},
	{"cursor home", "\x1b[Hhome", []string{"home"}, true},
	{"C1 CSI rune", "x\u009b2Jy", []string{"x", "2Jy"}, true},
	{"8-bit CSI bytes (invalid UTF-8)", "x\x9b2J\x9b31my", []string{"x", "2J", "31my"}, true},
	{"BEL", "ding\x07dong", []string{"ding", "dong"}, true},
	{"bidi override in a name", "Open evil\u202Egnp.exe now", []string{"Open", "evilgnp.exe", "now"}, true},
	{"zero width joiner", "ad\u200Dmin account", []string{"admin", "account"}, true},
	{"DCS", "a\x1bP1$qm\x1b\\b", []string{"a", "b"}, true},
	{"OSC 8 link", "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 here", []string{"click", "here"}, true},
	{"markdown autolink (glamour's own OSC 8)", "see <https://example.com/runs>", []string{"see", "https://example.com/runs"}, true},
	{"decimal character reference", "&#27;[31mFAKE", []string{"&#27;[31mFAKE"}, true},
	{"hex character references OSC 52", "&#x1b;]52;c;aGk=&#7;copied", []string{"&#x1b;]52;c;aGk=&#7;copied"}, true},
	{"character reference in code span", "`&#27;[2J` code", []string{"&#27;[2J", "code"}, true},
	{"nested emphasis trick", "~~&**#27;**[31mFAKE~~", []string{"&#27;[31mFAKE"}, true},
	{"reference for BEL and C1", "&#7;&#155;&#x9b;2J", []string{"2J"}, true},
	{"CR overwrite", "Approved\rREJECTED", []string{"ApprovedREJECTED"}, true},
	{"heading, list and code block", "# Title\n\n- one\n- two\n\n```\n\x1b[2Jcode\n```\n", []string{"Title", "one", "two", "code"}, true},
}

func TestAdversarialMarkdownThroughGlamour(t *testing.T) {
	for _, tc := range adversarialCorpus {
		t.Run(tc.name, func(t *testing.T) {
			out := safeRender(t, tc.md)
			if !OnlySGR(out) {
				t.Fatalf("unsafe output survived:\n%q", out)
			}
			if strings.Contains(out, "\x1b]") || strings.Contains(out, "\x07") {
				t.Fatalf("OSC or BEL survived:\n%q", out)
			}
			if plain := ansi.Strip(out); !containsAll(plain, tc.visible) {
				t.Errorf("visible text %q missing from %q", tc.visible, plain)
			}
			if tc.rawBroken {
				raw := renderMarkdown(t, tc.md)
				if OnlySGR(raw) && containsAll(ansi.Strip(raw), tc.visible) {
					t.Errorf("corpus entry no longer dangerous for raw glamour output: %q", raw)
				}
			}
		})
	}
}

// Each layer alone is not enough; this pins down why both exist.
func TestBothLayersNeeded(t *testing.T) {
	const md = "~~&**#27;**[31mFAKE~~ and &#x1b;]52;c;aGk=&#7;"
	// Layer 2 alone: glamour turns the references into ESC; RenderedANSI
	// then keeps the resulting "ESC[31m" because it is a genuine SGR, so the
	// attacker controls colours and the text loses its literal form.
	onlyLayer2 := RenderedANSI(renderMarkdown(t, md))
	if strings.Contains(ansi.Strip(onlyLayer2), "&#27;") {
		t.Fatalf("expected glamour to consume the character reference, got %q", onlyLayer2)
	}
	// Layer 1 alone: the text is escaped but glamour still emits OSC 8.
	onlyLayer1 := renderMarkdown(t, MarkdownSource("<https://example.com>"))
	if OnlySGR(onlyLayer1) {
		t.Fatalf("expected glamour to emit its own OSC 8, got %q", onlyLayer1)
	}
	both := safeRender(t, md)
	if !OnlySGR(both) || !strings.Contains(ansi.Strip(both), "&#27;[31mFAKE") {
		t.Fatalf("pipeline output %q", both)
	}
}

func TestLargeDescriptionIsCappedBeforeRendering(t *testing.T) {
	md := strings.Repeat("word ", 20000) // 100 KB
	out := safeRender(t, md)
	if !strings.Contains(ansi.Strip(out), "description truncated at 64 KiB") {
		t.Fatalf("truncation note missing")
	}
	if !OnlySGR(out) {
		t.Fatal("unsafe output")
	}
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

package markdown

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/termsafe"
)

func TestRenderSanitises(t *testing.T) {
	hostile := "# Approve\n\nSteal \x1b]52;c;aGVsbG8=\x07 clip, \x1b]0;owned\x07 title, \x1b[2J clear, " +
		"entity &#27;[31mRED, &#x1b;]52;c;Zm9v&#7; and C1 \u009b31m and bidi \u202eevil\u202c.\n\n" +
		"`&#27;[2J` and ~~&**#27;**[31mFAKE~~ and [link](https://example.com)"
	for _, style := range []string{"dark", "light"} {
		out, err := Render(hostile, 60, style)
		if err != nil {
			t.Fatal(err)
		}
		if !termsafe.OnlySGR(out) {
			t.Fatalf("%s: non-SGR escapes survived: %q", style, out)
		}
		plain := ansi.Strip(out)
		if !strings.Contains(plain, "Approve") || !strings.Contains(plain, "https://example.com") {
			t.Errorf("%s: content lost: %q", style, plain)
		}
		for _, l := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(l); w > 62 {
				t.Errorf("line wider than the wrap width: %d %q", w, l)
			}
		}
	}
}

func TestCache(t *testing.T) {
	c := NewCache(2)
	k := func(w int) Key { return Key{RunID: "r", Hash: Hash("x"), Width: w, Style: "dark"} }
	c.Put(k(1), "a")
	c.Put(k(2), "b")
	c.Put(k(3), "c")
	if _, ok := c.Get(k(1)); ok {
		t.Fatal("oldest not evicted")
	}
	if v, ok := c.Get(k(3)); !ok || v != "c" {
		t.Fatal("newest missing")
	}
	if Hash("a") == Hash("b") {
		t.Fatal("hash collision on trivial input")
	}
}

func TestRenderCmd(t *testing.T) {
	k := Key{RunID: "r", Hash: Hash("**hi**"), Width: 40, Style: "dark"}
	msg := RenderCmd(k, "**hi**")().(RenderedMsg)
	if msg.Err != nil || msg.Key != k || !strings.Contains(ansi.Strip(msg.Out), "hi") {
		t.Fatalf("%+v", msg)
	}
}

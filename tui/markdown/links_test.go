package markdown

import (
	"strings"
	"testing"
)

func TestLinks(t *testing.T) {
	src := "Is it a pig or a dog?\n\n![the photo](https://img.example/pig-17.png)\n\n" +
		"See [the model card](https://models.example/card?id=3&v=2) or <https://docs.example/labels>.\n\n" +
		"[bad](javascript:alert(1)) [file](file:///etc/passwd) [rel](/runs/1) [creds](https://u:p@x.example/)\n\n" +
		"[again](https://img.example/pig-17.png) [esc](https://e.example/\x1b[31m) www.linkify.example\n"
	got := Links(src)
	want := []Link{
		{Text: "the photo", URL: "https://img.example/pig-17.png", Image: true},
		{Text: "the model card", URL: "https://models.example/card?id=3&v=2"},
		{URL: "https://docs.example/labels"},
	}
	if len(got) < len(want) {
		t.Fatalf("Links = %+v", got)
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("link %d = %+v, want %+v", i, got[i], w)
		}
	}
	for _, l := range got {
		if !strings.HasPrefix(l.URL, "http://") && !strings.HasPrefix(l.URL, "https://") {
			t.Errorf("unsafe link kept: %+v", l)
		}
		if strings.Contains(l.URL, "u:p@") || strings.ContainsAny(l.URL, "\x1b ") {
			t.Errorf("unsafe link kept: %+v", l)
		}
	}
}

func TestSafeURL(t *testing.T) {
	cases := map[string]bool{
		"https://a.example/x":                  true,
		"http://a.example:8080/x?y=1#z":        true,
		"https://a.example/é":                  true, // re-encoded
		"javascript:alert(1)":                  false,
		"data:text/html,x":                     false,
		"https://a.example/\x07":               false,
		"https://a.example/\u009b31m":          false,
		"//a.example/x":                        false,
		"https://user:pw@a.example/":           false,
		"ftp://a.example/":                     false,
		"https://" + strings.Repeat("a", 3000): false,
	}
	for in, ok := range cases {
		got, gotOK := SafeURL(in)
		if gotOK != ok {
			t.Errorf("SafeURL(%q) = %q, %v; want ok=%v", in, got, gotOK, ok)
		}
		for i := 0; gotOK && i < len(got); i++ {
			if got[i] <= 0x20 || got[i] >= 0x7f {
				t.Errorf("SafeURL(%q) = %q holds byte %#x", in, got, got[i])
			}
		}
	}
}

func FuzzSafeURL(f *testing.F) {
	for _, s := range []string{"https://a.example/x", "javascript:x", "https://a/\x1b]8;;x\a", "http://[::1]:80/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		u, ok := SafeURL(in)
		if !ok {
			return
		}
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			t.Fatalf("SafeURL(%q) = %q: not http(s)", in, u)
		}
		for i := 0; i < len(u); i++ {
			if u[i] <= 0x20 || u[i] >= 0x7f {
				t.Fatalf("SafeURL(%q) = %q holds byte %#x", in, u, u[i])
			}
		}
	})
}

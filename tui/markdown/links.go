package markdown

import (
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/unpause-dev/unpause/termsafe"
)

// Link is a link or image of a run's description, safe to show and to hand
// to a browser: only http and https, printable ASCII, no user info. The
// description is untrusted: glamour's own hyperlinks are stripped with every
// other escape (termsafe), and only links that pass SafeURL come back as
// hyperlinks unpause writes itself.
type Link struct {
	Text  string // the link text or image alt text, sanitised (may be "")
	URL   string
	Image bool
}

// maxLinks bounds what one description can list.
const maxLinks = 20

// maxURL bounds a link's length (browsers accept more; a terminal line less).
const maxURL = 2048

// Links returns the description's links and images, in order, each URL once.
// Nothing is fetched.
func Links(source string) []Link {
	src := []byte(source)
	md := goldmark.New(goldmark.WithExtensions(extension.Linkify))
	doc := md.Parser().Parse(text.NewReader(src))
	var out []Link
	seen := map[string]bool{}
	add := func(raw, label string, image bool) {
		u, ok := SafeURL(raw)
		if !ok || seen[u] || len(out) >= maxLinks {
			return
		}
		seen[u] = true
		out = append(out, Link{Text: termsafe.Line(label), URL: u, Image: image})
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			add(string(n.Destination), nodeText(n, src), false)
		case *ast.Image:
			add(string(n.Destination), nodeText(n, src), true)
		case *ast.AutoLink:
			add(string(n.URL(src)), "", false)
		}
		return ast.WalkContinue, nil
	})
	return out
}

// nodeText is the plain text of a link's children.
func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(src))
		} else {
			b.WriteString(nodeText(c, src))
		}
	}
	return b.String()
}

// SafeURL returns raw as a URL unpause may show as a hyperlink and open: an
// absolute http or https URL with a host, no user info, re-encoded so that
// every byte is printable ASCII. ok is false for anything else (javascript:,
// file:, data:, relative links, control characters).
func SafeURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxURL {
		return "", false
	}
	for _, r := range raw {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return "", false
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	s := u.String()
	for i := 0; i < len(s); i++ {
		if s[i] <= 0x20 || s[i] >= 0x7f {
			return "", false
		}
	}
	return s, len(s) <= maxURL
}

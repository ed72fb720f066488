// Package markdown renders run descriptions with glamour, safely and off the
// UI goroutine: untrusted Markdown is sanitised before rendering
// (termsafe.MarkdownSource) and the result after it (termsafe.RenderedANSI).
// Rendering happens in a tea.Cmd; results are cached by run, description
// hash, width and style, so View never renders.
package markdown

import (
	"fmt"
	"hash/fnv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"

	"github.com/unpause-dev/unpause/termsafe"
)

// Key identifies one rendering.
type Key struct {
	RunID string
	Hash  uint64 // of the raw description
	Width int
	Style string // "dark" or "light"
}

// Hash is the description hash used in Key.
func Hash(src string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(src))
	return h.Sum64()
}

// RenderedMsg carries a finished rendering back to Update.
type RenderedMsg struct {
	Key Key
	Out string
	Err error
}

// Render sanitises src, renders it with glamour at width in style and
// sanitises the output. Pure apart from CPU; safe to call concurrently
// (each call builds its own renderer: glamour's is not goroutine-safe).
func Render(src string, width int, style string) (string, error) {
	if width < 20 {
		width = 20
	}
	if style != "light" {
		style = "dark"
	}
	r, err := glamour.NewTermRenderer(
		glamour.WithStandardStyle(style),
		glamour.WithWordWrap(width),
	)
	if err != nil {
		return "", fmt.Errorf("markdown renderer: %w", err)
	}
	out, err := r.Render(termsafe.MarkdownSource(src))
	if err != nil {
		return "", fmt.Errorf("render description: %w", err)
	}
	out = termsafe.RenderedANSI(out)
	return strings.Trim(out, "\n"), nil
}

// RenderCmd renders in the background and reports a RenderedMsg.
func RenderCmd(k Key, src string) tea.Cmd {
	return func() tea.Msg {
		out, err := Render(src, k.Width, k.Style)
		return RenderedMsg{Key: k, Out: out, Err: err}
	}
}

// Cache keeps recent renderings. It is used from Update only (no locking).
type Cache struct {
	max     int
	entries map[Key]string
	order   []Key
}

// NewCache returns a cache of at most max renderings.
func NewCache(max int) *Cache {
	if max <= 0 {
		max = 64
	}
	return &Cache{max: max, entries: map[Key]string{}}
}

// Get returns a cached rendering.
func (c *Cache) Get(k Key) (string, bool) {
	s, ok := c.entries[k]
	return s, ok
}

// Put stores a rendering, evicting the oldest when full.
func (c *Cache) Put(k Key, s string) {
	if _, ok := c.entries[k]; ok {
		c.entries[k] = s
		return
	}
	if len(c.order) >= c.max {
		old := c.order[0]
		c.order = c.order[1:]
		delete(c.entries, old)
	}
	c.entries[k] = s
	c.order = append(c.order, k)
}

// Len is the number of cached renderings.
func (c *Cache) Len() int { return len(c.entries) }

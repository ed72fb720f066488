package tui

import (
	"os/exec"
	"runtime"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/markdown"
)

// o in the run view opens one of the description's links in the browser
// (markdown.Links: http and https only, checked), when unpause runs on the
// operator's own machine; over SSH a browser would open on the server, so it
// says where the link is instead. Nothing is fetched by unpause itself.

type linkOpenedMsg struct {
	url string
	err error
}

// keyLinks handles o, and the digit that picks a link after it. ok is false
// when the key is not about links.
func (m *Model) keyLinks(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	links := m.runview.Links()
	if m.pickLink {
		m.pickLink = false
		n, err := strconv.Atoi(msg.String())
		if err != nil || n < 1 || n > len(links) {
			m.setStatus("No link opened.", false)
			return nil, true
		}
		return m.openLink(links[n-1]), true
	}
	if !key.Matches(msg, m.c.Keys.OpenLink) {
		return nil, false
	}
	switch len(links) {
	case 0:
		m.setStatus("The run's description has no links to open.", false)
		return nil, true
	case 1:
		return m.openLink(links[0]), true
	}
	m.pickLink = true
	m.setStatus("Open which link? 1–"+strconv.Itoa(min(len(links), 9))+" (any other key: none)", false)
	return nil, true
}

func (m *Model) openLink(l markdown.Link) tea.Cmd {
	if m.opts.Remote {
		m.setStatus("No browser over SSH: the link is listed in the run view.", false)
		return nil
	}
	opener := m.opts.OpenURL
	if opener == nil {
		opener = openInBrowser
	}
	m.setStatus("Opening "+termsafe.Line(l.URL)+"…", false)
	url := l.URL
	return func() tea.Msg { return linkOpenedMsg{url: url, err: opener(url)} }
}

func (m *Model) onLinkOpened(msg linkOpenedMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus("Could not open the browser ("+termsafe.Line(msg.err.Error())+"); the link is listed in the run view.", true)
	} else {
		m.setStatus("Opened "+termsafe.Line(msg.url)+" in the browser.", false)
	}
	return nil
}

// openInBrowser hands url (already checked by markdown.SafeURL) to the
// desktop's opener as one argument, without a shell.
func openInBrowser(url string) error {
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	cmd := exec.Command(name, url) //nolint:gosec // a checked http(s) URL as one argv element
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

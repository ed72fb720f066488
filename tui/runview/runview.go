// Package runview shows one paused run: its facts, the rendered
// description, parameters, answers it already received and its latest log
// lines. Data arrives through setters (the root model loads it in
// tea.Cmds); the scrollable part is a bubbles viewport.
package runview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/common"
	"github.com/unpause-dev/unpause/tui/markdown"
)

// BannerKind colours the banner line.
type BannerKind int

// Banner kinds.
const (
	BannerNone BannerKind = iota
	BannerSuccess
	BannerInfo
	BannerWarning
	BannerError
)

// Section load states.
type loadState int

const (
	loading loadState = iota
	loaded
	failed
)

// Model is the run view component.
type Model struct {
	c *common.Common

	run *apiclient.Run
	url string

	desc      string // rendered (sanitised) description
	links     []markdown.Link
	descState loadState
	descErr   string
	noDesc    bool

	responses  []apiclient.Response
	respState  loadState
	respErr    string
	logs       []apiclient.LogLine
	logState   loadState
	logErr     string
	inputState loadState
	inputErr   string
	bannerKind BannerKind
	banner     string
	notice     string
	width      int
	height     int
	vp         viewport.Model
}

// New returns an empty run view.
func New(c *common.Common) *Model {
	vp := viewport.New()
	vp.SoftWrap = true
	return &Model{c: c, vp: vp}
}

// SetRun shows a run (resetting everything loaded for a previous one).
func (m *Model) SetRun(r *apiclient.Run, url string) {
	same := m.run != nil && r != nil && m.run.ID == r.ID
	m.run = r
	m.url = url
	if !same {
		m.desc, m.descState, m.descErr, m.noDesc, m.links = "", loading, "", false, nil
		m.responses, m.respState, m.respErr = nil, loading, ""
		m.logs, m.logState, m.logErr = nil, loading, ""
		m.inputState, m.inputErr = loading, ""
		m.bannerKind, m.banner, m.notice = BannerNone, "", ""
		m.vp.GotoTop()
	}
	m.rebuild()
}

// ResetInput forgets the loaded description and form state (the run paused
// again with a new input request).
func (m *Model) ResetInput() {
	m.desc, m.descState, m.descErr, m.noDesc, m.links = "", loading, "", false, nil
	m.inputState, m.inputErr = loading, ""
	m.notice = ""
	m.rebuild()
}

// UpdateRun refreshes the run's facts (state, deadline) without resetting
// what was loaded.
func (m *Model) UpdateRun(r *apiclient.Run) {
	if m.run == nil || r == nil || m.run.ID != r.ID {
		return
	}
	m.run = r
	m.rebuild()
}

// Run is the run shown (nil when none).
func (m *Model) Run() *apiclient.Run { return m.run }

// RunID is the id of the run shown ("" when none).
func (m *Model) RunID() string {
	if m.run == nil {
		return ""
	}
	return m.run.ID
}

// SetDescription shows the rendered description ("" with none=true when the
// run has none).
func (m *Model) SetDescription(rendered string, none bool) {
	m.desc, m.noDesc, m.descState, m.descErr = rendered, none, loaded, ""
	m.rebuild()
}

// DescriptionLoading marks the description as being fetched or rendered.
func (m *Model) DescriptionLoading() {
	if m.descState != loaded {
		m.descState = loading
		m.rebuild()
	}
}

// SetDescriptionError reports why the description could not be shown.
func (m *Model) SetDescriptionError(err error) {
	m.descState, m.descErr = failed, termsafe.Line(err.Error())
	m.rebuild()
}

// SetInputError reports why the input request (schema) could not be loaded.
func (m *Model) SetInputError(err error) {
	if err == nil {
		m.inputState, m.inputErr = loaded, ""
	} else {
		m.inputState, m.inputErr = failed, termsafe.Line(err.Error())
	}
	m.rebuild()
}

// SetResponses shows the answers the run already received.
func (m *Model) SetResponses(rs []apiclient.Response, err error) {
	if err != nil {
		m.respState, m.respErr = failed, termsafe.Line(err.Error())
	} else {
		m.responses, m.respState = rs, loaded
	}
	m.rebuild()
}

// SetLogs shows the run's latest log lines.
func (m *Model) SetLogs(ls []apiclient.LogLine, err error) {
	if err != nil {
		m.logState, m.logErr = failed, termsafe.Line(err.Error())
	} else {
		m.logs, m.logState = ls, loaded
	}
	m.rebuild()
}

// SetBanner shows an outcome line above the facts (text must be safe:
// callers sanitise server text with termsafe).
func (m *Model) SetBanner(kind BannerKind, text string) {
	m.bannerKind, m.banner = kind, text
	m.layout()
}

// Banner returns the banner text.
func (m *Model) Banner() (BannerKind, string) { return m.bannerKind, m.banner }

// SetNotice shows an informational line (e.g. "restored draft from ...").
func (m *Model) SetNotice(text string) {
	m.notice = text
	m.layout()
}

// Notice returns the notice text.
func (m *Model) Notice() string { return m.notice }

// SetSize sets the area of the run view.
func (m *Model) SetSize(w, h int) {
	if w == m.width && h == m.height {
		return
	}
	m.width, m.height = w, h
	m.rebuild()
}

// DescriptionWidth is the width the description should be rendered at.
func (m *Model) DescriptionWidth() int { return max(20, min(m.width-2, 120)) }

// Update scrolls the viewport; it reports whether it used the key.
func (m *Model) Update(msg tea.Msg) bool {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return false
	}
	return m.c.Keys.Scroll(&m.vp, kp)
}

// AtTop reports whether the scrollable part shows its first line.
func (m *Model) AtTop() bool { return m.vp.AtTop() }

// AtBottom reports whether the scrollable part shows its last line.
func (m *Model) AtBottom() bool { return m.vp.AtBottom() }

// ScrollPercent is how far the viewport is scrolled (0..1).
func (m *Model) ScrollPercent() float64 { return m.vp.ScrollPercent() }

// View renders the run view at its size.
func (m *Model) View() string {
	if m.run == nil || m.width <= 0 || m.height <= 0 {
		return ""
	}
	top := m.topLines()
	parts := append(top, m.vp.View())
	return common.Fit(strings.Join(parts, "\n"), m.width, m.height)
}

func (m *Model) topLines() []string {
	s := m.c.Styles
	r := m.run
	lines := m.headLines()
	lines = append(lines, m.label("State")+m.stateText())
	if r.Paused() {
		lines = append(lines, m.label("Expires")+m.expiryText(), m.label("Input")+m.inputText())
	}
	lines = append(lines, m.tagLines()...)
	for i, l := range lines {
		lines[i] = common.Truncate(l, m.width)
	}
	lines = append(lines, m.linkLines()...)
	return append(lines, s.Dim.Render(strings.Repeat("─", max(0, m.width))))
}

// linkLines show the run's URL in full, wrapped under its label, so that
// it can be copied at any width. It is not an OSC 8 hyperlink: the app's
// output carries SGR sequences only (termsafe.OnlySGR, checked by
// TestHostileStringsNeverReachTheTerminal).
func (m *Model) linkLines() []string {
	url := termsafe.Line(m.url)
	if url == "" {
		return nil
	}
	indent := strings.Repeat(" ", labelWidth)
	pieces := strings.Split(ansi.Hardwrap(url, max(1, m.width-labelWidth), true), "\n")
	lines := make([]string, len(pieces))
	for i, p := range pieces {
		head := indent
		if i == 0 {
			head = m.label("Link")
		}
		lines[i] = common.Truncate(head+m.c.Styles.Link.Render(p), m.width)
	}
	return lines
}

// labelWidth is the width of a fact's name, before its value.
const labelWidth = 10

// label is a fact's name, padded to line up the values.
func (m *Model) label(l string) string {
	return m.c.Styles.Label.Render(common.PadRight(l, labelWidth))
}

// headLines are the run's name and flow, the banner and the notice.
func (m *Model) headLines() []string {
	s := m.c.Styles
	r := m.run
	name := termsafe.Line(r.Name)
	flow := termsafe.Line(r.FlowName)
	if d := termsafe.Line(r.DeploymentName); d != "" {
		flow += "/" + d
	}
	lines := []string{s.Title.Render(common.Truncate(name, m.width)) + "  " + s.Dim.Render(flow)}
	if m.banner != "" {
		st := s.Info
		switch m.bannerKind {
		case BannerSuccess:
			st = s.Success
		case BannerWarning:
			st = s.Warning
		case BannerError:
			st = s.Error
		}
		for _, l := range strings.Split(common.Wrap(m.banner, m.width), "\n") {
			lines = append(lines, st.Render(l))
		}
	}
	if m.notice != "" {
		lines = append(lines, s.Info.Render(common.Truncate(m.notice, m.width)))
	}
	return lines
}

// stateText is the pause (or the state it left it for) and since when.
func (m *Model) stateText() string {
	r := m.run
	now := m.c.Now
	state := domain.RunState(r)
	if !r.Paused() {
		state = "no longer paused: " + state
	}
	if since := r.PausedSince(); !since.IsZero() {
		state += " since " + since.In(now.Location()).Format("2006-01-02 15:04") + " (" + domain.Age(since, now) + " ago)"
	}
	return state
}

// expiryText is when the pause times out.
func (m *Model) expiryText() string {
	s := m.c.Styles
	now := m.c.Now
	exp := m.run.ExpiresAt()
	expText := domain.Countdown(exp, now)
	switch domain.Urgency(exp, now) {
	case domain.ExpiryExpired:
		expText = s.Expired.Render("expired at " + exp.In(now.Location()).Format("15:04"))
	case domain.ExpirySoon:
		expText = s.Soon.Render("! in " + expText + " (at " + exp.In(now.Location()).Format("15:04") + ")")
	case domain.ExpiryLater:
		expText = "in " + expText + " (at " + exp.In(now.Location()).Format("2006-01-02 15:04") + ")"
	case domain.ExpiryNone:
		expText = "never (no timeout)"
	}
	return expText
}

// inputText says whether the run asks for input and whether its form loaded.
func (m *Model) inputText() string {
	if !m.run.NeedsInput() {
		return "no input asked: resuming only continues the run"
	}
	input := "asks for input"
	switch m.inputState {
	case loading:
		input += " (loading form…)"
	case failed:
		input += " " + m.c.Styles.Error.Render("(form unavailable: "+m.inputErr+")")
	}
	return input
}

// tagLines are the run's tags and work pool, when it has any.
func (m *Model) tagLines() []string {
	s := m.c.Styles
	var tags []string
	for _, t := range m.run.Tags {
		if t = termsafe.Line(t); t != "" {
			tags = append(tags, t)
		}
	}
	pool := termsafe.Line(m.run.WorkPoolName)
	switch {
	case len(tags) > 0 && pool != "":
		return []string{m.label("Tags") + s.Tag.Render(strings.Join(tags, ", ")) + s.Dim.Render(" · work pool ") + pool}
	case len(tags) > 0:
		return []string{m.label("Tags") + s.Tag.Render(strings.Join(tags, ", "))}
	case pool != "":
		return []string{m.label("Work pool") + pool}
	}
	return nil
}

// layout sizes the viewport below the fixed lines.
func (m *Model) layout() {
	if m.run == nil {
		return
	}
	top := len(m.topLines())
	m.vp.SetWidth(max(1, m.width))
	m.vp.SetHeight(max(1, m.height-top))
}

// rebuild lays out the scrollable content. Called when data or size change,
// never from View.
func (m *Model) rebuild() {
	if m.run == nil || m.width <= 0 {
		return
	}
	m.layout()
	s := m.c.Styles
	var b strings.Builder
	m.section(&b, "Description")
	m.writeDescription(&b)
	if len(m.links) > 0 {
		m.section(&b, "Links (o opens one)")
		m.writeLinks(&b)
	}
	m.section(&b, "Parameters")
	b.WriteString(formatJSON(m.run.Parameters, m.width, s.Dim.Render("(none)")))
	m.section(&b, "Answers already received")
	if !m.writeUnloaded(&b, m.respState, m.respErr) {
		m.writeResponses(&b)
	}
	m.section(&b, "Latest log lines")
	if !m.writeUnloaded(&b, m.logState, m.logErr) {
		m.writeLogs(&b)
	}
	m.vp.SetContent(b.String())
}

// section starts a titled section, a blank line below the previous one.
func (m *Model) section(b *strings.Builder, title string) {
	if b.Len() > 0 {
		b.WriteString("\n\n")
	}
	b.WriteString(m.c.Styles.Section.Render(title))
	b.WriteByte('\n')
}

func (m *Model) writeDescription(b *strings.Builder) {
	s := m.c.Styles
	switch {
	case !m.run.NeedsInput() && m.descState == loading:
		b.WriteString(s.Dim.Render("(no description: the run asks for no input)"))
	case m.descState == loading:
		b.WriteString(s.Dim.Render("loading…"))
	case m.descState == failed:
		b.WriteString(s.Error.Render("could not load the description: " + m.descErr))
	case m.noDesc:
		b.WriteString(s.Dim.Render("(the flow gave no description)"))
	default:
		b.WriteString(m.desc)
	}
}

// SetLinks lists the description's links (markdown.Links: already safe).
func (m *Model) SetLinks(ls []markdown.Link) {
	m.links = ls
	m.rebuild()
}

// Links are the links listed, in the order o numbers them.
func (m *Model) Links() []markdown.Link { return m.links }

// writeLinks lists the links, numbered, each URL a hyperlink (OSC 8, written
// by lipgloss for a URL markdown.SafeURL accepted) and in plain sight, so it
// can be copied where the terminal has no hyperlinks.
func (m *Model) writeLinks(b *strings.Builder) {
	s := m.c.Styles
	for i, l := range m.links {
		label := l.Text
		if l.Image {
			label = strings.TrimSpace("image " + label)
		}
		if label != "" {
			label = common.Truncate(label, max(10, m.width/3)) + "  "
		}
		line := fmt.Sprintf("%2d  %s", i+1, label)
		room := max(10, m.width-ansi.StringWidth(line))
		b.WriteString(line + s.Link.Hyperlink(l.URL).Render(common.Truncate(l.URL, room)))
		if i < len(m.links)-1 {
			b.WriteByte('\n')
		}
	}
}

// writeUnloaded writes "loading…" or why a section could not be loaded; it
// reports whether it wrote anything (false once the section is loaded).
func (m *Model) writeUnloaded(b *strings.Builder, st loadState, errText string) bool {
	s := m.c.Styles
	switch st {
	case loading:
		b.WriteString(s.Dim.Render("loading…"))
	case failed:
		b.WriteString(s.Error.Render("could not load: " + errText))
	default:
		return false
	}
	return true
}

func (m *Model) writeResponses(b *strings.Builder) {
	s := m.c.Styles
	w := m.width
	if len(m.responses) == 0 {
		b.WriteString(s.Dim.Render("(none)"))
	}
	for i, r := range m.responses {
		if i > 0 {
			b.WriteByte('\n')
		}
		head := r.Created.In(m.c.Now.Location()).Format("2006-01-02 15:04:05") + "  " + termsafe.Line(r.Key)
		if r.Sender != "" {
			head += "  from " + termsafe.Line(r.Sender)
		}
		b.WriteString(s.Label.Render(common.Truncate(head, w)))
		b.WriteByte('\n')
		if by := domain.AnsweredBy(r.AnsweredBy, m.c.Now.Location()); by != "" {
			b.WriteString(s.Dim.Render(common.Truncate(by, w)))
			b.WriteByte('\n')
		}
		b.WriteString(formatJSON(r.Value, w, s.Dim.Render("(empty)")))
	}
}

func (m *Model) writeLogs(b *strings.Builder) {
	s := m.c.Styles
	w := m.width
	if len(m.logs) == 0 {
		b.WriteString(s.Dim.Render("(none)"))
	}
	for i, l := range m.logs {
		if i > 0 {
			b.WriteByte('\n')
		}
		prefix := l.Timestamp.In(m.c.Now.Location()).Format("15:04:05") + " " + common.PadRight(levelName(l.Level), 8) + " "
		msg := termsafe.Text(l.Message)
		msg = strings.ReplaceAll(msg, "\t", "    ")
		body := common.Wrap(msg, max(10, w-len(prefix)))
		indent := strings.Repeat(" ", len(prefix))
		for j, line := range strings.Split(body, "\n") {
			if j == 0 {
				b.WriteString(levelStyle(s, l.Level).Render(prefix) + line)
			} else {
				b.WriteString("\n" + indent + line)
			}
		}
	}
}

// formatJSON indents raw JSON and sanitises it for display.
func formatJSON(raw json.RawMessage, width int, empty string) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "{}" {
		return empty
	}
	var buf bytes.Buffer
	text := string(raw)
	if err := json.Indent(&buf, raw, "", "  "); err == nil {
		text = buf.String()
	}
	text = strings.ReplaceAll(termsafe.Text(text), "\t", "  ")
	var out []string
	for _, l := range strings.Split(text, "\n") {
		out = append(out, common.Wrap(l, max(10, width)))
	}
	return strings.Join(out, "\n")
}

func levelName(l int) string {
	switch {
	case l >= 50:
		return "CRITICAL"
	case l >= 40:
		return "ERROR"
	case l >= 30:
		return "WARNING"
	case l >= 20:
		return "INFO"
	case l > 0:
		return "DEBUG"
	}
	return fmt.Sprint(l)
}

type styler interface{ Render(...string) string }

func levelStyle(s *common.Styles, l int) styler {
	switch {
	case l >= 40:
		return s.Error
	case l >= 30:
		return s.Warning
	default:
		return s.Dim
	}
}

// ScrollTop scrolls back to the top.
func (m *Model) ScrollTop() { m.vp.GotoTop() }

// Restyle rebuilds the content after a theme change or a clock tick.
func (m *Model) Restyle() { m.rebuild() }

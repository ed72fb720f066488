package tui

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/feed"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/answer"
	"github.com/unpause-dev/unpause/tui/common"
)

// View renders the whole screen: header, body, footer. It is a pure
// function of the model and the terminal size.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	if m.opts.MouseEnabled {
		v.MouseMode = tea.MouseModeCellMotion
	}
	return v
}

// Render is the screen content as a string (View wraps it; tests read it).
func (m *Model) Render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.quitting {
		return ""
	}
	body := m.body()
	switch m.overlay {
	case ovHelp:
		body = m.place(m.helpView())
	case ovProfiles:
		body = m.place(m.profilesView())
	}
	out := m.header() + "\n" + common.Fit(body, m.width, m.bodyHeight()) + "\n" + m.footer()
	if m.height < 3 {
		return common.Fit(out, m.width, m.height)
	}
	return out
}

func (m *Model) place(box string) string {
	return lipgloss.Place(m.width, m.bodyHeight(), lipgloss.Center, lipgloss.Center, box)
}

func (m *Model) header() string {
	s := m.c.Styles
	left := s.HeaderTitle.Render(" unpause ")
	count := m.inbox.Len()
	n := "loading"
	if !m.inbox.Loaded() && m.listErr != nil {
		n = "not loaded"
	}
	if m.inbox.Loaded() {
		n = common.Plural(count, "run", "runs") + " waiting"
		if m.inbox.Filter() != "" {
			n += " (" + strconv.Itoa(m.inbox.Shown()) + " shown)"
		}
	}
	left += s.Header.Render(" " + n + " ")

	right := m.liveBadge()
	if m.c.ReadOnly {
		right += s.ReadOnly.Render(" READ-ONLY ")
	}
	prof := termsafe.Line(m.profile)
	if prof == "" {
		prof = "(no profile)"
	}
	right += s.HeaderDim.Render(" profile ") + s.Header.Render(prof) + s.HeaderDim.Render(" · ")
	server := termsafe.Line(m.server)
	room := m.width - ansi.StringWidth(left) - ansi.StringWidth(right) - 2
	if room < 12 {
		// Narrow: drop the server before anything else.
		right = strings.TrimSuffix(right, s.HeaderDim.Render(" · "))
	} else {
		right += s.Header.Render(common.Truncate(server, room) + " ")
	}
	gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 0 {
		return common.Truncate(left+right, m.width)
	}
	return left + s.Header.Render(strings.Repeat(" ", gap)) + right
}

// liveBadge says how the inbox learns of changes: live (the event stream),
// polling, offline. Nothing when the API has no feed.
func (m *Model) liveBadge() string {
	if !m.live.on {
		return ""
	}
	s := m.c.Styles
	switch m.live.mode {
	case feed.Live:
		return s.Header.Render(" ● live ")
	case feed.Offline:
		return s.ReadOnly.Render(" offline ")
	default:
		return s.HeaderDim.Render(" " + m.live.mode.String() + " ")
	}
}

func (m *Model) body() string {
	switch m.screen {
	case scrRun:
		return m.runview.View()
	case scrAnswer:
		if a := m.currentAnswer(); a != nil {
			return a.View()
		}
		return m.runview.View()
	case scrConfirmResume:
		return m.resumeQ.View()
	case scrCancel:
		return m.cancel.View()
	case scrBulk:
		return m.bulkView()
	}
	return m.inboxBody()
}

func (m *Model) runTitle() string {
	if m.cur == nil {
		return ""
	}
	r := m.cur.run
	return termsafe.Line(r.Name) + "  (" + domain.FlowLabel(r, "") + ")"
}

func (m *Model) inboxBody() string {
	s := m.c.Styles
	if !m.inbox.Loaded() {
		if m.listErr != nil {
			return strings.Join(m.errorLines(m.listErr), "\n")
		}
		return s.Dim.Render("Loading paused runs from " + termsafe.Line(m.server) + "…")
	}
	// A failed refresh with runs already shown is reported in the status
	// line; the (stale) table stays.
	if m.inbox.Len() == 0 {
		if m.listErr != nil {
			return strings.Join(m.errorLines(m.listErr), "\n")
		}
		return strings.Join(m.emptyLines(), "\n")
	}
	if m.inbox.Shown() == 0 {
		return strings.Join([]string{
			s.Dim.Render("No runs match the filter \"" + m.inbox.Filter() + "\"."),
			s.Dim.Render("Esc clears it; / edits it."),
		}, "\n")
	}
	return m.inbox.View()
}

func (m *Model) emptyLines() []string {
	s := m.c.Styles
	server := termsafe.Line(m.server)
	lines := []string{
		s.Success.Render("Nothing is waiting: no paused or suspended flow runs."),
		"",
		"If you expected a run here, check:",
		"  • the server: " + server + " (PREFECT_API_URL)",
		"  • the profile: " + termsafe.Line(m.profile) + " (P switches profile; for Cloud, the workspace)",
		"  • that the flow called pause_flow_run / suspend_flow_run and has reached it (its logs)",
		"",
		s.Dim.Render("The inbox refreshes every " + m.opts.RefreshInterval.String() + "; r refreshes now."),
	}
	return wrapLines(lines, m.width)
}

// wrapLines word-wraps lines to width; bullet lines ("  • ") continue under
// their text.
func wrapLines(lines []string, width int) []string {
	var out []string
	for _, l := range lines {
		indent := ""
		if strings.HasPrefix(l, "  • ") {
			indent = "    "
		}
		w := common.Wrap(l, max(10, width-len(indent)))
		for i, part := range strings.Split(w, "\n") {
			if i > 0 {
				part = indent + strings.TrimLeft(part, " ")
			}
			out = append(out, part)
		}
	}
	return out
}

// errorLines explains a failed refresh: what happened and what to check.
func (m *Model) errorLines(err error) []string {
	s := m.c.Styles
	server := termsafe.Line(m.server)
	profile := termsafe.Line(m.profile)
	var what string
	var check []string
	switch apiclient.KindOf(err) {
	case apiclient.ErrAuth:
		what = "The server refused the credentials."
		check = []string{
			"PREFECT_API_KEY (Prefect Cloud) or PREFECT_API_AUTH_STRING (self-hosted)",
			"the key stored in profile " + profile + " (prefect profile inspect " + profile + ")",
			"that the key belongs to this account/workspace and has not expired",
		}
	case apiclient.ErrConnection:
		what = "Cannot reach the Prefect server at " + server + "."
		check = []string{
			"PREFECT_API_URL (it ends in /api; for Cloud: /api/accounts/<id>/workspaces/<id>)",
			"that the server is running and reachable from this machine (VPN, proxy, firewall)",
			"the profile: " + profile + " (P switches profile)",
		}
	case apiclient.ErrServer:
		what = "The Prefect server at " + server + " failed to answer."
		check = []string{"the server's logs and health", "the profile: " + profile}
	case apiclient.ErrNotFound:
		what = "The server at " + server + " has no Prefect API at that path."
		check = []string{"PREFECT_API_URL (it ends in /api; for Cloud it names the account and workspace)", "the profile: " + profile}
	case apiclient.ErrConfig:
		what = "The connection settings are not usable."
		check = []string{"PREFECT_API_URL, the profile " + profile + " and unpause's config file"}
	default:
		what = "Loading the inbox failed."
		check = []string{"PREFECT_API_URL: " + server, "the profile: " + profile}
	}
	lines := []string{s.Error.Render(what), "", s.Label.Render("Error: ") + termsafe.Line(err.Error()), "", "Check:"}
	for _, c := range check {
		lines = append(lines, "  • "+c)
	}
	lines = append(lines, "", s.Dim.Render("Retrying every "+m.opts.RefreshInterval.String()+"; r retries now."))
	return wrapLines(lines, m.width)
}

func errorSummary(err error) string {
	switch apiclient.KindOf(err) {
	case apiclient.ErrAuth:
		return "Authentication failed: check the API key / profile."
	case apiclient.ErrConnection:
		return "Server unreachable: check PREFECT_API_URL."
	case apiclient.ErrServer:
		return "Server error."
	}
	return termsafe.Line(err.Error())
}

func (m *Model) footer() string {
	s := m.c.Styles
	if lines := m.failureLines(); lines != nil {
		for i, l := range lines {
			lines[i] = s.StatusErr.Render(l)
		}
		return strings.Join(lines, "\n") + "\n" + common.Truncate(s.KeyDesc.Render(failureHint), m.width)
	}
	var status string
	switch {
	case m.screen == scrInbox && m.inbox.Filtering():
		status = m.inbox.FilterView(m.width)
	case m.status != "":
		if m.statusErr {
			status = s.StatusErr.Render(m.status)
		} else {
			status = s.Footer.Render(m.status)
		}
	default:
		status = s.Footer.Render(m.defaultStatus())
	}
	return common.Truncate(status, m.width) + "\n" + common.Truncate(m.hints(), m.width)
}

func (m *Model) defaultStatus() string {
	var parts []string
	switch {
	case m.listErr != nil && m.lastRefresh.IsZero():
		parts = append(parts, "not loaded: "+errorSummary(m.listErr))
	case m.listErr != nil:
		parts = append(parts, "refresh failed at "+common.Clock(m.c.Now)+": "+errorSummary(m.listErr))
	case m.refreshing && m.lastRefresh.IsZero():
		parts = append(parts, "loading…")
	case m.live.on && m.live.mode == feed.Live:
		// Nothing to date: the stream keeps the list current.
		parts = append(parts, "in sync, live since "+common.Clock(m.live.since))
	default:
		parts = append(parts, "updated "+common.Clock(m.lastRefresh))
	}
	if m.screen == scrInbox {
		parts = append(parts, "sort: "+m.inbox.Sort().String())
		if f := m.inbox.Filter(); f != "" {
			parts = append(parts, "filter: "+f)
		}
	}
	return strings.Join(parts, " · ")
}

func (m *Model) hints() string {
	k := m.c.Keys
	ro := m.c.ReadOnly
	var bs []key.Binding
	switch {
	case m.overlay == ovHelp && m.helpScrolls():
		bs = append(moves(k, m.helpTop > 0, m.helpTop < clampHelpTop(len(m.helpLines()), len(m.helpLines()), m.helpRoom())), k.Help, k.Back)
	case m.overlay == ovHelp:
		bs = []key.Binding{k.Help, k.Back}
	case m.overlay == ovProfiles:
		bs = append(moves(k, m.pickIndex > 0, m.pickIndex < len(m.opts.Profiles)-1), k.SwitchProfile, k.Back)
	case m.screen == scrInbox && m.inbox.Filtering():
		return m.c.Styles.KeyDesc.Render("type to filter · enter keep · esc clear")
	case m.screen == scrInbox:
		bs = append(moves(k, m.inbox.Cursor() > 0, m.inbox.Cursor() < m.inbox.Shown()-1), k.Open)
		if !ro {
			bs = append(bs, k.Answer, k.Cancel)
		}
		bs = append(bs, k.Filter, k.Sort, k.Refresh, k.Profiles, k.Help, k.Quit)
	case m.screen == scrRun:
		// Only a paused run can be answered or cancelled (pressing a or x
		// on another still says why not).
		if !ro && m.cur != nil && m.cur.run.Paused() {
			bs = append(bs, k.Answer, k.Cancel)
		}
		bs = append(bs, moves(k, !m.runview.AtTop(), !m.runview.AtBottom())...)
		if m.queue != nil {
			bs = append(bs, k.QueueNext, k.QueuePrev)
		}
		bs = append(bs, k.Back, k.Refresh, k.Help, k.Quit)
	case m.screen == scrAnswer:
		bs = m.answerHints()
	default:
		bs = []key.Binding{k.Back, k.ForceQuit}
	}
	prefix := ""
	if ro && (m.screen == scrInbox || m.screen == scrRun) {
		prefix = m.c.Styles.ReadOnly.Render("read-only") + " "
	}
	// Narrow terminals: drop the most obvious hints first; help stays.
	drop := []key.Binding{k.Up, k.Down, k.Profiles, k.Sort, k.Refresh, k.FormPrev, k.FormQueuePrev, k.FieldQueuePrev, k.QueuePrev, k.Filter, k.Cancel}
	for {
		out := prefix + renderHints(m.c.Styles, bs)
		if ansi.StringWidth(out) <= m.width || len(drop) == 0 {
			return out
		}
		d := drop[0]
		drop = drop[1:]
		bs = slices.DeleteFunc(bs, func(b key.Binding) bool { return b.Help() == d.Help() })
	}
}

// answerHints are the keys of the form or review; in a queue, the skips;
// on a numbered choice, the quick-answer keys.
func (m *Model) answerHints() []key.Binding {
	k := m.c.Keys
	a := m.currentAnswer()
	if a != nil && a.Stage() != answer.StageForm {
		return []key.Binding{k.Confirm, k.Deny, k.ForceQuit}
	}
	if a != nil && a.HasChoices() {
		bs := []key.Binding{common.ChoiceHint(len(a.Choices()))}
		if m.queue != nil {
			bs = append(bs, k.QueueNext, k.QueuePrev)
		}
		if !m.c.ReadOnly {
			bs = append(bs, k.QuickToggle)
			if len(m.undo) > 0 {
				bs = append(bs, k.Undo)
			}
		}
		return append(bs, k.Back, k.ForceQuit)
	}
	bs := []key.Binding{k.FormNext, k.FormPrev}
	switch {
	case m.queue != nil && a != nil && a.FieldUsesLineKeys():
		bs = append(bs, k.FieldQueueNext, k.FieldQueuePrev)
	case m.queue != nil:
		bs = append(bs, k.FormQueueNext, k.FormQueuePrev)
	}
	return append(bs, k.Back, k.ForceQuit)
}

// moves are the up and down hints, each only where it can move.
func moves(k *common.KeyMap, up, down bool) []key.Binding {
	var bs []key.Binding
	if up {
		bs = append(bs, k.Up)
	}
	if down {
		bs = append(bs, k.Down)
	}
	return bs
}

func renderHints(s *common.Styles, bs []key.Binding) string {
	parts := make([]string, 0, len(bs))
	for _, b := range bs {
		h := b.Help()
		parts = append(parts, s.KeyHint.Render(h.Key)+" "+s.KeyDesc.Render(h.Desc))
	}
	return strings.Join(parts, s.KeyDesc.Render(" · "))
}

func (m *Model) profilesView() string {
	s := m.c.Styles
	var b strings.Builder
	b.WriteString(s.OverlayTitle.Render("Switch Prefect profile"))
	for i, p := range m.opts.Profiles {
		name := termsafe.Line(p)
		cur := "  "
		if p == m.profile {
			name += " (current)"
		}
		if i == m.pickIndex {
			cur = "▸ "
			b.WriteString("\n" + s.Selected.Render(cur+name))
		} else {
			b.WriteString("\n" + cur + name)
		}
	}
	b.WriteString("\n\n" + s.Dim.Render("enter switch · esc close"))
	return s.Overlay.Render(b.String())
}

package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/feed"
	"github.com/unpause-dev/unpause/tui/inbox"
)

// The live inbox: when the API can read runs by id and subscribe to the
// event stream (a real client can; the tests' fakes may not), a feed keeps
// the inbox current and the refresh timer only moves the clock. Otherwise
// the inbox lists every RefreshInterval, as it always has.

// liveState is the model's side of the feed.
type liveState struct {
	feed     *feed.Feed
	cancel   context.CancelFunc
	mode     feed.Mode
	since    time.Time // when the stream last came up
	on       bool
	notified map[string]bool // runs a notification was sent for: one per run
}

type feedStartedMsg struct {
	gen  int
	feed *feed.Feed
}

type feedMsg struct {
	gen      int
	u        feed.Update
	prepared *inbox.Prepared
}

// startFeed starts a feed for the current API, if it can serve one. The
// goroutine starts in the command, not in Update.
func (m *Model) startFeed() tea.Cmd {
	src, ok := m.api.(feed.Source)
	if !ok {
		return nil
	}
	m.stopFeed()
	ctx, cancel := context.WithCancel(m.ctx)
	m.live.cancel, m.live.on, m.live.mode = cancel, true, feed.Connecting
	if m.live.notified == nil {
		m.live.notified = map[string]bool{}
	}
	gen := m.profileGen
	o := feed.Options{
		PollInterval: m.opts.RefreshInterval, SafetyInterval: m.opts.SafetyInterval,
		NoStream: m.opts.NoLive, Now: m.opts.Now,
	}
	return func() tea.Msg {
		return feedStartedMsg{gen: gen, feed: feed.Start(ctx, src, o)}
	}
}

func (m *Model) stopFeed() {
	if m.live.cancel != nil {
		m.live.cancel()
	}
	m.live.feed, m.live.cancel, m.live.on = nil, nil, false
}

// waitFeed waits for the feed's next update and builds the inbox rows off
// the UI goroutine.
func waitFeed(f *feed.Feed, gen int) tea.Cmd {
	return func() tea.Msg {
		u, ok := <-f.Updates()
		if !ok {
			return nil
		}
		return feedMsg{gen: gen, u: u, prepared: inbox.Prepare(u.Runs)}
	}
}

func (m *Model) onFeedStarted(msg feedStartedMsg) tea.Cmd {
	if msg.gen != m.profileGen || !m.live.on {
		return nil
	}
	m.live.feed = msg.feed
	m.tickGen++
	return tea.Batch(waitFeed(msg.feed, msg.gen), m.tickCmd())
}

func (m *Model) onFeed(msg feedMsg) tea.Cmd {
	if msg.gen != m.profileGen || m.live.feed == nil {
		return nil
	}
	u := msg.u
	if u.Mode == feed.Live && m.live.mode != feed.Live {
		m.live.since = u.At
	}
	m.live.mode = u.Mode
	m.c.Now = u.At
	m.refreshing = false
	if u.Err != nil {
		m.listErr = u.Err
	} else if u.Full || m.inbox.Loaded() {
		m.listErr = nil
		m.lastRefresh = u.At
		m.inbox.SetPrepared(msg.prepared)
		if m.status == "Refreshing…" {
			m.setStatus("", false)
		}
	}
	if u.StreamErr != nil {
		m.setStatus("Live updates are off: "+errorSummary(u.StreamErr)+" (polling instead)", true)
	}
	m.runview.Restyle()
	cmds := []tea.Cmd{waitFeed(m.live.feed, msg.gen)}
	if m.cur != nil && !m.cur.sending && changed(u.Changes, m.cur.id) {
		cmds = append(cmds, m.getRunCmd(m.cur.id))
	}
	if !u.Initial {
		cmds = append(cmds, m.notifyCmd(u.Changes))
	}
	return tea.Batch(cmds...)
}

func changed(cs []feed.Change, id string) bool {
	for _, c := range cs {
		if c.Run.ID == id {
			return true
		}
	}
	return false
}

// notifyCmd rings for runs that started waiting, once per run.
func (m *Model) notifyCmd(cs []feed.Change) tea.Cmd {
	var fresh []apiclient.Run
	for _, c := range cs {
		if c.Kind == domain.ChangeWaiting && !m.live.notified[c.Run.ID] {
			m.live.notified[c.Run.ID] = true
			fresh = append(fresh, c.Run)
		}
	}
	if len(fresh) == 0 || m.opts.Notify == nil {
		return nil
	}
	if seq := m.opts.Notify(fresh); len(seq) > 0 {
		return tea.Raw(string(seq))
	}
	return nil
}

// refreshLive is refresh for a live inbox: the r key (and a stream that is
// down) lists everything again; otherwise the stream brings the changes and
// only the open run is read.
func (m *Model) refreshLive(manual bool) tea.Cmd {
	var cmds []tea.Cmd
	if manual && m.screen == scrRun && m.cur != nil {
		cmds = append(cmds, m.responsesCmd(m.cur.id), m.logsCmd(m.cur.id))
	}
	if m.cur != nil && !m.cur.sending {
		cmds = append(cmds, m.getRunCmd(m.cur.id))
	}
	if manual || m.live.mode != feed.Live {
		f := m.live.feed
		cmds = append(cmds, func() tea.Msg { f.Refresh(); return nil })
		if manual {
			m.setStatus("Refreshing…", false)
		}
	}
	return tea.Batch(cmds...)
}

// onLiveTick moves the clock for countdowns and ages; no request.
func (m *Model) onLiveTick(at time.Time) tea.Cmd {
	m.c.Now = at
	m.runview.Restyle()
	m.tickGen++
	return m.tickCmd()
}

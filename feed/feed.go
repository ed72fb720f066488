// Package feed keeps the set of waiting runs up to date: one full listing
// at start, then Prefect's event stream prompts a read of just the runs an
// event names, with a full listing again after every (re)connect and on a
// slow safety interval, because the stream can drop events. While the
// stream is down it polls. The inbox and `unpause watch` both read it, so a
// run the inbox shows is a run watch reports.
package feed

import (
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
)

// Mode is how the feed learns of changes, as the inbox header says it.
type Mode int

// The modes.
const (
	Connecting Mode = iota // started; the stream is not up yet
	Live                   // the event stream is up: changes show within a second
	Polling                // no stream (down, or the server has none): listing every poll interval
	Offline                // the server cannot be reached
)

func (m Mode) String() string {
	switch m {
	case Live:
		return "live"
	case Polling:
		return "polling"
	case Offline:
		return "offline"
	default:
		return "connecting"
	}
}

// Source is the part of the API client the feed uses.
type Source interface {
	ListPaused(ctx context.Context, o apiclient.ListOptions) ([]apiclient.Run, apiclient.ListStats, error)
	GetRuns(ctx context.Context, ids []string) ([]apiclient.Run, apiclient.ListStats, error)
	SubscribeRunEvents(ctx context.Context) (*apiclient.EventStream, error)
}

// Options tune a feed. Zero values take the defaults.
type Options struct {
	Filter domain.RunFilter
	// PollInterval is the listing interval while the stream is down.
	PollInterval time.Duration // default 10s
	// SafetyInterval is the full listing interval while the stream is up:
	// it catches what the stream dropped.
	SafetyInterval time.Duration // default 10m
	// Coalesce is how long the feed gathers events before it reads the runs
	// they name, after a quiet spell: a lone pause shows at once.
	Coalesce time.Duration // default 25ms
	// BusyCoalesce is the gathering window while a burst goes on (the last
	// read, less than a second ago, named several runs): a burst costs a read
	// per window, not one per event.
	BusyCoalesce time.Duration // default 250ms
	// NoStream polls only (the stream is never tried).
	NoStream bool
	Now      func() time.Time
}

// Defaults.
const (
	DefaultPollInterval   = 10 * time.Second
	DefaultSafetyInterval = 10 * time.Minute
	DefaultCoalesce       = 25 * time.Millisecond
	DefaultBusyCoalesce   = 250 * time.Millisecond
	busyAfterRead         = time.Second // a read this recent means a burst is on
	backoffBase           = time.Second
	backoffCap            = 5 * time.Minute
	stableAfter           = time.Minute // a stream up this long resets the backoff
	noStreamRetry         = time.Minute // first retry when the server has no stream
	retryReadAfter        = 2 * time.Second
	// staleRetry and staleGiveUp: a read older than the event that prompted
	// it is read again after staleRetry, for at most staleGiveUp.
	staleRetry  = 150 * time.Millisecond
	staleGiveUp = 5 * time.Second
)

func (o *Options) defaults() {
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.SafetyInterval <= 0 {
		o.SafetyInterval = DefaultSafetyInterval
	}
	if o.Coalesce <= 0 {
		o.Coalesce = DefaultCoalesce
	}
	if o.BusyCoalesce <= 0 {
		o.BusyCoalesce = DefaultBusyCoalesce
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Change is one thing that happened to a waiting run.
type Change struct {
	Kind domain.ChangeKind
	// Run is the run as last read: for a run that left its pause, its new
	// state (for a deleted run, as it was last seen).
	Run apiclient.Run
}

// Update is what the feed knows after one listing or one read.
type Update struct {
	Mode Mode
	// Runs is every waiting run that passes the filter, in no order.
	Runs []apiclient.Run
	// Changes since the previous update; none on the first.
	Changes []Change
	Initial bool // the first listing
	Full    bool // from a full listing (a reconcile), not a read of some runs
	// Err is the last read's failure (Runs are then the last known set).
	Err error
	// StreamErr is why the stream is down, when that is worth saying (an
	// auth failure); nil when the server simply has no stream.
	StreamErr error
	At        time.Time
	Requests  int // HTTP requests this update cost
}

// Feed is a running feed. Read Updates until it is closed (the context ended).
type Feed struct {
	src     Source
	o       Options
	out     chan Update
	refresh chan struct{}

	mu      sync.Mutex
	watched map[string]bool               // ids of the runs in the set (read by the stream reader)
	pending map[string]apiclient.RunEvent // runs an event named, not read yet
	signal  chan struct{}

	runs      map[string]apiclient.Run
	mode      Mode
	streamUp  bool
	tried     bool // the stream's first connect has come back, either way
	streamErr error
	restErr   error
	initial   bool
	lastRead  time.Time // the last read of the runs events named
	lastReadN int       // how many runs it read
	queued    *Update   // an update the reader has not taken yet
	// staleSince: runs whose read showed a state older than their event,
	// since when (readPending reads them again).
	staleSince map[string]time.Time
}

// Start runs a feed until ctx ends.
func Start(ctx context.Context, src Source, o Options) *Feed {
	o.defaults()
	f := &Feed{
		src: src, o: o,
		out: make(chan Update), refresh: make(chan struct{}, 1), signal: make(chan struct{}, 1),
		watched: map[string]bool{}, pending: map[string]apiclient.RunEvent{},
		runs: map[string]apiclient.Run{}, initial: true, staleSince: map[string]time.Time{},
	}
	go f.loop(ctx)
	return f
}

// Updates delivers updates; updates the reader was too slow for are merged,
// never dropped. It is closed when the feed's context ends.
func (f *Feed) Updates() <-chan Update { return f.out }

// Refresh asks for a full listing now (the r key).
func (f *Feed) Refresh() {
	select {
	case f.refresh <- struct{}{}:
	default:
	}
}

// timer is a stopped-or-armed timer whose channel is nil when stopped, for
// a select.
type timer struct{ t *time.Timer }

func (t *timer) arm(d time.Duration) {
	t.stop()
	t.t = time.NewTimer(d)
}

func (t *timer) armIfIdle(d time.Duration) {
	if t.t == nil {
		t.arm(d)
	}
}

func (t *timer) stop() {
	if t.t != nil {
		t.t.Stop()
		t.t = nil
	}
}

func (t *timer) C() <-chan time.Time {
	if t.t == nil {
		return nil
	}
	return t.t.C
}

// streamState is the loop's view of the stream goroutine.
type streamState struct {
	connected chan struct{}
	done      chan error
	attempt   int
	upSince   time.Time
	reconnect timer
}

func (f *Feed) loop(ctx context.Context) {
	defer close(f.out)
	var poll, coalesce timer
	defer poll.stop()
	defer coalesce.stop()
	st := &streamState{connected: make(chan struct{}, 1), done: make(chan error, 1)}
	defer st.reconnect.stop()
	if f.o.NoStream {
		f.mode = Polling
	} else {
		go f.runStream(ctx, st)
	}
	f.reconcile(ctx)
	poll.arm(f.pollEvery())
	for {
		var out chan Update
		var next Update
		if f.queued != nil {
			out, next = f.out, *f.queued
		}
		select {
		case <-ctx.Done():
			return
		case out <- next:
			f.queued = nil
		case <-f.refresh:
			f.reconcile(ctx)
			poll.arm(f.pollEvery())
		case <-st.connected:
			f.streamUp, f.tried, f.streamErr, st.upSince = true, true, nil, f.o.Now()
			f.reconcile(ctx) // events from before the connect may be lost for good
			poll.arm(f.pollEvery())
		case err := <-st.done:
			f.onStreamDown(st, err)
			f.emit(Update{}) // the header changes
			poll.arm(min(f.pollEvery(), time.Second))
		case <-st.reconnect.C():
			st.reconnect.stop()
			go f.runStream(ctx, st)
		case <-f.signal:
			coalesce.armIfIdle(f.window())
		case <-coalesce.C():
			coalesce.stop()
			ok, again := f.readPending(ctx)
			if !ok {
				poll.arm(retryReadAfter)
			}
			if again {
				coalesce.arm(staleRetry)
			}
		case <-poll.C():
			f.reconcile(ctx)
			poll.arm(f.pollEvery())
		}
	}
}

// window is how long to gather events before reading their runs: short
// after a quiet spell, longer while a burst goes on.
func (f *Feed) window() time.Duration {
	if f.lastReadN > 1 && f.o.Now().Sub(f.lastRead) < busyAfterRead {
		return f.o.BusyCoalesce
	}
	return f.o.Coalesce
}

func (f *Feed) pollEvery() time.Duration {
	if f.streamUp && f.restErr == nil {
		return f.o.SafetyInterval
	}
	return f.o.PollInterval
}

// onStreamDown schedules the next connect with jittered exponential backoff
// (src/prefect/_internal/_observation_delivery.py does the same: 1 s base,
// 300 s cap, reset after a minute of stable stream).
func (f *Feed) onStreamDown(st *streamState, err error) {
	if f.streamUp && f.o.Now().Sub(st.upSince) >= stableAfter {
		st.attempt = 0
	}
	f.streamUp, f.tried = false, true
	delay := backoffFor(st.attempt)
	switch apiclient.KindOf(err) {
	case apiclient.ErrNoStream:
		f.streamErr = nil // nothing to say: the server has no stream
		delay = max(delay, noStreamRetry)
	case apiclient.ErrAuth:
		f.streamErr = err
		delay = max(delay, noStreamRetry)
	default:
		f.streamErr = nil
	}
	st.attempt++
	st.reconnect.arm(delay)
}

func backoffFor(attempt int) time.Duration {
	d := backoffCap
	if attempt < 10 {
		d = min(backoffCap, backoffBase<<attempt)
	}
	return d/2 + rand.N(d/2+1) //nolint:gosec // jitter, not security
}

// runStream subscribes and feeds events into pending until the stream ends.
func (f *Feed) runStream(ctx context.Context, st *streamState) {
	s, err := f.src.SubscribeRunEvents(ctx)
	if err != nil {
		st.done <- err
		return
	}
	defer func() { _ = s.Close() }()
	st.connected <- struct{}{}
	for {
		ev, err := s.Next(ctx)
		if err != nil {
			st.done <- err
			return
		}
		f.noteEvent(ev)
	}
}

// noteEvent keeps an event that may change the set: a run entering a pause,
// or a run of the set leaving it. Other runs' events cost nothing.
func (f *Feed) noteEvent(ev apiclient.RunEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !ev.Paused() && !f.watched[ev.RunID] {
		return
	}
	if old, ok := f.pending[ev.RunID]; ok && old.StateTimestamp.After(ev.StateTimestamp) {
		return
	}
	f.pending[ev.RunID] = ev
	select {
	case f.signal <- struct{}{}:
	default:
	}
}

// reconcile lists every waiting run and says what changed since the last
// listing; the runs that left the set are read to say what became of them.
func (f *Feed) reconcile(ctx context.Context) {
	runs, stats, err := f.src.ListPaused(ctx, f.o.Filter.ListOptions())
	u := Update{Full: true, Initial: f.initial, Requests: stats.Requests}
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		f.restErr = err
		u.Err = err
		f.emit(u)
		return
	}
	f.restErr = nil
	now := map[string]apiclient.Run{}
	for _, r := range runs {
		if f.o.Filter.Match(&r) {
			now[r.ID] = r
		}
	}
	var gone []string
	for id := range f.runs {
		if _, ok := now[id]; !ok {
			gone = append(gone, id)
		}
	}
	if !f.initial {
		u.Changes = f.arrivals(now)
	}
	if len(gone) > 0 {
		left, n, err := f.fates(ctx, gone)
		u.Requests += n
		if err != nil {
			u.Err = err
		}
		u.Changes = append(u.Changes, left...)
	}
	f.replace(now)
	f.initial = false
	f.emit(u)
}

// arrivals are the runs of next that are new, or in a new pause.
func (f *Feed) arrivals(next map[string]apiclient.Run) []Change {
	var out []Change
	for _, id := range slices.Sorted(maps.Keys(next)) {
		r := next[id]
		if old, ok := f.runs[id]; !ok || stateID(&old) != stateID(&r) {
			out = append(out, Change{Kind: domain.ChangeWaiting, Run: r})
		}
	}
	return out
}

// fates reads runs that left the set and says what became of each.
func (f *Feed) fates(ctx context.Context, ids []string) ([]Change, int, error) {
	read, stats, err := f.src.GetRuns(ctx, ids)
	if err != nil {
		return nil, stats.Requests, err
	}
	byID := map[string]*apiclient.Run{}
	for i := range read {
		byID[read[i].ID] = &read[i]
	}
	slices.Sort(ids)
	var out []Change
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, Change{Kind: domain.LeftPause(&r.FlowRun), Run: *r})
		} else {
			out = append(out, Change{Kind: domain.ChangeDeleted, Run: f.runs[id]})
		}
	}
	return out, stats.Requests, nil
}

// readPending reads the runs events named since the last read: one request
// for a burst. ok is false when the read failed (the runs stay pending);
// again, when some read showed a state older than its event's and must be
// read again soon.
func (f *Feed) readPending(ctx context.Context) (ok, again bool) {
	f.mu.Lock()
	ids := slices.Sorted(maps.Keys(f.pending))
	f.mu.Unlock()
	if len(ids) == 0 {
		return true, false
	}
	read, stats, err := f.src.GetRuns(ctx, ids)
	f.lastRead, f.lastReadN = f.o.Now(), len(ids)
	u := Update{Requests: stats.Requests}
	if err != nil {
		if ctx.Err() == nil {
			u.Err = err
			f.emit(u)
		}
		return false, false
	}
	fresh := f.takeFresh(ids, read)
	u.Changes = f.apply(fresh, read)
	f.emit(u)
	return true, len(fresh) < len(ids)
}

// takeFresh takes out of pending the runs whose read is at least as new as
// the event that named them, and returns their ids. Prefect emits a state's
// event before the transition's transaction commits (its after_transition
// hook, in the orchestration's session: src/prefect/server/orchestration/
// instrumentation_policies.py InstrumentFlowRunStateTransitions), so a read
// right after it can show the state before: such a run stays pending, to be
// read again, for at most staleGiveUp (then the read is taken as it is).
func (f *Feed) takeFresh(ids []string, read []apiclient.Run) []string {
	byID := map[string]*apiclient.Run{}
	for i := range read {
		byID[read[i].ID] = &read[i]
	}
	now := f.o.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	var fresh []string
	for _, id := range ids {
		if StaleRead(f.pending[id], byID[id]) {
			since, seen := f.staleSince[id]
			if !seen {
				f.staleSince[id] = now
			}
			if !seen || now.Sub(since) < staleGiveUp {
				continue
			}
		}
		delete(f.staleSince, id)
		delete(f.pending, id)
		fresh = append(fresh, id)
	}
	return fresh
}

// StaleRead reports whether r, read after ev, shows a state older than the
// one ev announced (a run not found is not stale: it was deleted).
func StaleRead(ev apiclient.RunEvent, r *apiclient.Run) bool {
	return r != nil && r.State != nil && !ev.StateTimestamp.IsZero() && r.State.Timestamp.Before(ev.StateTimestamp)
}

// apply merges the runs read for ids into the set.
func (f *Feed) apply(ids []string, read []apiclient.Run) []Change {
	byID := map[string]apiclient.Run{}
	for _, r := range read {
		byID[r.ID] = r
	}
	next := maps.Clone(f.runs)
	var out []Change
	for _, id := range ids {
		r, found := byID[id]
		old, had := f.runs[id]
		switch {
		case found && r.Paused() && f.o.Filter.Match(&r):
			if !had || stateID(&old) != stateID(&r) {
				out = append(out, Change{Kind: domain.ChangeWaiting, Run: r})
			}
			next[id] = r
		case !had:
			// not (or no longer) waiting, and never shown: nothing to say
		case found:
			out = append(out, Change{Kind: domain.LeftPause(&r.FlowRun), Run: r})
			delete(next, id)
		default:
			out = append(out, Change{Kind: domain.ChangeDeleted, Run: old})
			delete(next, id)
		}
	}
	f.replace(next)
	return out
}

func stateID(r *apiclient.Run) string {
	if r.State == nil {
		return ""
	}
	return r.State.ID
}

// replace makes runs the set, and tells the stream reader which runs to
// follow out of their pause.
func (f *Feed) replace(runs map[string]apiclient.Run) {
	f.runs = runs
	f.mu.Lock()
	f.watched = make(map[string]bool, len(runs))
	for id := range runs {
		f.watched[id] = true
	}
	f.mu.Unlock()
}

// emit queues an update, merged with one the reader has not taken yet.
func (f *Feed) emit(u Update) {
	u.Mode = f.currentMode()
	u.StreamErr = f.streamErr
	u.At = f.o.Now()
	u.Runs = slices.Collect(maps.Values(f.runs))
	if q := f.queued; q != nil {
		u.Changes = append(q.Changes, u.Changes...)
		u.Initial = u.Initial || q.Initial
		u.Full = u.Full || q.Full
		u.Requests += q.Requests
		if u.Err == nil && !u.Full && q.Err != nil && !errors.Is(q.Err, context.Canceled) {
			u.Err = q.Err
		}
	}
	f.queued = &u
}

func (f *Feed) currentMode() Mode {
	switch {
	case f.streamUp:
		return Live
	case f.restErr != nil:
		return Offline
	case f.o.NoStream || f.tried:
		return Polling
	default:
		return Connecting
	}
}

package integration

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/feed"
)

// The live inbox's feed against the real server's event stream
// (/api/events/out): pauses show without a listing, the stream dropping is
// survived, and a stream that is refused means polling, with no error.

// streamProxy is a reverse proxy in front of the server that can cut every
// connection (a network drop) and refuse the event stream (a proxy that
// does not pass websockets).
type streamProxy struct {
	srv      *httptest.Server
	target   *url.URL
	refuse   atomic.Bool  // answer the stream's upgrade 403: no websockets here
	down     atomic.Bool  // answer the stream's upgrade 503: its upstream is down
	requests atomic.Int64 // HTTP requests passed on (the stream's upgrade included)
	mu       sync.Mutex
	conns    map[net.Conn]bool
}

func newStreamProxy(t *testing.T, apiURL string) *streamProxy {
	t.Helper()
	target, err := url.Parse(apiURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &streamProxy{target: target, conns: map[net.Conn]bool{}}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	p.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/events/out") && p.refuse.Load() {
			http.Error(w, "websockets are not allowed here", http.StatusForbidden)
			return
		}
		if strings.HasSuffix(r.URL.Path, "/events/out") && p.down.Load() {
			http.Error(w, "upstream unavailable", http.StatusServiceUnavailable)
			return
		}
		p.requests.Add(1)
		rp.ServeHTTP(w, r)
	}))
	p.srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch s {
		case http.StateNew:
			p.conns[c] = true
		case http.StateClosed, http.StateHijacked:
			if s == http.StateClosed {
				delete(p.conns, c)
			}
		}
	}
	p.srv.Start()
	t.Cleanup(p.srv.Close)
	return p
}

func (p *streamProxy) apiURL() string { return p.srv.URL + p.target.Path }

// cut closes every client connection, the event stream's included.
func (p *streamProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}

func startFeed(t *testing.T, apiURL string, o feed.Options) *feed.Feed {
	t.Helper()
	c, err := apiclient.New(apiclient.Options{BaseURL: apiURL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return feed.Start(ctx, c, o)
}

// serverHasStream reports whether the test server serves the event stream:
// Prefect 3 does, Prefect 2.20 only with PREFECT_EXPERIMENTAL_EVENTS=true
// (src/prefect/server/api/events.py in 2.20 refuses the socket without it).
func serverHasStream(t *testing.T) bool {
	t.Helper()
	apiURL, _ := requireServer(t)
	c, err := apiclient.New(apiclient.Options{BaseURL: apiURL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	s, err := c.SubscribeRunEvents(ctx)
	if apiclient.KindOf(err) == apiclient.ErrNoStream {
		return false
	}
	if err != nil {
		t.Fatalf("subscribing to the event stream: %v", err)
	}
	_ = s.Close()
	return true
}

// feedWait reads updates until one satisfies ok.
func feedWait(t *testing.T, f *feed.Feed, what string, timeout time.Duration, ok func(feed.Update) bool) feed.Update {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case u := <-f.Updates():
			if u.Err != nil {
				t.Logf("feed update error: %v", u.Err)
			}
			if ok(u) {
				return u
			}
		case <-deadline:
			t.Fatalf("the feed did not show %s within %s", what, timeout)
		}
	}
}

func feedChange(kind domain.ChangeKind, id string) func(feed.Update) bool {
	return func(u feed.Update) bool {
		for _, c := range u.Changes {
			if c.Kind == kind && c.Run.ID == id {
				return true
			}
		}
		return false
	}
}

func TestLiveFeedFollowsRealPauses(t *testing.T) {
	apiURL, _ := requireServer(t)
	if !serverHasStream(t) {
		t.Skip("this server has no event stream (Prefect 2.x without PREFECT_EXPERIMENTAL_EVENTS): TestLivePolling covers it")
	}
	f := startFeed(t, apiURL, feed.Options{PollInterval: time.Hour, SafetyInterval: time.Hour})
	feedWait(t, f, "live mode", 15*time.Second, func(u feed.Update) bool { return u.Mode == feed.Live })

	flow := startFlow(t, "greeting")
	u := feedWait(t, f, "the pause", 5*time.Second, feedChange(domain.ChangeWaiting, flow.RunID))
	if u.Full {
		t.Error("the pause came from a full listing, not from the stream")
	}
	resumeRun(t, apiURL, flow.RunID, map[string]any{"value": "live"})
	feedWait(t, f, "the resume", 5*time.Second, feedChange(domain.ChangeResumed, flow.RunID))
	if got := flow.WaitResult(t, 60*time.Second)["received"]; got == nil {
		t.Errorf("the flow received nothing")
	}
}

func TestLiveFeedSurvivesAStreamDrop(t *testing.T) {
	apiURL, _ := requireServer(t)
	if !serverHasStream(t) {
		t.Skip("this server has no event stream (Prefect 2.x without PREFECT_EXPERIMENTAL_EVENTS)")
	}
	proxy := newStreamProxy(t, apiURL)
	f := startFeed(t, proxy.apiURL(), feed.Options{PollInterval: 2 * time.Second, SafetyInterval: time.Hour})
	feedWait(t, f, "live mode", 15*time.Second, func(u feed.Update) bool { return u.Mode == feed.Live })

	// While the stream is down, a pause happens: the stream cannot tell;
	// the polling does (every 2 s here).
	proxy.down.Store(true)
	proxy.cut()
	feedWait(t, f, "polling after the drop", 5*time.Second, func(u feed.Update) bool { return u.Mode == feed.Polling })
	flow := startFlow(t, "greeting")
	// It arrives from a listing: the polling while the stream is down, or
	// the reconcile after the reconnect (backoff 1 s, 2 s, ...).
	u := feedWait(t, f, "the pause made while the stream was down", 60*time.Second, feedChange(domain.ChangeWaiting, flow.RunID))
	if !u.Full {
		t.Errorf("the lost pause came from the stream, which was down")
	}
	proxy.down.Store(false)
	if u.Mode != feed.Live {
		feedWait(t, f, "live mode again", 60*time.Second, func(u feed.Update) bool { return u.Mode == feed.Live })
	}
	resumeRun(t, apiURL, flow.RunID, map[string]any{"value": "after the drop"})
	u = feedWait(t, f, "the resume", 5*time.Second, feedChange(domain.ChangeResumed, flow.RunID))
	if u.Full {
		t.Errorf("the resume after the reconnect came from a listing, not from the stream")
	}
}

func TestLivePollingWhenTheStreamIsRefused(t *testing.T) {
	apiURL, _ := requireServer(t)
	url := apiURL
	if serverHasStream(t) {
		proxy := newStreamProxy(t, apiURL)
		proxy.refuse.Store(true)
		url = proxy.apiURL()
	}
	f := startFeed(t, url, feed.Options{PollInterval: time.Second, SafetyInterval: time.Hour})
	u := feedWait(t, f, "polling", 15*time.Second, func(u feed.Update) bool { return u.Mode == feed.Polling })
	if u.StreamErr != nil || u.Err != nil {
		t.Errorf("a refused stream is reported as an error: stream %v, listing %v", u.StreamErr, u.Err)
	}
	flow := startFlow(t, "greeting")
	feedWait(t, f, "the pause, by polling", 10*time.Second, feedChange(domain.ChangeWaiting, flow.RunID))
	resumeRun(t, apiURL, flow.RunID, map[string]any{"value": "polled"})
	feedWait(t, f, "the resume, by polling", 10*time.Second, feedChange(domain.ChangeResumed, flow.RunID))
}

// createPausedRun creates a flow run directly in a PAUSED state through the
// API, with any name (the server emits its Paused event as for any pause:
// src/prefect/server/models/flow_runs.py create_flow_run sets the state).
func createPausedRun(t testing.TB, apiURL, flowName, runName, tag string) string {
	t.Helper()
	code, body := apiCall(t, http.MethodPost, apiURL+"/flows/", map[string]any{"name": flowName})
	if code != http.StatusOK && code != http.StatusCreated {
		t.Fatalf("create flow: HTTP %d %s", code, body)
	}
	var fl struct{ ID string }
	_ = json.Unmarshal(body, &fl)
	code, body = apiCall(t, http.MethodPost, apiURL+"/flow_runs/", map[string]any{
		"flow_id": fl.ID, "name": runName, "tags": []string{tag},
		"state": map[string]any{
			"type": "PAUSED", "name": "Paused", "message": "created paused",
			"state_details": map[string]any{
				"pause_key": "1", "pause_reschedule": false,
				"pause_timeout": time.Now().Add(10 * time.Minute).UTC().Format(time.RFC3339Nano),
			},
		},
	})
	if code != http.StatusOK && code != http.StatusCreated {
		t.Fatalf("create paused run: HTTP %d %s", code, body)
	}
	var run struct{ ID string }
	_ = json.Unmarshal(body, &run)
	t.Cleanup(func() {
		apiCall(t, http.MethodPost, apiURL+"/flow_runs/"+run.ID+"/set_state",
			map[string]any{"state": map[string]any{"type": "CANCELLED", "name": "Cancelled"}, "force": true})
	})
	return run.ID
}

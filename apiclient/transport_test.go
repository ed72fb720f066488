package apiclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestReadRetriesHonourRetryAfter(t *testing.T) {
	f := newFake(t)
	f.sequence("GET /api/flow_runs/{id}",
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			reply(w, 429, `{"detail":"Rate limit exceeded"}`)
		},
		replyFn(503, `{"exception_message":"Service Unavailable"}`),
		replyFn(502, `<html>bad gateway</html>`),
		replyFn(408, ``),
		replyFn(200, pausedRunJSON))
	f.json("POST /api/flows/filter", 200, `[]`)
	f.json("POST /api/deployments/filter", 200, `[]`)
	c, s := newClient(t, f)
	if _, err := c.GetRun(context.Background(), runAID); err != nil {
		t.Fatalf("GetRun: %v", err)
	}
	got := s.all()
	if len(got) != 4 || got[0] != 7*time.Second {
		t.Fatalf("sleeps = %v, want Retry-After 7s then 3 backoffs", got)
	}
	// Exponential backoff with ±20% jitter: 0.5s·2^n for attempts 1..3.
	for i, d := range got[1:] {
		base := float64(backoffBase) * float64(int(1)<<(i+1))
		if float64(d) < 0.8*base || float64(d) > 1.2*base {
			t.Errorf("backoff %d = %v, want %v ±20%%", i+1, d, time.Duration(base))
		}
	}
	if n := f.count("GET", "/api/flow_runs/"+runAID); n != 5 {
		t.Errorf("%d GETs, want 5", n)
	}
}

func TestReadRetriesGiveUp(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/health", 503, `{"exception_message":"Service Unavailable"}`)
	c, s := newClient(t, f, func(o *Options) { o.MaxRetries = 2 })
	err := c.Health(context.Background())
	if KindOf(err) != ErrServer || !strings.Contains(err.Error(), "HTTP 503 Service Unavailable: Service Unavailable") {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("GET", "/api/health"); n != 3 || len(s.all()) != 2 {
		t.Errorf("%d GETs, %d sleeps; want 3 and 2", n, len(s.all()))
	}

	// MaxRetries < 0: no retries at all.
	c2, s2 := newClient(t, f, func(o *Options) { o.MaxRetries = -1 })
	_ = c2.Health(context.Background())
	if len(s2.all()) != 0 {
		t.Errorf("retried with MaxRetries -1")
	}
}

func TestRetryAfterTooLongIsReported(t *testing.T) {
	f := newFake(t)
	f.handle("GET /api/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		reply(w, 429, `{"detail":"Rate limit exceeded"}`)
	})
	c, s := newClient(t, f)
	err := c.Health(context.Background())
	if err == nil || !strings.Contains(err.Error(), "retry after 1h0m0s") || !strings.Contains(err.Error(), "Rate limit exceeded") {
		t.Fatalf("err = %v", err)
	}
	if len(s.all()) != 0 {
		t.Errorf("waited %v", s.all())
	}
}

// Filter POSTs are reads: retried.
func TestFilterPostsRetried(t *testing.T) {
	f := newFake(t)
	f.sequence("POST /api/flow_runs/filter", replyFn(502, ``), replyFn(200, `[]`))
	f.sequence("POST /api/flow_runs/{id}/input/filter", replyFn(503, ``), replyFn(200, `[]`))
	f.sequence("POST /api/logs/filter", replyFn(429, ``), replyFn(200, `[]`))
	c, s := newClient(t, f)
	if _, _, err := c.ListPaused(context.Background(), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Responses(context.Background(), runAID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Logs(context.Background(), runAID, 10); err != nil {
		t.Fatal(err)
	}
	if len(s.all()) != 3 {
		t.Errorf("sleeps %v, want 3", s.all())
	}
}

// A dropped connection on a read is retried once contact was made.
func TestReadConnectionDropRetried(t *testing.T) {
	f := newFake(t)
	f.sequence("GET /api/health", hangUp, replyFn(200, `true`))
	c, s := newClient(t, f)
	if err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GET", "/api/health"); n != 2 || len(s.all()) != 1 {
		t.Errorf("%d GETs, sleeps %v", n, s.all())
	}
}

func TestContextCancelStopsRetries(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/health", 503, ``)
	c, _ := newClient(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	err := c.Health(ctx)
	if err == nil || f.count("GET", "/api/health") != 1 || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("err = %v, GETs %d", err, f.count("GET", "/api/health"))
	}
}

// CSRF protection is off by default: no token is fetched and no CSRF
// header is sent, so listing costs no extra round trip.
func TestCSRFNotFetchedUntilRequired(t *testing.T) {
	f := newFake(t)
	f.json("POST /api/flow_runs/{id}/input/filter", 200, `[]`)
	f.json("GET /api/health", 200, `true`)
	c, _ := newClient(t, f)
	for i := 0; i < 3; i++ {
		if _, err := c.Responses(context.Background(), runAID); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GET", "/api/csrf-token"); n != 0 {
		t.Errorf("CSRF token asked %d times, want never", n)
	}
	for _, r := range f.requests() {
		if r.Header.Get("Prefect-Csrf-Token") != "" || r.Header.Get("Prefect-Csrf-Client") != "" {
			t.Errorf("%s %s carries CSRF headers while CSRF is off", r.Method, r.Path)
		}
	}
}

// A server that refuses for lack of a token, yet says CSRF is disabled (or
// has no token route): the refusal is reported, not retried forever.
func TestCSRFRefusedButNoTokenRoute(t *testing.T) {
	for _, route := range []http.HandlerFunc{
		replyFn(404, `{"detail":"Not Found"}`),
		replyFn(422, `{"detail":"CSRF protection is disabled."}`),
	} {
		f := newFake(t)
		f.csrf = route
		f.json("POST /api/flow_runs/{id}/input/filter", 403, `{"detail":"Missing CSRF token."}`)
		c, _ := newClient(t, f)
		_, err := c.Responses(context.Background(), runAID)
		if KindOf(err) != ErrAuth {
			t.Fatalf("err = %v, want an auth error", err)
		}
		if n := f.count("GET", "/api/csrf-token"); n != 1 {
			t.Errorf("CSRF token asked %d times, want once", n)
		}
		for _, r := range f.requests() {
			if r.Path == "/api/csrf-token" {
				q, _ := url.ParseQuery(r.Query)
				if !isUUID(q.Get("client")) {
					t.Errorf("client id %q is not a UUID", q.Get("client"))
				}
			}
		}
	}
}

// csrfServer issues tokens "tok-1", "tok-2", ... and enforces them on
// every mutating request, like CsrfMiddleware.
type csrfServer struct {
	*fakeServer
	issued   atomic.Int32
	lifetime time.Duration
}

func newCSRFServer(t *testing.T, lifetime time.Duration) *csrfServer {
	cs := &csrfServer{fakeServer: newFake(t), lifetime: lifetime}
	cs.csrf = func(w http.ResponseWriter, r *http.Request) {
		n := cs.issued.Add(1)
		reply(w, 200, fmt.Sprintf(`{"id":"%s","created":"2026-08-21T16:00:00Z","updated":"2026-08-21T16:00:00Z","token":"tok-%d","client":"%s","expiration":"%s"}`,
			newUUID4(), n, r.URL.Query().Get("client"), time.Now().Add(cs.lifetime).UTC().Format(time.RFC3339Nano)))
	}
	return cs
}

// check enforces the current token; it returns false after answering 403.
func (cs *csrfServer) check(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case r.Header.Get("Prefect-Csrf-Token") == "":
		reply(w, 403, `{"detail":"Missing CSRF token."}`)
	case r.Header.Get("Prefect-Csrf-Client") == "":
		reply(w, 403, `{"detail":"Missing client identifier."}`)
	case r.Header.Get("Prefect-Csrf-Token") != fmt.Sprintf("tok-%d", cs.issued.Load()):
		reply(w, 403, `{"detail":"Invalid CSRF token or client identifier."}`)
	default:
		return true
	}
	return false
}

func TestCSRFEnabled(t *testing.T) {
	cs := newCSRFServer(t, time.Hour)
	cs.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	cs.handle("POST /api/flow_runs/filter", func(w http.ResponseWriter, r *http.Request) {
		if cs.check(w, r) {
			reply(w, 200, `[]`)
		}
	})
	cs.handle("POST /api/flow_runs/{id}/resume", func(w http.ResponseWriter, r *http.Request) {
		if cs.check(w, r) {
			reply(w, 201, resumeAcceptJSON)
		}
	})
	c, _ := newClient(t, cs.fakeServer)
	if _, _, err := c.ListPaused(context.Background(), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Resume(context.Background(), runAID, nil)
	if err != nil || res.Outcome != OutcomeResumed {
		t.Fatalf("Resume: %+v %v", res, err)
	}
	if n := cs.count("GET", "/api/csrf-token"); n != 1 {
		t.Errorf("token fetched %d times, want 1", n)
	}
	var clientID string
	posts := 0
	for _, r := range cs.requests() {
		switch r.Method {
		case "POST":
			posts++
			if posts == 1 {
				// Sent before the client knew; refused by the middleware.
				if r.Header.Get("Prefect-Csrf-Token") != "" {
					t.Errorf("first POST carries a token before one was fetched")
				}
				continue
			}
			if r.Header.Get("Prefect-Csrf-Token") != "tok-1" || r.Header.Get("Prefect-Csrf-Client") == "" {
				t.Errorf("POST %s without CSRF headers", r.Path)
			}
			if clientID == "" {
				clientID = r.Header.Get("Prefect-Csrf-Client")
			} else if r.Header.Get("Prefect-Csrf-Client") != clientID {
				t.Errorf("client id changed")
			}
		case "GET":
			if r.Header.Get("Prefect-Csrf-Token") != "" {
				t.Errorf("GET %s carries a CSRF token", r.Path)
			}
			if r.Path == "/api/csrf-token" {
				q, _ := url.ParseQuery(r.Query)
				if !isUUID(q.Get("client")) {
					t.Errorf("csrf-token client %q is not a UUID", q.Get("client"))
				}
			}
		}
	}
	if posts != 3 {
		t.Errorf("%d POSTs, want 3 (refused filter, filter, resume)", posts)
	}
}

// A 403 "Invalid CSRF token" refreshes the token and retries once, even for
// resume: the middleware rejected the request before any handler ran.
func TestCSRFRefreshOn403(t *testing.T) {
	cs := newCSRFServer(t, time.Hour)
	cs.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	var posts atomic.Int32
	cs.handle("POST /api/flow_runs/{id}/resume", func(w http.ResponseWriter, r *http.Request) {
		if posts.Add(1) == 1 {
			// Server restarted: the first token is no longer known.
			reply(w, 403, `{"detail":"Invalid CSRF token or client identifier."}`)
			return
		}
		if cs.check(w, r) {
			reply(w, 201, resumeAcceptJSON)
		}
	})
	cs.handle("POST /api/flow_runs/filter", func(w http.ResponseWriter, r *http.Request) {
		if cs.check(w, r) {
			reply(w, 200, `[]`)
		}
	})
	c, _ := newClient(t, cs.fakeServer)
	// Learn that CSRF is on (tok-1) ...
	if _, _, err := c.ListPaused(context.Background(), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	// ... then the server forgets tok-1 before the resume.
	res, err := c.Resume(context.Background(), runAID, nil)
	if err != nil || res.Outcome != OutcomeResumed {
		t.Fatalf("Resume: %+v %v", res, err)
	}
	if n := cs.count("GET", "/api/csrf-token"); n != 2 {
		t.Errorf("token fetched %d times, want 2", n)
	}
	hdrs := []string{}
	for _, r := range cs.requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/resume") {
			hdrs = append(hdrs, r.Header.Get("Prefect-Csrf-Token"))
		}
	}
	if strings.Join(hdrs, ",") != "tok-1,tok-2" {
		t.Errorf("tokens sent with resume %v", hdrs)
	}

	// A second 403 is reported, not retried forever.
	cs2 := newCSRFServer(t, time.Hour)
	cs2.json("POST /api/flow_runs/{id}/input/filter", 403, `{"detail":"Invalid CSRF token or client identifier."}`)
	c2, _ := newClient(t, cs2.fakeServer)
	_, err = c2.Responses(context.Background(), runAID)
	if KindOf(err) != ErrAuth || !strings.Contains(err.Error(), "Invalid CSRF token") {
		t.Fatalf("err = %v", err)
	}
	if n := cs2.count("POST", "/api/flow_runs/"+runAID+"/input/filter"); n != 2 {
		t.Errorf("%d POSTs, want 2", n)
	}
}

// An expired token is fetched again before the next mutating call.
func TestCSRFExpiredTokenRefetched(t *testing.T) {
	cs := newCSRFServer(t, time.Second) // expires inside the refresh margin
	cs.handle("POST /api/flow_runs/{id}/input/filter", func(w http.ResponseWriter, r *http.Request) {
		if cs.check(w, r) {
			reply(w, 200, `[]`)
		}
	})
	c, _ := newClient(t, cs.fakeServer)
	for i := 0; i < 3; i++ {
		if _, err := c.Responses(context.Background(), runAID); err != nil {
			t.Fatal(err)
		}
	}
	if n := cs.count("GET", "/api/csrf-token"); n != 3 {
		t.Errorf("token fetched %d times, want 3", n)
	}
}

// rewriteTransport sends every request to the fake server, keeping the path.
type rewriteTransport struct{ target *url.URL }

func (rt rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.URL.Scheme, r2.URL.Host = rt.target.Scheme, rt.target.Host
	r2.Host = rt.target.Host
	return http.DefaultTransport.RoundTrip(r2)
}

// Prefect Cloud: Bearer key, no CSRF ever.
func TestCloudNoCSRF(t *testing.T) {
	f := newFake(t)
	base := "/api/accounts/acc-1/workspaces/ws-2"
	f.json("POST "+base+"/flow_runs/{id}/input/filter", 200, `[]`)
	target, _ := url.Parse(f.srv.URL)
	c, err := New(Options{
		BaseURL: "https://api.prefect.cloud" + base, APIKey: "pnu_cloudkey",
		HTTPClient: &http.Client{Transport: rewriteTransport{target}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Responses(context.Background(), runAID); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 1 || reqs[0].Path != base+"/flow_runs/"+runAID+"/input/filter" ||
		reqs[0].Header.Get("Authorization") != "Bearer pnu_cloudkey" || reqs[0].Header.Get("Prefect-Csrf-Token") != "" {
		t.Fatalf("requests %+v", reqs)
	}
}

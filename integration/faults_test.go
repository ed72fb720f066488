package integration

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fault is what the proxy does to one request.
type fault int

const (
	passThrough fault = iota
	// delayThenForward holds the request, then forwards it: it lands at the
	// server after the client has given up (a request queued behind a busy
	// server).
	delayThenForward
	// forwardThenCut forwards the request, then drops the client's
	// connection instead of answering: the server acted, the client never
	// learns it.
	forwardThenCut
	// forwardThen500 forwards it, then answers 500 instead of the server.
	forwardThen500
	// forwardThenHTML forwards it, then answers 200 with a login page.
	forwardThenHTML
	// answer500 answers 500 without forwarding: the server never saw it.
	answer500
	// cutBeforeForward drops the connection without forwarding: the client
	// cannot know whether the server saw it.
	cutBeforeForward
)

// faultProxy stands between unpause and the real Prefect server and injects
// one fault into the first POST whose path ends with a given suffix.
type faultProxy struct {
	t      *testing.T
	srv    *httptest.Server
	target *url.URL
	mu     sync.Mutex
	suffix string
	fault  fault
	delay  time.Duration
	fired  chan struct{} // closed once the fault's request reached the server (or was answered)
}

func newFaultProxy(t *testing.T, apiURL string) *faultProxy {
	t.Helper()
	u, err := url.Parse(apiURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, target: u, fired: make(chan struct{})}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

// apiURL is the proxy's PREFECT_API_URL.
func (p *faultProxy) apiURL() string { return p.srv.URL + p.target.Path }

// inject arms the fault for the next POST to a path ending in suffix.
func (p *faultProxy) inject(suffix string, f fault, delay time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.suffix, p.fault, p.delay = suffix, f, delay
}

// take returns the armed fault for r and disarms it.
func (p *faultProxy) take(r *http.Request) (fault, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault == passThrough || r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, p.suffix) {
		return passThrough, 0
	}
	f, d := p.fault, p.delay
	p.fault = passThrough
	return f, d
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	f, delay := p.take(r)
	if f == passThrough {
		httputil.NewSingleHostReverseProxy(&url.URL{Scheme: p.target.Scheme, Host: p.target.Host}).ServeHTTP(w, r)
		return
	}
	defer close(p.fired)
	body, _ := io.ReadAll(r.Body)
	switch f {
	case answer500:
		http.Error(w, `{"exception_message":"Internal Server Error"}`, http.StatusInternalServerError)
		return
	case cutBeforeForward:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return
	case delayThenForward:
		// Forward after the delay whether or not the client is still there.
		time.Sleep(delay)
	}
	status, respBody := p.forward(r, body)
	// Every forwarding fault stands for "the server acted": make sure it did, past a
	// busy SQLite's 503s under a loaded test run.
	for try := 0; status == http.StatusServiceUnavailable && try < 20; try++ {
		time.Sleep(500 * time.Millisecond)
		status, respBody = p.forward(r, body)
	}
	if status < 200 || status > 299 {
		p.t.Errorf("proxy: the server did not take the %s (HTTP %d): %s", r.URL.Path, status, respBody)
	}
	switch f {
	case delayThenForward:
		w.WriteHeader(status)
		_, _ = w.Write(respBody)
	case forwardThenCut:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
	case forwardThen500:
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
	case forwardThenHTML:
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html><body><h1>Sign in</h1></body></html>")
	}
}

// forward sends the request to the real server, detached from the client.
func (p *faultProxy) forward(r *http.Request, body []byte) (int, []byte) {
	u := *p.target
	u.Path, u.RawQuery = r.URL.Path, r.URL.RawQuery
	req, err := http.NewRequest(r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		p.t.Errorf("proxy: %v", err)
		return http.StatusBadGateway, nil
	}
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Errorf("proxy: forward %s: %v", u.Path, err)
		return http.StatusBadGateway, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestFaultsResumeOutcomes resumes real runs through a fault-injecting proxy and
// checks that what unpause says is what the server did: a resume that took effect
// is never reported as failed, one that did not is never reported as resumed, and
// an outcome that cannot be known is said to be unknown (exit 11), never "safe to
// retry".
func TestFaultsResumeOutcomes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		fault    fault
		delay    time.Duration
		code     int
		stdout   string // for exit 0
		stderr   string
		received bool // the flow gets the answer
	}{
		{"request lands after the client timed out", delayThenForward, 7 * time.Second, 0, "confirmed by re-reading the run", "", true},
		{"connection cut after the server acted", forwardThenCut, 0, 0, "confirmed by re-reading the run", "", true},
		{"500 after the server acted", forwardThen500, 0, 0, "confirmed by re-reading the run", "", true},
		{"login page after the server acted", forwardThenHTML, 0, 0, "confirmed by re-reading the run", "", true},
		{"500 before the server saw it", answer500, 0, 7, "", "did NOT take effect", false},
		{"connection cut, nothing reached the server", cutBeforeForward, 0, 11, "", "unknown whether the resume took effect", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := startFlow(t, "greeting")
			proxy := newFaultProxy(t, f.APIURL)
			proxy.inject("/resume", tc.fault, tc.delay)
			stdout, stderr, code := runUnpauseWith(t, UnpauseOpts{
				Env:     []string{"PREFECT_API_URL=" + proxy.apiURL(), "PREFECT_API_REQUEST_TIMEOUT=3"},
				Timeout: 90 * time.Second,
			}, "resume", f.RunID, "--set", "value=through the proxy", "--yes")
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			if strings.Contains(stderr, "safe to retry") && tc.received {
				t.Errorf("said safe to retry although the server acted:\n%s", stderr)
			}
			if tc.received {
				assertEqual(t, "received", f.WaitResult(t, 60*time.Second)["received"], "through the proxy")
				return
			}
			// Nothing took effect: the run still waits, and a plain resume answers it.
			if r, _ := getRun(t, f.APIURL, f.RunID); r.StateType != "PAUSED" {
				t.Fatalf("run is %s after a resume that did not take effect", r.StateType)
			}
			unpauseJSON(t, 0, nil, "resume", f.RunID, "--set", "value=second try", "--yes")
			assertEqual(t, "received", f.WaitResult(t, 60*time.Second)["received"], "second try")
		})
	}
}

// TestFaultsSameAnswerTwice: a second request with the same answer, after the
// first one's reply was lost, learns that the run already holds it (exit 0), not
// that "someone else" answered.
func TestFaultsSameAnswerTwice(t *testing.T) {
	t.Parallel()
	f := startFlow(t, "greeting")
	proxy := newFaultProxy(t, f.APIURL)
	proxy.inject("/resume", forwardThenCut, 0)
	opts := UnpauseOpts{Env: []string{"PREFECT_API_URL=" + proxy.apiURL()}, Timeout: 90 * time.Second}
	if _, stderr, code := runUnpauseWith(t, opts, "resume", f.RunID, "--set", "value=same", "--yes"); code != 0 {
		t.Fatalf("first resume: exit %d\n%s", code, stderr)
	}
	stdout, stderr, code := runUnpauseWith(t, opts, "resume", f.RunID, "--set", "value=same", "--yes", "-o", "json")
	if code != 0 && code != 4 {
		t.Fatalf("second resume: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code == 0 && !strings.Contains(stdout, `"outcome": "already-answered"`) && !strings.Contains(stdout, `"outcome":"already-answered"`) {
		t.Errorf("second resume with the same answer: %s", stdout)
	}
	if strings.Contains(stdout+stderr, "someone else") {
		t.Errorf("the operator's own answer was called someone else's:\n%s\n%s", stdout, stderr)
	}
	assertEqual(t, "received", f.WaitResult(t, 60*time.Second)["received"], "same")
}

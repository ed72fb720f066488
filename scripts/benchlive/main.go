// Command benchlive measures the live inbox against a real Prefect server
// and prints the figures BENCHMARKS.md quotes:
//
//   - latency: how long after a run pauses it appears in `unpause watch`
//     and in the inbox (the real binary in a tmux pane), p50/p95/max of N;
//   - idle cost: HTTP requests per minute an open inbox and a watch make,
//     after start-up, with the server's paused runs unchanging (live, and
//     with the stream off for comparison);
//   - a burst: M runs pausing at once, and how many requests the inbox and
//     watch spent absorbing it.
//
// Each client talks to the server through its own counting proxy. Runs are
// created directly in a PAUSED state (the server emits the same Paused event
// as for a flow's own pause). scripts/bench-live runs it on a fresh server
// seeded with 1,000 paused runs.
//
//	go run ./scripts/benchlive -unpause ./unpause -pauses 50 -burst 200 -idle 3m
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	var (
		apiURL  = flag.String("api-url", os.Getenv("PREFECT_API_URL"), "Prefect API URL")
		unpause = flag.String("unpause", "./unpause", "the unpause binary")
		pauses  = flag.Int("pauses", 50, "pauses timed one by one")
		burst   = flag.Int("burst", 200, "runs pausing at once")
		idle    = flag.Duration("idle", 3*time.Minute, "how long to count idle requests")
		useTmux = flag.Bool("tmux", true, "also measure the inbox in a tmux pane")
	)
	flag.Parse()
	if *apiURL == "" {
		fail("set PREFECT_API_URL or -api-url")
	}
	api := strings.TrimRight(*apiURL, "/")
	b := &bench{api: api, bin: *unpause, tag: fmt.Sprintf("bench-live-%d", time.Now().UnixNano())}
	b.flowID = b.createFlow("unpause-bench-live")
	onFail = b.cleanup
	defer b.cleanup()

	watch := b.startWatch()
	var inbox *tuiClient
	if *useTmux {
		inbox = b.startInbox("", "")
	}
	fmt.Printf("latency from the pause to the screen, %d pauses one by one:\n", *pauses)
	b.latency(*pauses, watch, inbox)

	fmt.Printf("\nidle: requests per minute after start-up (%s each):\n", *idle)
	b.idle(*idle, watch, inbox)

	fmt.Printf("\nburst: %d runs pausing at once:\n", *burst)
	b.burst(*burst, watch, inbox)
}

type bench struct {
	api, bin, tag, flowID string
	home                  string
	cleanups              []func()
	created               []string
}

func (b *bench) cleanup() {
	for i := len(b.cleanups) - 1; i >= 0; i-- {
		b.cleanups[i]()
	}
	// Leave no bench run waiting in a shared server's inbox.
	for _, id := range b.created {
		_, _ = post(b.api+"/flow_runs/"+id+"/set_state", map[string]any{
			"state": map[string]any{"type": "CANCELLED", "name": "Cancelled"}, "force": true,
		})
	}
}

// counter is a reverse proxy to the server that counts the requests sent
// through it (the event stream's upgrade is one).
type counter struct {
	srv *httptest.Server
	n   atomic.Int64
}

func (b *bench) newCounter() *counter {
	u, _ := url.Parse(b.api)
	c := &counter{}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.n.Add(1)
		rp.ServeHTTP(w, r)
	}))
	b.cleanups = append(b.cleanups, c.srv.Close)
	return c
}

func (c *counter) apiURL(api string) string {
	u, _ := url.Parse(api)
	return c.srv.URL + u.Path
}

func (b *bench) env(c *counter, extra ...string) []string {
	if b.home == "" {
		b.home, _ = os.MkdirTemp("", "benchlive-")
		b.cleanups = append(b.cleanups, func() { _ = os.RemoveAll(b.home) })
	}
	return append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + b.home, "LANG=C.UTF-8", "TERM=xterm-256color",
		"XDG_STATE_HOME=" + filepath.Join(b.home, "state"), "XDG_CONFIG_HOME=" + filepath.Join(b.home, "config"),
		"PREFECT_API_URL=" + c.apiURL(b.api), "UNPAUSE_NOTIFY=off",
	}, extra...)
}

// watchClient is `unpause watch -o json` for the bench's runs.
type watchClient struct {
	requests *counter
	mu       sync.Mutex
	seen     map[string]time.Time // run id → when its waiting line was read
	changed  chan struct{}
}

func (b *bench) startWatch() *watchClient {
	w := &watchClient{requests: b.newCounter(), seen: map[string]time.Time{}, changed: make(chan struct{}, 1)}
	cmd := exec.Command(b.bin, "watch", "-o", "json", "--new-only", "--tag", b.tag)
	cmd.Env = b.env(w.requests)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		fail("start watch: %v", err)
	}
	b.cleanups = append(b.cleanups, func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var line struct {
				Event string `json:"event"`
				Run   struct {
					ID string `json:"id"`
				} `json:"run"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Event == "waiting" {
				w.mu.Lock()
				w.seen[line.Run.ID] = time.Now()
				w.mu.Unlock()
				select {
				case w.changed <- struct{}{}:
				default:
				}
			}
		}
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(stderr.String(), "watch: live") {
		if time.Now().After(deadline) {
			fail("watch did not go live in 60s:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return w
}

// waitSeen waits until every id is seen and returns when each was.
func (w *watchClient) waitSeen(ids []string, timeout time.Duration) map[string]time.Time {
	deadline := time.Now().Add(timeout)
	for {
		w.mu.Lock()
		all := true
		for _, id := range ids {
			if _, ok := w.seen[id]; !ok {
				all = false
				break
			}
		}
		w.mu.Unlock()
		if all {
			w.mu.Lock()
			defer w.mu.Unlock()
			out := map[string]time.Time{}
			for _, id := range ids {
				out[id] = w.seen[id]
			}
			return out
		}
		if time.Now().After(deadline) {
			fail("watch did not see %d runs within %s", len(ids), timeout)
		}
		select {
		case <-w.changed:
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// tuiClient is the inbox in a tmux pane of its own tmux server.
type tuiClient struct {
	requests *counter
	socket   string
}

func (b *bench) startInbox(socket, extraEnv string) *tuiClient {
	if _, err := exec.LookPath("tmux"); err != nil {
		fail("tmux not found (run with -tmux=false to skip the inbox)")
	}
	t := &tuiClient{requests: b.newCounter(), socket: socket}
	if t.socket == "" {
		t.socket = fmt.Sprintf("benchlive-%d", time.Now().UnixNano())
	}
	args := []string{"-L", t.socket, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "50"}
	for _, kv := range b.env(t.requests) {
		args = append(args, "-e", kv)
	}
	cmdline := b.bin
	if extraEnv != "" {
		cmdline = "env " + extraEnv + " " + b.bin
	}
	args = append(args, cmdline)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		fail("tmux: %v\n%s", err, out)
	}
	b.cleanups = append(b.cleanups, func() { _ = exec.Command("tmux", "-L", t.socket, "kill-server").Run() })
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(t.screen(), "● live") && !strings.Contains(t.screen(), "polling") {
		if time.Now().After(deadline) {
			fail("the inbox did not load in 60s:\n%s", t.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return t
}

func (t *tuiClient) screen() string {
	out, _ := exec.Command("tmux", "-L", t.socket, "capture-pane", "-p").Output()
	return string(out)
}

// waitShown polls the pane until text shows; it returns when it was seen.
func (t *tuiClient) waitShown(text string, timeout time.Duration) time.Time {
	deadline := time.Now().Add(timeout)
	for {
		if strings.Contains(t.screen(), text) {
			return time.Now()
		}
		if time.Now().After(deadline) {
			fail("the inbox did not show %q within %s:\n%s", text, timeout, t.screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (b *bench) latency(n int, w *watchClient, inbox *tuiClient) {
	var watchLat, tuiLat []time.Duration
	for i := range n {
		name := fmt.Sprintf("bl-%03d-%d", i, time.Now().UnixNano()%100000)
		start := time.Now()
		id := b.createPaused(name)
		if inbox != nil {
			tuiLat = append(tuiLat, inbox.waitShown(name, 30*time.Second).Sub(start))
		}
		watchLat = append(watchLat, w.waitSeen([]string{id}, 30*time.Second)[id].Sub(start))
		time.Sleep(100 * time.Millisecond)
	}
	report("watch", watchLat)
	if inbox != nil {
		report("inbox (tmux capture every 5 ms)", tuiLat)
	}
}

func report(what string, ds []time.Duration) {
	slices.Sort(ds)
	pct := func(p float64) time.Duration { return ds[min(len(ds)-1, int(float64(len(ds))*p))] }
	fmt.Printf("  %-34s p50 %4d ms  p95 %4d ms  max %4d ms  (n=%d)\n", what,
		pct(0.50).Milliseconds(), pct(0.95).Milliseconds(), ds[len(ds)-1].Milliseconds(), len(ds))
}

func (b *bench) idle(d time.Duration, w *watchClient, inbox *tuiClient) {
	type client struct {
		name string
		c    *counter
	}
	clients := []client{{"watch (live)", w.requests}}
	if inbox != nil {
		clients = append(clients, client{"inbox (live)", inbox.requests})
		polling := b.startInbox("", "UNPAUSE_LIVE=false")
		clients = append(clients, client{"inbox (live: false, polling 10s)", polling.requests})
	}
	time.Sleep(5 * time.Second) // start-up of the last one
	before := make([]int64, len(clients))
	for i, c := range clients {
		before[i] = c.c.n.Load()
	}
	time.Sleep(d)
	for i, c := range clients {
		n := c.c.n.Load() - before[i]
		fmt.Printf("  %-34s %5d requests in %s = %.2f per minute\n", c.name, n, d, float64(n)/d.Minutes())
	}
}

func (b *bench) burst(n int, w *watchClient, inbox *tuiClient) {
	wBefore := w.requests.n.Load()
	var tBefore int64
	if inbox != nil {
		tBefore = inbox.requests.n.Load()
	}
	ids := make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	start := time.Now()
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ids[i] = b.createPaused(fmt.Sprintf("burst-%03d", i))
		}()
	}
	wg.Wait()
	created := time.Since(start)
	seen := w.waitSeen(ids, 2*time.Minute)
	var last time.Time
	for _, t := range seen {
		if t.After(last) {
			last = t
		}
	}
	time.Sleep(2 * time.Second) // let the inbox settle too
	fmt.Printf("  created in %d ms; watch saw all %d %d ms after the first was created\n",
		created.Milliseconds(), n, last.Sub(start).Milliseconds())
	fmt.Printf("  %-34s %5d requests (one per event would be %d)\n", "watch", w.requests.n.Load()-wBefore, n)
	if inbox != nil {
		fmt.Printf("  %-34s %5d requests\n", "inbox", inbox.requests.n.Load()-tBefore)
	}
}

func (b *bench) createFlow(name string) string {
	body, err := post(b.api+"/flows/", map[string]any{"name": name})
	if err != nil {
		fail("create flow: %v", err)
	}
	var f struct{ ID string }
	_ = json.Unmarshal(body, &f)
	return f.ID
}

// createPaused creates a run directly in PAUSED, expiring in 10 minutes
// (sooner than any seeded run, so it sorts first in the inbox).
func (b *bench) createPaused(name string) string {
	body, err := post(b.api+"/flow_runs/", map[string]any{
		"flow_id": b.flowID, "name": name, "tags": []string{b.tag},
		"state": map[string]any{"type": "PAUSED", "name": "Paused", "state_details": map[string]any{
			"pause_key": "1", "pause_reschedule": false,
			"pause_timeout": time.Now().Add(10 * time.Minute).UTC().Format(time.RFC3339Nano),
		}},
	})
	if err != nil {
		fail("create paused run: %v", err)
	}
	var r struct{ ID string }
	_ = json.Unmarshal(body, &r)
	createdMu.Lock()
	b.created = append(b.created, r.ID)
	createdMu.Unlock()
	return r.ID
}

var createdMu sync.Mutex

func post(url string, v any) ([]byte, error) {
	payload, _ := json.Marshal(v)
	for attempt := 0; ; attempt++ {
		// A busy SQLite server answers 503 or drops the connection: retry.
		retry := attempt < 20
		resp, err := http.Post(url, "application/json", bytes.NewReader(payload))
		if err != nil {
			if retry {
				time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
				continue
			}
			return nil, err
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable && retry {
			time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
			continue
		}
		if resp.StatusCode >= 300 {
			return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
		}
		return body, nil
	}
}

// onFail stops what the bench started (tmux servers, watch) before exiting.
var onFail = func() {}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "benchlive: "+format+"\n", args...)
	onFail()
	os.Exit(1)
}

// Package integration holds end-to-end tests that run against a real Prefect server
// (see scripts/prefect-server) with real fixture flows (integration/flows/fixtures.py).
//
// The harness deliberately talks to Prefect with net/http only, not with the apiclient
// package, so it can check the product instead of trusting it.
//
// Environment (written by scripts/prefect-server, exported by scripts/test and .ci/run):
//
//	UNPAUSE_IT_API_URL  the server's API URL, e.g. http://127.0.0.1:4242/api
//	UNPAUSE_IT_PYTHON   python of the pinned Prefect venv
//
// Without them the tests skip, except with CI=true, where they fail. With
// UNPAUSE_IT_PID_DIR set (.ci/run does), each fixture's process group is recorded there so
// a CI run killed mid-test can stop the leftovers.
package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	envAPIURL = "UNPAUSE_IT_API_URL"
	envPython = "UNPAUSE_IT_PYTHON"

	// Python + Prefect imports take seconds each, far more on a loaded 2-core machine.
	fixtureStartTimeout = 3 * time.Minute
	pollEvery           = 200 * time.Millisecond
)

var (
	// harnessDir is removed after all tests ran; it holds the built binary.
	harnessDir string

	buildOnce   sync.Once
	builtBinary string
	buildErr    error

	healthOnce sync.Once
	healthErr  error

	// fixtureStarts bounds how many fixture processes import Prefect at the same time,
	// so a burst of parallel tests does not starve the 2-core machine (and the server).
	fixtureStarts = make(chan struct{}, 2)

	httpClient = &http.Client{Timeout: 30 * time.Second}
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "unpause-it-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration: temp dir:", err)
		os.Exit(1)
	}
	harnessDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// requireServer returns the Prefect API URL and the venv python, skipping the test when
// no server is configured (failing instead when CI=true) and failing when it is configured
// but does not answer /health.
func requireServer(t testing.TB) (apiURL, python string) {
	t.Helper()
	apiURL = strings.TrimRight(os.Getenv(envAPIURL), "/")
	python = os.Getenv(envPython)
	if apiURL == "" || python == "" {
		msg := fmt.Sprintf("integration test needs a Prefect server: %s and %s are not set "+
			"(run scripts/test, or: scripts/prefect-server start; set -a; . \"$(scripts/prefect-server path)\"; set +a)",
			envAPIURL, envPython)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	healthOnce.Do(func() {
		status, body, err := apiDo(context.Background(), http.MethodGet, apiURL+"/health", nil)
		switch {
		case err != nil:
			healthErr = err
		case status != http.StatusOK || strings.TrimSpace(string(body)) != "true":
			healthErr = fmt.Errorf("GET /health: HTTP %d %q", status, body)
		}
	})
	if healthErr != nil {
		t.Fatalf("Prefect server %s is configured but not healthy: %v", apiURL, healthErr)
	}
	return apiURL, python
}

// repoRoot is the module root (the directory holding go.mod).
func repoRoot(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

func fixtureScript(t testing.TB) string {
	return filepath.Join(repoRoot(t), "integration", "flows", "fixtures.py")
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ---------------------------------------------------------------------------------------
// Fixture flows

// FixtureFlow is a running fixture process (integration/flows/fixtures.py) whose flow run
// is paused or suspended, waiting for input.
type FixtureFlow struct {
	Name    string // fixture name, e.g. "greeting"
	RunID   string // flow run id
	OutPath string // where the flow writes its result JSON
	APIURL  string

	cmd    *exec.Cmd
	stdout *lineLog
	stderr *lineLog
	done   chan struct{} // closed when the process exited
	err    error         // cmd.Wait's result, valid after done
}

// startFlow runs a fixture flow and returns once its run is PAUSED and, if the pause
// wants input, its schema input exists. The process group is killed in t.Cleanup, and a
// run left PAUSED is cancelled so it does not linger in other tests' listings.
//
// name is a fixture of fixtures.py (greeting, number, image-label, markdown, shirt,
// everything, no-input, expiring) or "suspend", which serves a deployment of the suspend
// fixture and triggers one run of it, or "served-NAME", which does the same for a pausing
// fixture (a blocking pause supervised by a Runner). args go to fixtures.py (e.g.
// "--timeout", "5").
func startFlow(t *testing.T, name string, args ...string) *FixtureFlow {
	t.Helper()
	apiURL, python := requireServer(t)
	dir := t.TempDir()
	f := &FixtureFlow{Name: name, OutPath: filepath.Join(dir, "result.json"), APIURL: apiURL}
	env := fixtureEnv(apiURL, dir, f.OutPath)

	fixtureStarts <- struct{}{}
	released := false
	release := func() {
		if !released {
			released = true
			<-fixtureStarts
		}
	}
	defer release()

	var cmdArgs []string
	if served, ok := servedFixture(name); ok {
		deployment := "it-" + served + "-" + randomSuffix()
		cmdArgs = append([]string{fixtureScript(t), "serve", "--deployment", deployment, "--flow", served}, args...)
		f.start(t, python, cmdArgs, env, dir)
		if _, ok := f.stdout.waitPrefix("DEPLOYMENT_ID=", fixtureStartTimeout, f.done); !ok {
			f.fatalf(t, "served %s fixture did not register its deployment within %s", served, fixtureStartTimeout)
		}
		f.RunID = f.trigger(t, python, deployment, env, dir, append([]string{"--flow", served}, args...))
	} else {
		cmdArgs = append([]string{fixtureScript(t), name}, args...)
		f.start(t, python, cmdArgs, env, dir)
		id, ok := f.stdout.waitPrefix("FLOW_RUN_ID=", fixtureStartTimeout, f.done)
		if !ok {
			f.fatalf(t, "fixture %s printed no FLOW_RUN_ID within %s", name, fixtureStartTimeout)
		}
		f.RunID = id
	}

	run := f.waitPaused(t, fixtureStartTimeout)
	release()
	t.Logf("fixture %s: run %s (%s) is %s", name, f.RunID, run.Name, run.StateName)
	return f
}

// servedFixture tells the fixtures run by a served deployment, and which flow each runs.
func servedFixture(name string) (string, bool) {
	if name == "suspend" {
		return name, true
	}
	return strings.CutPrefix(name, "served-")
}

func fixtureEnv(apiURL, dir, outPath string) []string {
	var env []string
	for _, kv := range os.Environ() {
		// The caller's Prefect profile/settings must not leak into the fixtures.
		if strings.HasPrefix(kv, "PREFECT_") || strings.HasPrefix(kv, "UNPAUSE_FIXTURE_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"PREFECT_API_URL="+apiURL,
		"PREFECT_HOME="+filepath.Join(dir, "prefect-home"),
		"PREFECT_SERVER_ANALYTICS_ENABLED=false",
		"PREFECT_RUNNER_POLL_FREQUENCY=1", // served suspend fixture: pick up runs quickly
		"PYTHONUNBUFFERED=1",
		"UNPAUSE_FIXTURE_OUT="+outPath,
		"UNPAUSE_FIXTURE_POLL=1",
	)
}

func (f *FixtureFlow) start(t *testing.T, python string, args, env []string, dir string) {
	t.Helper()
	f.cmd = exec.Command(python, args...)
	f.cmd.Dir = dir
	f.cmd.Env = env
	f.stdout = newLineLog()
	f.stderr = newLineLog()
	f.cmd.Stdout = f.stdout
	f.cmd.Stderr = f.stderr
	f.cmd.WaitDelay = 5 * time.Second // grandchildren may hold the pipes
	setProcessGroup(f.cmd)
	if err := f.cmd.Start(); err != nil {
		t.Fatalf("start fixture %s: %v", f.Name, err)
	}
	f.done = make(chan struct{})
	go func() {
		f.err = f.cmd.Wait()
		close(f.done)
	}()
	f.recordPID()
	t.Cleanup(func() { f.cleanup(t) })
}

// recordPID leaves a file named after the fixture's process group in $UNPAUSE_IT_PID_DIR
// (set by .ci/run), so a CI run killed mid-test can still stop exactly these processes.
func (f *FixtureFlow) recordPID() {
	if dir := os.Getenv("UNPAUSE_IT_PID_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, strconv.Itoa(f.cmd.Process.Pid)), []byte(f.Name+"\n"), 0o644)
	}
}

// trigger creates a run of the served suspend deployment and returns its id.
func (f *FixtureFlow) trigger(t *testing.T, python, deployment string, env []string, dir string, args []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), fixtureStartTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, append([]string{fixtureScript(t), "trigger", "--deployment", deployment}, args...)...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		f.fatalf(t, "trigger suspend deployment: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if id, ok := strings.CutPrefix(strings.TrimSpace(line), "FLOW_RUN_ID="); ok {
			return id
		}
	}
	f.fatalf(t, "trigger printed no FLOW_RUN_ID:\n%s", out)
	return ""
}

func (f *FixtureFlow) waitPaused(t *testing.T, timeout time.Duration) *apiRun {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last string
	for {
		run, status := getRun(t, f.APIURL, f.RunID)
		if run != nil && run.StateType == "PAUSED" && run.State != nil {
			keyset := run.State.Details.RunInputKeyset
			if keyset == nil {
				return run
			}
			// The schema is saved only after the server accepted the pause.
			if _, found := readRunInput(t, f.APIURL, f.RunID, keyset["schema"]); found {
				return run
			}
			last = "PAUSED, schema input not saved yet"
		} else if run != nil {
			last = "state " + run.StateType + "/" + run.StateName
		} else {
			last = fmt.Sprintf("GET run: HTTP %d", status)
		}
		if f.exited() {
			f.fatalf(t, "fixture %s exited (%v) before run %s paused (%s)", f.Name, f.err, f.RunID, last)
		}
		if time.Now().After(deadline) {
			f.fatalf(t, "run %s not paused with its schema after %s (%s)", f.RunID, timeout, last)
		}
		time.Sleep(pollEvery)
	}
}

func (f *FixtureFlow) exited() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// WaitResult waits until the flow wrote its result JSON (or its process exited) and
// returns the decoded result, e.g. {"outcome":"resumed","received":"Ada","attempts":1}.
func (f *FixtureFlow) WaitResult(t *testing.T, timeout time.Duration) map[string]any {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		exited := f.exited() // read before the file: a process that exited has written it
		if data, err := os.ReadFile(f.OutPath); err == nil {
			var result map[string]any
			if err := json.Unmarshal(data, &result); err != nil {
				f.fatalf(t, "fixture %s result %s: %v\n%s", f.Name, f.OutPath, err, data)
			}
			return result
		}
		if exited {
			f.fatalf(t, "fixture %s exited (%v) without writing a result", f.Name, f.err)
		}
		if time.Now().After(deadline) {
			f.fatalf(t, "fixture %s wrote no result within %s", f.Name, timeout)
		}
		time.Sleep(pollEvery)
	}
}

// ExitCode waits up to timeout for the fixture process to exit and returns its exit code.
func (f *FixtureFlow) ExitCode(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-f.done:
	case <-time.After(timeout):
		f.fatalf(t, "fixture %s still running after %s", f.Name, timeout)
	}
	var exitErr *exec.ExitError
	if errors.As(f.err, &exitErr) {
		return exitErr.ExitCode()
	}
	if f.err != nil {
		f.fatalf(t, "fixture %s: %v", f.Name, f.err)
	}
	return 0
}

// Output returns what the fixture process printed so far.
func (f *FixtureFlow) Output() (stdout, stderr string) {
	return f.stdout.String(), f.stderr.String()
}

func (f *FixtureFlow) fatalf(t *testing.T, format string, args ...any) {
	t.Helper()
	stdout, stderr := f.Output()
	t.Fatalf("%s\n--- fixture %s stdout (tail) ---\n%s\n--- stderr (tail) ---\n%s",
		fmt.Sprintf(format, args...), f.Name, tail(stdout, 40), tail(stderr, 40))
}

func (f *FixtureFlow) cleanup(t *testing.T) {
	if !f.exited() {
		killProcessGroup(f.cmd, false)
		select {
		case <-f.done:
		case <-time.After(5 * time.Second):
			killProcessGroup(f.cmd, true)
			<-f.done
		}
	}
	if dir := os.Getenv("UNPAUSE_IT_PID_DIR"); dir != "" {
		_ = os.Remove(filepath.Join(dir, strconv.Itoa(f.cmd.Process.Pid)))
	}
	if t.Failed() {
		stdout, stderr := f.Output()
		t.Logf("--- fixture %s (run %s) stdout ---\n%s\n--- stderr ---\n%s", f.Name, f.RunID, tail(stdout, 60), tail(stderr, 60))
	}
	// Best effort: a run still PAUSED would otherwise show up in other tests' listings
	// until its pause times out.
	if f.RunID != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		status, body, err := apiDo(ctx, http.MethodGet, f.APIURL+"/flow_runs/"+f.RunID, nil)
		if err == nil && status == http.StatusOK && bytes.Contains(body, []byte(`"state_type":"PAUSED"`)) {
			_, _, _ = apiDo(ctx, http.MethodPost, f.APIURL+"/flow_runs/"+f.RunID+"/set_state", map[string]any{
				"state": map[string]any{"type": "CANCELLED", "name": "Cancelled", "message": "integration test cleanup"},
				"force": true,
			})
		}
	}
}

func tail(s string, lines int) string {
	parts := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}

// lineLog collects a process's output and lets a test wait for a line with a prefix.
type lineLog struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial []byte
	lines   []string
	changed chan struct{} // closed and replaced whenever a line completes
}

func newLineLog() *lineLog { return &lineLog{changed: make(chan struct{})} }

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	l.partial = append(l.partial, p...)
	grew := false
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.lines = append(l.lines, strings.TrimRight(string(l.partial[:i]), "\r"))
		l.partial = l.partial[i+1:]
		grew = true
	}
	if grew {
		close(l.changed)
		l.changed = make(chan struct{})
	}
	return len(p), nil
}

func (l *lineLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// waitPrefix returns the rest of the first line starting with prefix. It gives up after
// timeout or when done is closed (the process exited) and no such line was printed.
// snapshot returns the complete lines so far.
func (l *lineLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func (l *lineLog) waitPrefix(prefix string, timeout time.Duration, done <-chan struct{}) (string, bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		v, ok, changed := l.findPrefix(prefix)
		if ok {
			return v, true
		}
		select {
		case <-changed:
		case <-done:
			time.Sleep(50 * time.Millisecond) // one last scan: output may have landed just before exit
			v, ok, _ := l.findPrefix(prefix)
			return v, ok
		case <-timer.C:
			return "", false
		}
	}
}

// findPrefix returns the rest of the first line starting with prefix, and the channel
// that is closed when the next line arrives.
func (l *lineLog) findPrefix(prefix string) (string, bool, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			return strings.TrimSpace(v), true, l.changed
		}
	}
	return "", false, l.changed
}

// ---------------------------------------------------------------------------------------
// Plain HTTP access to the Prefect API (independent of package apiclient)

type apiStateDetails struct {
	PauseTimeout    *time.Time        `json:"pause_timeout"`
	PauseReschedule bool              `json:"pause_reschedule"`
	PauseKey        *string           `json:"pause_key"`
	RunInputKeyset  map[string]string `json:"run_input_keyset"`
	ScheduledTime   *time.Time        `json:"scheduled_time"`
}

type apiState struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Name      string          `json:"name"`
	Timestamp time.Time       `json:"timestamp"`
	Message   *string         `json:"message"`
	Details   apiStateDetails `json:"state_details"`
}

type apiRun struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	FlowID       string    `json:"flow_id"`
	DeploymentID *string   `json:"deployment_id"`
	StateType    string    `json:"state_type"`
	StateName    string    `json:"state_name"`
	Tags         []string  `json:"tags"`
	State        *apiState `json:"state"`
}

type apiResumeResult struct {
	Status  string    `json:"status"` // ACCEPT, REJECT, ABORT, WAIT
	State   *apiState `json:"state"`
	Details struct {
		Type   string  `json:"type"`
		Reason *string `json:"reason"`
	} `json:"details"`
}

// apiDo sends one request; body (if not nil) is JSON-encoded. Like Prefect's own client
// it retries 503, which the server answers for retryable database errors (SQLite's
// "database is locked" under concurrent writes); the transaction was rolled back.
func apiDo(ctx context.Context, method, url string, body any) (int, []byte, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return 0, nil, err
		}
	}
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		status, data, err := apiDoOnce(ctx, method, url, payload)
		if err != nil || status != http.StatusServiceUnavailable || attempt == 5 {
			return status, data, err
		}
		select {
		case <-ctx.Done():
			return status, data, nil
		case <-time.After(backoff):
		}
		backoff *= 2
	}
}

func apiDoOnce(ctx context.Context, method, url string, payload []byte) (int, []byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

func apiCall(t testing.TB, method, url string, body any) (int, []byte) {
	t.Helper()
	status, data, err := apiDo(context.Background(), method, url, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return status, data
}

// getRun reads a flow run; nil (with the HTTP status) when it does not exist.
func getRun(t testing.TB, apiURL, id string) (*apiRun, int) {
	t.Helper()
	status, data := apiCall(t, http.MethodGet, apiURL+"/flow_runs/"+id, nil)
	if status == http.StatusNotFound {
		return nil, status
	}
	if status != http.StatusOK {
		t.Fatalf("GET /flow_runs/%s: HTTP %d %s", id, status, data)
	}
	var run apiRun
	if err := json.Unmarshal(data, &run); err != nil {
		t.Fatalf("GET /flow_runs/%s: %v", id, err)
	}
	return &run, status
}

func mustGetRun(t testing.TB, apiURL, id string) *apiRun {
	t.Helper()
	run, status := getRun(t, apiURL, id)
	if run == nil {
		t.Fatalf("flow run %s: HTTP %d", id, status)
	}
	return run
}

// readRunInput returns the raw body of GET /flow_runs/{id}/input/{key}: JSON text,
// served as text/plain.
func readRunInput(t testing.TB, apiURL, runID, key string) ([]byte, bool) {
	t.Helper()
	status, data := apiCall(t, http.MethodGet, apiURL+"/flow_runs/"+runID+"/input/"+key, nil)
	switch status {
	case http.StatusOK:
		return data, true
	case http.StatusNotFound:
		return nil, false
	}
	t.Fatalf("GET input %s of run %s: HTTP %d %s", key, runID, status, data)
	return nil, false
}

// resumeRun POSTs /flow_runs/{id}/resume with {"run_input": runInput}, or no body when
// runInput is nil.
func resumeRun(t testing.TB, apiURL, runID string, runInput any) apiResumeResult {
	t.Helper()
	var body any
	if runInput != nil {
		body = map[string]any{"run_input": runInput}
	}
	status, data := apiCall(t, http.MethodPost, apiURL+"/flow_runs/"+runID+"/resume", body)
	if status != http.StatusOK && status != http.StatusCreated {
		t.Fatalf("resume %s: HTTP %d %s", runID, status, data)
	}
	var res apiResumeResult
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("resume %s: %v: %s", runID, err, data)
	}
	return res
}

// waitRun polls the run until cond holds.
func waitRun(t testing.TB, apiURL, runID string, timeout time.Duration, what string, cond func(*apiRun) bool) *apiRun {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		run, _ := getRun(t, apiURL, runID)
		if run != nil && cond(run) {
			return run
		}
		if time.Now().After(deadline) {
			state := "missing"
			if run != nil {
				state = run.StateType + "/" + run.StateName
			}
			t.Fatalf("run %s: %s not reached within %s (state %s)", runID, what, timeout, state)
		}
		time.Sleep(pollEvery)
	}
}

// runLogMessages returns the messages the run logged to the API, oldest first.
func runLogMessages(t testing.TB, apiURL, runID string) []string {
	t.Helper()
	status, data := apiCall(t, http.MethodPost, apiURL+"/logs/filter", map[string]any{
		"logs":  map[string]any{"flow_run_id": map[string]any{"any_": []string{runID}}},
		"sort":  "TIMESTAMP_ASC",
		"limit": 200,
	})
	if status != http.StatusOK {
		t.Fatalf("POST /logs/filter: HTTP %d %s", status, data)
	}
	var logs []struct {
		Message string `json:"message"`
	}
	if err := json.Unmarshal(data, &logs); err != nil {
		t.Fatal(err)
	}
	msgs := make([]string, len(logs))
	for i, l := range logs {
		msgs[i] = l.Message
	}
	return msgs
}

// jsonObjectKeys lists the keys of the object at path (e.g. "properties") in raw JSON
// text, in document order (a Go map would lose it).
func jsonObjectKeys(raw []byte, path ...string) ([]string, error) {
	var v json.RawMessage = raw
	for _, p := range path {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, err
		}
		next, ok := m[p]
		if !ok {
			return nil, fmt.Errorf("no key %q", p)
		}
		v = next
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object at %v", path)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// ---------------------------------------------------------------------------------------
// The unpause binary

// buildUnpause builds the repository's main package once per test binary and returns
// the binary's path.
func buildUnpause(t testing.TB) string {
	t.Helper()
	root := repoRoot(t)
	buildOnce.Do(func() {
		bin := filepath.Join(harnessDir, "unpause")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
			return
		}
		builtBinary = bin
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBinary
}

// UnpauseOpts tunes runUnpauseWith.
type UnpauseOpts struct {
	Env      []string      // extra KEY=value entries, applied last
	Stdin    string        // fed to the process
	Timeout  time.Duration // default 60 s
	NoServer bool          // do not require a server nor set PREFECT_API_URL
}

// runUnpause runs the unpause binary against the test server with an isolated HOME and
// XDG dirs, and returns its output and exit code.
func runUnpause(t testing.TB, args ...string) (stdout, stderr string, exitCode int) {
	t.Helper()
	return runUnpauseWith(t, UnpauseOpts{}, args...)
}

func runUnpauseWith(t testing.TB, o UnpauseOpts, args ...string) (stdout, stderr string, exitCode int) {
	t.Helper()
	bin := buildUnpause(t)
	home, env := unpauseEnv(t, o)

	timeout := o.Timeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = home
	cmd.Env = env
	cmd.Stdin = strings.NewReader(o.Stdin)
	var outBuf, errBuf bytes.Buffer
	cmd.Stdout = &outBuf
	cmd.Stderr = &errBuf
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("unpause %s: timed out after %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), timeout, outBuf.String(), errBuf.String())
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		exitCode = exitErr.ExitCode()
	default:
		t.Fatalf("unpause %s: %v", strings.Join(args, " "), err)
	}
	return outBuf.String(), errBuf.String(), exitCode
}

// unpauseEnv is the isolated environment (HOME and XDG dirs in a fresh
// temp dir) unpause runs with in the tests, plus o.Env.
func unpauseEnv(t testing.TB, o UnpauseOpts) (home string, env []string) {
	t.Helper()
	home = t.TempDir()
	env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
		"LANG=C.UTF-8",
	}
	if v := os.Getenv("TMPDIR"); v != "" {
		env = append(env, "TMPDIR="+v)
	}
	if v := os.Getenv("GOCOVERDIR"); v != "" {
		env = append(env, "GOCOVERDIR="+v)
	}
	if !o.NoServer {
		apiURL, _ := requireServer(t)
		env = append(env, "PREFECT_API_URL="+apiURL)
	}
	return home, append(env, o.Env...)
}

// prefect2 reports whether the test server is Prefect 2.x (from /admin/version), for
// the few expectations where Prefect itself behaves differently.
func prefect2(t testing.TB) bool {
	t.Helper()
	apiURL, _ := requireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, body, err := apiDo(ctx, http.MethodGet, apiURL+"/admin/version", nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("GET /admin/version: %d %v", status, err)
	}
	var v string
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("/admin/version: %s", body)
	}
	return strings.HasPrefix(v, "2.")
}

package watch

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/feed"
)

// Flags: what the command line sets in the options.
func TestNewCmdWatchFlags(t *testing.T) {
	cases := []struct {
		args    []string
		command []string
		code    domain.ExitCode
	}{
		{nil, nil, domain.ExitOK},
		{[]string{"--exec", "./page.sh"}, []string{"./page.sh"}, domain.ExitOK},
		{[]string{"--exec", "./page.sh", "a", "b c"}, []string{"./page.sh", "a", "b c"}, domain.ExitOK},
		{[]string{"--needs-input", "--exec", "notify", "--", "-v"}, []string{"notify", "-v"}, domain.ExitOK},
		{[]string{"stray"}, nil, domain.ExitUsage},
		{[]string{"-o", "yaml"}, nil, domain.ExitUsage},
	}
	for _, c := range cases {
		got, code, err := cmdtest.ParseFlags(t, NewCmdWatch, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d (%v), want %d", c.args, code, err, c.code)
			continue
		}
		if code == domain.ExitOK && !slices.Equal(got.Command, c.command) {
			t.Errorf("%v: command %q, want %q", c.args, got.Command, c.command)
		}
	}
}

type execCall struct {
	argv []string
	env  map[string]string
}

// run starts watch against srv with args; it returns when watch ends or
// stop is called.
func run(t *testing.T, srv *prefecttest.Server, args ...string) (out *cmdtest.SyncBuffer, calls func() []execCall, wait func() (domain.ExitCode, error), stop func()) {
	t.Helper()
	io := cmdtest.Streams("", false)
	out = &cmdtest.SyncBuffer{}
	io.Out = out
	var mu sync.Mutex
	var got []execCall
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	cmd := NewCmdWatch(cmdtest.Factory(io, srv.APIURL()), func(_ context.Context, o *Options) error {
		o.Exec = func(_ context.Context, argv, env []string, _, _ ioWriter) error {
			m := map[string]string{}
			for _, kv := range env {
				if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "UNPAUSE_") {
					m[k] = v
				}
			}
			mu.Lock()
			got = append(got, execCall{argv, m})
			mu.Unlock()
			return nil
		}
		return watchRun(ctx, o)
	})
	type result struct {
		code domain.ExitCode
		err  error
	}
	done := make(chan result, 1)
	go func() {
		code, err := cmdtest.Run(t, cmd, args...)
		done <- result{code, err}
	}()
	return out, func() []execCall {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(got)
		}, func() (domain.ExitCode, error) {
			select {
			case r := <-done:
				return r.code, r.err
			case <-time.After(10 * time.Second):
				t.Fatal("watch did not end in 10s")
				return 0, nil
			}
		}, cancel
}

type ioWriter = io.Writer

func TestWatchPrintsWaitingRunsThenChangesAsJSONLines(t *testing.T) {
	srv := prefecttest.New(t)
	first := srv.Add(prefecttest.Run{Name: "first", Flow: "etl", Schema: cmdtest.ApprovalSchema})
	out, _, wait, stop := run(t, srv, "-o", "json")
	waitLines(t, out, 1)
	waitFor(t, func() bool { return srv.Subscribers() == 1 })
	second := srv.Add(prefecttest.Run{Name: "second\x1b]0;pwned\a", Flow: "label"})
	waitLines(t, out, 2)
	srv.SetState(first, "RUNNING", "Running", "")
	waitLines(t, out, 3)
	stop()
	if code, err := wait(); code != domain.ExitOK {
		t.Fatalf("interrupted watch: exit %d (%v), want 0", code, err)
	}
	var lines []ChangeJSON
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var c ChangeJSON
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		lines = append(lines, c)
	}
	want := []struct {
		event   domain.ChangeKind
		id      string
		initial bool
	}{{domain.ChangeWaiting, first, true}, {domain.ChangeWaiting, second, false}, {domain.ChangeResumed, first, false}}
	for i, w := range want {
		if lines[i].Event != w.event || lines[i].Run.ID != w.id || lines[i].Initial != w.initial {
			t.Errorf("line %d: %s %s initial=%v, want %s %s initial=%v", i, lines[i].Event, lines[i].Run.ID, lines[i].Initial, w.event, w.id, w.initial)
		}
	}
	if strings.Contains(out.String(), "\x1b") || strings.Contains(out.String(), "\a") {
		t.Errorf("control characters from a run name reached the output: %q", out.String())
	}
	if !lines[0].Run.NeedsInput || lines[1].Run.NeedsInput || lines[1].Run.Flow != "label" {
		t.Errorf("run fields: %+v / %+v", lines[0].Run, lines[1].Run)
	}
}

func TestWatchExecRunsOncePerNewWaitingRunWithItsFields(t *testing.T) {
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "old"})
	out, calls, wait, _ := run(t, srv, "--new-only", "--exit-on-first", "--exec", "hook", "arg one")
	waitFor(t, func() bool { return srv.Subscribers() == 1 })
	id := srv.Add(prefecttest.Run{Name: "$(touch pwned); `id`", Flow: "billing", Deployment: "nightly", Schema: cmdtest.ApprovalSchema})
	if code, err := wait(); code != domain.ExitOK {
		t.Fatalf("exit %d (%v)", code, err)
	}
	got := calls()
	if len(got) != 1 {
		t.Fatalf("exec ran %d times, want once (the old run is skipped with --new-only): %+v", len(got), got)
	}
	c := got[0]
	if !slices.Equal(c.argv, []string{"hook", "arg one"}) {
		t.Errorf("argv %q", c.argv)
	}
	for k, v := range map[string]string{
		"UNPAUSE_EVENT": "waiting", "UNPAUSE_RUN_ID": id, "UNPAUSE_RUN_NAME": "$(touch pwned); `id`",
		"UNPAUSE_FLOW": "billing", "UNPAUSE_DEPLOYMENT": "nightly", "UNPAUSE_NEEDS_INPUT": "true", "UNPAUSE_STATE": "paused",
	} {
		if c.env[k] != v {
			t.Errorf("%s=%q, want %q", k, c.env[k], v)
		}
	}
	if lines := strings.Count(out.String(), "\n"); lines != 1 {
		t.Errorf("printed %d lines, want the one new run:\n%s", lines, out.String())
	}
}

func TestWatchFailsLikeListWhenTheServerIsDown(t *testing.T) {
	io := cmdtest.Streams("", false)
	cmd := NewCmdWatch(cmdtest.Factory(io, "http://127.0.0.1:1/api"), nil)
	code, err := cmdtest.Run(t, cmd)
	if code != domain.ExitConnection {
		t.Fatalf("exit %d (%v), want %d", code, err, domain.ExitConnection)
	}
}

func TestTextLine(t *testing.T) {
	exp := time.Date(2026, 12, 3, 10, 30, 0, 0, time.UTC)
	now := exp.Add(-59 * time.Minute)
	r := apiclient.Run{FlowName: "etl", DeploymentName: "nightly"}
	r.ID, r.Name = "0198c7a2-5b1e-7c4d-9e61-000000000001", "load\x1b[2J"
	r.State = &apiclient.State{Type: "PAUSED", Details: apiclient.StateDetails{
		PauseTimeout:   &exp,
		RunInputKeyset: &apiclient.Keyset{Schema: "paused-1-schema"},
	}}
	got := TextLine(feed.Change{Kind: domain.ChangeWaiting, Run: r}, now)
	if strings.Contains(got, "\x1b") || !strings.Contains(got, "etl/nightly") || !strings.Contains(got, "needs input, expires in 59m") {
		t.Errorf("TextLine = %q", got)
	}
}

func waitLines(t *testing.T, out *cmdtest.SyncBuffer, n int) {
	t.Helper()
	waitFor(t, func() bool { return strings.Count(out.String(), "\n") >= n })
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("condition not met in 5s")
}

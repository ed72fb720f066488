package runview

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/common"
)

var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func pausedRun() *apiclient.Run {
	st := &apiclient.State{Type: "PAUSED", Name: "Paused", Timestamp: now.Add(-time.Hour)}
	return &apiclient.Run{FlowRun: apiclient.FlowRun{ID: "0b9a7c1e-5d1f-4a51-9c3e-2f0f2b7a9e11", Name: "deploy-42", State: st}, FlowName: "deploy"}
}

const cloudURL = "https://app.prefect.cloud/account/6f1d2c3b-0a4e-4b5f-8c7d-9e0f1a2b3c4d/workspace/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/runs/flow-run/0b9a7c1e-5d1f-4a51-9c3e-2f0f2b7a9e11"

// linkText is the URL as shown: the Link line and the lines that continue
// it, joined.
func linkText(t *testing.T, view string) string {
	t.Helper()
	lines := strings.Split(ansi.Strip(view), "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, "Link      ")
		if !ok {
			continue
		}
		got := strings.TrimSpace(rest)
		for _, next := range lines[i+1:] {
			cont, ok := strings.CutPrefix(next, "          ")
			if !ok || strings.TrimSpace(cont) == "" {
				break
			}
			got += strings.TrimSpace(cont)
		}
		return got
	}
	t.Fatalf("no Link line:\n%s", ansi.Strip(view))
	return ""
}

func TestLinkShownInFullAtAnyWidth(t *testing.T) {
	for _, w := range []int{40, 80, 120, 200} {
		m := New(common.New(now))
		m.SetSize(w, 30)
		m.SetRun(pausedRun(), cloudURL)
		v := m.View()
		if got := linkText(t, v); got != cloudURL {
			t.Fatalf("width %d: link shown as %q", w, got)
		}
		for i, l := range strings.Split(v, "\n") {
			if lw := ansi.StringWidth(l); lw > w {
				t.Fatalf("width %d: line %d is %d wide", w, i, lw)
			}
		}
	}
}

func TestLinkSanitised(t *testing.T) {
	m := New(common.New(now))
	m.SetSize(80, 30)
	// A URL that carries its own escapes reaches the terminal as text.
	m.SetRun(pausedRun(), "http://x/\x1b]8;;http://evil\x1b\\runs\x07/"+strings.Repeat("a", 100))
	v := m.View()
	if !termsafe.OnlySGR(v) {
		t.Fatalf("escape in the URL reached the terminal:\n%q", v)
	}
	if got := linkText(t, v); got != "http://x/]8;;http://evil\\runs/"+strings.Repeat("a", 100) {
		t.Fatalf("link shown as %q", got)
	}
}

// The history says who gave an answer where a record exists, sanitised.
func TestResponsesSayWhoAnswered(t *testing.T) {
	m := New(common.New(now))
	m.SetSize(100, 60)
	m.SetRun(pausedRun(), "http://127.0.0.1:4200/runs/flow-run/x")
	m.SetResponses([]apiclient.Response{
		{
			Key: "paused-1-response", Created: now.Add(-2 * time.Hour), Value: []byte(`{"approve":true}`),
			AnsweredBy: &apiclient.Record{Who: "alice\x1b[31m@ops-1", When: now.Add(-2 * time.Hour)},
		},
		{Key: "paused-2-response", Created: now.Add(-time.Hour), Value: []byte(`{"approve":false}`)},
	}, nil)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "answered by alice[31m@ops-1 at 2026-11-21 10:00:00 UTC") || strings.Count(v, "answered by") != 1 {
		t.Errorf("view:\n%s", v)
	}
}

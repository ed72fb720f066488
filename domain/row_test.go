package domain

import (
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
)

func ptr[T any](v T) *T { return &v }

// run is a paused run asking for input, paused since ago, expiring in
// expires (nil: never).
func run(id, flow, dep, name string, ago time.Duration, expires *time.Duration, tags ...string) apiclient.Run {
	st := &apiclient.State{Type: "PAUSED", Name: "Paused", Timestamp: now.Add(-ago)}
	if expires != nil {
		st.Details.PauseTimeout = ptr(now.Add(*expires))
	}
	st.Details.RunInputKeyset = &apiclient.Keyset{Schema: "paused-1-schema", Description: "paused-1-description", Response: "paused-1-response"}
	return apiclient.Run{
		FlowRun:        apiclient.FlowRun{ID: id, Name: name, State: st, Tags: tags, WorkPoolName: "pool-a"},
		FlowName:       flow,
		DeploymentName: dep,
	}
}

func dur(d time.Duration) *time.Duration { return &d }

func TestNewRowFacts(t *testing.T) {
	r := run("a", "billing", "prod", "calm-fox", 2*time.Hour, dur(50*time.Minute), "finance", "", "eu")
	row := NewRow(&r)
	if row.Run != &r || row.ID != "a" || row.Flow != "billing/prod" || row.Name != "calm-fox" ||
		row.Tags != "finance,eu" || row.Pool != "pool-a" || !row.Since.Equal(now.Add(-2*time.Hour)) ||
		row.Expires == nil || !row.Expires.Equal(now.Add(50*time.Minute)) || row.Suspend || !row.Input || row.State() != "paused" {
		t.Fatalf("row %+v", row)
	}
	s := run("s", "", "", "x", time.Minute, nil)
	s.State.Details.PauseReschedule = true
	s.State.Details.RunInputKeyset = nil
	srow := NewRow(&s)
	if srow.Flow != UnknownFlow || !srow.Suspend || srow.State() != "suspended" || srow.Input || srow.Expires != nil || RunState(&s) != "suspended" {
		t.Fatalf("suspended row %+v", srow)
	}
}

func TestFlowLabel(t *testing.T) {
	cases := []struct{ flow, dep, unknown, want string }{
		{"etl", "prod", "", "etl/prod"},
		{"etl", "", "", "etl"},
		{"", "prod", "", "/prod"},
		{"", "", UnknownFlow, UnknownFlow},
		{"", "prod", UnknownFlow, UnknownFlow + "/prod"},
		{"e\x1b[2Jtl", "p\u202erod", "", "e[2Jtl/prod"},
	}
	for _, c := range cases {
		r := apiclient.Run{FlowName: c.flow, DeploymentName: c.dep}
		if got := FlowLabel(&r, c.unknown); got != c.want {
			t.Errorf("FlowLabel(%q, %q, %q) = %q, want %q", c.flow, c.dep, c.unknown, got, c.want)
		}
	}
}

func TestSanitisedRow(t *testing.T) {
	r := run("x", "fl\x1b]52;c;aGk=\x07ow", "", "na\x1b[2Jme\u202e", time.Minute, nil, "t\x9bag")
	r.WorkPoolName = "po\x1b[31mol"
	row := NewRow(&r)
	for _, s := range []string{row.Flow, row.Name, row.Tags, row.Pool} {
		if strings.ContainsAny(s, "\x1b\x07\u202e\u009b") {
			t.Errorf("unsanitised: %q", s)
		}
	}
}

func TestMatches(t *testing.T) {
	r := run("b", "approve", "eu", "Brave-Owl", time.Hour, nil, "ops", "prod")
	row := NewRow(&r)
	for filter, want := range map[string]bool{
		"": true, "approve": true, "APPROVE eu": true, "owl": true, "prod": true, "approve/eu": true,
		"billing": false, "approve billing": false, "pool-a": false,
	} {
		if got := row.Matches(SearchTerms(filter)); got != want {
			t.Errorf("Matches(%q) = %v, want %v", filter, got, want)
		}
	}
}

func TestStateName(t *testing.T) {
	for _, c := range []struct {
		s    *apiclient.State
		want string
	}{
		{nil, "unknown state"},
		{&apiclient.State{Type: "COMPLETED", Name: "Completed"}, "Completed"},
		{&apiclient.State{Type: "RUNNING"}, "RUNNING"},
		{&apiclient.State{Type: "FAILED", Name: "Fa\x1b[2Jiled"}, "Fa[2Jiled"},
	} {
		if got := StateName(c.s); got != c.want {
			t.Errorf("StateName(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestRunState(t *testing.T) {
	run := func(typ string, suspended bool) *apiclient.Run {
		r := &apiclient.Run{}
		if typ != "" {
			r.State = &apiclient.State{Type: typ, Details: apiclient.StateDetails{PauseReschedule: suspended}}
		}
		return r
	}
	for _, c := range []struct {
		r    *apiclient.Run
		want string
	}{
		{run("PAUSED", false), "paused"},
		{run("PAUSED", true), "suspended"},
		{run("COMPLETED", false), "completed"},
		{run("CANCELLING", false), "cancelling"},
		{run("", false), "unknown"},
		{run("ODD\x1b[2J", false), "odd[2j"},
	} {
		if got := RunState(c.r); got != c.want {
			t.Errorf("RunState(%+v) = %q, want %q", c.r.State, got, c.want)
		}
	}
}

package domain

import (
	"testing"

	"github.com/unpause-dev/unpause/apiclient"
)

func TestLeftPause(t *testing.T) {
	cases := []struct {
		typ, msg string
		want     ChangeKind
	}{
		{"PAUSED", "", ChangeWaiting},
		{"RUNNING", "", ChangeResumed},
		{"SCHEDULED", "", ChangeResumed}, // a suspended run resuming
		{"COMPLETED", "", ChangeResumed},
		{"CANCELLING", "x", ChangeCancelling},
		{"CANCELLED", "x", ChangeCancelled},
		{"FAILED", "The flow was paused and never resumed.", ChangeExpired},
		{"FAILED", "Flow run encountered an exception: FlowPauseTimeout: Flow run was paused and never resumed.", ChangeExpired},
		{"FAILED", "boom", ChangeEnded},
		{"CRASHED", "", ChangeEnded},
	}
	for _, c := range cases {
		fr := &apiclient.FlowRun{State: &apiclient.State{Type: c.typ, Message: c.msg}}
		if got := LeftPause(fr); got != c.want {
			t.Errorf("LeftPause(%s %q) = %s, want %s", c.typ, c.msg, got, c.want)
		}
	}
	if got := LeftPause(nil); got != ChangeDeleted {
		t.Errorf("LeftPause(nil) = %s, want deleted", got)
	}
}

func TestRunFilterMatch(t *testing.T) {
	run := func(flow, dep string, tags []string, input bool) *apiclient.Run {
		r := &apiclient.Run{FlowName: flow, DeploymentName: dep}
		r.Tags = tags
		r.State = &apiclient.State{Type: "PAUSED"}
		if input {
			r.State.Details.RunInputKeyset = &apiclient.Keyset{Schema: "paused-1-schema"}
		}
		return r
	}
	cases := []struct {
		f    RunFilter
		r    *apiclient.Run
		want bool
	}{
		{RunFilter{}, run("a", "", nil, false), true},
		{RunFilter{Flows: []string{"a"}}, run("a", "d", nil, false), true},
		{RunFilter{Flows: []string{"a/d"}}, run("a", "d", nil, false), true},
		{RunFilter{Flows: []string{"a/e"}}, run("a", "d", nil, false), false},
		{RunFilter{Flows: []string{"b", "a/d"}}, run("a", "d", nil, false), true},
		{RunFilter{Tags: []string{"x", "y"}}, run("a", "", []string{"y", "x", "z"}, false), true},
		{RunFilter{Tags: []string{"x", "y"}}, run("a", "", []string{"x"}, false), false},
		{RunFilter{NeedsInput: true}, run("a", "", nil, false), false},
		{RunFilter{NeedsInput: true}, run("a", "", nil, true), true},
	}
	for i, c := range cases {
		if got := c.f.Match(c.r); got != c.want {
			t.Errorf("%d: %+v.Match = %v, want %v", i, c.f, got, c.want)
		}
	}
	o := RunFilter{Flows: []string{"a/d", "a", "b"}}.ListOptions()
	if len(o.FlowNames) != 2 || o.FlowNames[0] != "a" || o.FlowNames[1] != "b" {
		t.Errorf("ListOptions flow names %v, want [a b]", o.FlowNames)
	}
}

func TestSameSchema(t *testing.T) {
	a := []byte(`{"type":"object","properties":{"value":{"enum":["pig","dog"]}}}`)
	b := []byte(`{ "properties": {"value": {"enum": ["pig", "dog"]}}, "type": "object" }`)
	c := []byte(`{"type":"object","properties":{"value":{"enum":["pig","cat"]}}}`)
	if !SameSchema(a, b) || SameSchema(a, c) || SameSchema(a, nil) || !SameSchema(nil, nil) {
		t.Error("SameSchema: key order and spacing aside, the same; other members, not")
	}
}

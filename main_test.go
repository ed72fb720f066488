package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui"
)

// The command's own code wins, settings and ended input are usage errors;
// the rest is domain.ExitCodeFor (tested there), by API error kind.
func TestExitCodeFor(t *testing.T) {
	cases := []struct {
		err  error
		want domain.ExitCode
	}{
		{nil, domain.ExitOK},
		{errors.New("boom"), domain.ExitError},
		{withCode(domain.ExitInvalidInput, errors.New("bad")), domain.ExitInvalidInput},
		{fmt.Errorf("wrapped: %w", withCode(domain.ExitExpired, errors.New("late"))), domain.ExitExpired},
		{withCode(domain.ExitNotPaused, &apiclient.Error{Kind: apiclient.ErrNotFound}), domain.ExitNotPaused},
		{config.ErrNoServer, domain.ExitUsage},
		{tui.ErrEndOfInput, domain.ExitUsage},
		{&apiclient.Error{Kind: apiclient.ErrNotFound}, domain.ExitNotFound},
		{&apiclient.Error{Kind: apiclient.ErrAuth}, domain.ExitAuth},
	}
	for _, c := range cases {
		if got := exitCodeFor(c.err); got != c.want {
			t.Errorf("exitCodeFor(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

func run(id string, paused time.Time, expires *time.Time) apiclient.Run {
	var r apiclient.Run
	r.ID, r.Name, r.FlowName = id, "run-"+id, "flow"
	r.State = &apiclient.State{Type: "PAUSED", Name: "Paused", Timestamp: paused}
	r.State.Details.PauseTimeout = expires
	return r
}

// The plain table is for terminals too: names, flows and tags from the API
// must not carry control sequences through.
func TestRunTableIsSanitised(t *testing.T) {
	now := time.Now()
	r := run("0198c7a2-5b1e-7c4d-9e61-3f2a1b0c9d88", now.Add(-time.Minute), nil)
	r.Name = "evil\x1b]52;c;aGk=\x07\u202Egnp.exe"
	r.FlowName = "flow\x1b[2J\u009b31m"
	r.Tags = []string{"ops\x1b]0;title\x07"}
	var b bytes.Buffer
	writeRunTable(&b, domain.NewRows([]apiclient.Run{r}), now)
	if !termsafe.OnlySGR(b.String()) || strings.ContainsRune(b.String(), '\x1b') {
		t.Errorf("table carries control sequences: %q", b.String())
	}
	if !strings.Contains(b.String(), "evil") || !strings.Contains(b.String(), "gnp.exe") {
		t.Errorf("table lost the visible text: %q", b.String())
	}
}

package resume

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// inFlight is how many runs are resolved, read or resumed at a time.
const inFlight = 4

// target is one run of a resume of several: what named it, its answer, and
// once it is settled, its report.
type target struct {
	ref   string          // the RUN or answer-file key as given; the id for --all
	whole json.RawMessage // the whole answer for this run, or nil
	run   *apiclient.Run
	// schema is the run's input schema (nil: it asks for nothing); ans the
	// validated answer, once ready.
	schema json.RawMessage
	ans    answer
	ready  bool
	// done is set once told holds the run's result.
	done bool
	told cmdutil.Told
}

func (t *target) fail(err error) {
	t.told, t.done = cmdutil.FailedTold(domain.Resume, t.run, t.ref, err), true
}

// resumeMany resumes several runs: those --all selects or the RUNs given,
// each with whole, or those a runs: answer file names, each with its own.
func resumeMany(ctx context.Context, opts *Options, whole json.RawMessage, file []fileRun) error {
	c, err := opts.API()
	if err != nil {
		return err
	}
	targets, err := selectTargets(ctx, c, opts, whole, file)
	if err != nil {
		return err
	}
	prepare(ctx, c, targets, opts, file == nil)
	var ready []*target
	for _, t := range targets {
		if t.ready {
			ready = append(ready, t)
		}
	}
	if opts.DryRun {
		return dryRunMany(opts, targets)
	}
	if len(ready) > 0 && !opts.Yes {
		if err := confirmMany(opts.IO, ready, file == nil); err != nil {
			return err
		}
	}
	each(len(ready), func(i int) {
		t := ready[i]
		res, err := c.Resume(ctx, t.run.ID, t.ans.payload)
		if err != nil {
			t.fail(err)
			return
		}
		report := cmdutil.Report{Kind: domain.Resume, Run: t.run, Result: res, Payload: t.ans.shown, Schema: t.ans.schema}
		t.told, t.done = report.Tell(), true
	})
	return reportMany(opts.IO, opts.Output, targets)
}

// selectTargets lists the runs --all selects, or resolves those named.
func selectTargets(ctx context.Context, c API, opts *Options, whole json.RawMessage, file []fileRun) ([]*target, error) {
	if opts.All {
		filter := domain.RunFilter{Flows: opts.Flows, Tags: opts.Tags, NeedsInput: opts.NeedsInput}
		runs, _, err := c.ListPaused(ctx, filter.ListOptions())
		if err != nil {
			return nil, err
		}
		var targets []*target
		for i := range runs {
			if filter.Match(&runs[i]) {
				targets = append(targets, &target{ref: runs[i].ID, whole: whole, run: &runs[i]})
			}
		}
		if len(targets) == 0 {
			return nil, cmdutil.WithCode(domain.ExitNotFound, fmt.Errorf("no paused run matches %s; nothing was sent ('unpause list' shows the waiting runs)", filterWords(opts)))
		}
		return targets, nil
	}
	var targets []*target
	for _, ref := range opts.Runs {
		targets = append(targets, &target{ref: ref, whole: whole})
	}
	for _, f := range file {
		targets = append(targets, &target{ref: f.Ref, whole: f.Answer})
	}
	each(len(targets), func(i int) {
		t := targets[i]
		run, err := c.ResolveRun(ctx, t.ref)
		if err != nil {
			t.fail(err)
			return
		}
		t.run = run
	})
	seen := map[string]bool{}
	kept := targets[:0]
	for _, t := range targets {
		if t.run != nil {
			if seen[t.run.ID] {
				fmt.Fprintf(opts.IO.ErrOut, "unpause: note: %s names run %s again; it is resumed once\n", termsafe.Line(t.ref), t.run.ID)
				continue
			}
			seen[t.run.ID] = true
			cmdutil.NoteSameName(opts.IO, t.run)
		}
		kept = append(kept, t)
	}
	return kept, nil
}

// filterWords says what --all selected by, for the message that found none.
func filterWords(opts *Options) string {
	var w []string
	for _, f := range opts.Flows {
		w = append(w, "--flow "+termsafe.Line(f))
	}
	for _, t := range opts.Tags {
		w = append(w, "--tag "+termsafe.Line(t))
	}
	if opts.NeedsInput {
		w = append(w, "--needs-input")
	}
	if len(w) == 0 {
		return "--all (no run is paused)"
	}
	return strings.Join(w, " ")
}

// prepare reads what each run asks for and builds its validated answer.
// With one answer for all (same), a run whose schema differs from the first
// run's is left out.
func prepare(ctx context.Context, c API, targets []*target, opts *Options, same bool) {
	each(len(targets), func(i int) {
		t := targets[i]
		switch {
		case t.done:
		case !t.run.Paused():
			t.told, t.done = cmdutil.NotPaused(domain.Resume, t.run).Tell(), true
		case t.run.NeedsInput():
			req, err := c.InputRequest(ctx, t.run)
			if err != nil {
				t.fail(err)
				return
			}
			t.schema = req.Schema
		}
	})
	var first json.RawMessage
	firstSet := false
	for _, t := range targets {
		if t.done {
			continue
		}
		if same {
			if !firstSet {
				first, firstSet = t.schema, true
			} else if !domain.SameSchema(first, t.schema) {
				t.told, t.done = cmdutil.SchemaDiffersTold(t.run), true
				continue
			}
		}
		ans, err := payloadFor(t.run, t.schema, opts, t.whole)
		if err != nil {
			t.fail(err)
			continue
		}
		t.ans, t.ready = ans, true
	}
}

// confirmMany lists the runs on stderr and asks once (cmdutil.Confirm),
// with the one answer, or each run's own after its name.
func confirmMany(io *cmdutil.IOStreams, ready []*target, same bool) error {
	fmt.Fprintf(io.ErrOut, "%d run(s) to resume (id, flow, name):\n", len(ready))
	for _, t := range ready {
		line := fmt.Sprintf("  %s  %s  %s", termsafe.Line(t.run.ID), termsafe.Line(t.run.FlowName), termsafe.Line(t.run.Name))
		if !same {
			line += "  " + termsafe.Line(compactJSON(t.ans.shown))
		}
		fmt.Fprintln(io.ErrOut, line)
	}
	if same {
		return cmdutil.Confirm(io, fmt.Sprintf("Resume these %d run(s)", len(ready)), ready[0].ans.shown)
	}
	return cmdutil.Confirm(io, fmt.Sprintf("Resume these %d run(s), each with its own answer", len(ready)), nil)
}

func compactJSON(raw json.RawMessage) string {
	if raw == nil {
		return "(no answer)"
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// dryRunMany shows what would be sent to each run, and what is left out.
func dryRunMany(opts *Options, targets []*target) error {
	fmt.Fprintln(opts.IO.ErrOut, "Dry run: nothing was sent. This is what would be sent to each run (secrets masked):")
	for _, t := range targets {
		if !t.ready {
			continue
		}
		shown := t.ans.shown
		if shown == nil {
			shown = json.RawMessage("null")
		}
		t.told = cmdutil.Told{
			JSON:  cmdutil.ActionJSON{RunID: t.run.ID, RunName: t.run.Name, Outcome: "dry-run", Input: shown},
			Lines: []string{"dry run: " + termsafe.Line(t.run.Name) + " (" + t.run.ID + ") would get " + termsafe.Line(compactJSON(t.ans.shown))},
		}
	}
	return reportMany(opts.IO, opts.Output, targets)
}

// reportMany tells each run's result in order (a line each, or a JSON
// array), then the summary, and returns the error with the exit code.
func reportMany(io *cmdutil.IOStreams, output string, targets []*target) error {
	var (
		objs     []cmdutil.ActionJSON
		outcomes []string
		codes    []domain.ExitCode
	)
	for _, t := range targets {
		for _, n := range t.told.Notes {
			fmt.Fprintf(io.ErrOut, "unpause: warning: %s: %s\n", t.told.JSON.RunID, n)
		}
		objs = append(objs, t.told.JSON)
		outcomes = append(outcomes, t.told.JSON.Outcome)
		codes = append(codes, t.told.Exit)
		if output != "json" {
			for _, l := range t.told.Lines {
				fmt.Fprintln(io.Out, l)
			}
		}
	}
	summary := domain.BulkSummary(outcomes)
	if output == "json" {
		if err := cmdutil.WriteJSON(io.Out, objs); err != nil {
			return err
		}
		fmt.Fprintln(io.ErrOut, summary)
	} else {
		fmt.Fprintln(io.Out, summary)
	}
	code := domain.BulkExit(codes)
	if code == domain.ExitOK {
		return nil
	}
	return cmdutil.WithCode(code, errors.New("not every run was resumed ("+summary+"); see each run's result"))
}

// each calls fn(0) … fn(n-1), inFlight at a time, and returns when all
// have returned.
func each(n int, fn func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, inFlight)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

package tui

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

// timedAPI adds up the time spent inside the fake server, so that a
// benchmark can leave it out of unpause's own work.
type timedAPI struct {
	*tuitest.FakeAPI
	spent atomic.Int64 // nanoseconds
}

func (a *timedAPI) since(t time.Time) { a.spent.Add(int64(time.Since(t))) }

func (a *timedAPI) ListPaused(ctx context.Context, o apiclient.ListOptions) ([]apiclient.Run, apiclient.ListStats, error) {
	defer a.since(time.Now())
	return a.FakeAPI.ListPaused(ctx, o)
}

func (a *timedAPI) GetRun(ctx context.Context, id string) (*apiclient.Run, error) {
	defer a.since(time.Now())
	return a.FakeAPI.GetRun(ctx, id)
}

func (a *timedAPI) InputRequest(ctx context.Context, r *apiclient.Run) (*apiclient.InputRequest, error) {
	defer a.since(time.Now())
	return a.FakeAPI.InputRequest(ctx, r)
}

func (a *timedAPI) Resume(ctx context.Context, id string, input json.RawMessage) (*apiclient.ActionResult, error) {
	defer a.since(time.Now())
	return a.FakeAPI.Resume(ctx, id, input)
}

func (a *timedAPI) Cancel(ctx context.Context, id, reason string) (*apiclient.ActionResult, error) {
	defer a.since(time.Now())
	return a.FakeAPI.Cancel(ctx, id, reason)
}

func (a *timedAPI) Responses(ctx context.Context, id string) ([]apiclient.Response, error) {
	defer a.since(time.Now())
	return a.FakeAPI.Responses(ctx, id)
}

func (a *timedAPI) Logs(ctx context.Context, id string, limit int) ([]apiclient.LogLine, error) {
	defer a.since(time.Now())
	return a.FakeAPI.Logs(ctx, id, limit)
}

// BenchmarkQueueAnswer answers 50 runs of a one-enum schema (the
// image-label case) through queue mode: j and a open the first, then 1 and
// y answer each. Every key is an Update plus a View, as Bubble Tea does;
// the commands run synchronously (the harness). It reports keys per answer
// and ns per answer of unpause's work: the fake server's time is left out,
// the drafts' writes to a temporary directory are not.
// Run: go test ./tui -run '^$' -bench QueueAnswer -benchtime 20x
func BenchmarkQueueAnswer(b *testing.B) {
	const runs = 50
	warm := newHarness(b, labelRuns(b, 2, animalSchema)) // learn huh's slow commands once
	warm.keys("j", "a", "1", "y")

	var keys, answers int
	var elapsed, inAPI time.Duration
	for range b.N {
		b.StopTimer()
		api := &timedAPI{FakeAPI: labelRuns(b, runs, animalSchema)}
		h := newHarness(b, api.FakeAPI, func(o *Options) { o.API = api })
		press := func(ks ...string) {
			for _, k := range ks {
				h.send(keyMsg(k))
				_ = h.m.Render()
				keys++
			}
		}
		api.spent.Store(0)
		b.StartTimer()
		start := time.Now()
		press("j", "a")
		for range runs {
			press("1", "y")
		}
		elapsed += time.Since(start)
		inAPI += time.Duration(api.spent.Load())
		b.StopTimer()
		if n := len(api.ResumeCalls()); n != runs {
			b.Fatalf("%d of %d answered", n, runs)
		}
		answers += runs
		b.StartTimer()
	}
	b.ReportMetric(float64(keys)/float64(answers), "keys/answer")
	b.ReportMetric(float64((elapsed-inAPI).Nanoseconds())/float64(answers), "ns/answer")
	b.ReportMetric(float64(inAPI.Nanoseconds())/float64(answers), "api-ns/answer")
}

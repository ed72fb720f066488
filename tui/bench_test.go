package tui

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/tui/inbox"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

// Benchmarks with 10,000 paused runs. They report milliseconds per
// keystroke (Update + View, the work Bubble Tea does per key) and the heap
// the loaded inbox holds. Run: go test ./tui -run '^$' -bench . -benchtime 200x

func bigFixture(b *testing.B, n int) *tuitest.FakeAPI {
	b.Helper()
	api := tuitest.NewFake()
	runs := make([]apiclient.Run, n)
	for i := range n {
		exp := time.Duration(i%500-20) * time.Minute
		runs[i] = tuitest.MkRun(b, tuitest.RunSpec{
			ID: fmt.Sprintf("0198c7a2-5b1e-7c4d-9e61-%012d", i), Name: fmt.Sprintf("run-%05d-crimson-falcon", i),
			Flow: fmt.Sprintf("flow-%03d", i%300), Deployment: "prod", PausedAgo: time.Duration(i%1000) * time.Minute,
			ExpiresIn: &exp, Tags: []string{"ops", fmt.Sprintf("team-%d", i%17)}, Pool: "k8s-pool",
		})
		api.Inputs[runs[i].ID] = &apiclient.InputRequest{Schema: tuitest.ReadSchema(b, "approval_schema.json"), Description: tuitest.DeployDescription}
	}
	api.SetRuns(runs...)
	return api
}

func bigHarness(b *testing.B, api *tuitest.FakeAPI) *harness {
	h := newHarness(b, api)
	h.send(tea.WindowSizeMsg{Width: 140, Height: 40})
	if h.m.inbox.Len() != len(api.Runs) {
		b.Fatalf("loaded %d runs", h.m.inbox.Len())
	}
	return h
}

func reportMS(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/key")
}

func BenchmarkInboxMoveDown10k(b *testing.B) {
	h := bigHarness(b, bigFixture(b, 10000))
	down, up := keyMsg("j"), keyMsg("k")
	b.ReportAllocs()
	runtime.GC() // the fixture's garbage is not the keystroke's
	b.ResetTimer()
	for i := range b.N {
		k := down
		if (i/5000)%2 == 1 {
			k = up
		}
		h.m.Update(k)
		_ = h.m.View()
	}
	reportMS(b)
}

func BenchmarkInboxFilterKey10k(b *testing.B) {
	h := bigHarness(b, bigFixture(b, 10000))
	h.m.Update(keyMsg("/"))
	keys := []tea.KeyPressMsg{
		keyMsg("f"), keyMsg("l"), keyMsg("o"), keyMsg("w"), keyMsg("-"), keyMsg("1"),
		keyMsg("backspace"), keyMsg("backspace"), keyMsg("backspace"), keyMsg("backspace"), keyMsg("backspace"), keyMsg("backspace"),
	}
	b.ReportAllocs()
	runtime.GC() // the fixture's garbage is not the keystroke's
	b.ResetTimer()
	for i := range b.N {
		h.m.Update(keys[i%len(keys)])
		_ = h.m.View()
	}
	reportMS(b)
}

func BenchmarkSortCycle10k(b *testing.B) {
	h := bigHarness(b, bigFixture(b, 10000))
	runtime.GC() // the fixture's garbage is not the keystroke's
	b.ResetTimer()
	for range b.N {
		h.m.Update(keyMsg("s"))
		_ = h.m.View()
	}
	reportMS(b)
}

// BenchmarkOpenCachedRun opens a run whose description is already rendered:
// enter, the run's loads (fake API, run synchronously), the frame; then esc.
func BenchmarkOpenCachedRun(b *testing.B) {
	h := bigHarness(b, bigFixture(b, 10000))
	h.keys("j", "enter") // first open renders and caches
	h.keys("esc")
	renders := h.m.md.Len()
	runtime.GC() // the fixture's garbage is not the keystroke's
	b.ResetTimer()
	for range b.N {
		h.send(keyMsg("enter"))
		_ = h.m.View()
		h.m.Update(keyMsg("esc"))
	}
	b.StopTimer()
	if h.m.md.Len() != renders {
		b.Fatal("description rendered again")
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/open")
}

func BenchmarkRefresh10k(b *testing.B) {
	api := bigFixture(b, 10000)
	h := bigHarness(b, api)
	api.Mu.Lock()
	runs := append([]apiclient.Run(nil), api.Runs...)
	api.Mu.Unlock()
	// The part in Update: the rows were prepared in the command.
	runtime.GC() // the fixture's garbage is not the keystroke's
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		p := inbox.Prepare(runs)
		b.StartTimer()
		h.m.Update(listMsg{gen: h.m.profileGen, prepared: p, at: tuitest.Now})
		_ = h.m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/refresh-update")
}

// BenchmarkPrepare10k is the part of a refresh done in the command.
func BenchmarkPrepare10k(b *testing.B) {
	api := bigFixture(b, 10000)
	runtime.GC() // the fixture's garbage is not the keystroke's
	b.ResetTimer()
	for range b.N {
		_ = inbox.Prepare(api.Runs)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/prepare")
}

// BenchmarkMemory10k reports the heap held by the app with 10,000 runs
// loaded (the runs, the inbox's prepared rows, the open run). It measures
// once; b.N only repeats nothing.
func BenchmarkMemory10k(b *testing.B) {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	api := bigFixture(b, 10000)
	h := bigHarness(b, api)
	h.keys("j", "enter") // one run open, its description rendered
	// The fake server's own copy of the runs and schemas is not the app's.
	api.Mu.Lock()
	api.Runs = nil
	api.Inputs = nil
	api.Mu.Unlock()
	runtime.GC()
	debug.FreeOSMemory() // what the process would keep resident
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(h)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(base.HeapAlloc))/(1<<20), "MB-app-heap")
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "MB-heap-inuse")
	b.ReportMetric(float64(after.HeapSys-after.HeapReleased)/(1<<20), "MB-heap-resident")
	b.ReportMetric(float64(after.Sys)/(1<<20), "MB-sys")
	for range b.N {
	}
}

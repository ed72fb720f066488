// Command benchlist measures `unpause list --output json` against the bare
// HTTP requests that listing needs and against `prefect flow-run ls`, on a
// real Prefect server, and prints the figures. scripts/bench-list runs it
// against a fresh server seeded with 1,000 paused runs.
//
//	go run ./scripts/benchlist -unpause ./unpause -prefect .venv/bin/prefect -runs 1000
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	var (
		apiURL   = flag.String("api-url", os.Getenv("PREFECT_API_URL"), "Prefect API URL")
		unpause  = flag.String("unpause", "./unpause", "the unpause binary")
		prefect  = flag.String("prefect", "", "the prefect CLI (empty: skip that comparison)")
		rounds   = flag.Int("rounds", 15, "timed rounds for unpause and bare HTTP")
		pfRounds = flag.Int("prefect-rounds", 3, "timed rounds for the prefect CLI")
		wantRuns = flag.Int("runs", 0, "expected number of paused runs (0: do not check)")
	)
	flag.Parse()
	if *apiURL == "" {
		fail("set PREFECT_API_URL or -api-url")
	}
	api := strings.TrimRight(*apiURL, "/")

	// Warm both paths once (server caches, page cache) before timing.
	n, requests, err := bareList(api)
	if err != nil {
		fail("bare HTTP list: %v", err)
	}
	if *wantRuns > 0 && n != *wantRuns {
		fail("the server has %d paused runs, want %d", n, *wantRuns)
	}
	if out, err := exec.Command(*unpause, "list", "--output", "json", "--api-url", api).Output(); err != nil {
		fail("unpause list: %v", err)
	} else {
		var runs []json.RawMessage
		if err := json.Unmarshal(out, &runs); err != nil || len(runs) != n {
			fail("unpause list printed %d runs (err %v), the server has %d", len(runs), err, n)
		}
	}

	// Interleaved, so that load from anything else on the machine falls on
	// both sides alike.
	bare, up := timeInterleaved(*rounds,
		func() error { _, _, err := bareList(api); return err },
		func() error {
			cmd := exec.Command(*unpause, "list", "--output", "json", "--api-url", api)
			cmd.Stdout = io.Discard
			return cmd.Run()
		})
	fmt.Printf("paused runs:                          %d\n", n)
	fmt.Printf("requests per list:                    %d (%d pages of up to 200 + 1 flows/filter + 1 deployments/filter)\n", requests, requests-2)
	fmt.Printf("bare HTTP requests, median of %2d:     %s\n", *rounds, bare.Round(time.Millisecond/10))
	fmt.Printf("unpause list --output json, median:   %s (a new process each time)\n", up.Round(time.Millisecond/10))
	fmt.Printf("unpause / bare HTTP:                  %.2fx (target <= 1.5x)\n", float64(up)/float64(bare))
	// Would fetching the pages concurrently (once /flow_runs/count says how
	// many there are) beat the sequential floor? Timed the same way.
	seq, conc := timeInterleaved(*rounds,
		func() error { _, _, err := bareList(api); return err },
		func() error { _, err := concurrentPages(api); return err })
	fmt.Printf("pages concurrently after a count:     %s vs %s sequential (%.2fx)\n",
		conc.Round(time.Millisecond/10), seq.Round(time.Millisecond/10), float64(conc)/float64(seq))
	if *prefect != "" {
		// The prefect CLI lists one page: --limit above the server's
		// maximum (200) is refused, so it cannot show all runs at all; it is
		// timed listing 200, which flatters it.
		pf := timeRounds(*pfRounds, func() error {
			cmd := exec.Command(*prefect, "flow-run", "ls", "--state", "Paused", "--state", "Suspended", "--limit", "200")
			cmd.Env = append(os.Environ(), "PREFECT_API_URL="+api)
			cmd.Stdout = io.Discard
			return cmd.Run()
		})
		fmt.Printf("prefect flow-run ls --limit 200, median of %d: %s (200 runs: its maximum)\n", *pfRounds, pf.Round(time.Millisecond))
		fmt.Printf("prefect / unpause:                    %.1fx (target >= 10x)\n", float64(pf)/float64(up))
	}
}

// bareList makes exactly the requests `unpause list` needs, with nothing
// else: every page of PAUSED runs, then one batched flows and one batched
// deployments look-up. It is the floor unpause is measured against.
func bareList(api string) (runs, requests int, err error) {
	type run struct {
		FlowID       string `json:"flow_id"`
		DeploymentID string `json:"deployment_id"`
	}
	flows, deps := map[string]bool{}, map[string]bool{}
	for offset := 0; ; offset += 200 {
		body := fmt.Sprintf(`{"flow_runs":{"state":{"type":{"any_":["PAUSED"]}}},"sort":"START_TIME_DESC","limit":200,"offset":%d}`, offset)
		var page []run
		if err := post(api+"/flow_runs/filter", body, &page); err != nil {
			return 0, requests, err
		}
		requests++
		for _, r := range page {
			flows[r.FlowID] = true
			if r.DeploymentID != "" {
				deps[r.DeploymentID] = true
			}
		}
		runs += len(page)
		if len(page) < 200 {
			break
		}
	}
	ids := func(m map[string]bool) string {
		b, _ := json.Marshal(slices.Sorted(func(yield func(string) bool) {
			for k := range m {
				if !yield(k) {
					return
				}
			}
		}))
		return string(b)
	}
	var sink []json.RawMessage
	if err := post(api+"/flows/filter", `{"flows":{"id":{"any_":`+ids(flows)+`}},"limit":200}`, &sink); err != nil {
		return runs, requests, err
	}
	requests++
	if err := post(api+"/deployments/filter", `{"deployments":{"id":{"any_":`+ids(deps)+`}},"limit":200}`, &sink); err != nil {
		return runs, requests, err
	}
	requests++
	return runs, requests, nil
}

// concurrentPages counts the PAUSED runs, then fetches every page at once
// (the name look-ups as in bareList would follow; they are the same in
// both), and returns how many runs it read.
func concurrentPages(api string) (int, error) {
	var count int
	if err := post(api+"/flow_runs/count", `{"flow_runs":{"state":{"type":{"any_":["PAUSED"]}}}}`, &count); err != nil {
		return 0, err
	}
	pages := (count + 199) / 200
	got := make([]int, pages)
	errs := make([]error, pages)
	var wg sync.WaitGroup
	for i := range pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"flow_runs":{"state":{"type":{"any_":["PAUSED"]}}},"sort":"START_TIME_DESC","limit":200,"offset":%d}`, i*200)
			var page []json.RawMessage
			errs[i] = post(api+"/flow_runs/filter", body, &page)
			got[i] = len(page)
		}()
	}
	wg.Wait()
	n := 0
	for i := range pages {
		if errs[i] != nil {
			return n, errs[i]
		}
		n += got[i]
	}
	var sink []json.RawMessage
	// The two name look-ups, as bareList makes them (ids do not change the cost much).
	if err := post(api+"/flows/filter", `{"limit":200}`, &sink); err != nil {
		return n, err
	}
	return n, post(api+"/deployments/filter", `{"limit":200}`, &sink)
}

func post(url, body string, out any) error {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s: HTTP %d: %s", url, resp.StatusCode, b)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// timeInterleaved runs a and b alternately n times each and returns the
// median wall time of each.
func timeInterleaved(n int, a, b func() error) (time.Duration, time.Duration) {
	var da, db []time.Duration
	for range n {
		for _, step := range []struct {
			f   func() error
			out *[]time.Duration
		}{{a, &da}, {b, &db}} {
			start := time.Now()
			if err := step.f(); err != nil {
				fail("%v", err)
			}
			*step.out = append(*step.out, time.Since(start))
		}
	}
	slices.Sort(da)
	slices.Sort(db)
	return da[len(da)/2], db[len(db)/2]
}

// timeRounds runs f n times and returns the median wall time.
func timeRounds(n int, f func() error) time.Duration {
	var ds []time.Duration
	for range n {
		start := time.Now()
		if err := f(); err != nil {
			fail("%v", err)
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "benchlist: "+format+"\n", a...)
	os.Exit(1)
}

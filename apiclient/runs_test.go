package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// flowRunsFilterBody mirrors the keys /flow_runs/filter accepts that
// unpause uses; decoding with DisallowUnknownFields stands in for the
// server's extra="forbid" filter models.
type flowRunsFilterBody struct {
	FlowRuns *struct {
		Operator string `json:"operator"`
		ID       *struct {
			Any []string `json:"any_"`
		} `json:"id"`
		Name *struct {
			Any []string `json:"any_"`
		} `json:"name"`
		Tags *struct {
			All []string `json:"all_"`
		} `json:"tags"`
		State *struct {
			Operator string `json:"operator"`
			Type     *struct {
				Any []string `json:"any_"`
			} `json:"type"`
		} `json:"state"`
	} `json:"flow_runs"`
	Flows *struct {
		Name *struct {
			Any []string `json:"any_"`
		} `json:"name"`
	} `json:"flows"`
	Sort   string `json:"sort"`
	Limit  *int   `json:"limit"`
	Offset int    `json:"offset"`
}

type idsFilterBody struct {
	Flows *struct {
		ID struct {
			Any []string `json:"any_"`
		} `json:"id"`
	} `json:"flows"`
	Deployments *struct {
		ID struct {
			Any []string `json:"any_"`
		} `json:"id"`
	} `json:"deployments"`
	Limit *int `json:"limit"`
}

func strictDecode(r *http.Request, v any) error {
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(r.Body)
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

const extraForbiddenJSON = `{"exception_message":"Invalid request received.","exception_detail":[{"type":"extra_forbidden","loc":["body","flow_runs","bogus"],"msg":"Extra inputs are not permitted","input":1}],"request_body":{}}`

// pausedServer serves a fixed list of paused runs the way the real server
// pages them, with its limit check and forbidden extra keys, plus the flow
// and deployment look-ups.
type pausedServer struct {
	*fakeServer
	maxLimit int
	mu       sync.Mutex
	runs     []map[string]any
	flows    map[string]string // id -> name
	deps     map[string]string
	limits   []int // limit of each /flow_runs/filter request
	offsets  []int
	idCounts []int // ids per look-up request
}

func newPausedServer(t *testing.T, runs []map[string]any, maxLimit int) *pausedServer {
	p := &pausedServer{
		fakeServer: newFake(t), maxLimit: maxLimit, runs: runs,
		flows: map[string]string{}, deps: map[string]string{},
	}
	tooBig := func(w http.ResponseWriter, limit *int) bool {
		if limit != nil && *limit > p.maxLimit {
			reply(w, 422, fmt.Sprintf(`{"detail":"Invalid limit: must be less than or equal to %d."}`, p.maxLimit))
			return true
		}
		return false
	}
	p.handle("POST /api/flow_runs/filter", func(w http.ResponseWriter, r *http.Request) {
		var b flowRunsFilterBody
		if err := strictDecode(r, &b); err != nil {
			reply(w, 422, extraForbiddenJSON)
			return
		}
		if tooBig(w, b.Limit) {
			return
		}
		limit := p.maxLimit
		if b.Limit != nil {
			limit = *b.Limit
		}
		p.mu.Lock()
		p.limits = append(p.limits, limit)
		p.offsets = append(p.offsets, b.Offset)
		p.mu.Unlock()
		var page []map[string]any
		for i, run := range p.runs {
			if i < b.Offset {
				continue
			}
			if len(page) == limit {
				break
			}
			page = append(page, run)
		}
		if page == nil {
			page = []map[string]any{}
		}
		reply(w, 200, mustJSON(t, page))
	})
	lookup := func(names map[string]string, kind string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var b idsFilterBody
			if err := strictDecode(r, &b); err != nil {
				reply(w, 422, extraForbiddenJSON)
				return
			}
			if tooBig(w, b.Limit) {
				return
			}
			var ids []string
			if kind == "flow" && b.Flows != nil {
				ids = b.Flows.ID.Any
			} else if kind == "deployment" && b.Deployments != nil {
				ids = b.Deployments.ID.Any
			}
			if b.Limit == nil || len(ids) > *b.Limit {
				t.Errorf("%s look-up with %d ids and limit %v: the server would drop some", kind, len(ids), b.Limit)
			}
			p.mu.Lock()
			p.idCounts = append(p.idCounts, len(ids))
			p.mu.Unlock()
			var out []map[string]any
			for _, id := range ids {
				if name, ok := names[id]; ok {
					out = append(out, map[string]any{
						"id": id, "created": "2026-08-01T00:00:00Z", "updated": "2026-08-01T00:00:00Z",
						"name": name, "tags": []string{}, "labels": map[string]any{}, "flow_id": flowAID, "work_pool_name": "ops-pool",
					})
				}
			}
			if out == nil {
				out = []map[string]any{}
			}
			reply(w, 200, mustJSON(t, out))
		}
	}
	p.handle("POST /api/flows/filter", lookup(p.flows, "flow"))
	p.handle("POST /api/deployments/filter", lookup(p.deps, "deployment"))
	return p
}

// manyRuns builds n paused runs spread over flows and deployments
// (nDeps == 0: no deployment).
func manyRuns(t *testing.T, n, nFlows, nDeps int) ([]map[string]any, []string, []string) {
	var flowIDs, depIDs []string
	for i := 0; i < nFlows; i++ {
		flowIDs = append(flowIDs, fmt.Sprintf("5f0e7d0a-3c1b-4b8e-9a77-%012d", i))
	}
	for i := 0; i < nDeps; i++ {
		depIDs = append(depIDs, fmt.Sprintf("7a1c2b3d-4e5f-4061-8a9b-%012d", i))
	}
	var runs []map[string]any
	for i := 0; i < n; i++ {
		ch := map[string]any{
			"id":                  fmt.Sprintf("0198c7a2-5b1e-7c4d-9e61-%012d", i),
			"name":                fmt.Sprintf("run-%d", i),
			"flow_id":             flowIDs[i%nFlows],
			"state.id":            fmt.Sprintf("0198c7a9-1a22-7f00-8b3e-%012d", i),
			"details.flow_run_id": fmt.Sprintf("0198c7a2-5b1e-7c4d-9e61-%012d", i),
		}
		if nDeps > 0 {
			ch["deployment_id"] = depIDs[i%nDeps]
		} else {
			ch["deployment_id"] = nil
		}
		runs = append(runs, runWith(t, ch))
	}
	return runs, flowIDs, depIDs
}

func TestListPausedPagingAndBatching(t *testing.T) {
	runs, flowIDs, depIDs := manyRuns(t, 450, 3, 2)
	p := newPausedServer(t, runs, 200)
	for i, id := range flowIDs {
		p.flows[id] = fmt.Sprintf("flow-%d", i)
	}
	for i, id := range depIDs {
		p.deps[id] = fmt.Sprintf("deploy-%d", i)
	}
	c, _ := newClient(t, p.fakeServer)

	got, stats, err := c.ListPaused(context.Background(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 450 {
		t.Fatalf("%d runs, want 450", len(got))
	}
	for i, r := range got {
		if r.ID != runs[i]["id"] {
			t.Fatalf("run %d is %s: server order not kept", i, r.ID)
		}
		if r.FlowName != fmt.Sprintf("flow-%d", i%3) || r.DeploymentName != fmt.Sprintf("deploy-%d", i%2) {
			t.Fatalf("run %d names %q / %q", i, r.FlowName, r.DeploymentName)
		}
	}
	if !slices.Equal(p.offsets, []int{0, 200, 400}) || !slices.Equal(p.limits, []int{200, 200, 200}) {
		t.Errorf("offsets %v limits %v", p.offsets, p.limits)
	}
	if n := p.count("POST", "/api/flows/filter"); n != 1 {
		t.Errorf("%d flow look-ups, want 1", n)
	}
	if n := p.count("POST", "/api/deployments/filter"); n != 1 {
		t.Errorf("%d deployment look-ups, want 1", n)
	}
	// 3 pages + 1 flows + 1 deployments; no CSRF probe (CSRF is off here).
	if stats.Pages != 3 || stats.Requests != 5 {
		t.Errorf("stats = %+v, want 3 pages, 5 requests", stats)
	}
	if n := len(p.requests()); n != stats.Requests {
		t.Errorf("server saw %d requests, stats say %d", n, stats.Requests)
	}

	// Second list: names come from the cache, CSRF state is known.
	_, stats, err = c.ListPaused(context.Background(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Pages != 3 || stats.Requests != 3 {
		t.Errorf("second list stats = %+v, want 3 pages, 3 requests", stats)
	}
	if n := p.count("POST", "/api/flows/filter") + p.count("POST", "/api/deployments/filter"); n != 2 {
		t.Errorf("look-ups repeated: %d in total", n)
	}
	// GetRun of a known run reuses the cache too.
	p.json("GET /api/flow_runs/{id}", 200, mustJSON(t, runs[4]))
	r, err := c.GetRun(context.Background(), runs[4]["id"].(string))
	if err != nil || r.FlowName != "flow-1" || r.DeploymentName != "deploy-0" {
		t.Fatalf("GetRun = %+v, %v", r, err)
	}
	if n := p.count("POST", "/api/flows/filter"); n != 1 {
		t.Errorf("GetRun looked the flow up again")
	}
}

func TestListPausedLowersLimitOn422(t *testing.T) {
	runs, flowIDs, _ := manyRuns(t, 120, 60, 0)
	p := newPausedServer(t, runs, 50)
	for i, id := range flowIDs {
		p.flows[id] = fmt.Sprintf("flow-%d", i)
	}
	c, _ := newClient(t, p.fakeServer)
	got, stats, err := c.ListPaused(context.Background(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 120 {
		t.Fatalf("%d runs", len(got))
	}
	if !slices.Equal(p.offsets, []int{0, 50, 100}) || !slices.Equal(p.limits, []int{50, 50, 50}) {
		t.Errorf("offsets %v limits %v", p.offsets, p.limits)
	}
	// The 422 + 3 pages + flows (60 ids at the lowered limit: 50 + 10).
	if stats.Pages != 3 || stats.Requests != 1+3+2 {
		t.Errorf("stats %+v", stats)
	}
	if !slices.Equal(p.idCounts, []int{50, 10}) {
		t.Errorf("look-up chunks %v, want [50 10]", p.idCounts)
	}
	for i, r := range got {
		if r.FlowName != fmt.Sprintf("flow-%d", i%60) {
			t.Fatalf("run %d flow name %q", i, r.FlowName)
		}
	}
	// The client remembers the server's limit.
	_, stats, err = c.ListPaused(context.Background(), ListOptions{})
	if err != nil || stats.Requests != 3 {
		t.Errorf("second list: %+v, %v", stats, err)
	}
}

func TestListPausedChunksLookups(t *testing.T) {
	runs, flowIDs, _ := manyRuns(t, 250, 250, 0)
	p := newPausedServer(t, runs, 200)
	for i, id := range flowIDs {
		if i != 7 { // one flow was deleted
			p.flows[id] = fmt.Sprintf("flow-%d", i)
		}
	}
	c, _ := newClient(t, p.fakeServer)
	got, _, err := c.ListPaused(context.Background(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.idCounts, []int{200, 50}) {
		t.Errorf("flow look-up chunks %v, want [200 50]", p.idCounts)
	}
	if n := p.count("POST", "/api/deployments/filter"); n != 0 {
		t.Errorf("%d deployment look-ups for runs without deployments", n)
	}
	if got[7].FlowName != "" || got[8].FlowName != "flow-8" || got[0].DeploymentID != "" {
		t.Errorf("names: %q %q dep %q", got[7].FlowName, got[8].FlowName, got[0].DeploymentID)
	}
	// The deleted flow is cached as unknown, not asked for again.
	if _, _, err := c.ListPaused(context.Background(), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := p.count("POST", "/api/flows/filter"); n != 2 {
		t.Errorf("%d flow look-ups after the second list, want 2", n)
	}
}

func TestListPausedBodies(t *testing.T) {
	f := newFake(t)
	noInput := runWith(t, map[string]any{"id": "0198c7a2-5b1e-7c4d-9e61-000000000002", "details.run_input_keyset": nil})
	f.json("POST /api/flow_runs/filter", 200, "["+pausedRunJSON+","+mustJSON(t, noInput)+"]")
	f.json("POST /api/flows/filter", 200, `[{"id":"`+flowAID+`","created":"2026-08-01T00:00:00Z","updated":"2026-08-01T00:00:00Z","name":"human-approval","tags":[],"labels":{}}]`)
	f.json("POST /api/deployments/filter", 200, `[{"id":"`+depAID+`","name":"nightly","flow_id":"`+flowAID+`","work_pool_name":"ops-pool","tags":[]}]`)
	c, _ := newClient(t, f)

	all, _, err := c.ListPaused(context.Background(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].FlowName != "human-approval" || all[0].DeploymentName != "nightly" {
		t.Fatalf("got %+v", all)
	}
	some, _, err := c.ListPaused(context.Background(), ListOptions{
		FlowNames: []string{"human-approval"}, Tags: []string{"ops", "cleanup"}, NeedsInputOnly: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(some) != 1 || some[0].ID != runAID {
		t.Fatalf("NeedsInputOnly kept %d runs", len(some))
	}
	bodies := f.bodies("POST", "/api/flow_runs/filter")
	sameJSONText(t, bodies[0], `{"flow_runs":{"operator":"and_","state":{"operator":"and_","type":{"any_":["PAUSED"]}}},"sort":"START_TIME_DESC","limit":200,"offset":0}`)
	sameJSONText(t, bodies[1], `{"flow_runs":{"operator":"and_","tags":{"all_":["ops","cleanup"]},"state":{"operator":"and_","type":{"any_":["PAUSED"]}}},`+
		`"flows":{"name":{"any_":["human-approval"]}},"sort":"START_TIME_DESC","limit":200,"offset":0}`)
	sameJSONText(t, f.bodies("POST", "/api/flows/filter")[0], `{"flows":{"id":{"any_":["`+flowAID+`"]}},"limit":200}`)
	sameJSONText(t, f.bodies("POST", "/api/deployments/filter")[0], `{"deployments":{"id":{"any_":["`+depAID+`"]}},"limit":200}`)
}

// The wire types decode 8.4 (a) and its variants: Z and +00:00 offsets,
// nulls everywhere, unknown fields.
func TestDecodeFlowRun(t *testing.T) {
	var fr FlowRun
	if err := json.Unmarshal([]byte(pausedRunJSON), &fr); err != nil {
		t.Fatal(err)
	}
	r := Run{FlowRun: fr}
	if !r.Paused() || r.Suspended() || !r.NeedsInput() {
		t.Errorf("paused=%v suspended=%v needsInput=%v", r.Paused(), r.Suspended(), r.NeedsInput())
	}
	want := time.Date(2026, 8, 21, 17, 27, 33, 120001000, time.UTC)
	if r.ExpiresAt() == nil || !r.ExpiresAt().Equal(want) {
		t.Errorf("ExpiresAt = %v", r.ExpiresAt())
	}
	if r.State.Details.RunInputKeyset.Response != "paused-1-response" || r.WorkPoolName != "ops-pool" ||
		!slices.Equal(r.Tags, []string{"ops", "cleanup"}) || string(r.Parameters) != `{"preview": "3 runs", "count": 3}` {
		t.Errorf("decoded %+v", r)
	}

	plus := strings.NewReplacer("Z\"", "+00:00\"").Replace(pausedRunJSON)
	var fr2 FlowRun
	if err := json.Unmarshal([]byte(plus), &fr2); err != nil {
		t.Fatal(err)
	}
	if !fr2.State.Timestamp.Equal(fr.State.Timestamp) || !fr2.Created.Equal(fr.Created) {
		t.Errorf("+00:00 and Z decode differently: %v vs %v", fr2.State.Timestamp, fr.State.Timestamp)
	}

	suspended := runWith(t, map[string]any{
		"state.name": "Suspended", "details.pause_reschedule": true,
		"details.pause_timeout": nil, "details.pause_key": nil, "details.run_input_keyset": nil,
		"tags": nil, "parameters": nil, "deployment_id": nil, "work_pool_name": nil, "start_time": nil,
		"state.message": nil, "created": nil,
	})
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 200, mustJSON(t, suspended))
	f.json("POST /api/flows/filter", 200, `[]`)
	c, _ := newClient(t, f)
	got, err := c.GetRun(context.Background(), runAID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Suspended() || got.NeedsInput() || got.ExpiresAt() != nil || got.Parameters != nil || got.StartTime != nil {
		t.Errorf("suspended run decoded as %+v", got)
	}
	if n := f.count("POST", "/api/deployments/filter"); n != 0 {
		t.Error("looked up a null deployment")
	}
}

func TestGetRunNotFound(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/flow_runs/{id}", 404, notFoundRunJSON)
	c, _ := newClient(t, f)
	_, err := c.GetRun(context.Background(), runAID)
	var e *Error
	if !IsNotFound(err) || !errors.As(err, &e) || e.StatusCode != 404 || e.Reason != "Flow run not found" ||
		e.Op != "get run" || e.Method != "GET" || e.URL != f.apiURL()+"/flow_runs/"+runAID {
		t.Fatalf("err = %#v", err)
	}
}

func TestResolveRun(t *testing.T) {
	paused1 := runWith(t, map[string]any{"name": "twin"})
	paused2 := runWith(t, map[string]any{"name": "twin", "id": "0198c7a2-5b1e-7c4d-9e61-000000000002"})
	doneRun := runWith(t, map[string]any{
		"name": "finished", "id": "0198c7a2-5b1e-7c4d-9e61-000000000003",
		"state.type": "COMPLETED", "state.name": "Completed",
	})
	doneTwin1 := runWith(t, map[string]any{"name": "old", "id": "0198c7a2-5b1e-7c4d-9e61-000000000004", "state.type": "COMPLETED"})
	doneTwin2 := runWith(t, map[string]any{"name": "old", "id": "0198c7a2-5b1e-7c4d-9e61-000000000005", "state.type": "FAILED"})
	pausedRuns := []map[string]any{runWith(t, nil), paused1, paused2}
	allRuns := append(append([]map[string]any{}, pausedRuns...), doneRun, doneTwin1, doneTwin2)

	f := newFake(t)
	f.handle("POST /api/flow_runs/filter", func(w http.ResponseWriter, r *http.Request) {
		var b flowRunsFilterBody
		if err := strictDecode(r, &b); err != nil || b.FlowRuns == nil || b.FlowRuns.Name == nil {
			reply(w, 422, extraForbiddenJSON)
			return
		}
		src := allRuns
		if b.FlowRuns.State != nil {
			src = pausedRuns
		}
		out := []map[string]any{}
		for _, run := range src {
			if slices.Contains(b.FlowRuns.Name.Any, run["name"].(string)) {
				out = append(out, run)
			}
		}
		reply(w, 200, mustJSON(t, out))
	})
	f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
	f.json("POST /api/flows/filter", 200, `[{"id":"`+flowAID+`","name":"human-approval"}]`)
	f.json("POST /api/deployments/filter", 200, `[]`)
	c, _ := newClient(t, f)
	ctx := context.Background()

	if r, err := c.ResolveRun(ctx, runAID); err != nil || r.ID != runAID || r.FlowName != "human-approval" {
		t.Fatalf("by id: %+v %v", r, err)
	}
	if f.count("POST", "/api/flow_runs/filter") != 0 {
		t.Error("an id was searched as a name")
	}
	link := strings.TrimSuffix(f.apiURL(), "/api") + "/runs/flow-run/" + strings.ToUpper(runAID) + "/?tab=Logs"
	if r, err := c.ResolveRun(ctx, " "+link+" "); err != nil || r.ID != runAID {
		t.Fatalf("by link: %+v %v", r, err)
	}
	gets := f.count("GET", "/api/flow_runs/"+runAID)
	if _, err := c.ResolveRun(ctx, "http://prefect.example:4200/runs/flow-run/"+runAID); KindOf(err) != ErrUsage ||
		!strings.Contains(err.Error(), "prefect.example") {
		t.Fatalf("link to another server: %v", err)
	}
	if f.count("GET", "/api/flow_runs/"+runAID) != gets || f.count("POST", "/api/flow_runs/filter") != 0 {
		t.Error("a link to another server was looked up on this one")
	}
	if r, err := c.ResolveRun(ctx, " crimson-falcon "); err != nil || r.ID != runAID {
		t.Fatalf("by paused name: %+v %v", r, err)
	}
	_, err := c.ResolveRun(ctx, "twin")
	if KindOf(err) != ErrAmbiguous || !strings.Contains(err.Error(), runAID) ||
		!strings.Contains(err.Error(), "0198c7a2-5b1e-7c4d-9e61-000000000002") {
		t.Fatalf("twin: %v", err)
	}
	if r, err := c.ResolveRun(ctx, "finished"); err != nil || r.ID != "0198c7a2-5b1e-7c4d-9e61-000000000003" || r.Paused() {
		t.Fatalf("by name among all: %+v %v", r, err)
	}
	if _, err := c.ResolveRun(ctx, "old"); KindOf(err) != ErrAmbiguous {
		t.Fatalf("old: %v", err)
	}
	if _, err := c.ResolveRun(ctx, "nope"); !IsNotFound(err) || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("nope: %v", err)
	}
	if _, err := c.ResolveRun(ctx, "  "); KindOf(err) != ErrBadRequest {
		t.Fatalf("blank: %v", err)
	}
}

package tui

import (
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/tui/answer"
	"github.com/unpause-dev/unpause/tui/drafts"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

var lightBackground = color.RGBA{R: 250, G: 250, B: 250, A: 255}

func rowOrder(h *harness) []string {
	var out []string
	for _, r := range h.m.inbox.Rows() {
		out = append(out, r.ID)
	}
	return out
}

func TestInboxListsRunsSoonestExpiryFirst(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	if got, want := strings.Join(rowOrder(h), ","), "r-report,r-deploy,r-shirt,r-nightly"; got != want {
		t.Fatalf("order %s, want %s", got, want)
	}
	h.mustSee("4 runs waiting", "profile prod", "http://127.0.0.1:4200/api",
		"weekly-report", "expired", "deploy/prod", "! 5m", "suspended", "never", "updated 12:00:00", "sort: expiry")
	lines := strings.Split(h.view(), "\n")
	if !strings.HasPrefix(lines[2], "▸") || !strings.Contains(lines[2], "weekly-report") {
		t.Fatalf("first row should be selected: %q", lines[2])
	}
}

func TestNavigationFilterAndSort(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	h.keys("j")
	if h.m.inbox.SelectedID() != "r-deploy" {
		t.Fatalf("j selected %s", h.m.inbox.SelectedID())
	}
	h.keys("down", "down", "down") // stops at the last row
	if h.m.inbox.SelectedID() != "r-nightly" {
		t.Fatalf("selected %s", h.m.inbox.SelectedID())
	}
	h.keys("k", "g")
	if h.m.inbox.SelectedID() != "r-report" {
		t.Fatalf("g selected %s", h.m.inbox.SelectedID())
	}
	h.keys("G")
	if h.m.inbox.SelectedID() != "r-nightly" {
		t.Fatalf("G selected %s", h.m.inbox.SelectedID())
	}

	// Live filter over flow, name and tags; q is text while filtering.
	h.keys("/")
	h.typeText("shop")
	if got := strings.Join(rowOrder(h), ","); got != "r-shirt" {
		t.Fatalf("filter by tag: %s", got)
	}
	h.mustSee("/shop", "(1 shown)")
	h.keys("backspace", "backspace", "backspace", "backspace")
	h.typeText("q")
	if h.quit {
		t.Fatal("q quit while typing a filter")
	}
	h.mustSee("No runs match the filter \"q\"")
	h.keys("esc")
	if h.m.inbox.Filter() != "" || h.m.inbox.Shown() != 4 {
		t.Fatal("esc did not clear the filter")
	}
	h.keys("/")
	h.typeText("deploy")
	h.keys("enter")
	h.mustSee("filter: deploy", "1 shown")
	h.keys("esc")
	h.mustNotSee("filter: deploy")

	h.keys("s")
	h.mustSee("Sorted by age")
	if got := strings.Join(rowOrder(h), ","); got != "r-nightly,r-deploy,r-report,r-shirt" {
		t.Fatalf("age order %s", got)
	}
	h.keys("s")
	if got := strings.Join(rowOrder(h), ","); got != "r-deploy,r-nightly,r-report,r-shirt" {
		t.Fatalf("flow order %s", got)
	}
	h.keys("s", "s")
	if h.m.inbox.Sort().String() != "expiry" {
		t.Fatal("sort did not cycle back")
	}
}

func TestRefreshKeepsSelectionAndRetriesErrors(t *testing.T) {
	api := tuitest.Fixture(t)
	h := newHarness(t, api)
	h.keys("j", "j") // r-shirt
	if h.m.inbox.SelectedID() != "r-shirt" {
		t.Fatal(h.m.inbox.SelectedID())
	}
	// A new run that sorts first appears; the interval tick refreshes.
	api.Mu.Lock()
	api.Runs = append(api.Runs, tuitest.MkRun(t, tuitest.RunSpec{ID: "r-new", Name: "urgent", Flow: "pager", PausedAgo: time.Minute, ExpiresIn: tuitest.In(time.Minute)}))
	api.Mu.Unlock()
	if len(h.ticks) != 1 {
		t.Fatalf("want exactly one pending refresh tick, have %d", len(h.ticks))
	}
	if h.ticks[0].d != 10*time.Second {
		t.Fatalf("tick interval %s", h.ticks[0].d)
	}
	calls := api.ListCalls
	h.fireTicks(nil)
	if api.ListCalls != calls+1 {
		t.Fatal("tick did not refresh")
	}
	if h.m.inbox.SelectedID() != "r-shirt" || h.m.inbox.Len() != 5 {
		t.Fatalf("selection %s, %d runs", h.m.inbox.SelectedID(), h.m.inbox.Len())
	}
	h.mustSee("5 runs waiting")

	// The server goes away: the rows stay, the status says what happened.
	api.Mu.Lock()
	api.ListErr = tuitest.ErrConn
	api.Mu.Unlock()
	h.keys("r")
	h.mustSee("refresh failed", "Server unreachable", "urgent")
	if h.liveTicks() != 1 {
		t.Fatalf("retry should stay scheduled, %d ticks", h.liveTicks())
	}
	api.Mu.Lock()
	api.ListErr = nil
	api.Mu.Unlock()
	h.fireTicks(nil)
	h.mustNotSee("refresh failed")
	if h.m.inbox.SelectedID() != "r-shirt" {
		t.Fatal("selection lost after error and recovery")
	}
}

func TestErrorAndEmptyStatesExplain(t *testing.T) {
	api := tuitest.NewFake()
	api.ListErr = tuitest.ErrConn
	h := newHarness(t, api)
	h.mustSee("Cannot reach the Prefect server at http://127.0.0.1:4200/api", "PREFECT_API_URL", "connection refused", "Retrying every 10s")

	api.Mu.Lock()
	api.ListErr = &apiclient.Error{Op: "list", StatusCode: 401, Kind: apiclient.ErrAuth, Reason: "Unauthorized"}
	api.Mu.Unlock()
	h.fireTicks(nil)
	h.mustSee("refused the credentials", "PREFECT_API_KEY", "profile prod")

	api.Mu.Lock()
	api.ListErr = nil
	api.Mu.Unlock()
	h.fireTicks(nil)
	h.mustSee("Nothing is waiting", "PREFECT_API_URL", "pause_flow_run", "0 runs waiting")
}

func TestOpenRunShowsEverything(t *testing.T) {
	h := newHarness(t, tuitest.WithEarlierAnswer(tuitest.Fixture(t)))
	h.keys("j", "enter")
	if h.m.screen != scrRun {
		t.Fatal("enter did not open the run")
	}
	h.mustSee("deploy-42", "deploy/prod", "! in 5m", "asks for input",
		"Deploy approval", "Release v2.3.1", // rendered Markdown, not the source
		"http://127.0.0.1:4200/runs/flow-run/r-deploy",
		"Parameters", `"release": "v2.3.1"`, "Answers already received", "paused-0-response",
		"Tags      ops, prod · work pool k8s")
	h.mustNotSee("**v2.3.1**", "# Deploy")
	h.keys("G") // scroll to the end
	h.mustSee("Latest log lines", "Waiting for approval", "WARNING", `"reviewer": "bo"`)
	// esc goes back with the same run selected.
	h.keys("esc")
	if h.m.screen != scrInbox || h.m.inbox.SelectedID() != "r-deploy" {
		t.Fatal("esc did not return to the inbox on the same run")
	}
	// Reopening renders from the cache and does not fetch the input again.
	calls := h.api.InputCalls
	cached := h.m.md.Len()
	h.keys("enter")
	if h.api.InputCalls != calls || h.m.md.Len() != cached {
		t.Fatalf("reopen fetched again: input calls %d->%d, renders %d->%d", calls, h.api.InputCalls, cached, h.m.md.Len())
	}
	h.mustSee("Release v2.3.1")
}

// answerShirt opens the shirt run and picks size/colour by moving down
// from "— choose —".
func answerShirt(h *harness, sizeDowns, colorDowns int) {
	h.t.Helper()
	h.keys("j", "j", "enter", "a")
	for range sizeDowns {
		h.keys("down")
	}
	h.keys("enter")
	for range colorDowns {
		h.keys("down")
	}
	h.keys("enter")
}

func TestAnswerReviewSubmitResumed(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	answerShirt(h, 2, 3) // medium, blue
	h.mustSee("Review the answer for shirt-1", "This exact JSON will be sent", `"size": "medium"`, `"color": "blue"`)
	if len(h.api.ResumeCalls()) != 0 {
		t.Fatal("sent before confirmation")
	}
	h.keys("y")
	calls := h.api.ResumeCalls()
	if len(calls) != 1 || calls[0].ID != "r-shirt" || string(calls[0].Input) != `{"size":"medium","color":"blue"}` {
		t.Fatalf("resume calls: %+v", calls)
	}
	if h.m.screen != scrRun {
		t.Fatalf("screen %d after resume", h.m.screen)
	}
	h.mustSee("Resumed: the run continues", "no longer paused: running")
	for _, id := range rowOrder(h) {
		if id == "r-shirt" {
			t.Fatal("resumed run still in the inbox")
		}
	}
	// Draft gone; nothing of the sent answer is kept on disk (the server has it).
	d, _ := h.m.drafts.Load("r-shirt")
	if d != nil {
		t.Fatalf("draft kept after resume: %+v", d)
	}
	if files, _ := filepath.Glob(filepath.Join(h.m.drafts.Dir(), "*")); h.m.drafts.Dir() != "" && len(files) != 0 {
		t.Fatalf("files left in the draft directory after resume: %v", files)
	}
}

func TestReviewOnlyYSendsAndBackKeepsValues(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	answerShirt(h, 1, 1) // small, red
	h.keys("n")
	a := h.m.currentAnswer()
	if h.m.screen != scrAnswer || a.Stage() != answer.StageForm {
		t.Fatal("n did not go back to the form")
	}
	if v := a.Values(); v["size"] != "small" || v["color"] != "red" {
		t.Fatalf("values lost going back: %v", v)
	}
	h.mustSee("> small", "> red")
	// esc leaves the form; a reopens it with the same values.
	h.keys("esc")
	if h.m.screen != scrRun {
		t.Fatal("esc did not leave the form")
	}
	h.keys("a")
	h.mustSee("> small", "> red")
	h.keys("enter", "enter") // through both fields unchanged
	h.mustSee(`"size": "small"`)
	h.keys("enter") // enter alone never sends: a held enter must not resume a run
	if got := h.api.ResumeCalls(); len(got) != 0 {
		t.Fatalf("enter in review sent the answer: %+v", got)
	}
	h.keys("y")
	if got := h.api.ResumeCalls(); len(got) != 1 || string(got[0].Input) != `{"size":"small","color":"red"}` {
		t.Fatalf("resume: %+v", got)
	}
}

func TestRejectedKeepsFormWithFieldError(t *testing.T) {
	api := tuitest.Fixture(t)
	reason := "Reason: Validation failed for field 'color'. Failure reason: 'green' is not one of ['red', 'blue']"
	api.ResumeResult = func(id string, input json.RawMessage) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{
			Outcome: apiclient.OutcomeRejected, Reason: reason,
			State: &apiclient.State{Type: "PAUSED", Name: "Paused", Timestamp: tuitest.Now},
		}, nil
	}
	h := newHarness(t, api)
	answerShirt(h, 1, 2) // small, green
	h.keys("y")
	a := h.m.currentAnswer()
	if h.m.screen != scrAnswer || a == nil || a.Stage() != answer.StageForm {
		t.Fatalf("rejected answer should return to the form (screen %d)", h.m.screen)
	}
	if got := a.ErrorPaths(); !reflect.DeepEqual(got, []string{"color"}) {
		t.Fatalf("error not tied to the field: %v", got)
	}
	if v := a.Values(); v["size"] != "small" || v["color"] != "green" {
		t.Fatalf("values lost: %v", v)
	}
	h.mustSee("'green' is not one of", "refused the answer")
	// The run is still in the inbox, and the draft is kept.
	if h.m.inbox.Len() != 4 {
		t.Fatal("rejected run left the inbox")
	}
	// Fix it and send again.
	api.ResumeResult = nil
	h.keys("enter", "down", "enter") // keep small; green -> blue
	h.mustSee(`"color": "blue"`)
	h.keys("y")
	if n := len(api.ResumeCalls()); n != 2 {
		t.Fatalf("%d resume calls", n)
	}
	h.mustSee("Resumed")
}

func TestNotPausedAndExpiredOutcomes(t *testing.T) {
	for _, tc := range []struct {
		outcome apiclient.Outcome
		state   *apiclient.State
		want    string
	}{
		{apiclient.OutcomeNotPaused, &apiclient.State{Type: "COMPLETED", Name: "Completed"}, "no longer paused (now Completed)"},
		{apiclient.OutcomeExpired, &apiclient.State{Type: "FAILED", Name: "Failed"}, "pause expired"},
	} {
		t.Run(string(tc.outcome), func(t *testing.T) {
			api := tuitest.Fixture(t)
			api.ResumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
				return &apiclient.ActionResult{Outcome: tc.outcome, State: tc.state, Reason: "Cannot resume a flow run that is not paused."}, nil
			}
			h := newHarness(t, api)
			answerShirt(h, 2, 1)
			h.keys("y")
			if h.m.screen != scrRun {
				t.Fatalf("screen %d", h.m.screen)
			}
			h.mustSee(tc.want)
			if _, open := h.m.answers["r-shirt"]; open {
				t.Fatal("answer flow still open")
			}
		})
	}
}

func TestWaitAndTransportErrorStayInReview(t *testing.T) {
	api := tuitest.Fixture(t)
	api.ResumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{Outcome: apiclient.OutcomeWait, Delay: 3 * time.Second}, nil
	}
	h := newHarness(t, api)
	answerShirt(h, 2, 1)
	h.keys("y")
	if a := h.m.currentAnswer(); a == nil || a.Stage() != answer.StageReview {
		t.Fatal("WAIT should return to review")
	}
	h.mustSee("wait 3s")
	api.ResumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
		return nil, tuitest.ErrConn
	}
	h.keys("y")
	h.mustSee("Resume failed", "nothing is lost")
	if a := h.m.currentAnswer(); a == nil || a.Stage() != answer.StageReview || a.Values()["size"] != "medium" {
		t.Fatal("transport error lost the answer")
	}
}

func TestNoInputRunPlainConfirmation(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	h.keys("G", "enter")
	h.mustSee("nightly-etl", "suspended", "no input asked")
	h.keys("a")
	h.mustSee("Resume this run? [y/N]")
	h.keys("enter") // default is no
	if h.m.screen != scrRun || len(h.api.ResumeCalls()) != 0 {
		t.Fatal("enter should not resume")
	}
	h.keys("a", "y")
	calls := h.api.ResumeCalls()
	if len(calls) != 1 || calls[0].ID != "r-nightly" || calls[0].Input != nil {
		t.Fatalf("resume: %+v", calls)
	}
	h.mustSee("Resumed")
}

func TestCancelWithReason(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	h.keys("j", "enter", "x")
	h.mustSee("Cancel run", "Reason (required", "Its runner will stop the flow's process")
	h.typeText("wrong release, q")
	if h.quit {
		t.Fatal("q in the reason quit the app")
	}
	h.keys("enter")
	h.mustSee("Cancel this run? [y/N]", "Reason: wrong release, q")
	h.keys("esc") // back to the reason, text kept
	h.mustSee("> wrong release, q")
	h.keys("enter", "y")
	got := h.api.CancelCalls()
	if len(got) != 1 || got[0].ID != "r-deploy" || got[0].Reason != "wrong release, q" {
		t.Fatalf("cancel calls: %+v", got)
	}
	h.mustSee("Cancelled.")
	if h.m.inbox.Len() != 3 {
		t.Fatal("cancelled run still listed")
	}
	// From the inbox, c on a row cancels too (n says no).
	h.keys("esc", "c")
	h.mustSee("Cancel run")
	h.keys("enter")
	h.mustSee("A reason is required")
	h.typeText("r")
	h.keys("enter", "n")
	if len(h.api.CancelCalls()) != 1 {
		t.Fatal("n cancelled")
	}
	h.mustSee("Not cancelled")
}

func TestReadOnlyHidesActions(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.ReadOnly = true })
	h.mustSee("READ-ONLY", "read-only")
	h.mustNotSee("a answer", "x/c cancel")
	h.keys("a")
	h.mustSee("Read-only: resuming is disabled.")
	h.keys("x")
	h.mustSee("Read-only: cancelling is disabled.")
	h.keys("j", "enter")
	h.mustNotSee("a answer")
	h.keys("a")
	h.mustSee("Read-only: resuming is disabled.")
	h.keys("c")
	h.mustSee("Read-only: cancelling is disabled.")
	h.keys("?")
	h.mustSee("read-only: answer and cancel are disabled")
	h.mustNotSee("answer\n")
	if len(h.api.ResumeCalls())+len(h.api.CancelCalls()) != 0 {
		t.Fatal("read-only mode sent something")
	}
}

func readDraftFile(t *testing.T, dir, id string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "drafts", id+".json"))
	if err != nil {
		t.Fatalf("draft file: %v", err)
	}
	var d drafts.Draft
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d.Values
}

func TestDraftSavedDebouncedAndRestored(t *testing.T) {
	dir := t.TempDir()
	api := tuitest.Fixture(t)
	h := newHarness(t, api, func(o *Options) { o.StateDir = dir })
	h.keys("j", "enter", "a") // deploy approval
	h.keys("enter", "enter")  // approve, environment kept
	h.typeText("ada")
	// Not written on every key: a debounce tick is pending.
	if _, err := os.Stat(filepath.Join(dir, "drafts", "r-deploy.json")); !os.IsNotExist(err) {
		t.Fatalf("draft written before the debounce: %v", err)
	}
	h.fireTicks(func(m tea.Msg) bool { _, ok := m.(draftFlushMsg); return ok })
	if v := readDraftFile(t, dir, "r-deploy"); v["reviewer"] != "ada" || v["environment"] != "production" {
		t.Fatalf("draft values %v", v)
	}
	info, _ := os.Stat(filepath.Join(dir, "drafts", "r-deploy.json"))
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("draft mode %v", info.Mode())
	}

	// A new process (after an SSH drop) restores it.
	h2 := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.StateDir = dir })
	h2.keys("j", "enter")
	h2.mustSee("Restored draft from 2026-11-21 12:00:00")
	h2.keys("a")
	h2.mustSee("Restored draft from", "ada")
	if v := h2.m.currentAnswer().Values(); v["reviewer"] != "ada" {
		t.Fatalf("form not pre-filled: %v", v)
	}
}

func TestDraftWrittenOnQuit(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.StateDir = dir })
	h.keys("j", "enter", "a", "enter", "enter")
	h.typeText("bob")
	h.typeText("q") // q types q in a form
	if h.quit {
		t.Fatal("q quit inside the form")
	}
	h.keys("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c did not quit")
	}
	if v := readDraftFile(t, dir, "r-deploy"); v["reviewer"] != "bobq" {
		t.Fatalf("draft on quit: %v", v)
	}
}

func TestDraftFlushedBySignalPath(t *testing.T) {
	// Run() flushes m.drafts on SIGHUP/SIGTERM from the values Update
	// recorded; this is that path without a terminal.
	dir := t.TempDir()
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.StateDir = dir })
	h.keys("j", "enter", "a", "enter", "enter")
	h.typeText("cy")
	if err := h.m.Drafts().Flush(); err != nil {
		t.Fatal(err)
	}
	if v := readDraftFile(t, dir, "r-deploy"); v["reviewer"] != "cy" {
		t.Fatalf("flushed draft %v", v)
	}
	// Run sends shutdownMsg after a signal: keys read before it are saved
	// too, then the program quits.
	h.typeText("d")
	h.send(shutdownMsg{})
	if !h.quit {
		t.Fatal("shutdownMsg did not quit")
	}
	if v := readDraftFile(t, dir, "r-deploy"); v["reviewer"] != "cyd" {
		t.Fatalf("draft after shutdown %v", v)
	}
}

func TestPreviousAnswerOfferedWhenRunPausesAgain(t *testing.T) {
	dir := t.TempDir()
	api := tuitest.Fixture(t)
	h := newHarness(t, api, func(o *Options) { o.StateDir = dir })
	answerShirt(h, 1, 2) // small, green: the server accepts, the flow's validator will refuse
	h.keys("y")
	h.mustSee("Resumed")

	// The flow pauses again with a new keyset and description.
	again := tuitest.MkRun(t, tuitest.RunSpec{ID: "r-shirt", Name: "shirt-1", Flow: "unpause-shirt-order", PausedAgo: time.Minute, ExpiresIn: tuitest.In(time.Hour), PauseKey: "2"})
	api.Mu.Lock()
	api.Runs = append(api.Runs, again)
	delete(api.GetRunByID, "r-shirt")
	api.Inputs["r-shirt"] = &apiclient.InputRequest{Schema: tuitest.ReadSchema(t, "shirt_schema.json"), Description: "**That combination is not available.** Green is only in stock in medium and large."}
	api.Mu.Unlock()

	h2 := newHarness(t, api, func(o *Options) { o.StateDir = dir })
	h2.keys("j", "j", "enter")
	h2.mustSee("That combination is not available", "previous answer")
	h2.keys("a")
	if v := h2.m.currentAnswer().Values(); v["size"] != "small" || v["color"] != "green" {
		t.Fatalf("previous answer not offered: %v", v)
	}
	h2.mustSee("Starting from the previous answer")
	h2.keys("down", "enter", "enter") // medium, keep green
	h2.keys("y")
	calls := api.ResumeCalls()
	if string(calls[len(calls)-1].Input) != `{"size":"medium","color":"green"}` {
		t.Fatalf("second answer %s", calls[len(calls)-1].Input)
	}
}

func TestResizeFollowsTerminal(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	for _, sz := range [][2]int{{80, 24}, {140, 40}, {60, 15}, {200, 50}} {
		h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		for _, screen := range []string{"inbox", "run"} {
			if screen == "run" {
				h.keys("j", "enter")
				h.fireTicks(func(m tea.Msg) bool { _, ok := m.(resizeRenderMsg); return ok })
			}
			out := h.m.Render()
			lines := strings.Split(out, "\n")
			if len(lines) != sz[1] {
				t.Fatalf("%dx%d %s: %d lines", sz[0], sz[1], screen, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Fatalf("%dx%d %s: line %d is %d wide: %q", sz[0], sz[1], screen, i, w, ansi.Strip(l))
				}
			}
			if screen == "run" {
				h.keys("esc", "k")
			}
		}
	}
	// The description is re-rendered for the new width (cache key has it).
	h.send(tea.WindowSizeMsg{Width: 90, Height: 30})
	h.keys("j", "enter")
	k1, _, _ := h.m.descKey()
	h.send(tea.WindowSizeMsg{Width: 120, Height: 30})
	h.fireTicks(func(m tea.Msg) bool { _, ok := m.(resizeRenderMsg); return ok })
	k2, _, _ := h.m.descKey()
	if k1.Width == k2.Width {
		t.Fatal("width not part of the render key")
	}
	if _, ok := h.m.md.Get(k2); !ok {
		t.Fatal("description not re-rendered after resize")
	}
}

func TestHelpOverlayListsKeys(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	h.keys("?")
	h.mustSee("Keys", "Inbox", "Run", "Form and review", "Everywhere", "filter", "refresh", "switch profile", "quit (anywhere)", "cancel run")
	h.keys("esc")
	h.mustNotSee("Form and review")
}

func TestProfileSwitch(t *testing.T) {
	staging := tuitest.NewFake()
	staging.SetRuns(tuitest.MkRun(t, tuitest.RunSpec{ID: "s1", Name: "staging-run", Flow: "etl", PausedAgo: time.Minute}))
	var switched string
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) {
		o.SwitchProfile = func(name string) (API, ProfileInfo, error) {
			switched = name
			return staging, ProfileInfo{Name: name, ServerURL: "https://staging.example/api", ReadOnly: true}, nil
		}
	})
	h.keys("P")
	h.mustSee("Switch Prefect profile", "prod (current)", "staging")
	h.keys("j", "enter")
	if switched != "staging" {
		t.Fatalf("switched to %q", switched)
	}
	h.mustSee("profile staging", "https://staging.example/api", "staging-run", "1 run waiting", "READ-ONLY")
	h.mustNotSee("weekly-report")
}

func TestQuitKeys(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	h.keys("q")
	if !h.quit {
		t.Fatal("q did not quit in the inbox")
	}
	h = newHarness(t, tuitest.Fixture(t))
	h.keys("j", "enter", "a", "ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c did not quit in a form")
	}
}

func TestStaleResultsIgnored(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	h.keys("j", "enter")
	// A late log answer for another run must not show here.
	h.send(logsMsg{gen: h.m.profileGen, id: "r-shirt", logs: []apiclient.LogLine{{Message: "WRONG RUN"}}})
	h.mustNotSee("WRONG RUN")
	// A list result from before a profile switch is dropped.
	h.send(listMsg{gen: h.m.profileGen - 1, runs: nil, at: tuitest.Now})
	if h.m.inbox.Len() != 4 {
		t.Fatal("stale list applied")
	}
}

func TestNoIdleTimers(t *testing.T) {
	// Idle: only the refresh tick is pending (no spinner, no blink).
	h := newHarness(t, tuitest.Fixture(t))
	if len(h.ticks) != 1 {
		t.Fatalf("%d timers pending while idle", len(h.ticks))
	}
	if _, ok := h.ticks[0].msg.(tickMsg); !ok {
		t.Fatalf("pending timer is %T", h.ticks[0].msg)
	}
	// Many refreshes never stack timers.
	for range 5 {
		h.keys("r")
		h.fireTicks(nil)
	}
	if h.liveTicks() != 1 {
		t.Fatalf("%d timers after refreshes", h.liveTicks())
	}
}

func TestRunPausingAgainWhileOpenReloadsAndOffersLastAnswer(t *testing.T) {
	api := tuitest.Fixture(t)
	h := newHarness(t, api)
	answerShirt(h, 1, 2) // small, green
	h.keys("y")
	h.mustSee("Resumed")
	again := tuitest.MkRun(t, tuitest.RunSpec{ID: "r-shirt", Name: "shirt-1", Flow: "unpause-shirt-order", PausedAgo: time.Minute, ExpiresIn: tuitest.In(time.Hour), PauseKey: "2"})
	api.Mu.Lock()
	api.Runs = append(api.Runs, again)
	delete(api.GetRunByID, "r-shirt")
	api.Inputs["r-shirt"] = &apiclient.InputRequest{Schema: tuitest.ReadSchema(t, "shirt_schema.json"), Description: "**Not available.** Green is only in stock in medium and large."}
	api.Mu.Unlock()
	h.fireTicks(nil) // interval refresh: list + the open run
	h.mustSee("The run paused again", "Green is only in stock")
	h.keys("a")
	if v := h.m.currentAnswer().Values(); v["size"] != "small" || v["color"] != "green" {
		t.Fatalf("last answer not offered: %v", v)
	}
}

func TestMouseWheelOptional(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.MouseEnabled = true })
	if h.m.View().MouseMode != tea.MouseModeCellMotion {
		t.Fatal("mouse not enabled")
	}
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if h.m.inbox.SelectedID() != "r-deploy" {
		t.Fatal("wheel did not move the selection")
	}
	if newHarness(t, tuitest.Fixture(t)).m.View().MouseMode != tea.MouseModeNone {
		t.Fatal("mouse should be off by default")
	}
}

func TestThemeFollowsBackgroundUnlessFixed(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.Theme = "auto" })
	h.keys("j", "enter")
	k, _, _ := h.m.descKey()
	if k.Style != "dark" {
		t.Fatalf("default style %s", k.Style)
	}
	h.send(tea.BackgroundColorMsg{Color: lightBackground})
	k, _, _ = h.m.descKey()
	if h.m.c.IsDark || k.Style != "light" {
		t.Fatal("light background not followed")
	}
	if _, ok := h.m.md.Get(k); !ok {
		t.Fatal("description not re-rendered in the light style")
	}
	h.mustSee("Release v2.3.1")

	fixed := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.Theme = "dark" })
	fixed.send(tea.BackgroundColorMsg{Color: lightBackground})
	if !fixed.m.c.IsDark {
		t.Fatal("configured dark theme overridden by the terminal")
	}
	light := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.Theme = "light" })
	if light.m.c.IsDark {
		t.Fatal("configured light theme ignored")
	}
	if _, err := New(t.Context(), Options{API: tuitest.Fixture(t), Theme: "pink"}); err == nil {
		t.Fatal("unknown theme accepted")
	}
}

func TestUnwritableStateDirStillOpens(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.StateDir = filepath.Join(blocker, "state") })
	h.mustSee("Drafts are kept in memory only", "4 runs waiting")
}

func TestProfileSwitchFailureKeepsCurrent(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) {
		o.SwitchProfile = func(string) (API, ProfileInfo, error) {
			return nil, ProfileInfo{}, errors.New("profile staging has no PREFECT_API_URL")
		}
	})
	h.keys("P", "j", "enter")
	h.mustSee("Could not switch profile: profile staging has no PREFECT_API_URL", "profile prod", "weekly-report")
}

// Text that does not fit its field yet (reviewer needs 2 characters) is not
// lost: not by going back to the run, and not by a new process after a crash.
func TestInvalidTextSurvivesGoingBackAndRestart(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.StateDir = dir })
	h.keys("j", "enter", "a") // deploy approval
	h.keys("enter", "enter")  // approve, environment kept
	h.typeText("Q")
	h.keys("enter") // huh refuses to leave the field: too short
	h.keys("esc")   // back to the run view
	h.keys("a")
	if w := h.m.currentAnswer().Widgets()["reviewer"]; w.Text == nil || *w.Text != "Q" {
		t.Fatalf("after going back the reviewer field holds %v, want %q", w.Text, "Q")
	}
	h.fireTicks(func(m tea.Msg) bool { _, ok := m.(draftFlushMsg); return ok })
	h.keys("esc")
	h.fireTicks(func(m tea.Msg) bool { _, ok := m.(draftFlushMsg); return ok })

	h2 := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.StateDir = dir })
	h2.keys("j", "enter", "a")
	if w := h2.m.currentAnswer().Widgets()["reviewer"]; w.Text == nil || *w.Text != "Q" {
		t.Fatalf("restored draft: reviewer holds %v, want %q", w.Text, "Q")
	}
}

// Read-only follows the profile: a read-only production profile does not
// keep a writable staging profile read-only after a switch (the flag and
// UNPAUSE_READ_ONLY still win: config.LoadProfile resolves them on top).
func TestProfileSwitchFollowsProfileReadOnly(t *testing.T) {
	staging := tuitest.NewFake()
	staging.SetRuns(tuitest.MkRun(t, tuitest.RunSpec{ID: "s1", Name: "staging-run", Flow: "etl", PausedAgo: time.Minute}))
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) {
		o.ReadOnly = true
		o.SwitchProfile = func(name string) (API, ProfileInfo, error) {
			return staging, ProfileInfo{Name: name, ServerURL: "https://staging.example/api", ReadOnly: false}, nil
		}
	})
	h.mustSee("READ-ONLY")
	h.keys("P", "j", "enter")
	h.mustSee("profile staging", "staging-run")
	h.mustNotSee("READ-ONLY")
}

// A secret is sent as typed but never shown in the review.
func TestReviewHidesSecrets(t *testing.T) {
	api := tuitest.Fixture(t)
	api.Inputs["r-report"] = &apiclient.InputRequest{Schema: json.RawMessage(`{"additionalProperties":false,"properties":{"token":{"format":"password","title":"Token","type":"string","writeOnly":true}},"required":["token"],"title":"T","type":"object"}`)}
	h := newHarness(t, api)
	h.keys("enter", "a") // weekly-report is first (its pause expired)
	h.typeText("hunter2")
	h.keys("enter")
	h.mustSee("This exact JSON will be sent", `"token": "**********"`, "secret values are hidden")
	h.mustNotSee("hunter2")
	h.keys("y")
	if calls := api.ResumeCalls(); len(calls) != 1 || string(calls[0].Input) != `{"token":"hunter2"}` {
		t.Fatalf("resume calls %+v", calls)
	}
}

func TestRefreshInRunViewReloadsLogsAndResponses(t *testing.T) {
	api := tuitest.Fixture(t)
	h := newHarness(t, api)
	h.keys("j", "enter")
	h.keys("G")
	h.mustSee("Waiting for approval")
	h.mustNotSee("Approved by ops", "paused-1-response")
	api.Mu.Lock()
	api.LogsByRun["r-deploy"] = append(api.LogsByRun["r-deploy"], apiclient.LogLine{Timestamp: tuitest.Now, Level: 20, Message: "Approved by ops"})
	api.ResponsesByRun["r-deploy"] = append(api.ResponsesByRun["r-deploy"], apiclient.Response{Key: "paused-1-response", Created: tuitest.Now, Value: json.RawMessage(`{"approve":true}`)})
	api.Mu.Unlock()
	h.keys("r", "G")
	h.mustSee("Approved by ops", "paused-1-response")
}

func TestResumedBannerReplacedOnceRefreshShowsRunGone(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	answerShirt(h, 2, 3)
	h.keys("y")
	// The refresh that follows the resume saw the run running: the banner
	// must not promise what already happened.
	h.mustNotSee("It leaves the inbox on the next refresh")
	h.mustSee("Resumed", "now Running", "left the inbox")
}

func TestRunViewOffersActionsOnlyWhilePaused(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	h.keys("j", "enter")
	if hs := ansi.Strip(h.m.hints()); !strings.Contains(hs, "a answer") || !strings.Contains(hs, "x/c cancel") {
		t.Fatalf("paused run's key bar lacks the actions: %q", hs)
	}
	h.keys("esc", "k")
	answerShirt(h, 2, 3)
	h.keys("y")
	if hs := ansi.Strip(h.m.hints()); strings.Contains(hs, "a answer") || strings.Contains(hs, "x/c cancel") {
		t.Fatalf("finished run's key bar offers actions: %q", hs)
	}
	h.keys("a")
	h.mustSee("no longer paused")
	h.keys("x")
	h.mustSee("no longer paused")
}

func isFollowLogs(m tea.Msg) bool { _, ok := m.(followLogsMsg); return ok }

func TestLogsFetchedAgainAfterResume(t *testing.T) {
	api := tuitest.Fixture(t)
	h := newHarness(t, api)
	answerShirt(h, 1, 2)
	h.keys("y")
	h.mustSee("Resumed")
	// Prefect writes the flow's log line a moment after the resume.
	api.Mu.Lock()
	api.LogsByRun["r-shirt"] = []apiclient.LogLine{{Timestamp: tuitest.Now, Level: 40, Message: "green is not available in small"}}
	api.Mu.Unlock()
	h.keys("G")
	h.mustNotSee("green is not available")
	var delays []time.Duration
	for _, tk := range h.ticks {
		if isFollowLogs(tk.msg) {
			delays = append(delays, tk.d)
		}
	}
	if !reflect.DeepEqual(delays, []time.Duration{2 * time.Second}) {
		t.Fatalf("follow-up log fetches pending: %v", delays)
	}
	h.fireTicks(isFollowLogs)
	h.keys("G")
	h.mustSee("green is not available")
	// One more, later; then none.
	n := 0
	for _, tk := range h.ticks {
		if isFollowLogs(tk.msg) {
			n++
			if tk.d != 3*time.Second {
				t.Fatalf("second follow-up after %v", tk.d)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d second follow-ups", n)
	}
	h.fireTicks(isFollowLogs)
	for _, tk := range h.ticks {
		if isFollowLogs(tk.msg) {
			t.Fatal("follow-ups never end")
		}
	}
}

func TestLogFollowUpDroppedOnceRunLeftScreen(t *testing.T) {
	api := tuitest.Fixture(t)
	h := newHarness(t, api)
	answerShirt(h, 1, 2)
	h.keys("y")
	h.keys("esc") // back to the inbox
	api.Mu.Lock()
	before := api.LogCalls
	api.Mu.Unlock()
	h.fireTicks(isFollowLogs)
	api.Mu.Lock()
	after := api.LogCalls
	api.Mu.Unlock()
	if after != before {
		t.Fatalf("logs fetched for a run no longer on screen (%d -> %d calls)", before, after)
	}
	// Another run opened: a follow-up of the first is dropped too.
	h = newHarness(t, api)
	answerShirt(h, 1, 2)
	h.keys("y", "esc", "j", "enter")
	api.Mu.Lock()
	before = api.LogCalls
	api.Mu.Unlock()
	h.fireTicks(isFollowLogs)
	api.Mu.Lock()
	after = api.LogCalls
	api.Mu.Unlock()
	if after != before {
		t.Fatalf("follow-up of another run fetched logs (%d -> %d calls)", before, after)
	}
}

func TestKeyBarOffersOnlyPossibleMoves(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	h.send(tea.WindowSizeMsg{Width: 160, Height: 16})
	bar := func() string { return ansi.Strip(h.m.hints()) }
	if b := bar(); strings.Contains(b, "↑/k up") || !strings.Contains(b, "↓/j down") {
		t.Fatalf("first row: %q", b)
	}
	h.keys("j")
	if b := bar(); !strings.Contains(b, "↑/k up") || !strings.Contains(b, "↓/j down") {
		t.Fatalf("middle row: %q", b)
	}
	h.keys("G")
	if b := bar(); !strings.Contains(b, "↑/k up") || strings.Contains(b, "↓/j down") {
		t.Fatalf("last row: %q", b)
	}
	// The run view scrolls: up only below the top, down only above the end.
	h.keys("g", "j", "enter")
	if b := bar(); strings.Contains(b, "↑/k up") || !strings.Contains(b, "↓/j down") {
		t.Fatalf("run view at the top: %q", b)
	}
	h.keys("G")
	if b := bar(); !strings.Contains(b, "↑/k up") || strings.Contains(b, "↓/j down") {
		t.Fatalf("run view at the end: %q", b)
	}
}

func TestProfilePickerBarSaysWhatEnterDoes(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) {
		o.SwitchProfile = func(name string) (API, ProfileInfo, error) { return nil, ProfileInfo{}, errors.New("no") }
	})
	h.send(tea.WindowSizeMsg{Width: 160, Height: 30})
	h.keys("P")
	b := ansi.Strip(h.m.hints())
	if !strings.Contains(b, "enter switch profile") || strings.Contains(b, "open run") {
		t.Fatalf("profile picker bar: %q", b)
	}
	if strings.Contains(b, "↑/k up") || !strings.Contains(b, "↓/j down") {
		t.Fatalf("profile picker on its first entry: %q", b)
	}
	h.keys("j")
	if b := ansi.Strip(h.m.hints()); !strings.Contains(b, "↑/k up") || strings.Contains(b, "↓/j down") {
		t.Fatalf("profile picker on its last entry: %q", b)
	}
}

func TestHelpListsEveryWorkingKeyAndFits(t *testing.T) {
	want := []string{
		"↑/k", "↓/j", "g/G", "pgup/pgdn", "r ", "refresh", "ctrl+e", "ctrl+j", "space",
		inputschema.DefaultCommand, inputschema.NullCommand, inputschema.EmptyCommand,
		"answer", "cancel run", "quit (anywhere)", "switch profile",
		"space, *", "mark, all", "open a link", "(review) $EDITOR", "Queue: n/p skip",
	}
	for _, sz := range [][2]int{{60, 16}, {80, 24}, {120, 30}, {140, 40}} {
		h := newHarness(t, tuitest.Fixture(t))
		h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		h.keys("?")
		// Everything is there, on the screen or by scrolling, and the box
		// is never cut.
		seen := ""
		for range 40 {
			v := h.view()
			if !strings.Contains(v, "╰") || !strings.Contains(v, "╭") {
				t.Fatalf("%dx%d: the help box is cut:\n%s", sz[0], sz[1], v)
			}
			seen += v
			if !strings.Contains(v, " more · j/k scroll") {
				break
			}
			h.keys("j")
		}
		for _, w := range want {
			if !strings.Contains(seen, w) {
				t.Errorf("%dx%d: the help never shows %q", sz[0], sz[1], w)
			}
		}
		scrolls := strings.Contains(seen, "j/k scroll")
		if fits := sz[1] >= 30; fits == scrolls {
			t.Errorf("%dx%d: the help scrolls=%v; want it to fit from 30 lines", sz[0], sz[1], scrolls)
		}
		if scrolls {
			h.keys("g")
			h.mustSee("Keys   (? or esc closes)")
			h.mustNotSee("above ·")
		}
		h.keys("esc")
		h.mustNotSee("(? or esc closes)")
	}
}

func TestReviewSaysMoreLinesFollowAndScrolls(t *testing.T) {
	api := tuitest.NewFake()
	api.SetRuns(tuitest.MkRun(t, tuitest.RunSpec{ID: "r-long", Name: "long-1", Flow: "bulk", PausedAgo: time.Minute, ExpiresIn: tuitest.In(time.Hour)}))
	var items []string
	for i := range 40 {
		items = append(items, fmt.Sprintf(`"item-%02d"`, i))
	}
	api.Inputs["r-long"] = &apiclient.InputRequest{Schema: json.RawMessage(`{"title":"bulk","type":"object","properties":{"items":{"title":"Items","type":"array","items":{"type":"string"},"default":[` + strings.Join(items, ",") + `]}}}`)}
	h := newHarness(t, api)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("enter", "a", "enter")
	h.mustSee("Review the answer for long-1", `"item-00"`)
	h.mustNotSee(`"item-39"`)
	h.mustSee("more lines below", "j/k")
	h.keys("G")
	h.mustSee(`"item-39"`, "Send it?")
	h.mustNotSee("more lines below", `"item-00"`)
	h.mustSee("lines above")
	h.keys("g")
	h.mustSee(`"item-00"`, "more lines below")
}

func TestResumedBannerGivesWayWhenRunPausesAgain(t *testing.T) {
	api := tuitest.Fixture(t)
	h := newHarness(t, api)
	h.keys("G", "enter", "a", "y") // nightly-etl: asks no input
	h.mustSee("Resumed")
	again := tuitest.MkRun(t, tuitest.RunSpec{ID: "r-nightly", Name: "nightly-etl", Flow: "etl", PausedAgo: time.Minute, Suspended: true, NoInput: true, PauseKey: "2"})
	api.Mu.Lock()
	api.Runs = append(api.Runs, again)
	delete(api.GetRunByID, "r-nightly")
	api.Mu.Unlock()
	h.fireTicks(func(m tea.Msg) bool { _, ok := m.(tickMsg); return ok })
	h.mustSee("paused again")
	h.mustNotSee("leaves the inbox", "left the inbox")
}

func TestRefreshKeyReloadsLogsEvenWhileARefreshRuns(t *testing.T) {
	api := tuitest.Fixture(t)
	h := newHarness(t, api)
	h.keys("j", "enter")
	api.Mu.Lock()
	api.LogsByRun["r-deploy"] = []apiclient.LogLine{{Timestamp: tuitest.Now, Level: 20, Message: "Approved by ops"}}
	api.Mu.Unlock()
	h.m.refreshing = true // an interval refresh is in flight
	h.keys("r", "G")
	h.mustSee("Approved by ops")
}

func TestSteadyTypingIsSavedEverySecond(t *testing.T) {
	// A key every 300 ms never lets the 400 ms debounce fire; the draft must
	// still reach the disk while typing goes on (a kill -9 loses at most the
	// last second).
	dir := t.TempDir()
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.StateDir = dir })
	h.keys("j", "enter", "a", "enter", "enter") // deploy approval, reviewer field
	typed := ""
	for i := range 20 { // 6 s of typing
		c := string(rune('a' + i%26))
		h.typeText(c)
		typed += c
		h.advance(300 * time.Millisecond)
		if i < 4 {
			continue
		}
		// At least what was typed a second ago is on disk.
		v := readDraftFile(t, dir, "r-deploy")
		got, _ := v["reviewer"].(string)
		if len(got) < len(typed)-4 || !strings.HasPrefix(typed, got) {
			t.Fatalf("after %d keys the draft holds %q, typed %q", i+1, got, typed)
		}
	}
}

func TestDraftOfAPauseThatIsOverIsRemovedOnLoad(t *testing.T) {
	// A send that "failed" may have resumed the run after all: its draft is
	// for a pause that is over and must not come back.
	dir := t.TempDir()
	h := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.StateDir = dir })
	h.keys("j", "enter", "a", "enter", "enter")
	h.typeText("ada")
	if err := h.m.Drafts().Flush(); err != nil {
		t.Fatal(err)
	}
	readDraftFile(t, dir, "r-deploy")

	// The run paused again (pause 2): the draft for pause 1 goes.
	api := tuitest.Fixture(t)
	runs := api.Runs
	runs[1] = tuitest.MkRun(t, tuitest.RunSpec{ID: "r-deploy", Name: "deploy-42", Flow: "deploy", Deployment: "prod", PausedAgo: time.Minute, ExpiresIn: tuitest.In(time.Hour), PauseKey: "2"})
	api.SetRuns(runs...)
	h2 := newHarness(t, api, func(o *Options) { o.StateDir = dir })
	h2.m.inbox.Select("r-deploy")
	h2.keys("enter")
	if h2.m.cur == nil || h2.m.cur.id != "r-deploy" {
		t.Fatalf("deploy run not opened: %v", rowOrder(h2))
	}
	h2.mustNotSee("Restored draft")
	if _, err := os.Stat(filepath.Join(dir, "drafts", "r-deploy.json")); !os.IsNotExist(err) {
		t.Fatalf("draft of the ended pause kept: %v", err)
	}

	// A run that is not paused any more: same.
	h3 := newHarness(t, tuitest.Fixture(t), func(o *Options) { o.StateDir = dir })
	h3.keys("j", "enter", "a", "enter", "enter")
	h3.typeText("bo")
	if err := h3.m.Drafts().Flush(); err != nil {
		t.Fatal(err)
	}
	gone := tuitest.MkRun(t, tuitest.RunSpec{ID: "r-deploy", Name: "deploy-42", Flow: "deploy", Deployment: "prod", PausedAgo: time.Minute})
	gone.State.Type, gone.State.Name = "RUNNING", "Running"
	h3.m.cur = nil
	h3.run(h3.m.openRunView(&gone))
	h3.mustNotSee("Restored draft")
	if _, err := os.Stat(filepath.Join(dir, "drafts", "r-deploy.json")); !os.IsNotExist(err) {
		t.Fatalf("draft of a run no longer paused kept: %v", err)
	}
}

func TestQuitWithAnActionInFlightIsReported(t *testing.T) {
	h := newHarness(t, tuitest.Fixture(t))
	answerShirt(h, 1, 1)
	// y sends; the answer's reply never comes back before the quit (the
	// command is not run).
	h.m.Update(keyMsg("y"))
	h.mustSee("Sending the answer")
	h.keys("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c did not quit")
	}
	err := h.m.QuitError()
	var qe *QuitInFlightError
	if !errors.As(err, &qe) || len(qe.Actions) != 1 || qe.Actions[0].RunID != "r-shirt" {
		t.Fatalf("quit error %v", err)
	}
	want := "quit while the answer to shirt-1 was being sent: whether it was resumed is unknown; check with 'unpause show r-shirt'"
	if err.Error() != want {
		t.Fatalf("quit error\n got %q\nwant %q", err, want)
	}

	// A cancel in flight, likewise; an action whose answer came is not.
	h = newHarness(t, tuitest.Fixture(t))
	h.keys("j", "enter", "x")
	h.typeText("no")
	h.m.Update(keyMsg("enter"))
	h.m.Update(keyMsg("y"))
	h.keys("ctrl+c")
	if err := h.m.QuitError(); err == nil || !strings.Contains(err.Error(), "the cancellation of deploy-42 was being sent: whether it was cancelled is unknown") {
		t.Fatalf("cancel in flight: %v", err)
	}
	h = newHarness(t, tuitest.Fixture(t))
	answerShirt(h, 1, 1)
	h.keys("y", "q")
	if err := h.m.QuitError(); err != nil {
		t.Fatalf("nothing in flight, yet %v", err)
	}
}

// squash drops all white space, so text wrapped over lines compares equal.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func TestActionFailureShownInFullUntilDismissed(t *testing.T) {
	api := tuitest.Fixture(t)
	failure := &apiclient.Error{
		Op: "resume flow run", StatusCode: 500, Kind: apiclient.ErrServer,
		Reason: "the resume did NOT take effect: the server answered 500 Internal Server Error, and the run is still paused in the same state; it is safe to retry",
	}
	api.ResumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) { return nil, failure }
	h := newHarness(t, api)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	answerShirt(h, 1, 1)
	h.keys("y")
	want := squash("Resume failed (nothing is lost; try again): " + failure.Error())
	if !strings.Contains(squash(h.view()), want) {
		t.Fatalf("the failure is not shown in full at 80 columns:\n%s", h.view())
	}

	// A refresh that fails does not replace it.
	api.Mu.Lock()
	api.ListErr = &apiclient.Error{Op: "list paused runs", StatusCode: 500, Kind: apiclient.ErrServer}
	api.Mu.Unlock()
	h.fireTicks(func(m tea.Msg) bool { _, ok := m.(tickMsg); return ok })
	if v := h.view(); !strings.Contains(squash(v), want) || strings.Contains(v, "refresh failed") {
		t.Fatalf("a failed refresh replaced the failure:\n%s", v)
	}
	for _, l := range strings.Split(h.view(), "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Fatalf("line wider than 80 columns: %q", l)
		}
	}

	// A key dismisses it and does nothing else: y does not send again.
	h.mustSee("any key dismisses")
	h.keys("y")
	if n := len(api.ResumeCalls()); n != 1 {
		t.Fatalf("the dismissing key sent the answer again (%d calls)", n)
	}
	if v := h.view(); strings.Contains(squash(v), want) || !strings.Contains(v, "refresh failed") {
		t.Fatalf("not dismissed:\n%s", v)
	}
	if a := h.m.currentAnswer(); a == nil || a.Stage() != answer.StageReview {
		t.Fatal("the answer left the review")
	}
}

func TestDraftRemovedWhenAFailedSendResumedTheRunAfterAll(t *testing.T) {
	dir := t.TempDir()
	api := tuitest.Fixture(t)
	api.ResumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
		return nil, &apiclient.Error{Op: "resume flow run", Kind: apiclient.ErrUnknownOutcome, Reason: "no answer came"}
	}
	h := newHarness(t, api, func(o *Options) { o.StateDir = dir })
	answerShirt(h, 1, 1)
	h.advance(time.Second) // the draft timers
	h.keys("y")
	h.mustSee("Unknown whether the run was resumed")
	readDraftFile(t, dir, "r-shirt") // kept: nothing says the answer took
	h.keys("esc")                    // dismiss

	// The answer did land: the next refresh shows the run running.
	api.Mu.Lock()
	r := api.Runs[0]
	st := *r.State
	st.Type, st.Name = "RUNNING", "Running"
	r.State = &st
	api.GetRunByID["r-shirt"] = &r
	api.Runs = api.Runs[1:]
	api.Mu.Unlock()
	h.fireTicks(func(m tea.Msg) bool { _, ok := m.(tickMsg); return ok })
	if _, err := os.Stat(filepath.Join(dir, "drafts", "r-shirt.json")); !os.IsNotExist(err) {
		t.Fatalf("draft of a resumed run kept: %v", err)
	}
}

// An unreadable schema is said once, in its own words, not behind a second
// "cannot be used" prefix.
func TestUnreadableSchemaSaidOnce(t *testing.T) {
	api := tuitest.Fixture(t)
	api.Inputs["r-deploy"] = &apiclient.InputRequest{Schema: json.RawMessage(`{"type":`)}
	h := newHarness(t, api)
	h.keys("j", "enter")
	h.mustSee("cannot be read")
	h.mustNotSee("cannot be used")
}

// A resume whose answered-by record could not be written still counts, and
// the outcome line says what was not written.
func TestResumeRecordFailureIsSaidAndCounts(t *testing.T) {
	api := tuitest.Fixture(t)
	api.ResumeResult = func(string, json.RawMessage) (*apiclient.ActionResult, error) {
		return &apiclient.ActionResult{
			Outcome: apiclient.OutcomeResumed, State: &apiclient.State{Type: "RUNNING", Name: "Running"},
			RecordErr: errors.New("HTTP 503"),
		}, nil
	}
	h := newHarness(t, api)
	answerShirt(h, 2, 3)
	h.keys("y")
	if h.m.screen != scrRun {
		t.Fatalf("screen %d after resume", h.m.screen)
	}
	h.mustSee("Resumed: the run continues", "Warning: the answered-by record", "could not be written: HTTP 503") // the banner wraps
}

// A fresh pause whose description the flow has not saved yet (it saves the
// schema first) shows none, is asked again while on screen, and shows the
// description once it is there; then it stops asking.
func TestLateDescriptionIsShownWhenItArrives(t *testing.T) {
	api := tuitest.NewFake()
	api.SetRuns(tuitest.MkRun(t, tuitest.RunSpec{ID: "r-new", Name: "fresh-1", Flow: "deploy", PausedAgo: 2 * time.Second, ExpiresIn: tuitest.In(time.Hour)}))
	api.Inputs["r-new"] = &apiclient.InputRequest{Schema: json.RawMessage(tuitest.StrSchema)}
	h := newHarness(t, api)
	h.keys("enter")
	h.mustSee("fresh-1", "(the flow gave no description)")
	calls := api.InputCalls
	api.Mu.Lock()
	api.Inputs["r-new"] = &apiclient.InputRequest{Schema: json.RawMessage(tuitest.StrSchema), Description: "Approve the **late** deploy."}
	api.Mu.Unlock()
	h.advance(lateDescriptionEvery)
	h.mustSee("Approve the late deploy.")
	h.mustNotSee("(the flow gave no description)")
	if api.InputCalls != calls+1 {
		t.Fatalf("%d input requests after the first, want 1", api.InputCalls-calls)
	}
	h.advance(time.Minute)
	if api.InputCalls != calls+1 {
		t.Errorf("asked again after the description came: %d requests", api.InputCalls-calls)
	}
}

// An old pause without a description is not asked again; a fresh one stops
// after lateDescriptionTries.
func TestNoDescriptionIsNotAskedForeverAfter(t *testing.T) {
	for _, tc := range []struct {
		ago  time.Duration
		want int
	}{{time.Hour, 0}, {time.Second, lateDescriptionTries}} {
		api := tuitest.NewFake()
		api.SetRuns(tuitest.MkRun(t, tuitest.RunSpec{ID: "r-1", Name: "plain-1", Flow: "deploy", PausedAgo: tc.ago, ExpiresIn: tuitest.In(2 * time.Hour)}))
		api.Inputs["r-1"] = &apiclient.InputRequest{Schema: json.RawMessage(tuitest.StrSchema)}
		h := newHarness(t, api)
		h.keys("enter")
		h.mustSee("(the flow gave no description)")
		calls := api.InputCalls
		h.advance(5 * time.Minute)
		if got := api.InputCalls - calls; got != tc.want {
			t.Errorf("paused %s ago: asked %d more times, want %d", tc.ago, got, tc.want)
		}
	}
}

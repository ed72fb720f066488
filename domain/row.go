package domain

import (
	"math"
	"strings"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/termsafe"
)

// UnknownFlow names the flow of a run whose flow name could not be read.
const UnknownFlow = "(unknown flow)"

// Row is what the inbox says about one run. Every string from the API is
// sanitised once, when the runs arrive, not on every frame.
type Row struct {
	Run     *apiclient.Run
	ID      string
	Flow    string // "flow/deployment" or "flow"
	Name    string
	Tags    string // comma-separated
	Pool    string // work pool, "" when none
	Since   time.Time
	Expires *time.Time
	Suspend bool // suspended (the flow's process was released), else paused
	Input   bool // asks for input

	search   string // lower-cased flow, deployment, name and tags
	flowKey  string // sort keys
	nameKey  string
	sinceKey int64
	expKey   int64
}

// NewRow sanitises a run for display and computes its sort keys.
func NewRow(r *apiclient.Run) Row {
	display := FlowLabel(r, UnknownFlow)
	tags := make([]string, 0, len(r.Tags))
	for _, t := range r.Tags {
		if t = termsafe.Line(t); t != "" {
			tags = append(tags, t)
		}
	}
	name := termsafe.Line(r.Name)
	row := Row{
		Run:     r,
		ID:      r.ID,
		Flow:    display,
		Name:    name,
		Tags:    strings.Join(tags, ","),
		Pool:    termsafe.Line(r.WorkPoolName),
		Since:   r.PausedSince(),
		Expires: r.ExpiresAt(),
		Suspend: r.Suspended(),
		Input:   r.NeedsInput(),
		flowKey: strings.ToLower(display),
		nameKey: strings.ToLower(name),
	}
	row.search = strings.ToLower(display + "\x00" + name + "\x00" + strings.Join(tags, "\x00"))
	if !row.Since.IsZero() {
		row.sinceKey = row.Since.UnixNano()
	}
	row.expKey = math.MaxInt64 // no deadline sorts last
	if row.Expires != nil {
		row.expKey = row.Expires.UnixNano()
	}
	return row
}

// NewRows prepares every run; the rows point into runs.
func NewRows(runs []apiclient.Run) []Row {
	rows := make([]Row, len(runs))
	for i := range runs {
		rows[i] = NewRow(&runs[i])
	}
	return rows
}

// State is "suspended" or "paused".
func (r *Row) State() string { return stateWord(r.Suspend) }

// Matches reports whether every term (see SearchTerms) occurs in the row's
// flow, deployment, run name or tags.
func (r *Row) Matches(terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(r.search, t) {
			return false
		}
	}
	return true
}

// SearchTerms splits a filter into the terms Row.Matches looks for: words,
// case-insensitively.
func SearchTerms(filter string) []string { return strings.Fields(strings.ToLower(filter)) }

// FlowLabel is "flow/deployment", or "flow" for a run without a deployment,
// sanitised. unknown stands in for a flow name that is missing.
func FlowLabel(r *apiclient.Run, unknown string) string {
	flow := termsafe.Line(r.FlowName)
	if flow == "" {
		flow = unknown
	}
	if dep := termsafe.Line(r.DeploymentName); dep != "" {
		return flow + "/" + dep
	}
	return flow
}

// RunState is what a run is doing, in one lower-case word: "paused" or
// "suspended" while it waits, else its own state ("completed",
// "cancelling"), "unknown" without one; sanitised.
func RunState(r *apiclient.Run) string {
	switch {
	case r.Paused():
		return stateWord(r.Suspended())
	case r.State == nil || r.State.Type == "":
		return "unknown"
	}
	return termsafe.Line(strings.ToLower(r.State.Type))
}

// NoLongerWaiting is said of a run that is not paused any more (state is
// its RunState): there is nothing left to answer or cancel.
func NoLongerWaiting(state string) string {
	return "This run no longer waits (it is " + termsafe.Line(state) + "): there is nothing to answer or cancel."
}

func stateWord(suspended bool) string {
	if suspended {
		return "suspended"
	}
	return "paused"
}

// StateName is a state's name for messages ("Completed"), its type when it
// has no name, "unknown state" without one; sanitised.
func StateName(s *apiclient.State) string {
	if s == nil {
		return "unknown state"
	}
	name := s.Name
	if name == "" {
		name = s.Type
	}
	return termsafe.Line(name)
}

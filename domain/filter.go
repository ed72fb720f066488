package domain

import (
	"slices"
	"strings"

	"github.com/unpause-dev/unpause/apiclient"
)

// RunFilter is what `list`, `watch` and the inbox narrow runs by: --flow
// (a flow name, or flow/deployment as the FLOW column shows it; Prefect
// forbids "/" in flow names), --tag (all must match) and --needs-input.
// One copy, so that a run `list` shows is a run `watch` reports.
type RunFilter struct {
	Flows      []string
	Tags       []string
	NeedsInput bool
}

// ListOptions is the part of the filter the server applies.
func (f RunFilter) ListOptions() apiclient.ListOptions {
	var names []string
	for _, v := range f.Flows {
		flow, _, _ := strings.Cut(v, "/")
		if !slices.Contains(names, flow) {
			names = append(names, flow)
		}
	}
	return apiclient.ListOptions{FlowNames: names, Tags: f.Tags, NeedsInputOnly: f.NeedsInput}
}

// Match reports whether a run passes the whole filter, the parts the server
// applies included (for runs read one by one, as the event stream prompts).
func (f RunFilter) Match(r *apiclient.Run) bool {
	if f.NeedsInput && !r.NeedsInput() {
		return false
	}
	for _, t := range f.Tags {
		if !slices.Contains(r.Tags, t) {
			return false
		}
	}
	if len(f.Flows) == 0 {
		return true
	}
	for _, v := range f.Flows {
		flow, dep, pair := strings.Cut(v, "/")
		if flow == r.FlowName && (!pair || dep == r.DeploymentName) {
			return true
		}
	}
	return false
}

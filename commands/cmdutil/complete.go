package cmdutil

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// Shell completion (cobra's `__complete`, which the scripts of `unpause
// completion` call on TAB) of what only the server knows: the waiting runs,
// their flows and tags. A completion asks the server once, for at most
// completionTimeout, and completes nothing when it cannot: a TAB must never
// hang a shell or print an error into it.

const completionTimeout = 3 * time.Second

// CompleteRuns completes RUN with the runs waiting now: each by its name,
// described by its flow and state, or by its id where several waiting runs
// share the name (a name that matches several is refused as RUN). many is
// for commands that take several RUNs: those already given are left out.
func CompleteRuns(f *Factory, many bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 && !many {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return RunCompletions(waitingRuns(f, cmd), args, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteFlows completes --flow with the flows (flow/deployment where
// there is one, as the FLOW column shows them) of the runs waiting now.
func CompleteFlows(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, r := range waitingRuns(f, cmd) {
			out = append(out, domain.FlowLabel(&r, ""))
		}
		return matching(out, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteTags completes --tag with the tags of the runs waiting now.
func CompleteTags(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, r := range waitingRuns(f, cmd) {
			for _, t := range r.Tags {
				out = append(out, termsafe.Line(t))
			}
		}
		return matching(out, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteProfiles completes --profile with Prefect's profiles.
func CompleteProfiles(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if f.Load(cmd) != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, p := range f.Settings.Profiles {
			out = append(out, termsafe.Line(p))
		}
		return matching(out, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// RunCompletions is what RUN completes to among runs (pure): names that
// start with toComplete and are not in given, each once, described by flow
// and state; a name several runs share gives way to their ids. Every API
// string is sanitised (a completion is printed into the shell).
func RunCompletions(runs []apiclient.Run, given []string, toComplete string) []cobra.Completion {
	shared := map[string]int{}
	for _, r := range runs {
		shared[r.Name]++
	}
	var out []cobra.Completion
	for _, r := range runs {
		word := termsafe.Line(r.Name)
		if shared[r.Name] > 1 || word != r.Name || word == "" {
			word = r.ID // the name cannot stand for the run
		}
		if !strings.HasPrefix(word, toComplete) || slices.Contains(given, word) || slices.Contains(given, r.ID) {
			continue
		}
		desc := domain.FlowLabel(&r, "-") + " · " + stateWord(&r)
		if word == r.ID {
			desc = termsafe.Line(r.Name) + " · " + desc
		}
		out = append(out, cobra.CompletionWithDesc(word, desc))
	}
	return out
}

func stateWord(r *apiclient.Run) string {
	if r.Suspended() {
		return "suspended"
	}
	return "paused"
}

// matching is the distinct words of ws that start with prefix, sorted.
func matching(ws []string, prefix string) []cobra.Completion {
	var out []cobra.Completion
	for _, w := range ws {
		if w != "" && strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// waitingRuns lists the runs waiting now, for a completion, and any
// failure is an empty list. Settings are loaded again from cmd, the command
// being completed: `__complete` parses no flags of its own, so the pre-run
// load missed --profile or --api-url on the line being completed.
func waitingRuns(f *Factory, cmd *cobra.Command) []apiclient.Run {
	if f.Load(cmd) != nil {
		return nil
	}
	c, err := f.Client()
	if err != nil {
		return nil
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	runs, _, err := c.ListPaused(ctx, apiclient.ListOptions{})
	if err != nil {
		return nil
	}
	return runs
}

// CompleteOutput completes cmd's --output with formats.
func CompleteOutput(cmd *cobra.Command, formats ...string) {
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
}

// CompleteFilters completes the --flow and --tag flags of cmd and of every
// command below it, and --profile where it is defined.
func CompleteFilters(f *Factory, cmd *cobra.Command) {
	for name, fn := range map[string]cobra.CompletionFunc{
		"flow": CompleteFlows(f), "tag": CompleteTags(f), "profile": CompleteProfiles(f),
	} {
		if cmd.LocalFlags().Lookup(name) != nil {
			_ = cmd.RegisterFlagCompletionFunc(name, fn)
		}
	}
	for _, c := range cmd.Commands() {
		CompleteFilters(f, c)
	}
}

// Package configcmd is `unpause config`: every setting and where it came
// from, secrets masked.
package configcmd

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/termsafe"
)

// Options are config's flags and collaborators.
type Options struct {
	IO       *cmdutil.IOStreams
	Settings func() *config.Settings
	Output   string
}

// NewCmdConfig builds the command; runF replaces the run function in tests.
func NewCmdConfig(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO, Settings: func() *config.Settings { return f.Settings }}
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show every setting and where it came from (secrets masked)",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.CheckOutput(opts.Output, "table", "json"); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return configRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "table", "output format: table or json")
	cmdutil.CompleteOutput(cmd, "table", "json")
	return cmd
}

func configRun(opts *Options) error {
	settings := opts.Settings().Explain()
	if opts.Output == "json" {
		return cmdutil.WriteJSON(opts.IO.Out, settings)
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tVALUE\tFROM")
	for _, s := range settings {
		v := s.Value
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Key, termsafe.Line(v), termsafe.Line(string(s.Source)))
	}
	return tw.Flush()
}

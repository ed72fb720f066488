package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/unpause-dev/unpause/termsafe"
)

func newConfigCmd(a *app) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show every setting and where it came from (secrets masked)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output, "table", "json"); err != nil {
				return err
			}
			settings := a.settings.Explain()
			if output == "json" {
				return writeJSON(a.stdout, settings)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "SETTING\tVALUE\tFROM")
			for _, s := range settings {
				v := s.Value
				if v == "" {
					v = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Key, termsafe.Line(v), termsafe.Line(string(s.Source)))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table or json")
	return cmd
}

// newManCmd prints the man page (roff) for packagers: unpause man > unpause.1
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:         "man",
		Short:       "Print the man page (roff) to stdout",
		Hidden:      true,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"noConfig": "true"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return doc.GenMan(cmd.Root(), &doc.GenManHeader{Title: "UNPAUSE", Section: "1", Source: "unpause " + version}, cmd.OutOrStdout())
		},
	}
}

// exitCodesHelpTopic is `unpause help exit-codes`.
func exitCodesHelpTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "The exit codes scripts can rely on",
		Long: `unpause exits with:
  0  done
  1  unexpected error
  2  usage: bad flags or arguments, an ambiguous run name, or a confirmation
     that could not be asked (add --yes)
  3  invalid input: the answer does not fit the run's schema (checked locally,
     or rejected by the server); the run is still paused
  4  not paused any more: someone else answered it, or it ended
  5  expired: the pause timed out and the run has failed
  6  not found: no run with that id or name
  7  connection: the server could not be reached, timed out or failed
  8  authentication: the server refused the credentials

Results go to stdout; diagnostics go to stderr.`,
		Annotations: map[string]string{"noConfig": "true"},
	}
}

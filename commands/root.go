// Package commands builds unpause's command line: the root command, which
// opens the inbox, and one subpackage per scriptable command, in the shape
// of cli/cli (an Options struct with injected streams and API, a NewCmd
// constructor, a run function). main only wires it to the process.
package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/unpause-dev/unpause/commands/cancel"
	"github.com/unpause-dev/unpause/commands/cmdutil"
	"github.com/unpause-dev/unpause/commands/configcmd"
	"github.com/unpause-dev/unpause/commands/inbox"
	"github.com/unpause-dev/unpause/commands/list"
	"github.com/unpause-dev/unpause/commands/resume"
	"github.com/unpause-dev/unpause/commands/serve"
	"github.com/unpause-dev/unpause/commands/show"
	"github.com/unpause-dev/unpause/commands/watch"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/termsafe"
)

// Main runs unpause with args (without the program name) and returns the
// exit code; errors are printed to io.ErrOut.
func Main(ctx context.Context, build cmdutil.BuildInfo, io *cmdutil.IOStreams, args []string) domain.ExitCode {
	return Run(ctx, &cmdutil.Factory{IO: io, Build: build}, args)
}

// Run runs unpause with args on a fresh command tree built with f (an SSH
// session of `unpause serve` runs its commands this way) and returns the
// exit code; errors are printed to f.IO.ErrOut. nil args are no arguments
// (never cobra's fallback to the process's own os.Args). With f.Session
// set, the commands marked notOverSSH (serve, config) are refused.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) domain.ExitCode {
	if args == nil {
		args = []string{}
	}
	root := NewCmdRoot(f)
	root.SetArgs(args)
	err := refuseOverSSH(f, root, args)
	if err == nil {
		err = root.ExecuteContext(ctx)
	}
	if err != nil {
		fmt.Fprintln(f.IO.ErrOut, "unpause:", termsafe.Text(err.Error()))
	}
	return cmdutil.ExitCodeFor(err)
}

// notOverSSH marks a command a Session may not run.
const notOverSSH = "notOverSSH"

// serverSideFlags are the flags a Session may not use, by command, with the
// one value it may give: each would run a program (watch --exec) or read a
// file (resume --input-file, but - is the caller's stdin) on the server.
var serverSideFlags = map[string]map[string]string{
	"watch":  {"exec": ""},
	"resume": {"input-file": "-"},
}

// refuseFlagsOverSSH refuses, for a Session, the serverSideFlags of cmd.
func refuseFlagsOverSSH(f *cmdutil.Factory, cmd *cobra.Command) error {
	if f.Session == nil {
		return nil
	}
	for name, allowed := range serverSideFlags[cmd.Name()] {
		fl := cmd.Flags().Lookup(name)
		if fl != nil && fl.Changed && (allowed == "" || fl.Value.String() != allowed) {
			return cmdutil.UsageErrorf("%s --%s is not available over unpause serve: it would act on the server's files or run programs there", cmd.Name(), name)
		}
	}
	return nil
}

// refuseOverSSH refuses, for a Session, a command marked notOverSSH (or
// one below it).
func refuseOverSSH(f *cmdutil.Factory, root *cobra.Command, args []string) error {
	if f.Session == nil {
		return nil
	}
	cmd, _, err := root.Find(args)
	if err != nil {
		return nil // cobra says what is wrong with args
	}
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[notOverSSH] == "true" {
			return cmdutil.UsageErrorf("%q is not available over unpause serve: it would run on the server, "+
				"with the server's settings; run it on the server itself, or use list, show, resume, cancel or watch", c.Name())
		}
	}
	return nil
}

// NewCmdRoot builds the root command and its subcommands.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	b := f.Build
	root := &cobra.Command{
		Use:   "unpause",
		Short: "Answer Prefect flow runs that wait for a human",
		Long: `unpause lists Prefect flow runs that are paused or suspended waiting for input,
shows what each one asks, and resumes it with a validated answer.

Run it with no command for the interactive inbox. Every action also has a
scriptable form (list, show, resume, cancel, watch) with JSON output and stable exit
codes; see 'unpause help exit-codes'.`,
		Version:       fmt.Sprintf("%s (commit %s, built %s)", b.Version, b.Commit, b.Date),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cmdutil.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := refuseFlagsOverSSH(f, cmd); err != nil {
				return err
			}
			if cmd.Annotations["noConfig"] == "true" {
				return nil
			}
			return f.Load(cmd)
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return inbox.Run(cmd.Context(), inbox.NewOptions(f)) },
	}
	root.SetVersionTemplate("unpause {{.Version}}\n")
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	config.BindFlags(root.PersistentFlags())
	root.AddCommand(
		list.NewCmdList(f, nil), show.NewCmdShow(f, nil), resume.NewCmdResume(f, nil), cancel.NewCmdCancel(f, nil),
		watch.NewCmdWatch(f, nil),
		configcmd.NewCmdConfig(f, nil), newCmdMan(b), exitCodesHelpTopic(),
		serve.NewCmdServe(f, func(ctx context.Context, sf *cmdutil.Factory, args []string) domain.ExitCode {
			return Run(ctx, sf, args)
		}, nil),
	)
	for _, c := range root.Commands() {
		if c.Name() == "config" || c.Name() == "serve" {
			if c.Annotations == nil {
				c.Annotations = map[string]string{}
			}
			c.Annotations[notOverSSH] = "true"
		}
	}
	cmdutil.CompleteFilters(f, root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.WithCode(domain.ExitUsage, err) })
	return root
}

// newCmdMan prints the man page (roff) for packagers: unpause man > unpause.1
func newCmdMan(b cmdutil.BuildInfo) *cobra.Command {
	return &cobra.Command{
		Use:         "man",
		Short:       "Print the man page (roff) to stdout",
		Hidden:      true,
		Args:        cmdutil.NoArgs,
		Annotations: map[string]string{"noConfig": "true"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return doc.GenMan(cmd.Root(), &doc.GenManHeader{Title: "UNPAUSE", Section: "1", Source: "unpause " + b.Version}, cmd.OutOrStdout())
		},
	}
}

// exitCodesHelpTopic is `unpause help exit-codes`, from domain.ExitCodes.
func exitCodesHelpTopic() *cobra.Command {
	var b strings.Builder
	b.WriteString("unpause exits with:\n")
	for _, c := range domain.ExitCodes {
		for i, line := range strings.Split(wrap(c.Meaning, 72), "\n") {
			if i == 0 {
				fmt.Fprintf(&b, "  %-2d  %s\n", c.Code, line)
			} else {
				fmt.Fprintf(&b, "      %s\n", line)
			}
		}
	}
	b.WriteString("\nResults go to stdout; diagnostics go to stderr.")
	return &cobra.Command{
		Use:         "exit-codes",
		Short:       "The exit codes scripts can rely on",
		Long:        b.String(),
		Annotations: map[string]string{"noConfig": "true"},
	}
}

// wrap breaks s into lines of at most width runes at spaces.
func wrap(s string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line = strings.TrimSpace(line + " " + w)
	}
	return strings.Join(append(lines, line), "\n")
}

// Package cmdutil holds what every unpause command shares: the injected
// streams, the factory that loads settings and builds the API client, coded
// errors and their exit codes, JSON output, run lookup and confirmation.
package cmdutil

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are a command's input and outputs and what is known about them.
// Commands decide on terminals through these, never through os.Stdin.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// InTTY, OutTTY and ErrTTY say whether each stream is a terminal.
	InTTY, OutTTY, ErrTTY bool
	// Term is $TERM ("dumb" means no screen control).
	Term string
}

// System returns the process's own streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY: isTerminal(os.Stdin), OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr),
		Term: os.Getenv("TERM"),
	}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

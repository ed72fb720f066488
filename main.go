// Command unpause answers Prefect flow runs that wait for a human, from a
// terminal: an inbox TUI, plus scriptable commands with JSON output and
// stable exit codes. The commands live in package commands; this only wires
// them to the process.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/unpause-dev/unpause/commands"
	"github.com/unpause-dev/unpause/commands/cmdutil"
)

// Stamped by goreleaser (-X main.version=... -X main.commit=...).
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := commands.Main(ctx, cmdutil.BuildInfo{Version: version, Commit: commit, Date: date}, cmdutil.System(), os.Args[1:])
	stop()
	os.Exit(int(code))
}

package domain

import "github.com/unpause-dev/unpause/apiclient"

// ExitCode is a process exit code of the scriptable commands. The codes are
// part of the scripting contract: documented in README.md and
// `unpause help exit-codes`, and never renumbered.
type ExitCode int

// The exit codes.
const (
	ExitOK           ExitCode = 0
	ExitError        ExitCode = 1 // unexpected failure
	ExitUsage        ExitCode = 2 // bad flags or arguments, ambiguous run, confirmation needed
	ExitInvalidInput ExitCode = 3 // the answer does not fit the run's schema (locally or per the server)
	ExitNotPaused    ExitCode = 4 // the run is no longer paused: someone else answered, or it ended
	ExitExpired      ExitCode = 5 // the pause timed out; the run has failed
	ExitNotFound     ExitCode = 6 // no such run
	ExitConnection   ExitCode = 7 // the server could not be reached or failed
	ExitAuth         ExitCode = 8 // the server refused the credentials
)

// ExitCodeFor maps an error to its exit code by its apiclient kind: nil is
// ExitOK, an error of no known kind ExitError.
func ExitCodeFor(err error) ExitCode {
	if err == nil {
		return ExitOK
	}
	switch apiclient.KindOf(err) {
	case apiclient.ErrNotFound:
		return ExitNotFound
	case apiclient.ErrAuth:
		return ExitAuth
	case apiclient.ErrConnection, apiclient.ErrServer:
		return ExitConnection
	case apiclient.ErrAmbiguous, apiclient.ErrConfig:
		return ExitUsage
	}
	return ExitError
}

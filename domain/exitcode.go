package domain

import "github.com/unpause-dev/unpause/apiclient"

// ExitCode is a process exit code of the scriptable commands. The codes are
// part of the scripting contract: documented in README.md and
// `unpause help exit-codes`, and never renumbered.
type ExitCode int

// The exit codes.
const (
	ExitOK           ExitCode = 0
	ExitError        ExitCode = 1  // unexpected failure
	ExitUsage        ExitCode = 2  // bad flags or arguments, ambiguous run, confirmation needed
	ExitInvalidInput ExitCode = 3  // the answer does not fit the run's schema (locally or per the server)
	ExitNotPaused    ExitCode = 4  // the run is no longer paused: it was answered, or it ended
	ExitExpired      ExitCode = 5  // the pause timed out; the run has failed
	ExitNotFound     ExitCode = 6  // no such run
	ExitConnection   ExitCode = 7  // the server could not be reached or failed
	ExitAuth         ExitCode = 8  // the server refused the credentials
	ExitRefused      ExitCode = 9  // resume --wait: the flow refused the answer and paused again
	ExitRunFailed    ExitCode = 10 // resume --wait: the run failed, crashed or was cancelled after the answer
	ExitUnknown      ExitCode = 11 // a resume or cancel got no definite answer and the run does not show it yet
	ExitSome         ExitCode = 12 // resume of several runs: some were resumed, some not
)

// ExitCodes is the table of exit codes and what each means, as the help
// topic and README.md give it.
var ExitCodes = []struct {
	Code    ExitCode
	Meaning string
}{
	{ExitOK, "done"},
	{ExitError, "unexpected error"},
	{ExitUsage, "usage: bad flags or arguments, an unknown command, an ambiguous run name, a run link to another server or workspace, a config file that cannot be read, or a confirmation that could not be asked (add --yes)"},
	{ExitInvalidInput, "invalid input: the answer does not fit the run's schema (checked locally, or rejected by the server); the run is still paused"},
	{ExitNotPaused, "not paused any more: it was answered (see unpause show RUN), or it ended"},
	{ExitExpired, "expired: the pause timed out and the run has failed"},
	{ExitNotFound, "not found: no run with that id or name"},
	{ExitConnection, "connection: the server could not be reached, timed out or failed"},
	{ExitAuth, "authentication: the server refused the credentials"},
	{ExitRefused, "refused (resume --wait): the flow refused the answer and asks again; the run is paused again"},
	{ExitRunFailed, "failed after the answer (resume --wait): the run failed, crashed or was cancelled"},
	{ExitUnknown, "unknown outcome: no definite answer came and the run does not show the resume or cancel yet; it may still land, so check the run before trying again"},
	{ExitSome, "some (resume --all, several runs, or a runs: answer file): some runs were resumed, some not; see each run's result. When none was resumed, the exit code is the one their failures share, or 1 if they failed in different ways"},
}

// BulkExit is the exit code of a command that acted on several runs, from
// each run's own code (as a single resume of it would exit): ExitOK when
// every run succeeded, ExitSome when some did, else the code every failure
// shares, or ExitError when they failed in different ways.
func BulkExit(codes []ExitCode) ExitCode {
	ok, failed := 0, ExitOK
	mixed := false
	for _, c := range codes {
		switch {
		case c == ExitOK:
			ok++
		case failed == ExitOK:
			failed = c
		case c != failed:
			mixed = true
		}
	}
	switch {
	case ok == len(codes):
		return ExitOK
	case ok > 0:
		return ExitSome
	case mixed:
		return ExitError
	}
	return failed
}

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
	case apiclient.ErrAmbiguous, apiclient.ErrConfig, apiclient.ErrUsage:
		return ExitUsage
	case apiclient.ErrUnknownOutcome:
		return ExitUnknown
	}
	return ExitError
}

package inputschema

import (
	"errors"
	"fmt"
)

// UnreadableCause is why a run's input schema cannot be read.
type UnreadableCause int

// The causes.
const (
	NotASchema UnreadableCause = iota // JSON, but not a schema unpause can read
	NotJSON                           // not JSON at all
	TooDeep                           // JSON nested deeper than unpause decodes
)

// UnreadableError is every error of ParseSchema: the run's input request
// cannot be read, with its cause. Commands map it to one exit code.
type UnreadableError struct {
	Cause UnreadableCause
	Err   error
}

func (e *UnreadableError) Error() string {
	var what string
	switch e.Cause {
	case TooDeep:
		what = fmt.Sprintf("its schema is nested more than %d levels deep, deeper than unpause reads", maxJSONDepth)
	case NotJSON:
		what = "its schema is not JSON (" + e.Err.Error() + ")"
	default:
		what = "its schema is not one unpause can read (" + e.Err.Error() + ")"
	}
	return "the run's input request cannot be read: " + what + "; answer it in the Prefect UI"
}

func (e *UnreadableError) Unwrap() error { return e.Err }

// errTooDeep is JSON nested deeper than maxJSONDepth: possibly valid JSON,
// refused so that a hostile document cannot exhaust the stack.
var errTooDeep = errors.New("JSON nested too deeply")

// unreadable classifies an error of parsing a schema.
func unreadable(err error, decoding bool) *UnreadableError {
	switch {
	case errors.Is(err, errTooDeep):
		return &UnreadableError{Cause: TooDeep, Err: err}
	case decoding:
		return &UnreadableError{Cause: NotJSON, Err: err}
	}
	return &UnreadableError{Cause: NotASchema, Err: err}
}

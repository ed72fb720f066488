package cmdutil

import (
	"errors"
	"fmt"

	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui/accessible"
)

// CodedError carries an exit code with the error a command returns. The
// codes are domain's (domain.ExitCode), the scripting contract.
type CodedError struct {
	Code domain.ExitCode
	Err  error
}

func (e *CodedError) Error() string { return e.Err.Error() }
func (e *CodedError) Unwrap() error { return e.Err }

// WithCode gives err the exit code code.
func WithCode(code domain.ExitCode, err error) error { return &CodedError{Code: code, Err: err} }

// UsageErrorf is an error of the usage exit code.
func UsageErrorf(format string, a ...any) error {
	return WithCode(domain.ExitUsage, fmt.Errorf(format, a...))
}

// ExitCodeFor maps an error to the documented exit code: the code a command
// gave it, usage for settings and input that ended, else by its API kind.
func ExitCodeFor(err error) domain.ExitCode {
	var ce *CodedError
	if errors.As(err, &ce) {
		return ce.Code
	}
	if errors.Is(err, config.ErrNoServer) || errors.Is(err, accessible.ErrEndOfInput) {
		return domain.ExitUsage
	}
	return domain.ExitCodeFor(err)
}

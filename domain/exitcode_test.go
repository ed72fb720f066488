package domain

import (
	"errors"
	"fmt"
	"testing"

	"github.com/unpause-dev/unpause/apiclient"
)

func TestExitCodeFor(t *testing.T) {
	cases := []struct {
		err  error
		want ExitCode
	}{
		{nil, ExitOK},
		{errors.New("boom"), ExitError},
		{&apiclient.Error{Kind: apiclient.ErrNotFound}, ExitNotFound},
		{fmt.Errorf("resolving: %w", &apiclient.Error{Kind: apiclient.ErrNotFound}), ExitNotFound},
		{&apiclient.Error{Kind: apiclient.ErrAuth}, ExitAuth},
		{&apiclient.Error{Kind: apiclient.ErrConnection}, ExitConnection},
		{&apiclient.Error{Kind: apiclient.ErrServer}, ExitConnection},
		{&apiclient.Error{Kind: apiclient.ErrAmbiguous}, ExitUsage},
		{&apiclient.Error{Kind: apiclient.ErrConfig}, ExitUsage},
		{&apiclient.Error{Kind: apiclient.ErrUsage}, ExitUsage},
		{&apiclient.Error{Kind: apiclient.ErrOther}, ExitError},
	}
	for _, c := range cases {
		if got := ExitCodeFor(c.err); got != c.want {
			t.Errorf("ExitCodeFor(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

// The numbers are the scripting contract (README.md); they never change.
func TestExitCodeNumbers(t *testing.T) {
	got := []ExitCode{ExitOK, ExitError, ExitUsage, ExitInvalidInput, ExitNotPaused, ExitExpired, ExitNotFound, ExitConnection, ExitAuth}
	for i, c := range got {
		if int(c) != i {
			t.Errorf("exit code %d is %d", i, c)
		}
	}
}

// Several runs: all done is done, some is ExitSome, none is the failure they
// share, or ExitError when they differ.
func TestBulkExit(t *testing.T) {
	cases := []struct {
		codes []ExitCode
		want  ExitCode
	}{
		{[]ExitCode{ExitOK, ExitOK}, ExitOK},
		{[]ExitCode{ExitOK, ExitNotPaused, ExitOK}, ExitSome},
		{[]ExitCode{ExitNotPaused, ExitOK}, ExitSome},
		{[]ExitCode{ExitNotPaused, ExitNotPaused}, ExitNotPaused},
		{[]ExitCode{ExitNotFound}, ExitNotFound},
		{[]ExitCode{ExitNotPaused, ExitInvalidInput, ExitNotPaused}, ExitError},
	}
	for _, c := range cases {
		if got := BulkExit(c.codes); got != c.want {
			t.Errorf("BulkExit(%v) = %d, want %d", c.codes, got, c.want)
		}
	}
	if ExitSome != 12 {
		t.Errorf("ExitSome is %d; the number is the scripting contract", ExitSome)
	}
}

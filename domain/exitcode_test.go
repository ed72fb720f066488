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

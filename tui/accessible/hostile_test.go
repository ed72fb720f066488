package accessible

import (
	"bytes"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/termsafe"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

func TestAccessibleModeHostile(t *testing.T) {
	api := tuitest.HostileFixture(t)
	var out bytes.Buffer
	// Open run 1, answer (keep defaults), refuse the confirmation, quit.
	in := strings.NewReader("1\na\n\n\nno\nb\nq\n")
	err := Run(t.Context(), Options{API: api, Now: tuitest.FixedNow, StateDir: t.TempDir(), Profile: "p" + tuitest.Hostile, ServerURL: "s" + tuitest.Hostile, In: in, Out: &out})
	if err != nil {
		t.Fatalf("accessible: %v\n%s", err, out.String())
	}
	s := out.String()
	if strings.Contains(s, "\x1b") || !termsafe.OnlySGR(s) {
		t.Fatalf("accessible output carries escapes: %q", s)
	}
	if len(api.ResumeCalls()) != 0 {
		t.Fatal("sent without yes")
	}
}

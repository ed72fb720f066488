package answerfile

import (
	"os/exec"
	"strings"
	"testing"
)

// The answer file is schema logic, not a terminal UI: this package and
// everything it imports stay free of the charm UI modules (bubbletea, huh,
// lipgloss, bubbles, glamour). termsafe, which every API string passes
// through, brings only the ANSI parser of charmbracelet/x/ansi.
func TestNoUIDependency(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list this package's imports: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) == 0 {
		t.Fatal("go list -deps listed nothing")
	}
	for _, dep := range deps {
		if strings.HasPrefix(dep, "charm.land/") || (strings.Contains(dep, "charmbracelet") && !strings.HasPrefix(dep, "github.com/charmbracelet/x/ansi")) {
			t.Errorf("answerfile depends on %s; keep terminal code out of it", dep)
		}
	}
}

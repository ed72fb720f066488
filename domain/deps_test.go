package domain

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// domain sits below every front end: it must not pull in a terminal UI
// module, the form widgets or a tui package. The one charm code it reaches
// is the escape-sequence parser (github.com/charmbracelet/x/ansi) that
// termsafe sanitises API strings with; nothing else, and none of its own.
func TestNoFrontEndDependencies(t *testing.T) {
	mine := goListDeps(t, ".")
	if !slices.Contains(mine, "github.com/unpause-dev/unpause/apiclient") {
		t.Fatalf("go list -deps gave an unexpected list: %v", mine)
	}
	sanitiser := goListDeps(t, "../termsafe")
	for _, d := range mine {
		if !frontEnd(d) {
			continue
		}
		if !slices.Contains(sanitiser, d) || !strings.HasPrefix(d, "github.com/charmbracelet/x/ansi") {
			t.Errorf("domain depends on %s", d)
		}
	}
}

func frontEnd(pkg string) bool {
	return strings.HasPrefix(pkg, "charm.land/") || strings.HasPrefix(pkg, "github.com/charmbracelet/") ||
		pkg == "github.com/unpause-dev/unpause/tui" || strings.HasPrefix(pkg, "github.com/unpause-dev/unpause/tui/") ||
		pkg == "github.com/unpause-dev/unpause/forms"
}

func goListDeps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	return strings.Fields(string(out))
}

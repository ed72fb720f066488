package inputschema

import (
	"os/exec"
	"strings"
	"testing"
)

// The CLI reads schemas without a terminal UI: this package, its tests
// and everything they import must stay free of the charm modules
// (charm.land/..., github.com/charmbracelet/...), which package forms
// brings in.
func TestNoCharmDependency(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list this package's imports: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "-test", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps -test: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) == 0 {
		t.Fatal("go list -deps -test listed nothing")
	}
	for _, dep := range deps {
		if strings.Contains(strings.ToLower(dep), "charm") {
			t.Errorf("inputschema depends on %s; keep terminal code in package forms", dep)
		}
	}
}

package commands

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/domain"
)

// README.md's exit code table says what domain.ExitCodes says (the help
// topic is built from it), row for row; backticks aside.
func TestREADMEExitCodes(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| (\d+) \| (.+) \|$`)
	got := map[int]string{}
	for _, m := range row.FindAllStringSubmatch(string(raw), -1) {
		n, _ := strconv.Atoi(m[1])
		got[n] = strings.ReplaceAll(m[2], "`", "")
	}
	if len(got) != len(domain.ExitCodes) {
		t.Errorf("README.md has %d exit code rows, domain.ExitCodes %d", len(got), len(domain.ExitCodes))
	}
	for _, c := range domain.ExitCodes {
		if got[int(c.Code)] != c.Meaning {
			t.Errorf("exit %d: README says %q, domain.ExitCodes %q", c.Code, got[int(c.Code)], c.Meaning)
		}
	}
}

func TestExitCodesHelpTopic(t *testing.T) {
	long := exitCodesHelpTopic().Long
	for _, c := range domain.ExitCodes {
		if !strings.Contains(long, "  "+strconv.Itoa(int(c.Code))+" ") {
			t.Errorf("help topic lacks code %d:\n%s", c.Code, long)
		}
	}
	for _, l := range strings.Split(long, "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("help line over 80 columns: %q", l)
		}
	}
}

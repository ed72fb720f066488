package integration

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCLIBashCompletesWaitingRuns: in bash, with the script `unpause
// completion bash` prints, TAB after `unpause resume` offers the name of a
// run waiting on the real server, and `--flow` its flow.
func TestCLIBashCompletesWaitingRuns(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	// cobra's bash script needs the bash-completion package, as a user's
	// shell has it (.ci/run installs it).
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	if _, err := os.Stat(bashCompletion); err != nil {
		t.Skip("no " + bashCompletion + " (Debian's bash-completion package)")
	}
	f := startFlow(t, "greeting")
	name := tuiRunName(t, f)
	bin := buildUnpause(t)
	_, env := unpauseEnv(t, UnpauseOpts{})
	env = append(env, "PATH="+filepath.Dir(bin)+":"+strings.TrimPrefix(env[0], "PATH="))
	// What bash does on TAB: set COMP_* and call the completion function.
	tab := func(line string) []string {
		t.Helper()
		script := `source ` + bashCompletion + `
source <(unpause completion bash)
read -ra COMP_WORDS <<<"$LINE"
[[ $LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$LINE COMP_POINT=${#LINE}
__start_unpause
printf '%s\n' "${COMPREPLY[@]}"`
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bash, "--norc", "--noprofile", "-c", script)
		cmd.Env = append(env, "LINE="+line)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash completion of %q: %v\n%s", line, err, out)
		}
		return strings.Fields(string(out))
	}
	prefix := name[:3]
	if got := tab("unpause resume " + prefix); !slices.Contains(got, name) {
		t.Errorf("TAB after %q offers %q, want %q among them", "unpause resume "+prefix, got, name)
	}
	if got := tab("unpause list --flow "); !slices.Contains(got, "unpause-greeting") {
		t.Errorf("TAB after --flow offers %q, want unpause-greeting", got)
	}
}

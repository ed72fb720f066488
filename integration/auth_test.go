package integration

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A self-hosted server with basic auth and CSRF protection on, as a careful
// operator runs it: unpause lists, resumes and cancels with the right auth
// string (fetching a CSRF token once the server asks), and a wrong one is an
// authentication failure (exit 8) that names what to check.
func TestBasicAuthAndCSRFServer(t *testing.T) {
	t.Parallel()
	_, python := requireServer(t)
	root := repoRoot(t)
	auth := "admin:s3cret-" + "it"
	// The server this test starts is the version under test. Prefect 2.x has no basic
	// auth (PREFECT_SERVER_API_AUTH_STRING came with 3.x) and names its CSRF setting
	// without API_: there the test is CSRF only.
	serverEnv := []string{"PREFECT_SERVER_API_AUTH_STRING=" + auth, "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true"}
	v2 := prefect2(t)
	if v2 {
		auth = ""
		serverEnv = []string{"UNPAUSE_PREFECT_VERSION=2.20.17", "PREFECT_SERVER_CSRF_PROTECTION_ENABLED=true"}
	}
	state := filepath.Join(t.TempDir(), "server.env")
	script := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(filepath.Join(root, "scripts", "prefect-server"), args...)
		cmd.Dir = root
		cmd.Env = append(append(os.Environ(), "UNPAUSE_PREFECT_STATE="+state), serverEnv...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("scripts/prefect-server %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
		}
		return out.String()
	}
	env := script("start")
	t.Cleanup(func() { script("stop") })
	apiURL := ""
	for _, line := range strings.Split(env, "\n") {
		if v, ok := strings.CutPrefix(line, "UNPAUSE_IT_API_URL="); ok {
			apiURL = v
		}
	}
	if apiURL == "" {
		t.Fatalf("no API URL in:\n%s", env)
	}

	// Two paused runs with input schemas, stored the way Prefect stores them.
	ids := filepath.Join(t.TempDir(), "ids")
	seed := exec.Command(python, filepath.Join(root, "scripts", "seed.py"), "--count", "6", "--ids-out", ids, "--seed", "7")
	seed.Env = append(os.Environ(), "PREFECT_API_URL="+apiURL, "PREFECT_API_AUTH_STRING="+auth)
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}

	as := func(authString string) UnpauseOpts {
		return UnpauseOpts{
			NoServer: true, Timeout: 2 * time.Minute,
			Env: []string{"PREFECT_API_URL=" + apiURL, "PREFECT_API_AUTH_STRING=" + authString},
		}
	}
	stdout, stderr, code := runUnpauseWith(t, as(auth), "list", "-o", "json")
	if code != 0 {
		t.Fatalf("list with the right auth string: exit %d\n%s", code, stderr)
	}
	var runs []cliRun
	if err := jsonUnmarshal(stdout, &runs); err != nil || len(runs) != 6 {
		t.Fatalf("list printed %d runs (%v):\n%s", len(runs), err, stdout)
	}
	if !v2 {
		_, stderr, code = runUnpauseWith(t, as("admin:wrong"), "list")
		if code != 8 || !strings.Contains(stderr, "PREFECT_API_AUTH_STRING") || strings.Contains(stderr, "admin:wrong") {
			t.Errorf("list with a wrong auth string: exit %d, want 8 and a hint that does not echo the secret:\n%s", code, stderr)
		}
	}

	// Resume the one that needs input by dry-running its defaults first, and
	// cancel the other: both are POSTs the CSRF middleware checks.
	var resumed, cancelled bool
	for _, r := range runs {
		if r.NeedsInput && !resumed {
			_, stderr, code := runUnpauseWith(t, as(auth), "resume", r.ID, "--dry-run")
			if code != 0 && code != 3 {
				t.Fatalf("resume --dry-run %s: exit %d\n%s", r.ID, code, stderr)
			}
			if code == 0 {
				_, stderr, code = runUnpauseWith(t, as(auth), "resume", r.ID, "--yes")
				if code != 0 {
					t.Fatalf("resume %s behind auth and CSRF: exit %d\n%s", r.ID, code, stderr)
				}
				resumed = true
				continue
			}
		}
		if !cancelled {
			_, stderr, code := runUnpauseWith(t, as(auth), "cancel", r.ID, "--reason", "auth check", "--yes")
			if code != 0 {
				t.Fatalf("cancel %s behind auth and CSRF: exit %d\n%s", r.ID, code, stderr)
			}
			cancelled = true
		}
	}
	if !resumed || !cancelled {
		t.Fatalf("resumed %v, cancelled %v: the seeded mix should give one of each", resumed, cancelled)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

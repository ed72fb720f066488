package commands

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/apiclient/prefecttest"
	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/commands/cmdutil"
)

// complete runs cobra's __complete (what the shell scripts of `unpause
// completion` call on TAB) and returns its candidates, descriptions cut.
func complete(t *testing.T, apiURL string, words ...string) []string {
	t.Helper()
	io := cmdtest.Streams("", false)
	Run(context.Background(), &cmdutil.Factory{IO: io.IOStreams, NoAudit: true}, append([]string{"__complete", "--api-url", apiURL}, words...))
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(io.OutBuf.String()), "\n") {
		if strings.HasPrefix(l, ":") { // the directive line
			break
		}
		word, _, _ := strings.Cut(l, "\t")
		out = append(out, word)
	}
	return out
}

func TestCompletion(t *testing.T) {
	t.Setenv("UNPAUSE_CONFIG_DIR", t.TempDir())
	t.Setenv("PREFECT_HOME", t.TempDir())
	t.Setenv("PREFECT_API_URL", "")
	srv := prefecttest.New(t)
	srv.Add(prefecttest.Run{Name: "crimson-falcon", Flow: "deploy", Tags: []string{"prod"}})
	srv.Add(prefecttest.Run{Name: "amber-heron", Flow: "label-image", Tags: []string{"ml", "prod"}})
	twin1 := srv.Add(prefecttest.Run{Name: "twin", Flow: "etl"})
	twin2 := srv.Add(prefecttest.Run{Name: "twin", Flow: "etl"})
	srv.Add(prefecttest.Run{Name: "evil\x1b]0;pwned\x07", Flow: "etl"})
	api := srv.APIURL()
	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{"show", "c"}, []string{"crimson-falcon"}},
		{[]string{"show", "crimson-falcon", ""}, nil}, // show takes one RUN
		{[]string{"resume", "crimson-falcon", "a"}, []string{"amber-heron"}},
		{[]string{"resume", "crimson-falcon", "amber-heron", "crimson"}, nil}, // given already
		{[]string{"list", "--flow", ""}, []string{"deploy", "etl", "label-image"}},
		{[]string{"watch", "--tag", "p"}, []string{"prod"}},
		{[]string{"list", "--output", ""}, []string{"table", "json"}},
		{[]string{"show", "x", "--output", ""}, []string{"text", "json"}},
	} {
		if got := complete(t, api, tc.words...); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.words, got, tc.want)
		}
	}
	// A name two runs share, or one that cannot be typed safely, completes
	// to the ids; nothing raw reaches the shell.
	all := complete(t, api, "cancel", "")
	if !slices.Contains(all, twin1) || !slices.Contains(all, twin2) || slices.Contains(all, "twin") || len(all) != 5 {
		t.Errorf("cancel: %q", all)
	}
	io := cmdtest.Streams("", false)
	Run(context.Background(), &cmdutil.Factory{IO: io.IOStreams, NoAudit: true}, []string{"__complete", "--api-url", api, "cancel", ""})
	if strings.ContainsAny(io.OutBuf.String(), "\x1b\x07") {
		t.Errorf("a control character reached the shell: %q", io.OutBuf.String())
	}
	// Prefect's profiles, from its profiles file.
	home := t.TempDir()
	t.Setenv("PREFECT_HOME", home)
	if err := os.WriteFile(filepath.Join(home, "profiles.toml"), []byte("active = \"prod\"\n[profiles.prod]\n[profiles.staging]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := complete(t, api, "list", "--profile", "st"); !slices.Equal(got, []string{"staging"}) {
		t.Errorf("--profile: %q", got)
	}
	// A server that does not answer completes nothing, quietly.
	if got := complete(t, "http://127.0.0.1:1/api", "show", ""); got != nil {
		t.Errorf("no server: %q", got)
	}
}

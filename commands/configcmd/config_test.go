package configcmd

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/unpause-dev/unpause/commands/cmdtest"
	"github.com/unpause-dev/unpause/config"
	"github.com/unpause-dev/unpause/domain"
)

// Flags: what the command line sets in the options.
func TestNewCmdConfigFlags(t *testing.T) {
	cases := []struct {
		args   []string
		output string
		code   domain.ExitCode
	}{
		{nil, "table", domain.ExitOK},
		{[]string{"-o", "json"}, "json", domain.ExitOK},
		{[]string{"--output", "text"}, "", domain.ExitUsage},
		{[]string{"extra"}, "", domain.ExitUsage},
		{[]string{"--bogus"}, "", domain.ExitUsage},
	}
	for _, c := range cases {
		got, code, err := cmdtest.ParseFlags(t, NewCmdConfig, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d (%v), want %d", c.args, code, err, c.code)
			continue
		}
		if c.code != domain.ExitOK {
			if got != nil {
				t.Errorf("%v: the run function ran despite exit %d", c.args, code)
			}
			continue
		}
		if got.Output != c.output {
			t.Errorf("%v: output %q, want %q", c.args, got.Output, c.output)
		}
	}
}

const apiKey = "pnu_0123456789abcdefghijklmnopqrstuvwxyz"

// settings loads real settings from an environment of its own (no files:
// HOME is an empty directory), so that Explain has sources to tell.
func settings(t *testing.T) *config.Settings {
	env := map[string]string{
		"HOME": t.TempDir(), "PREFECT_API_URL": "http://user:hunter2@prefect.example:4200/api",
		"PREFECT_API_KEY": apiKey,
	}
	env["PREFECT_HOME"] = env["HOME"] + "/.prefect"
	fs := pflag.NewFlagSet("unpause", pflag.ContinueOnError)
	config.BindFlags(fs)
	s, err := config.Load(context.Background(), fs, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func runConfig(t *testing.T, args ...string) *cmdtest.IO {
	io := cmdtest.Streams("", false)
	f := cmdtest.Factory(io, "")
	f.Settings = settings(t)
	if code, err := cmdtest.Run(t, NewCmdConfig(f, nil), args...); code != domain.ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	return io
}

// The table: a header, a row per setting with its source; secrets masked.
func TestConfigTable(t *testing.T) {
	io := runConfig(t)
	out := io.OutBuf.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "SETTING") || !strings.Contains(lines[0], "FROM") {
		t.Fatalf("table:\n%s", out)
	}
	if !strings.Contains(out, "prefect.example") || !strings.Contains(out, "PREFECT_API_URL") || !strings.Contains(out, "default") {
		t.Errorf("table lacks the URL, its source, or defaults:\n%s", out)
	}
	if strings.Contains(out, apiKey) || strings.Contains(out, "hunter2") {
		t.Errorf("a secret is shown:\n%s", out)
	}
}

// JSON: the settings as an array of {key, value, source, secret}.
func TestConfigJSON(t *testing.T) {
	io := runConfig(t, "-o", "json")
	var got []config.Setting
	if err := json.Unmarshal(io.OutBuf.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, io.OutBuf.String())
	}
	var key *config.Setting
	for i := range got {
		if strings.Contains(string(got[i].Source), "PREFECT_API_KEY") {
			key = &got[i]
		}
	}
	if key == nil || !key.Secret || key.Value == apiKey || key.Value == "" {
		t.Errorf("API key setting: %+v, want a masked secret from PREFECT_API_KEY", key)
	}
	if strings.Contains(io.OutBuf.String(), apiKey) || strings.Contains(io.OutBuf.String(), "hunter2") {
		t.Errorf("a secret is in the JSON:\n%s", io.OutBuf.String())
	}
	for _, k := range []string{`"key"`, `"value"`, `"source"`, `"secret"`} {
		if !strings.Contains(io.OutBuf.String(), k) {
			t.Errorf("JSON has no %s", k)
		}
	}
}

package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// fixture is an isolated HOME with optional config file, profiles file,
// environment and flags.
type fixture struct {
	t        *testing.T
	home     string
	env      map[string]string
	args     []string
	cfg      []string // config.yaml lines
	profile  []string // settings of profile "p" in profiles.toml
	cfgMode  os.FileMode
	rawCfg   string // written verbatim when set (instead of cfg)
	rawProfs string // written verbatim when set (instead of profile)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	home := t.TempDir()
	return &fixture{t: t, home: home, env: map[string]string{"HOME": home}, cfgMode: 0o600}
}

func (f *fixture) configPath() string {
	return filepath.Join(f.home, ".config", "unpause", "config.yaml")
}

func (f *fixture) profilesPath() string {
	return filepath.Join(f.home, ".prefect", "profiles.toml")
}

func (f *fixture) write(path, content string, mode os.FileMode) {
	f.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		f.t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask-proof
		f.t.Fatal(err)
	}
}

func (f *fixture) lookup(k string) (string, bool) {
	v, ok := f.env[k]
	return v, ok
}

func (f *fixture) load() (*Settings, error) {
	f.t.Helper()
	switch {
	case f.rawCfg != "":
		f.write(f.configPath(), f.rawCfg, f.cfgMode)
	case len(f.cfg) > 0:
		f.write(f.configPath(), strings.Join(f.cfg, "\n")+"\n", f.cfgMode)
	}
	switch {
	case f.rawProfs != "":
		f.write(f.profilesPath(), f.rawProfs, 0o600)
	case len(f.profile) > 0:
		f.write(f.profilesPath(), "active = \"p\"\n\n[profiles.p]\n"+strings.Join(f.profile, "\n")+"\n", 0o600)
	}
	fs := pflag.NewFlagSet("unpause", pflag.ContinueOnError)
	BindFlags(fs)
	if err := fs.Parse(f.args); err != nil {
		f.t.Fatalf("parse flags %q: %v", f.args, err)
	}
	return Load(context.Background(), fs, f.lookup)
}

func (f *fixture) mustLoad() *Settings {
	f.t.Helper()
	s, err := f.load()
	if err != nil {
		f.t.Fatalf("Load: %v", err)
	}
	return s
}

func settingOf(t *testing.T, s *Settings, key string) Setting {
	t.Helper()
	for _, e := range s.Explain() {
		if e.Key == key {
			return e
		}
	}
	t.Fatalf("no setting %q in Explain", key)
	return Setting{}
}

// layer applies one source of a value and says what Load should report.
type testLayer struct {
	name   string
	apply  func(f *fixture)
	value  string
	source func(f *fixture) Source
}

func src(s string) func(*fixture) Source { return func(*fixture) Source { return Source(s) } }
func cfgSrc(f *fixture) Source           { return Source("config " + f.configPath()) }
func profSrc(f *fixture) Source          { return Source("profile p (" + f.profilesPath() + ")") }

func flagLayer(args ...string) func(*fixture) {
	return func(f *fixture) { f.args = append(f.args, args...) }
}
func envLayer(k, v string) func(*fixture) { return func(f *fixture) { f.env[k] = v } }
func cfgLayer(line string) func(*fixture) {
	return func(f *fixture) { f.cfg = append(f.cfg, line) }
}

func profLayer(line string) func(*fixture) {
	return func(f *fixture) { f.profile = append(f.profile, line) }
}

// TestPrecedence enables the layers of each key from the lowest up to
// layer i and checks that layer i wins, for every i, then the default.
func TestPrecedence(t *testing.T) {
	keys := []struct {
		key      string
		layers   []testLayer // highest precedence first
		defValue string
	}{
		{keyAPIURL, []testLayer{
			{"flag", flagLayer("--api-url", "http://flag/api/"), "http://flag/api", src("flag --api-url")},
			{"UNPAUSE env", envLayer("UNPAUSE_API_URL", "http://uenv/api"), "http://uenv/api", src("env UNPAUSE_API_URL")},
			{"PREFECT env", envLayer("PREFECT_API_URL", "http://penv/api"), "http://penv/api", src("env PREFECT_API_URL")},
			{"config", cfgLayer("api_url: http://config/api"), "http://config/api", cfgSrc},
			{"profile", profLayer(`PREFECT_API_URL = "http://profile/api"`), "http://profile/api", profSrc},
		}, ""},
		{keyAPIKey, []testLayer{
			{"UNPAUSE env", envLayer("UNPAUSE_API_KEY", "pnu_UNPAUSEENVKEY0000000001"), "pnu_…0001", src("env UNPAUSE_API_KEY")},
			{"PREFECT env", envLayer("PREFECT_API_KEY", "pnu_PREFECTENVKEY000000002"), "pnu_…0002", src("env PREFECT_API_KEY")},
			{"config", cfgLayer("api_key: pnb_CONFIGFILEKEY00000000003"), "pnb_…0003", cfgSrc},
			{"profile", profLayer(`PREFECT_API_KEY = "pnu_PROFILEKEY00000000000004"`), "pnu_…0004", profSrc},
		}, ""},
		{keyAuthString, []testLayer{
			{"UNPAUSE env", envLayer("UNPAUSE_AUTH_STRING", "u:uenv"), "****", src("env UNPAUSE_AUTH_STRING")},
			{"PREFECT env", envLayer("PREFECT_API_AUTH_STRING", "u:penv"), "****", src("env PREFECT_API_AUTH_STRING")},
			{"config", cfgLayer("auth_string: u:config"), "****", cfgSrc},
			{"profile", profLayer(`PREFECT_API_AUTH_STRING = "u:profile"`), "****", profSrc},
		}, ""},
		{keyCAFile, []testLayer{
			{"flag", flagLayer("--ca-file=/flag.pem"), "/flag.pem", src("flag --ca-file")},
			{"UNPAUSE env", envLayer("UNPAUSE_CA_FILE", "/uenv.pem"), "/uenv.pem", src("env UNPAUSE_CA_FILE")},
			{"PREFECT env", envLayer("PREFECT_API_SSL_CERT_FILE", "/penv.pem"), "/penv.pem", src("env PREFECT_API_SSL_CERT_FILE")},
			{"config", cfgLayer("ca_file: /config.pem"), "/config.pem", cfgSrc},
			{"profile", profLayer(`PREFECT_API_SSL_CERT_FILE = "/profile.pem"`), "/profile.pem", profSrc},
			{"SSL_CERT_FILE", envLayer("SSL_CERT_FILE", "/ssl.pem"), "/ssl.pem", src("env SSL_CERT_FILE")},
		}, ""},
		{keyInsecureSkipVerify, []testLayer{
			{"flag", flagLayer("--insecure-skip-verify=false"), "false", src("flag --insecure-skip-verify")},
			{"UNPAUSE env", envLayer("UNPAUSE_INSECURE_SKIP_VERIFY", "yes"), "true", src("env UNPAUSE_INSECURE_SKIP_VERIFY")},
			{"PREFECT env", envLayer("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "0"), "false", src("env PREFECT_API_TLS_INSECURE_SKIP_VERIFY")},
			{"config", cfgLayer("insecure_skip_verify: true"), "true", cfgSrc},
			{"profile", profLayer(`PREFECT_API_TLS_INSECURE_SKIP_VERIFY = "False"`), "false", profSrc},
		}, "false"},
		{keyTimeout, []testLayer{
			{"flag", flagLayer("--timeout", "5"), "5s", src("flag --timeout")},
			{"UNPAUSE env", envLayer("UNPAUSE_TIMEOUT", "1m30s"), "1m30s", src("env UNPAUSE_TIMEOUT")},
			{"PREFECT env", envLayer("PREFECT_API_REQUEST_TIMEOUT", "2.5"), "2.5s", src("env PREFECT_API_REQUEST_TIMEOUT")},
			{"config", cfgLayer("timeout: 45s"), "45s", cfgSrc},
			{"profile", profLayer(`PREFECT_API_REQUEST_TIMEOUT = 120`), "2m0s", profSrc},
		}, "1m0s"},
		{keyRefreshInterval, []testLayer{
			{"flag", flagLayer("--refresh-interval=3s"), "3s", src("flag --refresh-interval")},
			{"UNPAUSE env", envLayer("UNPAUSE_REFRESH_INTERVAL", "20"), "20s", src("env UNPAUSE_REFRESH_INTERVAL")},
			{"config", cfgLayer("refresh_interval: 1m"), "1m0s", cfgSrc},
		}, "10s"},
		{keyTheme, []testLayer{
			{"flag", flagLayer("--theme", "Light"), "light", src("flag --theme")},
			{"UNPAUSE env", envLayer("UNPAUSE_THEME", "dark"), "dark", src("env UNPAUSE_THEME")},
			{"config", cfgLayer("theme: light"), "light", cfgSrc},
		}, "auto"},
		{keyReadOnly, []testLayer{
			{"flag", flagLayer("--read-only=false"), "false", src("flag --read-only")},
			{"UNPAUSE env", envLayer("UNPAUSE_READ_ONLY", "true"), "true", src("env UNPAUSE_READ_ONLY")},
			{
				"config per profile", cfgLayer("profiles: {p: {read_only: false}}"), "false",
				func(f *fixture) Source { return Source("config " + f.configPath() + " (profiles.p.read_only)") },
			},
			{"config", cfgLayer("read_only: true"), "true", cfgSrc},
		}, "false"},
		{keyAccessible, []testLayer{
			{"flag", flagLayer("--accessible"), "true", src("flag --accessible")},
			{"UNPAUSE env", envLayer("UNPAUSE_ACCESSIBLE", "false"), "false", src("env UNPAUSE_ACCESSIBLE")},
			{"ACCESSIBLE env", envLayer("ACCESSIBLE", "1"), "true", src("env ACCESSIBLE")},
			{"config", cfgLayer("accessible: false"), "false", cfgSrc},
		}, "false"},
		{keyNoColor, []testLayer{
			{"UNPAUSE env", envLayer("UNPAUSE_NO_COLOR", "false"), "false", src("env UNPAUSE_NO_COLOR")},
			{"NO_COLOR env (any value)", envLayer("NO_COLOR", "0"), "true", src("env NO_COLOR")},
			{"config", cfgLayer("no_color: true"), "true", cfgSrc},
		}, "false"},
		{keyNotify, []testLayer{
			{"UNPAUSE env", envLayer("UNPAUSE_NOTIFY", " Both "), "both", src("env UNPAUSE_NOTIFY")},
			{
				"config per profile", cfgLayer("profiles: {P: {notify: desktop}}"), "desktop",
				func(f *fixture) Source { return Source("config " + f.configPath() + " (profiles.p.notify)") },
			},
			{"config", cfgLayer("notify: off"), "off", cfgSrc},
		}, "bell"},
	}
	for _, k := range keys {
		for i := 0; i <= len(k.layers); i++ {
			name := "default"
			if i < len(k.layers) {
				name = k.layers[i].name
			}
			t.Run(k.key+"/"+name, func(t *testing.T) {
				f := newFixture(t)
				f.profile = append(f.profile, `PREFECT_API_URL = "http://base/api"`) // keep profile "p" non-empty
				if k.key == keyAPIURL {
					f.profile = nil
					f.rawProfs = "active = \"p\"\n[profiles.p]\n"
				}
				for _, l := range k.layers[i:] {
					l.apply(f)
				}
				if k.key == keyAPIURL && i == len(k.layers)-1 {
					f.rawProfs = ""
				}
				s := f.mustLoad()
				got := settingOf(t, s, k.key)
				wantValue, wantSource := k.defValue, SourceDefault
				if i < len(k.layers) {
					wantValue, wantSource = k.layers[i].value, k.layers[i].source(f)
				}
				if got.Value != wantValue || got.Source != wantSource {
					t.Fatalf("%s = %q from %q, want %q from %q", k.key, got.Value, got.Source, wantValue, wantSource)
				}
			})
		}
	}
}

// The typed fields must agree with what Explain reports.
func TestTypedFields(t *testing.T) {
	f := newFixture(t)
	f.args = []string{"--timeout", "90", "--theme", "dark", "--read-only", "--refresh-interval", "2s"}
	f.env["PREFECT_API_URL"] = "http://127.0.0.1:4200/api/"
	f.env["PREFECT_API_KEY"] = "pnu_0123456789abcdefghij"
	f.env["PREFECT_API_AUTH_STRING"] = "admin:pw"
	f.env["PREFECT_API_TLS_INSECURE_SKIP_VERIFY"] = "true"
	f.env["PREFECT_API_SSL_CERT_FILE"] = "~/ca.pem"
	f.env["NO_COLOR"] = "1"
	f.env["ACCESSIBLE"] = "anything"
	s := f.mustLoad()
	want := Settings{
		APIURL: "http://127.0.0.1:4200/api", APIKey: "pnu_0123456789abcdefghij", AuthString: "admin:pw",
		CAFile: filepath.Join(f.home, "ca.pem"), InsecureSkipVerify: true, Timeout: 90 * time.Second,
		RefreshInterval: 2 * time.Second, Theme: "dark", ReadOnly: true, Accessible: true, NoColor: true,
	}
	got := Settings{
		APIURL: s.APIURL, APIKey: s.APIKey, AuthString: s.AuthString, CAFile: s.CAFile,
		InsecureSkipVerify: s.InsecureSkipVerify, Timeout: s.Timeout, RefreshInterval: s.RefreshInterval,
		Theme: s.Theme, ReadOnly: s.ReadOnly, Accessible: s.Accessible, NoColor: s.NoColor,
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	if s.ConfigFile != "" || s.ConfigPath != f.configPath() {
		t.Fatalf("ConfigFile %q ConfigPath %q", s.ConfigFile, s.ConfigPath)
	}
}

func TestProfileSelection(t *testing.T) {
	const profiles = `active = "fromfile"

[profiles.fromfile]
PREFECT_API_URL = "http://fromfile/api"
[profiles.flag]
PREFECT_API_URL = "http://flag/api"
[profiles.uenv]
PREFECT_API_URL = "http://uenv/api"
[profiles.penv]
PREFECT_API_URL = "http://penv/api"
[profiles.cfg]
PREFECT_API_URL = "http://cfg/api"
`
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		cfg        string
		noFile     bool
		wantName   string
		wantSource func(f *fixture) Source
		wantURL    string
	}{
		{
			"flag wins",
			[]string{"--profile", "flag"},
			map[string]string{"UNPAUSE_PROFILE": "uenv", "PREFECT_PROFILE": "penv"},
			"profile: cfg", false,
			"flag", src("flag --profile"), "http://flag/api",
		},
		{
			"UNPAUSE_PROFILE", nil,
			map[string]string{"UNPAUSE_PROFILE": "uenv", "PREFECT_PROFILE": "penv"},
			"profile: cfg", false,
			"uenv", src("env UNPAUSE_PROFILE"), "http://uenv/api",
		},
		{
			"PREFECT_PROFILE", nil,
			map[string]string{"PREFECT_PROFILE": "penv"},
			"profile: cfg", false,
			"penv", src("env PREFECT_PROFILE"), "http://penv/api",
		},
		{
			"config file profile", nil, nil, "profile: cfg", false,
			"cfg", cfgSrc, "http://cfg/api",
		},
		{
			"active in profiles.toml", nil, nil, "", false,
			"fromfile", func(f *fixture) Source { return Source("active in " + f.profilesPath()) }, "http://fromfile/api",
		},
		{
			"no profiles file: Prefect's built-in ephemeral", nil, nil, "", true,
			"ephemeral", src("default"), "",
		},
		{
			"no profiles file: built-in local has the default server",
			[]string{"--profile=local"},
			nil, "", true,
			"local", src("flag --profile"), "http://127.0.0.1:4200/api",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.args = tc.args
			for k, v := range tc.env {
				f.env[k] = v
			}
			if tc.cfg != "" {
				f.cfg = []string{tc.cfg}
			}
			if !tc.noFile {
				f.rawProfs = profiles
			}
			s := f.mustLoad()
			got := settingOf(t, s, keyProfile)
			if s.Profile != tc.wantName || got.Value != tc.wantName || got.Source != tc.wantSource(f) {
				t.Fatalf("profile %q (%q) from %q, want %q from %q", s.Profile, got.Value, got.Source, tc.wantName, tc.wantSource(f))
			}
			if s.APIURL != tc.wantURL {
				t.Fatalf("APIURL %q, want %q", s.APIURL, tc.wantURL)
			}
		})
	}
}

func TestUnknownProfile(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		profs   string
		wantErr []string
	}{
		{
			"PREFECT_PROFILE", nil,
			map[string]string{"PREFECT_PROFILE": "staging"},
			"[profiles.prod]\n[profiles.dev]\n",
			[]string{`"staging"`, "env PREFECT_PROFILE", "available profiles: cloud, dev, ephemeral, local, prod, test"},
		},
		{
			"flag",
			[]string{"--profile", "nope"},
			nil, "[profiles.prod]\n",
			[]string{`"nope"`, "flag --profile", "prod"},
		},
		{
			"active names a missing profile", nil, nil, "active = \"gone\"\n[profiles.prod]\n",
			[]string{`"gone"`, "active in", "prod"},
		},
		{
			"no profiles file",
			[]string{"--profile", "prod"},
			nil, "",
			[]string{`"prod"`, "file not found", "local"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.args = tc.args
			for k, v := range tc.env {
				f.env[k] = v
			}
			f.rawProfs = tc.profs
			_, err := f.load()
			if err == nil {
				t.Fatal("Load succeeded, want unknown profile error")
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestProfilesPath(t *testing.T) {
	const profs = "active = \"x\"\n[profiles.x]\nPREFECT_API_URL = \"http://%s/api\"\n"
	tests := []struct {
		name string
		// files to create, relative to home, with the host their profile names
		files      map[string]string
		env        map[string]string // values may use {home}
		wantPath   string            // relative to home
		wantSource string
		wantURL    string
	}{
		{
			"default ~/.prefect",
			map[string]string{".prefect/profiles.toml": "default"},
			nil,
			".prefect/profiles.toml", "default", "http://default/api",
		},
		{
			"PREFECT_HOME",
			map[string]string{".prefect/profiles.toml": "default", "ph/profiles.toml": "home"},
			map[string]string{"PREFECT_HOME": "{home}/ph"},
			"ph/profiles.toml", "env PREFECT_HOME", "http://home/api",
		},
		{
			"PREFECT_HOME with ~",
			map[string]string{"ph/profiles.toml": "tilde"},
			map[string]string{"PREFECT_HOME": "~/ph"},
			"ph/profiles.toml", "env PREFECT_HOME", "http://tilde/api",
		},
		{
			"PREFECT_PROFILES_PATH beats PREFECT_HOME",
			map[string]string{"ph/profiles.toml": "home", "elsewhere/p.toml": "explicit"},
			map[string]string{"PREFECT_HOME": "{home}/ph", "PREFECT_PROFILES_PATH": "{home}/elsewhere/p.toml"},
			"elsewhere/p.toml", "env PREFECT_PROFILES_PATH", "http://explicit/api",
		},
		{
			"PREFECT_PROFILES_PATH missing file", nil,
			map[string]string{"PREFECT_PROFILES_PATH": "{home}/none.toml"},
			"none.toml", "env PREFECT_PROFILES_PATH", "",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for rel, host := range tc.files {
				f.write(filepath.Join(f.home, rel), fmt.Sprintf(profs, host), 0o600)
			}
			for k, v := range tc.env {
				f.env[k] = strings.ReplaceAll(v, "{home}", f.home)
			}
			s := f.mustLoad()
			wantPath := filepath.Join(f.home, tc.wantPath)
			got := settingOf(t, s, keyProfilesPath)
			if s.ProfilesPath != wantPath || got.Source != Source(tc.wantSource) {
				t.Fatalf("ProfilesPath %q from %q, want %q from %q", s.ProfilesPath, got.Source, wantPath, tc.wantSource)
			}
			if s.APIURL != tc.wantURL {
				t.Fatalf("APIURL %q, want %q", s.APIURL, tc.wantURL)
			}
		})
	}
}

// A user profile named like a built-in one is merged over it per setting,
// as Prefect's load_profiles does.
func TestProfilesMergeOverBuiltins(t *testing.T) {
	f := newFixture(t)
	f.rawProfs = "active = \"local\"\n[profiles.local]\nPREFECT_API_AUTH_STRING = \"admin:pw\"\n[profiles.mine]\n"
	s := f.mustLoad()
	if s.APIURL != "http://127.0.0.1:4200/api" || s.AuthString != "admin:pw" {
		t.Fatalf("APIURL %q AuthString %q", s.APIURL, s.AuthString)
	}
	if got := settingOf(t, s, keyAPIURL).Source; got != "profile local (Prefect built-in)" {
		t.Fatalf("api_url source %q", got)
	}
	if got := strings.Join(s.Profiles, ","); got != "cloud,ephemeral,local,mine,test" {
		t.Fatalf("Profiles %q", got)
	}
}

func TestConfigFileLocation(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string // {home} is replaced
		args       []string
		file       string // relative to home; "" = none written
		wantPath   string // relative to home
		wantSource string
		wantErr    string
	}{
		{"default ~/.config/unpause", nil, nil, ".config/unpause/config.yaml", ".config/unpause/config.yaml", "default", ""},
		{"XDG_CONFIG_HOME", map[string]string{"XDG_CONFIG_HOME": "{home}/xdg"}, nil, "xdg/unpause/config.yaml", "xdg/unpause/config.yaml", "env XDG_CONFIG_HOME", ""},
		{
			"UNPAUSE_CONFIG_DIR beats XDG",
			map[string]string{"XDG_CONFIG_HOME": "{home}/xdg", "UNPAUSE_CONFIG_DIR": "{home}/mine"},
			nil,
			"mine/config.yaml", "mine/config.yaml", "env UNPAUSE_CONFIG_DIR", "",
		},
		{
			"--config beats all",
			map[string]string{"UNPAUSE_CONFIG_DIR": "{home}/mine"},
			[]string{"--config", "{home}/other.yml"},
			"other.yml", "other.yml", "flag --config", "",
		},
		{"missing default file is fine", nil, nil, "", ".config/unpause/config.yaml", "default", ""},
		{"missing --config file is an error", nil, []string{"--config", "{home}/nope.yaml"}, "", "", "", "nope.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for k, v := range tc.env {
				f.env[k] = strings.ReplaceAll(v, "{home}", f.home)
			}
			for _, a := range tc.args {
				f.args = append(f.args, strings.ReplaceAll(a, "{home}", f.home))
			}
			if tc.file != "" {
				f.write(filepath.Join(f.home, tc.file), "theme: light\n", 0o600)
			}
			s, err := f.load()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantPath := filepath.Join(f.home, tc.wantPath)
			got := settingOf(t, s, keyConfigFile)
			if s.ConfigPath != wantPath || got.Source != Source(tc.wantSource) {
				t.Fatalf("ConfigPath %q from %q, want %q from %q", s.ConfigPath, got.Source, wantPath, tc.wantSource)
			}
			if tc.file == "" {
				if s.ConfigFile != "" || s.Theme != "auto" || !strings.HasSuffix(got.Value, "(not found)") {
					t.Fatalf("missing file: ConfigFile %q Theme %q shown %q", s.ConfigFile, s.Theme, got.Value)
				}
				return
			}
			if s.ConfigFile != wantPath || s.Theme != "light" {
				t.Fatalf("ConfigFile %q Theme %q", s.ConfigFile, s.Theme)
			}
		})
	}
}

func TestMalformedFiles(t *testing.T) {
	tests := []struct {
		name    string
		cfg     string
		profs   string
		wantErr func(f *fixture) []string
	}{
		{
			"YAML syntax error names file and line", "theme: dark\nread_only: [true\nprofile: x\n", "",
			func(f *fixture) []string { return []string{f.configPath(), "line "} },
		},
		{
			"YAML bad indentation", "theme: dark\n  api_url: x\n", "",
			func(f *fixture) []string { return []string{f.configPath(), "line 2"} },
		},
		{
			"TOML syntax error names file and line", "", "active = \"a\"\n[profiles.a\nPREFECT_API_URL = 1\n",
			func(f *fixture) []string { return []string{f.profilesPath(), "line 2"} },
		},
		{
			"bad duration names key and file", "timeout: soon\n", "",
			func(f *fixture) []string { return []string{"timeout", f.configPath(), `"soon"`} },
		},
		{
			"bad boolean", "read_only: maybe\n", "",
			func(f *fixture) []string { return []string{"read_only", f.configPath(), "maybe"} },
		},
		{
			"bad theme", "theme: purple\n", "",
			func(f *fixture) []string { return []string{"theme", "purple", "auto, dark, light"} },
		},
		{
			"refresh too short", "refresh_interval: 100ms\n", "",
			func(f *fixture) []string { return []string{"refresh_interval", "too short"} },
		},
		{
			"profiles not a mapping", "profiles: [prod]\n", "",
			func(f *fixture) []string { return []string{"profiles", "mapping"} },
		},
		{
			"bad notify names the values", "notify: loud\n", "",
			func(f *fixture) []string {
				return []string{"notify", f.configPath() + " line 1", `"loud"`, "off, bell, desktop, both"}
			},
		},
		{
			"per-profile notify not a value", "profiles: {prod: {notify: yes}}\n", "",
			func(f *fixture) []string {
				return []string{"profiles.prod.notify", `"yes"`, "off, bell, desktop, both"}
			},
		},
		{
			"per-profile read_only not a bool", "profiles: {prod: {read_only: perhaps}}\n", "",
			func(f *fixture) []string { return []string{"profiles.prod.read_only", "perhaps"} },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.rawCfg, f.rawProfs = tc.cfg, tc.profs
			_, err := f.load()
			if err == nil {
				t.Fatal("Load succeeded")
			}
			for _, w := range tc.wantErr(f) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestBadEnvAndFlagValues(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string
	}{
		{"PREFECT_API_REQUEST_TIMEOUT", map[string]string{"PREFECT_API_REQUEST_TIMEOUT": "-3"}, nil, "env PREFECT_API_REQUEST_TIMEOUT"},
		{"zero timeout", map[string]string{"UNPAUSE_TIMEOUT": "0"}, nil, "too short"},
		{"PREFECT insecure", map[string]string{"PREFECT_API_TLS_INSECURE_SKIP_VERIFY": "sure"}, nil, "env PREFECT_API_TLS_INSECURE_SKIP_VERIFY"},
		{"UNPAUSE_READ_ONLY", map[string]string{"UNPAUSE_READ_ONLY": "2"}, nil, "env UNPAUSE_READ_ONLY"},
		{"theme flag", nil, []string{"--theme=neon"}, "flag --theme"},
		{"UNPAUSE_NOTIFY", map[string]string{"UNPAUSE_NOTIFY": "desktop,bell"}, nil, "env UNPAUSE_NOTIFY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.args = tc.args
			for k, v := range tc.env {
				f.env[k] = v
			}
			_, err := f.load()
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err %v, want one mentioning %q", err, tc.wantErr)
			}
		})
	}
}

func TestTimeoutFlagRejectsGarbage(t *testing.T) {
	fs := pflag.NewFlagSet("unpause", pflag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	BindFlags(fs)
	if err := fs.Parse([]string{"--timeout", "soon"}); err == nil {
		t.Fatal("--timeout soon accepted")
	}
	for _, name := range []string{
		FlagProfile, FlagAPIURL, FlagConfig, FlagReadOnly, FlagAccessible,
		FlagInsecureSkipVerify, FlagCAFile, FlagTimeout, FlagTheme, FlagRefreshInterval,
	} {
		if fs.Lookup(name) == nil {
			t.Errorf("flag --%s not registered", name)
		}
	}
	if fs.Lookup("api-key") != nil || fs.Lookup("auth-string") != nil {
		t.Error("secrets must not be flags")
	}
	if usage := fs.FlagUsages(); strings.Contains(usage, "(default 0s)") {
		t.Errorf("help shows a zero duration default:\n%s", usage)
	}
}

func TestExplainMasksSecrets(t *testing.T) {
	tests := []struct {
		name     string
		key      string // env var carrying the secret
		secret   string
		field    string
		wantMask string
	}{
		{"cloud user key", "PREFECT_API_KEY", "pnu_k3yM4t3r14l0000000wxyz", keyAPIKey, "pnu_…wxyz"},
		{"service account key", "PREFECT_API_KEY", "pnb_s3rv1c3acc0unt000abcd", keyAPIKey, "pnb_…abcd"},
		{"other long key", "PREFECT_API_KEY", "ZZZZsomeopaquetokenvalue9876", keyAPIKey, "…9876"},
		{"short key fully hidden", "PREFECT_API_KEY", "pnu_short", keyAPIKey, "****"},
		{"tiny key", "PREFECT_API_KEY", "ab", keyAPIKey, "****"},
		{"auth string always hidden", "PREFECT_API_AUTH_STRING", "administrator:averylongpassword1234", keyAuthString, "****"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.env[tc.key] = tc.secret
			s := f.mustLoad()
			got := settingOf(t, s, tc.field)
			if got.Value != tc.wantMask || !got.Secret {
				t.Fatalf("%s shown as %q (secret %v), want %q", tc.field, got.Value, got.Secret, tc.wantMask)
			}
			var shown []string
			for _, e := range s.Explain() {
				if e.Key != keyConfigFile && e.Key != keyProfilesPath { // paths hold the test name
					shown = append(shown, e.Value, string(e.Source))
				}
			}
			all := strings.Join(shown, " ")
			if strings.Contains(all, tc.secret) {
				t.Fatalf("secret leaked in Explain: %s", all)
			}
			// Long secrets: no run of more than 4 secret characters may show.
			for i := 0; i+5 <= len(tc.secret); i++ {
				if part := tc.secret[i : i+5]; strings.Contains(all, part) && !strings.HasPrefix(tc.secret, part[:4]) {
					t.Fatalf("secret fragment %q leaked in %s", part, all)
				}
			}
		})
	}
}

func TestSecretInConfigFileNeverShown(t *testing.T) {
	f := newFixture(t)
	f.cfg = []string{"api_key: pnu_inthefile000000000001", "auth_string: admin:hunter2hunter2"}
	s := f.mustLoad()
	all := fmt.Sprintf("%+v", s.Explain())
	for _, secret := range []string{"pnu_inthefile000000000001", "hunter2"} {
		if strings.Contains(all, secret) {
			t.Fatalf("secret %q leaked: %s", secret, all)
		}
	}
	if s.APIKey != "pnu_inthefile000000000001" || s.AuthString != "admin:hunter2hunter2" {
		t.Fatalf("secrets not loaded: %q %q", s.APIKey, s.AuthString)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb+" "+verb, s, *s); strings.Contains(out, "inthefile") || strings.Contains(out, "hunter2") {
			t.Fatalf("%s of Settings leaks a secret: %s", verb, out)
		}
	}
}

func TestReadOnlyPerProfile(t *testing.T) {
	const profs = "active = \"dev\"\n[profiles.dev]\nPREFECT_API_URL = \"http://dev/api\"\n[profiles.Prod-EU]\nPREFECT_API_URL = \"http://prod/api\"\n"
	tests := []struct {
		name    string
		cfg     string
		env     map[string]string
		args    []string
		profile string // selected via --profile ("" = active)
		want    bool
		wantFor map[string]bool
	}{
		{
			"production profile opens read-only", "profiles:\n  Prod-EU:\n    read_only: true\n", nil, nil, "Prod-EU", true,
			map[string]bool{"dev": false, "Prod-EU": true, "prod-eu": true},
		},
		{
			"other profiles stay writable", "profiles:\n  Prod-EU:\n    read_only: true\n", nil, nil, "", false,
			map[string]bool{"dev": false, "Prod-EU": true},
		},
		{
			"global read_only with a writable exception", "read_only: true\nprofiles:\n  dev: {read_only: false}\n", nil, nil, "", false,
			map[string]bool{"dev": false, "Prod-EU": true, "local": true},
		},
		{
			"flag overrides per-profile", "profiles: {Prod-EU: {read_only: true}}\n", nil,
			[]string{"--read-only=false"},
			"Prod-EU", false,
			map[string]bool{"Prod-EU": false, "dev": false},
		},
		{
			"env forces read-only everywhere", "profiles: {dev: {read_only: false}}\n",
			map[string]string{"UNPAUSE_READ_ONLY": "1"},
			nil, "", true,
			map[string]bool{"Prod-EU": true, "dev": true},
		},
		{"no config at all", "", nil, nil, "Prod-EU", false, map[string]bool{"Prod-EU": false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.rawCfg, f.rawProfs = tc.cfg, profs
			f.args = tc.args
			if tc.profile != "" {
				f.args = append(f.args, "--profile", tc.profile)
			}
			for k, v := range tc.env {
				f.env[k] = v
			}
			s := f.mustLoad()
			if s.ReadOnly != tc.want {
				t.Fatalf("ReadOnly = %v, want %v (source %q)", s.ReadOnly, tc.want, settingOf(t, s, keyReadOnly).Source)
			}
			for p, want := range tc.wantFor {
				if got := s.ReadOnlyFor(p); got != want {
					t.Errorf("ReadOnlyFor(%q) = %v, want %v", p, got, want)
				}
			}
		})
	}
}

// notify: UNPAUSE_NOTIFY, else the selected profile's entry in the config
// file, else the file's top-level value, else bell; switching profile
// resolves it again.
func TestNotifyPerProfile(t *testing.T) {
	const profs = "active = \"dev\"\n[profiles.dev]\nPREFECT_API_URL = \"http://dev/api\"\n[profiles.Prod-EU]\nPREFECT_API_URL = \"http://prod/api\"\n"
	tests := []struct {
		name    string
		cfg     string
		env     map[string]string
		profile string // selected via --profile ("" = active)
		want    string
	}{
		{"default", "", nil, "", NotifyBell},
		{"top level", "notify: Desktop\n", nil, "", NotifyDesktop},
		{"profile wins over top level", "notify: off\nprofiles:\n  Prod-EU:\n    notify: both\n", nil, "Prod-EU", NotifyBoth},
		{"another profile's entry is not used", "notify: off\nprofiles:\n  Prod-EU:\n    notify: both\n", nil, "", NotifyOff},
		{"an entry without notify leaves the top level", "notify: desktop\nprofiles:\n  dev: {read_only: true}\n", nil, "", NotifyDesktop},
		{"env wins over the profile", "profiles: {dev: {notify: both}}\n", map[string]string{"UNPAUSE_NOTIFY": "off"}, "", NotifyOff},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.rawCfg, f.rawProfs = tc.cfg, profs
			if tc.profile != "" {
				f.args = append(f.args, "--profile", tc.profile)
			}
			for k, v := range tc.env {
				f.env[k] = v
			}
			s := f.mustLoad()
			if s.Notify != tc.want || settingOf(t, s, keyNotify).Value != tc.want {
				t.Fatalf("Notify = %q (explained %+v), want %q", s.Notify, settingOf(t, s, keyNotify), tc.want)
			}
		})
	}
	f := newFixture(t)
	f.rawCfg, f.rawProfs = "notify: off\nprofiles: {Prod-EU: {notify: desktop}}\n", profs
	s := f.mustLoad()
	p, err := LoadProfile(context.Background(), s, "Prod-EU")
	if err != nil || s.Notify != NotifyOff || p.Notify != NotifyDesktop {
		t.Fatalf("before %q, after switching %v %q", s.Notify, err, p.Notify)
	}
}

func TestCheckNotify(t *testing.T) {
	for in, want := range map[string]string{"off": "off", " BELL ": "bell", "Desktop": "desktop", "both": "both"} {
		if got, err := CheckNotify(in); err != nil || got != want {
			t.Errorf("CheckNotify(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "on", "true", "bell+desktop", "osc9"} {
		if _, err := CheckNotify(in); err == nil || !strings.Contains(err.Error(), "off, bell, desktop, both") {
			t.Errorf("CheckNotify(%q): %v", in, err)
		}
	}
}

func TestLoadProfileSwitches(t *testing.T) {
	f := newFixture(t)
	f.rawProfs = "active = \"dev\"\n[profiles.dev]\nPREFECT_API_URL = \"http://dev/api\"\n[profiles.prod]\nPREFECT_API_URL = \"http://prod/api\"\nPREFECT_API_KEY = \"pnu_prodkey000000000000001\"\n"
	f.rawCfg = "theme: dark\nprofiles: {prod: {read_only: true}}\n"
	s := f.mustLoad()
	if s.Profile != "dev" || s.APIURL != "http://dev/api" || s.ReadOnly {
		t.Fatalf("initial %q %q %v", s.Profile, s.APIURL, s.ReadOnly)
	}
	p, err := LoadProfile(context.Background(), s, "prod")
	if err != nil {
		t.Fatal(err)
	}
	if p.Profile != "prod" || p.APIURL != "http://prod/api" || p.APIKey != "pnu_prodkey000000000000001" || !p.ReadOnly || p.Theme != "dark" {
		t.Fatalf("switched: %q %q key %v ro %v theme %q", p.Profile, p.APIURL, p.APIKey != "", p.ReadOnly, p.Theme)
	}
	if got := settingOf(t, p, keyProfile).Source; got != sourceSelected {
		t.Fatalf("profile source %q", got)
	}
	if _, err := LoadProfile(context.Background(), s, "staging"); err == nil || !strings.Contains(err.Error(), "dev, ephemeral, local, prod") {
		t.Fatalf("unknown profile err %v", err)
	}
	// The environment still beats the profile, as with `prefect --profile`.
	f.env["PREFECT_API_URL"] = "http://env/api"
	p, err = LoadProfile(context.Background(), s, "prod")
	if err != nil || p.APIURL != "http://env/api" {
		t.Fatalf("env did not win after switch: %v %q", err, p.APIURL)
	}
}

func TestSecretCommands(t *testing.T) {
	tests := []struct {
		name       string
		cfg        []string
		env        map[string]string
		wantKey    string
		wantAuth   string
		wantSource string // suffix of the api_key or auth_string source
		wantErr    []string
		notInErr   string
	}{
		{
			"list form",
			[]string{`api_key_cmd: [printf, "pnu_fromcmd00000000000042\nmetadata: x\n"]`},
			nil,
			"pnu_fromcmd00000000000042", "", "(api_key_cmd)", nil, "",
		},
		{
			"string form split on spaces",
			[]string{`auth_string_cmd: echo admin:fromcmd`},
			nil,
			"", "admin:fromcmd", "(auth_string_cmd)", nil, "",
		},
		{
			"surrounding blank lines and spaces trimmed",
			[]string{`api_key_cmd: [printf, "\n  pnu_trimmed0000000000001  \n"]`},
			nil,
			"pnu_trimmed0000000000001", "", "(api_key_cmd)", nil, "",
		},
		{
			"env wins and the command does not run",
			[]string{`api_key_cmd: [false]`},
			map[string]string{"PREFECT_API_KEY": "pnu_env"},
			"pnu_env", "", "", nil, "",
		},
		{
			"failing command reports stderr, not stdout",
			[]string{`api_key_cmd: [sh, -c, "printf %s%s pnu_ leakedstdout; echo vault sealed >&2; exit 3"]`},
			nil,
			"", "", "",
			[]string{"api_key_cmd", "(sh)", "exit status 3", "vault sealed"},
			"pnu_leakedstdout",
		},
		{
			"missing program",
			[]string{`api_key_cmd: [/nonexistent/unpause-secret-helper]`},
			nil,
			"", "", "",
			[]string{"api_key_cmd", "/nonexistent/unpause-secret-helper"},
			"",
		},
		{
			"empty output",
			[]string{`api_key_cmd: ["true"]`},
			nil,
			"", "", "",
			[]string{"api_key_cmd", "printed nothing"},
			"",
		},
		{
			"both value and command",
			[]string{`api_key: pnu_x`, `api_key_cmd: [echo, y]`},
			nil,
			"", "", "",
			[]string{"api_key", "api_key_cmd", "not both"},
			"",
		},
		{
			"not a command",
			[]string{`api_key_cmd: {a: b}`},
			nil,
			"", "", "",
			[]string{"api_key_cmd", "list"},
			"",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.env["PATH"] = os.Getenv("PATH")
			f.cfg = tc.cfg
			for k, v := range tc.env {
				f.env[k] = v
			}
			s, err := f.load()
			if tc.wantErr != nil {
				if err == nil {
					t.Fatal("Load succeeded")
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				if tc.notInErr != "" && strings.Contains(err.Error(), tc.notInErr) {
					t.Errorf("error %q leaks stdout", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.APIKey != tc.wantKey || s.AuthString != tc.wantAuth {
				t.Fatalf("APIKey %q AuthString %q", s.APIKey, s.AuthString)
			}
			if tc.wantSource != "" {
				key := keyAPIKey
				if tc.wantAuth != "" {
					key = keyAuthString
				}
				if got := string(settingOf(t, s, key).Source); !strings.HasSuffix(got, tc.wantSource) || !strings.Contains(got, f.configPath()) {
					t.Fatalf("source %q", got)
				}
			}
		})
	}
}

func TestSecretCommandTimeout(t *testing.T) {
	old := secretCmdTimeout
	secretCmdTimeout = 200 * time.Millisecond
	t.Cleanup(func() { secretCmdTimeout = old })
	f := newFixture(t)
	f.env["PATH"] = os.Getenv("PATH")
	f.cfg = []string{`api_key_cmd: [sleep, "5"]`}
	start := time.Now()
	_, err := f.load()
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("took %s", d)
	}
}

func TestSecretCommandHonoursContext(t *testing.T) {
	f := newFixture(t)
	f.env["PATH"] = os.Getenv("PATH")
	f.write(f.configPath(), "api_key_cmd: [sleep, \"5\"]\n", 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, nil, f.lookup); err == nil {
		t.Fatal("Load with a cancelled context ran the command to completion")
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		cfg  string
		mode os.FileMode
		want string // substring of the single warning; "" = no warnings
	}{
		{"secret in world-readable file", "api_key: pnu_x\n", 0o644, "readable by group or others (mode 0644); run: chmod 600"},
		{"secret in group-readable file", "auth_string: a:b\n", 0o640, "readable by group or others (mode 0640)"},
		{"secret in private file", "api_key: pnu_x\n", 0o600, ""},
		{"secret in owner-only file with group write", "api_key: pnu_x\n", 0o620, ""},
		{"no secret in readable file", "theme: dark\n", 0o644, ""},
		{"secret command in readable file", "api_key_cmd: [echo, pnu_x]\n", 0o644, ""},
		{"unknown key", "theem: dark\n", 0o600, `unknown key "theem"`},
		{"unknown per-profile key", "profiles: {prod: {theme: dark}}\n", 0o600, `unknown key "theme" in profiles.prod`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.env["PATH"] = os.Getenv("PATH")
			f.rawCfg, f.cfgMode = tc.cfg, tc.mode
			s := f.mustLoad()
			if tc.want == "" {
				if len(s.Warnings) != 0 {
					t.Fatalf("unexpected warnings %q", s.Warnings)
				}
				return
			}
			if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], tc.want) || !strings.Contains(s.Warnings[0], f.configPath()) {
				t.Fatalf("warnings %q, want one mentioning %q and the file", s.Warnings, tc.want)
			}
		})
	}
}

func TestRequireServer(t *testing.T) {
	f := newFixture(t)
	f.rawProfs = "active = \"empty\"\n[profiles.empty]\n[profiles.prod]\nPREFECT_API_URL = \"http://prod/api\"\n"
	s := f.mustLoad()
	err := s.RequireServer()
	if !errors.Is(err, ErrNoServer) {
		t.Fatalf("err %v, want ErrNoServer", err)
	}
	for _, w := range []string{
		"PREFECT_API_URL", "http://127.0.0.1:4200/api", "prefect profile use", "--profile", "--api-url",
		"api_url", f.configPath(), `"empty"`, "prod", f.profilesPath(),
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message does not mention %q:\n%s", w, err)
		}
	}
	f.env["PREFECT_API_URL"] = "http://x/api"
	if err := f.mustLoad().RequireServer(); err != nil {
		t.Fatalf("with a URL: %v", err)
	}
}

// Nothing set at all: every key reports a default.
func TestEmptyEnvironment(t *testing.T) {
	f := newFixture(t)
	f.env["PREFECT_API_URL"] = "" // empty counts as unset
	s := f.mustLoad()
	for _, e := range s.Explain() {
		switch e.Key {
		case keyConfigFile, keyProfilesPath:
			continue
		}
		if e.Source != SourceDefault {
			t.Errorf("%s from %q, want default", e.Key, e.Source)
		}
	}
	if s.Profile != "ephemeral" || s.APIURL != "" || s.Timeout != DefaultTimeout || s.RefreshInterval != DefaultRefreshInterval || s.Theme != "auto" {
		t.Fatalf("defaults: %+v", s)
	}
	if len(s.Warnings) != 0 {
		t.Fatalf("warnings %q", s.Warnings)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30s", 30 * time.Second, true},
		{"1m30s", 90 * time.Second, true},
		{"60", 60 * time.Second, true},
		{"2.5", 2500 * time.Millisecond, true},
		{" 10 ", 10 * time.Second, true},
		{"", 0, false},
		{"-1", 0, false},
		{"-1s", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"1e300", 0, false},
		{"soon", 0, false},
	}
	for _, tc := range tests {
		got, err := parseDuration(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestAPIURLPasswordIsMaskedWhereShown(t *testing.T) {
	f := newFixture(t)
	f.env["PREFECT_API_URL"] = "http://admin:s3cr3t-pw@prefect.internal:4200/api"
	s := f.mustLoad()
	if s.APIURL != "http://admin:s3cr3t-pw@prefect.internal:4200/api" {
		t.Fatalf("the client must still get the real URL, got %q", s.APIURL)
	}
	const want = "http://admin:****@prefect.internal:4200/api"
	if got := settingOf(t, s, keyAPIURL).Value; got != want {
		t.Fatalf("Explain shows api_url as %q, want %q", got, want)
	}
	for name, shown := range map[string]string{"DisplayURL": s.DisplayURL(), "String": s.String()} {
		if strings.Contains(shown, "s3cr3t") {
			t.Fatalf("%s leaks the password: %s", name, shown)
		}
	}
}

func TestRedactURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://127.0.0.1:4200/api", "http://127.0.0.1:4200/api"},
		{"http://admin:pw@host/api", "http://admin:****@host/api"},
		{"http://user@host/api", "http://user@host/api"}, // no password: nothing to hide
		{"https://a:b@c@host/api", "https://a:****@host/api"},
		{"http://admin:p w%zz@host/api", "http://****@host/api"}, // does not parse
		{"http://host/api?next=a@b", "http://host/api?next=a@b"},
		{"", ""},
	}
	for _, c := range cases {
		got := RedactURL(c.in)
		if got != c.want {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

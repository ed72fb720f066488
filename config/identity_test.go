package config

import (
	"errors"
	"strings"
	"testing"
)

func fixedDefaultIdentity(t *testing.T, name, host string) {
	t.Helper()
	u, h := currentUser, hostname
	currentUser = func() (string, error) { return name, nil }
	hostname = func() (string, error) { return host, nil }
	t.Cleanup(func() { currentUser, hostname = u, h })
}

// Flag > UNPAUSE_IDENTITY > profiles.NAME.identity > identity > user@host,
// each with its source.
func TestIdentityPrecedence(t *testing.T) {
	fixedDefaultIdentity(t, "alice", "ops-1")
	const profs = "active = \"prod\"\n[profiles.prod]\nPREFECT_API_URL = \"http://prod/api\"\n[profiles.dev]\n"
	const cfg = "identity: file-wide\nprofiles:\n  Prod:\n    identity: on-call\n"
	tests := []struct {
		name, cfg string
		env       map[string]string
		args      []string
		want      string
		source    string // substring of the source
	}{
		{"flag wins", cfg, map[string]string{"UNPAUSE_IDENTITY": "env-id"}, []string{"--identity", "flag-id"}, "flag-id", "flag --identity"},
		{"env next", cfg, map[string]string{"UNPAUSE_IDENTITY": "env-id"}, nil, "env-id", "env UNPAUSE_IDENTITY"},
		{"the profile's beats the file's", cfg, nil, nil, "on-call", "profiles.prod.identity"},
		{"the file's for another profile", cfg, nil, []string{"--profile", "dev"}, "file-wide", "config "},
		{"default user@host", "", nil, nil, "alice@ops-1", "default"},
		{"trimmed", "identity: '  bob  '\n", nil, nil, "bob", "config "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.rawCfg, f.rawProfs, f.args = tc.cfg, profs, tc.args
			for k, v := range tc.env {
				f.env[k] = v
			}
			s := f.mustLoad()
			got := settingOf(t, s, keyIdentity)
			if s.Identity != tc.want || got.Value != tc.want || !strings.Contains(string(got.Source), tc.source) {
				t.Errorf("identity %q (explained %q from %q), want %q from %q", s.Identity, got.Value, got.Source, tc.want, tc.source)
			}
		})
	}
}

// A bad identity is a configuration error that says what to do; an odd
// default is cleaned instead.
func TestIdentityRefusesBadValues(t *testing.T) {
	for _, bad := range []string{"evil\x1b[2J", "a\nb", strings.Repeat("x", MaxIdentity+1), "tab\there"} {
		f := newFixture(t)
		f.env["UNPAUSE_IDENTITY"] = bad
		_, err := f.load()
		if err == nil || !strings.Contains(err.Error(), "UNPAUSE_IDENTITY") || !strings.Contains(err.Error(), "set identity") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	f := newFixture(t)
	f.env["UNPAUSE_IDENTITY"] = strings.Repeat("é", MaxIdentity)
	if s := f.mustLoad(); len([]rune(s.Identity)) != MaxIdentity {
		t.Errorf("%d characters", len([]rune(s.Identity)))
	}

	fixedDefaultIdentity(t, "we\x07ird", "host\x1b")
	if s := newFixture(t).mustLoad(); s.Identity != "weird@host" {
		t.Errorf("default %q", s.Identity)
	}
	currentUser = func() (string, error) { return "", errors.New("no user") }
	f = newFixture(t)
	f.env["USER"] = "carol"
	if s := f.mustLoad(); s.Identity != "carol@host" {
		t.Errorf("default without a user entry %q", s.Identity)
	}
}

package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestServeSection(t *testing.T) {
	f := newFixture(t)
	f.rawCfg = `serve:
  listen: 0.0.0.0:2200
  host_key: ~/keys/host
  max_sessions: 5
  max_sessions_per_user: 3
  idle_timeout: 10m
  users:
    Alice: {keys: ["ssh-ed25519 AAAA a@l"], role: answer}
    bob:
      keys: ["ssh-ed25519 BBBB"]
      role: read-only
      profiles: [staging]
`
	s := f.mustLoad()
	if len(s.Warnings) != 0 {
		t.Fatalf("warnings: %v", s.Warnings)
	}
	ss, err := s.Serve()
	if err != nil {
		t.Fatal(err)
	}
	want := &ServeSettings{
		File: f.configPath(), Listen: "0.0.0.0:2200", HostKey: filepath.Join(f.home, "keys", "host"), MaxSessions: 5,
		MaxUserSessions: 3, IdleTimeout: 10 * time.Minute,
		Users: []ServeUser{
			{Name: "alice", Keys: []string{"ssh-ed25519 AAAA a@l"}, Role: "answer"},
			{Name: "bob", Keys: []string{"ssh-ed25519 BBBB"}, Role: "read-only", Profiles: []string{"staging"}},
		},
	}
	if !reflect.DeepEqual(ss, want) {
		t.Fatalf("got  %+v\nwant %+v", ss, want)
	}
}

func TestServeDefaults(t *testing.T) {
	f := newFixture(t)
	ss, err := f.mustLoad().Serve()
	if err != nil {
		t.Fatal(err)
	}
	if ss.Listen != DefaultServeListen || ss.MaxSessions != 20 || ss.MaxUserSessions != 10 || ss.IdleTimeout != 30*time.Minute || ss.HostKey != "" || ss.Users != nil {
		t.Fatalf("defaults: %+v", ss)
	}
}

func TestServeSectionErrorsNameTheKey(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"serve: 3", "serve must be a mapping"},
		{"serve: {max_sessions: 0}", "serve.max_sessions must be a whole number"},
		{"serve: {max_sessions_per_user: two}", "serve.max_sessions_per_user must be a whole number"},
		{"serve: {idle_timeout: soon}", "serve.idle_timeout must be a duration"},
		{"serve: {listn: x}", "unknown key serve.listn"},
		{"serve: {users: {carol: {keys: [1]}}}", "serve.users.carol.keys must be a list of strings"},
		{"serve: {users: {carol: {rol: answer}}}", "serve.users.carol.rol is not a known key"},
	} {
		f := newFixture(t)
		f.rawCfg = tc.yaml + "\n"
		s, err := f.load()
		if err == nil {
			_, err = s.Serve()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", tc.yaml, err, tc.want)
		}
	}
}

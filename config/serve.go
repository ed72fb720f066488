package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/unpause-dev/unpause/termsafe"
)

// Defaults of `unpause serve` (the serve section of the config file).
const (
	DefaultServeListen      = "127.0.0.1:2222"
	DefaultServeMaxSessions = 20
	// DefaultServeMaxUserSessions caps one user's sessions (at most
	// max_sessions).
	DefaultServeMaxUserSessions = 10
	DefaultServeIdleTimeout     = 30 * time.Minute
)

// ServeSettings is the serve section of the config file, for `unpause
// serve`: where it listens, its host key, its limits and its users. Keys
// and roles are checked by the server (package sshserve), which says which
// user to fix.
type ServeSettings struct {
	File            string // the config file they come from ("" when none)
	Listen          string
	HostKey         string // "" means the server's default (in its own directory)
	MaxSessions     int
	MaxUserSessions int
	IdleTimeout     time.Duration
	Users           []ServeUser // sorted by name
}

// ServeUser is one serve.users entry. Names are lower case: the config
// file's map keys are read case-insensitively.
type ServeUser struct {
	Name     string
	Keys     []string // authorized_keys lines
	Role     string
	Profiles []string // Prefect profiles the user may use; empty: the server's own
}

var knownServeKeys = []string{"listen", "host_key", "max_sessions", "max_sessions_per_user", "idle_timeout", "users"}

// Serve reads the serve section of the config file. A value of the wrong
// shape is an error that names the key.
func (s *Settings) Serve() (*ServeSettings, error) {
	ss := &ServeSettings{
		File: s.ConfigFile, Listen: DefaultServeListen, MaxSessions: DefaultServeMaxSessions,
		MaxUserSessions: DefaultServeMaxUserSessions, IdleTimeout: DefaultServeIdleTimeout,
	}
	bad := func(key, want string) error {
		return fmt.Errorf("config file %s: serve.%s must be %s", s.ConfigFile, key, want)
	}
	for k := range s.serve {
		if !slices.Contains(knownServeKeys, k) {
			return nil, fmt.Errorf("config file %s: unknown key serve.%s (known: %s)", s.ConfigFile, termsafe.Line(k), strings.Join(knownServeKeys, ", "))
		}
	}
	if v, ok := s.serve["listen"]; ok {
		if ss.Listen, ok = v.(string); !ok || ss.Listen == "" {
			return nil, bad("listen", "an address such as 127.0.0.1:2222")
		}
	}
	if v, ok := s.serve["host_key"]; ok {
		p, ok := v.(string)
		if !ok || p == "" {
			return nil, bad("host_key", "a file path such as ~/.local/state/unpause/ssh/host_ed25519")
		}
		ss.HostKey = expandHome(p, s.home)
	}
	for _, lim := range []struct {
		key string
		to  *int
	}{{"max_sessions", &ss.MaxSessions}, {"max_sessions_per_user", &ss.MaxUserSessions}} {
		if v, ok := s.serve[lim.key]; ok {
			str, _ := stringOf(v)
			n, err := strconv.Atoi(str)
			if err != nil || n < 1 {
				return nil, bad(lim.key, "a whole number of at least 1")
			}
			*lim.to = n
		}
	}
	if v, ok := s.serve["idle_timeout"]; ok {
		str, _ := stringOf(v)
		d, err := parseDuration(str)
		if err != nil || d <= 0 {
			return nil, bad("idle_timeout", "a duration such as 30m")
		}
		ss.IdleTimeout = d
	}
	users, err := s.serveUsers()
	if err != nil {
		return nil, err
	}
	ss.Users = users
	return ss, nil
}

// serveUsers reads serve.users: {NAME: {keys: [...], role: ..., profiles: [...]}}.
func (s *Settings) serveUsers() ([]ServeUser, error) {
	raw, ok := s.serve["users"]
	if !ok || raw == nil {
		return nil, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("config file %s: serve.users must map user names to {keys: [...], role: answer|read-only}", s.ConfigFile)
	}
	var users []ServeUser
	for name, v := range m {
		u, err := s.serveUser(name, v)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	slices.SortFunc(users, func(a, b ServeUser) int { return strings.Compare(a.Name, b.Name) })
	return users, nil
}

func (s *Settings) serveUser(name string, v any) (ServeUser, error) {
	at := fmt.Sprintf("config file %s: serve.users.%s", s.ConfigFile, termsafe.Line(name))
	entry, ok := v.(map[string]any)
	if !ok {
		return ServeUser{}, fmt.Errorf("%s must be a mapping such as {keys: [\"ssh-ed25519 AAAA...\"], role: answer}", at)
	}
	u := ServeUser{Name: name}
	for k, val := range entry {
		var err error
		switch k {
		case "keys":
			u.Keys, err = stringList(val)
		case "profiles":
			u.Profiles, err = stringList(val)
		case "role":
			var ok bool
			if u.Role, ok = val.(string); !ok {
				err = fmt.Errorf("must be answer or read-only")
			}
		default:
			err = fmt.Errorf("is not a known key (keys, role, profiles)")
		}
		if err != nil {
			return ServeUser{}, fmt.Errorf("%s.%s %w", at, termsafe.Line(k), err)
		}
	}
	return u, nil
}

// stringList reads a YAML list of strings (or one string).
func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			str, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("must be a list of strings")
			}
			out = append(out, str)
		}
		return out, nil
	}
	return nil, fmt.Errorf("must be a list of strings")
}

// Package sshserve is `unpause serve`: an SSH server (charm.land/wish/v2)
// that gives each holder of an allowed key the team's inbox, acting for
// them under their role, with the Prefect credentials kept on the server.
// A session with a pty and no command gets the full-screen inbox (package
// tui, one tea.Program per session); any other session runs one
// scriptable command on a fresh command tree, with its exit code.
package sshserve

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/unpause-dev/unpause/config"
)

// Role is what a user may do, in order of power.
type Role int

const (
	// RoleReadOnly browses: the inbox hides resume and cancel, and the
	// commands refuse them.
	RoleReadOnly Role = iota + 1
	// RoleAnswer also resumes and cancels.
	RoleAnswer
)

func (r Role) String() string {
	switch r {
	case RoleReadOnly:
		return "read-only"
	case RoleAnswer:
		return "answer"
	}
	return "none"
}

// ParseRole reads a role of the config file.
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "answer":
		return RoleAnswer, nil
	case "read-only", "readonly", "read_only":
		return RoleReadOnly, nil
	case "":
		return 0, fmt.Errorf("has no role: add role: answer (resume and cancel) or role: read-only (browse only)")
	}
	return 0, fmt.Errorf("has unknown role %q: use answer (resume and cancel) or read-only (browse only)", s)
}

// User is one member of the team.
type User struct {
	Name string
	Role Role
	// Profiles are the Prefect profiles the user may use, the default first.
	Profiles []string
}

// Team maps public keys to users.
type Team struct {
	byKey map[string]*User // gossh.FingerprintSHA256 → user
	users []*User
}

// NewTeam checks the serve.users of the config file: every key must parse
// (authorized_keys format), every role be known, every profile exist
// (among known), and no key be given to two users. defaultProfile is the
// server's profile, a user's only one unless profiles are listed. The
// error names the user and what to fix.
func NewTeam(users []config.ServeUser, defaultProfile string, known []string) (*Team, error) {
	t := &Team{byKey: map[string]*User{}}
	for _, cu := range users {
		u, keys, err := newUser(cu, defaultProfile, known)
		if err != nil {
			return nil, fmt.Errorf("serve.users.%s %w", cu.Name, err)
		}
		for _, k := range keys {
			fp := gossh.FingerprintSHA256(k)
			if other, dup := t.byKey[fp]; dup {
				return nil, fmt.Errorf("serve.users.%s: key %s is also %s's: give each person their own key", cu.Name, fp, other.Name)
			}
			t.byKey[fp] = u
		}
		t.users = append(t.users, u)
	}
	return t, nil
}

// userName is what a user may be called: it names their state directory.
var userName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

func newUser(cu config.ServeUser, defaultProfile string, known []string) (*User, []gossh.PublicKey, error) {
	if !userName.MatchString(cu.Name) {
		return nil, nil, fmt.Errorf("is not a usable name: use up to 64 lower-case letters, digits, '.', '_' or '-', e.g. alice")
	}
	role, err := ParseRole(cu.Role)
	if err != nil {
		return nil, nil, err
	}
	if len(cu.Keys) == 0 {
		return nil, nil, fmt.Errorf("has no keys: add keys: [\"ssh-ed25519 AAAA... %s@laptop\"] (the line of their ~/.ssh/id_ed25519.pub)", cu.Name)
	}
	var keys []gossh.PublicKey
	for i, line := range cu.Keys {
		k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, nil, fmt.Errorf("key %d does not parse (%w): give the whole line of their .pub file, e.g. \"ssh-ed25519 AAAA... %s@laptop\"", i+1, err, cu.Name)
		}
		keys = append(keys, k)
	}
	profiles := cu.Profiles
	if len(profiles) == 0 {
		profiles = []string{defaultProfile}
	}
	for _, p := range profiles {
		if !slices.Contains(known, p) {
			return nil, nil, fmt.Errorf("has unknown profile %q: the profiles are %s", p, strings.Join(known, ", "))
		}
	}
	// The server's own profile comes first when the user may use it.
	if i := slices.Index(profiles, defaultProfile); i > 0 {
		profiles = append([]string{defaultProfile}, slices.Delete(slices.Clone(profiles), i, i+1)...)
	}
	return &User{Name: cu.Name, Role: role, Profiles: profiles}, keys, nil
}

// Lookup finds the user holding key.
func (t *Team) Lookup(key gossh.PublicKey) (*User, bool) {
	if t == nil || key == nil {
		return nil, false
	}
	u, ok := t.byKey[gossh.FingerprintSHA256(key)]
	return u, ok
}

// Len is the number of users.
func (t *Team) Len() int { return len(t.users) }

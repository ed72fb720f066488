package sshserve

import (
	"crypto/ed25519"
	"crypto/rand"
	"slices"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/unpause-dev/unpause/config"
)

func keyLine(t *testing.T) (string, gossh.PublicKey) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k))) + " someone@laptop", k
}

func TestNewTeam(t *testing.T) {
	a, ak := keyLine(t)
	b, bk := keyLine(t)
	team, err := NewTeam([]config.ServeUser{
		{Name: "alice", Keys: []string{a}, Role: "answer"},
		{Name: "bob", Keys: []string{b}, Role: "read-only", Profiles: []string{"staging", "prod"}},
	}, "prod", []string{"prod", "staging"})
	if err != nil {
		t.Fatal(err)
	}
	u, ok := team.Lookup(ak)
	if !ok || u.Name != "alice" || u.Role != RoleAnswer || !slices.Equal(u.Profiles, []string{"prod"}) {
		t.Fatalf("alice: %+v %v", u, ok)
	}
	u, ok = team.Lookup(bk)
	if !ok || u.Name != "bob" || u.Role != RoleReadOnly || !slices.Equal(u.Profiles, []string{"prod", "staging"}) {
		t.Fatalf("bob: %+v %v", u, ok)
	}
	_, other := keyLine(t)
	if _, ok := team.Lookup(other); ok {
		t.Fatal("an unknown key was found")
	}
}

func TestNewTeamRefusesWithTheUserAndTheFix(t *testing.T) {
	a, _ := keyLine(t)
	for _, tc := range []struct {
		u    config.ServeUser
		want string
	}{
		{config.ServeUser{Name: "carol", Keys: []string{"ssh-ed25519 notbase64"}, Role: "answer"}, "serve.users.carol key 1 does not parse"},
		{config.ServeUser{Name: "carol", Keys: []string{a}, Role: "admin"}, `serve.users.carol has unknown role "admin": use answer`},
		{config.ServeUser{Name: "carol", Keys: []string{a}}, "serve.users.carol has no role"},
		{config.ServeUser{Name: "carol", Role: "answer"}, "serve.users.carol has no keys"},
		{config.ServeUser{Name: "carol", Keys: []string{a}, Role: "answer", Profiles: []string{"nope"}}, `serve.users.carol has unknown profile "nope"`},
		{config.ServeUser{Name: "../x", Keys: []string{a}, Role: "answer"}, "serve.users.../x is not a usable name"},
	} {
		_, err := NewTeam([]config.ServeUser{tc.u}, "prod", []string{"prod"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.u, err, tc.want)
		}
	}
	_, err := NewTeam([]config.ServeUser{
		{Name: "alice", Keys: []string{a}, Role: "answer"}, {Name: "bob", Keys: []string{a}, Role: "answer"},
	}, "prod", []string{"prod"})
	if err == nil || !strings.Contains(err.Error(), "also alice's") {
		t.Errorf("shared key: %v", err)
	}
}

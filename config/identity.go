package config

import (
	"fmt"
	"os"
	"os/user"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxIdentity bounds an identity, in characters.
const MaxIdentity = 200

// currentUser and hostname give the default identity (variables for tests).
var (
	currentUser = func() (string, error) {
		u, err := user.Current()
		if err != nil {
			return "", err
		}
		return u.Username, nil
	}
	hostname = os.Hostname
)

// identity resolves who acts: flag, UNPAUSE_IDENTITY, the selected profile's
// identity in the config file, the file's identity, else user@host. A value
// that is not printable text of at most MaxIdentity characters is a
// configuration error.
func (r *resolver) identity() string {
	v, src, ok := firstOf(r.flag(FlagIdentity), r.env("UNPAUSE_IDENTITY"), r.profileIdentity(), r.fileKey(keyIdentity))
	if !ok {
		v, src = r.defaultIdentity(), SourceDefault
	}
	id, err := CheckIdentity(v)
	if err != nil {
		r.fail(fmt.Errorf("%s (%s): %w; set identity in the config file, UNPAUSE_IDENTITY or --identity to a name such as alice@ops",
			keyIdentity, r.at(keyIdentity, src), err))
	}
	r.note(keyIdentity, id, src, false)
	return id
}

// profileIdentity is profiles.NAME.identity of the selected profile.
func (r *resolver) profileIdentity() layer {
	return func() (string, Source, bool) {
		if r.file == nil {
			return none()
		}
		v, ok := r.file.identityByProfile[strings.ToLower(r.profile)]
		if !ok || strings.TrimSpace(v) == "" {
			return none()
		}
		return v, Source(fmt.Sprintf("config %s (profiles.%s.identity)", r.file.path, r.profile)), true
	}
}

// defaultIdentity is user@host, cleaned so that it always passes CheckIdentity.
func (r *resolver) defaultIdentity() string {
	name, err := currentUser()
	if err != nil || name == "" {
		name, _ = nonEmpty(r.in.env, "USER")
	}
	if name == "" {
		name = "unknown"
	}
	host, err := hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	id := strings.Map(func(c rune) rune {
		if unicode.IsPrint(c) {
			return c
		}
		return -1
	}, name+"@"+host)
	if utf8.RuneCountInString(id) > MaxIdentity {
		id = string([]rune(id)[:MaxIdentity])
	}
	return id
}

// CheckIdentity trims id and refuses one that is empty, longer than
// MaxIdentity characters, or holds anything but printable characters
// (control characters and escapes included).
func CheckIdentity(id string) (string, error) {
	id = strings.TrimSpace(id)
	switch {
	case id == "":
		return "", fmt.Errorf("identity is empty")
	case !utf8.ValidString(id):
		return "", fmt.Errorf("identity is not valid UTF-8")
	case utf8.RuneCountInString(id) > MaxIdentity:
		return "", fmt.Errorf("identity is longer than %d characters", MaxIdentity)
	}
	for _, c := range id {
		if !unicode.IsPrint(c) {
			return "", fmt.Errorf("identity %q holds a character that is not printable (%U)", id, c)
		}
	}
	return id, nil
}

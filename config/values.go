package config

import (
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// parseDuration accepts a Go duration ("45s", "1m30s") or a plain number of
// seconds ("60", "2.5"), the form Prefect uses for PREFECT_API_REQUEST_TIMEOUT.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(secs) || math.IsInf(secs, 0) || secs < 0 || secs > math.MaxInt64/float64(time.Second) {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return time.Duration(secs * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (use e.g. 30s, 2m or a number of seconds)", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: negative", s)
	}
	return d, nil
}

// parseBool accepts the spellings pydantic (and so Prefect) accepts.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "y", "yes", "on":
		return true, nil
	case "0", "f", "false", "n", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("invalid boolean %q (use true or false)", s)
}

// maskSecret hides a secret for display. Prefect API keys keep their kind
// prefix and last 4 characters ("pnu_…abcd") when long enough that this
// reveals little; anything else shows as "****".
func maskSecret(key, secret string) string {
	if secret == "" {
		return ""
	}
	if key != keyAPIKey || utf8.RuneCountInString(secret) < 16 {
		return "****"
	}
	prefix := ""
	for _, p := range []string{"pnu_", "pnb_"} {
		if strings.HasPrefix(secret, p) {
			prefix = p
		}
	}
	r := []rune(secret)
	return prefix + "…" + string(r[len(r)-4:])
}

// expandHome expands a leading "~/" (or a lone "~") using home.
func expandHome(p, home string) string {
	if home == "" {
		return p
	}
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") {
		return filepath.Join(home, p[2:])
	}
	return p
}

// stringOf renders a value decoded from YAML or TOML as the string a user
// would have typed, so every layer goes through the same parsers.
func stringOf(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x), true
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case time.Duration:
		return x.String(), true
	}
	return fmt.Sprint(v), true
}

// RedactURL returns raw with any password in its user info replaced by
// "****", for display: `unpause config`, the TUI header, messages. A URL that
// does not parse is still cut at its last "@" before the host, so a typo
// cannot reveal the secret either.
func RedactURL(raw string) string {
	if !strings.Contains(raw, "@") {
		return raw
	}
	u, err := url.Parse(raw)
	if err == nil && u.User != nil {
		if _, has := u.User.Password(); !has {
			return raw
		}
		user := url.User(u.User.Username()).String()
		u.User = nil
		scheme, rest, _ := strings.Cut(u.String(), "://")
		return scheme + "://" + user + ":****@" + rest
	}
	if err == nil {
		return raw
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	hostEnd := len(rest)
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		hostEnd = i
	}
	at := strings.LastIndex(rest[:hostEnd], "@")
	if at < 0 {
		return raw
	}
	return scheme + "://****@" + rest[at+1:]
}

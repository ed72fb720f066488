package config

import (
	"time"

	"github.com/spf13/pflag"
)

// Flag names registered by BindFlags.
const (
	FlagProfile            = "profile"
	FlagAPIURL             = "api-url"
	FlagConfig             = "config"
	FlagReadOnly           = "read-only"
	FlagAccessible         = "accessible"
	FlagInsecureSkipVerify = "insecure-skip-verify"
	FlagCAFile             = "ca-file"
	FlagTimeout            = "timeout"
	FlagTheme              = "theme"
	FlagRefreshInterval    = "refresh-interval"
	FlagIdentity           = "identity"
)

// BindFlags registers unpause's global flags on fs (the root command's
// persistent flags). Load only honours flags the user actually set
// (pflag.Flag.Changed), so flag defaults never hide env or file values.
// There is deliberately no flag for the API key or auth string: command
// lines show up in ps and shell history.
func BindFlags(fs *pflag.FlagSet) {
	fs.String(FlagProfile, "", "Prefect profile from profiles.toml (default: $PREFECT_PROFILE, else the active profile)")
	fs.String(FlagAPIURL, "", "Prefect API URL, e.g. http://127.0.0.1:4200/api (overrides PREFECT_API_URL)")
	fs.String(FlagConfig, "", "unpause config file (default: $UNPAUSE_CONFIG_DIR, $XDG_CONFIG_HOME/unpause or ~/.config/unpause, file config.yaml)")
	fs.Bool(FlagReadOnly, false, "read-only: never resume or cancel runs")
	fs.Bool(FlagAccessible, false, "accessible mode: plain line-by-line prompts instead of the full-screen TUI")
	fs.Bool(FlagInsecureSkipVerify, false, "do not verify the server's TLS certificate (unsafe)")
	fs.String(FlagCAFile, "", "extra CA bundle (PEM) to trust (default: PREFECT_API_SSL_CERT_FILE or SSL_CERT_FILE)")
	fs.Var(new(durationValue), FlagTimeout, "per-request timeout, e.g. 30s or 30 (seconds) (default: PREFECT_API_REQUEST_TIMEOUT or 60s)")
	fs.String(FlagTheme, "", "colour theme: auto, dark or light (default auto)")
	fs.Var(new(durationValue), FlagRefreshInterval, "inbox refresh interval, e.g. 10s (default 10s)")
	fs.String(FlagIdentity, "", "who you are in the answered-by records and the audit log (default: user@host)")
	// A zero duration prints as "0s"; keep help free of a misleading default.
	for _, name := range []string{FlagTimeout, FlagRefreshInterval} {
		fs.Lookup(name).DefValue = ""
	}
}

// durationValue is a pflag.Value that accepts a Go duration ("1m30s") or a
// plain number of seconds ("90"), like PREFECT_API_REQUEST_TIMEOUT.
type durationValue time.Duration

func (d *durationValue) String() string {
	if d == nil {
		return ""
	}
	return time.Duration(*d).String()
}

func (d *durationValue) Set(s string) error {
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}

func (d *durationValue) Type() string { return "duration" }

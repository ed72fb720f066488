// Package config resolves unpause's settings and remembers where each one
// came from.
//
// Prefect connection settings are read the way the Prefect CLI reads them
// (PREFECT_* environment variables and the active profile of profiles.toml),
// with unpause's own layers on top. Precedence, highest first:
//
//	flag (only when set) > UNPAUSE_* env > PREFECT_* env > unpause config file >
//	selected Prefect profile > default
//
// The profile is selected by --profile > UNPAUSE_PROFILE > PREFECT_PROFILE >
// "profile" in the config file > "active" in profiles.toml > "ephemeral"
// (Prefect's built-in default). Each Load uses its own viper instance, only
// to read the config file; every key is resolved here so that its source can
// be reported by Explain.
package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Source says where a setting's value came from, e.g. "flag --api-url",
// "env PREFECT_API_URL", "config /home/u/.config/unpause/config.yaml",
// "profile local (/home/u/.prefect/profiles.toml)" or "default".
type Source string

// SourceDefault marks a built-in default (or an unset value).
const SourceDefault Source = "default"

// sourceSelected marks a profile chosen at runtime through LoadProfile.
const sourceSelected Source = "switched to in unpause"

// Defaults.
const (
	DefaultTimeout         = 60 * time.Second // Prefect's PREFECT_API_REQUEST_TIMEOUT default
	DefaultRefreshInterval = 10 * time.Second
	DefaultTheme           = "auto"
	minRefreshInterval     = time.Second
	// DefaultSafetyInterval is how often a live inbox lists everything anyway
	// (the event stream can drop events); the minimum keeps it from becoming
	// polling by another name.
	DefaultSafetyInterval = 10 * time.Minute
	minSafetyInterval     = 10 * time.Second
)

// ErrNoServer means no Prefect API URL is configured. Settings.RequireServer
// wraps it with instructions.
var ErrNoServer = errors.New("no Prefect API URL configured")

// Setting is one resolved setting for display. Value is masked when Secret.
type Setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source Source `json:"source"`
	Secret bool   `json:"secret"`
}

// Settings is the resolved configuration.
type Settings struct {
	APIURL             string // trailing "/" trimmed; "" when not configured (see RequireServer)
	APIKey             string // Prefect Cloud: Authorization: Bearer
	AuthString         string // self-hosted basic auth ("user:password")
	CAFile             string
	InsecureSkipVerify bool
	Timeout            time.Duration

	Profile      string   // selected Prefect profile
	ProfilesPath string   // profiles.toml consulted (it may not exist)
	Profiles     []string // available profile names, sorted (Prefect's built-in ones included)

	RefreshInterval time.Duration
	// SafetyInterval is the full listing interval while the event stream is up.
	SafetyInterval time.Duration
	// NoLive turns the event stream off (config live: false): poll only.
	NoLive   bool
	Theme    string // auto, dark or light
	ReadOnly bool   // for the selected profile; see ReadOnlyFor
	// ReadOnlyBy, when set, says why ReadOnly holds in words of its own
	// (the role of an `unpause serve` user), for the refusal.
	ReadOnlyBy string
	Accessible bool
	NoColor    bool
	Notify     string // NotifyOff, NotifyBell, NotifyDesktop or NotifyBoth (tui/notify.ParseMode)
	// Identity is who acts (answered-by records, the audit log): --identity,
	// UNPAUSE_IDENTITY, profiles.NAME.identity, identity, else user@host.
	Identity string

	ConfigFile string   // the unpause config file read, or "" when none exists
	ConfigPath string   // the config file consulted, whether or not it exists
	Warnings   []string // problems worth telling the user that did not stop loading

	explain  []Setting
	serve    map[string]any // the config file's serve section (Serve reads it)
	home     string
	readOnly readOnlyRule
	in       loadInputs
}

// loadInputs are kept so that LoadProfile can resolve again.
type loadInputs struct {
	flags *pflag.FlagSet
	env   func(string) (string, bool)
}

// Load resolves the settings from the flags registered by BindFlags (fs may
// be nil), the environment (env; nil means os.LookupEnv), the unpause config
// file and Prefect's profiles file. It runs api_key_cmd / auth_string_cmd
// when that is where the winning value lives. A missing API URL is not an
// error here (the config command must still work); call RequireServer.
func Load(ctx context.Context, fs *pflag.FlagSet, env func(string) (string, bool)) (*Settings, error) {
	return load(ctx, loadInputs{flags: fs, env: env}, "")
}

// LoadProfile resolves the settings again from the same flags and
// environment as base, with the Prefect profile name selected (for switching
// profiles inside the TUI). Files are re-read. The usual precedence still
// applies, so for example PREFECT_API_URL beats the profile's URL, as with
// `prefect --profile NAME`.
func LoadProfile(ctx context.Context, base *Settings, name string) (*Settings, error) {
	if base == nil {
		return nil, errors.New("config.LoadProfile: no base settings")
	}
	if name == "" {
		return nil, errors.New("empty profile name")
	}
	return load(ctx, base.in, name)
}

// Explain lists every setting with its value and source; secrets are
// masked ("pnu_…abcd" for long API keys, otherwise "****").
func (s *Settings) Explain() []Setting {
	return append([]Setting(nil), s.explain...)
}

// String describes the settings with secrets masked, so that printing a
// Settings by accident (%v, %+v) cannot leak them.
func (s Settings) String() string {
	return fmt.Sprintf("config.Settings{APIURL:%q APIKey:%q AuthString:%q CAFile:%q InsecureSkipVerify:%v Timeout:%s "+
		"Profile:%q ProfilesPath:%q RefreshInterval:%s Theme:%q ReadOnly:%v Accessible:%v NoColor:%v Notify:%q ConfigFile:%q}",
		RedactURL(s.APIURL), maskSecret(keyAPIKey, s.APIKey), maskSecret(keyAuthString, s.AuthString), s.CAFile, s.InsecureSkipVerify,
		s.Timeout, s.Profile, s.ProfilesPath, s.RefreshInterval, s.Theme, s.ReadOnly, s.Accessible, s.NoColor, s.Notify, s.ConfigFile)
}

// DisplayURL is the API URL with any password in it masked, for display.
func (s *Settings) DisplayURL() string { return RedactURL(s.APIURL) }

// GoString is String for %#v.
func (s Settings) GoString() string { return s.String() }

// ReadOnlyFor reports whether unpause is read-only when profile is
// selected: --read-only or UNPAUSE_READ_ONLY if set, else
// profiles.NAME.read_only of the config file, else its read_only, else false.
func (s *Settings) ReadOnlyFor(profile string) bool {
	ro, _ := s.readOnly.resolve(profile)
	return ro
}

// RequireServer returns an error wrapping ErrNoServer, with instructions,
// when no API URL is configured.
func (s *Settings) RequireServer() error {
	if s.APIURL != "" {
		return nil
	}
	cfg := s.ConfigPath
	if cfg == "" {
		cfg = "~/.config/unpause/config.yaml"
	}
	return fmt.Errorf("%w (Prefect profile %q has no PREFECT_API_URL). Point unpause at a server:\n"+
		"  - set PREFECT_API_URL, e.g. export PREFECT_API_URL=http://127.0.0.1:4200/api\n"+
		"    (Prefect Cloud: https://api.prefect.cloud/api/accounts/ACCOUNT_ID/workspaces/WORKSPACE_ID)\n"+
		"  - or select a Prefect profile that has one: prefect profile use NAME, or unpause --profile NAME\n"+
		"    (profiles in %s: %s)\n"+
		"  - or pass unpause --api-url http://127.0.0.1:4200/api\n"+
		"  - or set api_url: http://127.0.0.1:4200/api in %s",
		ErrNoServer, s.Profile, s.ProfilesPath, strings.Join(s.Profiles, ", "), cfg)
}

func load(ctx context.Context, in loadInputs, selected string) (*Settings, error) {
	if in.env == nil {
		in.env = os.LookupEnv
	}
	r := &resolver{in: in, home: homeDir(in.env)}
	s := &Settings{in: in}
	if err := r.loadConfigFile(s); err != nil {
		return nil, err
	}
	if err := r.loadProfiles(s); err != nil {
		return nil, err
	}
	if err := r.selectProfile(s, selected); err != nil {
		return nil, err
	}
	r.connectionSettings(ctx, s)
	r.ownSettings(s)
	if r.err != nil {
		return nil, r.err
	}
	s.explain = r.explain
	s.home = r.home
	if r.file != nil && r.file.exists {
		s.serve, _ = r.file.v.Get(keyServe).(map[string]any)
		if s.serve == nil && r.file.v.InConfig(keyServe) {
			return nil, fmt.Errorf("config file %s: %s must be a mapping, e.g. serve: {listen: 127.0.0.1:2222}", r.file.path, keyServe)
		}
	}
	return s, nil
}

// loadConfigFile reads unpause's config file: --config, else the default path.
func (r *resolver) loadConfigFile(s *Settings) error {
	cfgPath, cfgSrc := defaultConfigPath(r.in.env, r.home)
	explicit := false
	if v, src, ok := r.flag(FlagConfig)(); ok {
		cfgPath, cfgSrc, explicit = expandHome(v, r.home), src, true
	}
	if cfgPath != "" {
		var err error
		if r.file, err = readConfigFile(cfgPath, explicit); err != nil {
			return err
		}
	}
	s.ConfigPath = cfgPath
	shownPath := cfgPath
	if r.file != nil && r.file.exists {
		s.ConfigFile = cfgPath
		s.Warnings = append(s.Warnings, r.file.warnings...)
	} else if cfgPath != "" {
		shownPath += " (not found)"
	}
	r.note(keyConfigFile, shownPath, cfgSrc, false)
	return nil
}

// loadProfiles reads Prefect's profiles file, found the way Prefect finds it.
func (r *resolver) loadProfiles(s *Settings) error {
	prefectHomeDir, homeSrc := filepath.Join(r.home, ".prefect"), SourceDefault
	if v, ok := nonEmpty(r.in.env, prefectHome); ok {
		prefectHomeDir, homeSrc = expandHome(v, r.home), Source("env "+prefectHome)
	}
	profilesPath, profilesSrc := filepath.Join(prefectHomeDir, "profiles.toml"), homeSrc
	if v, ok := nonEmpty(r.in.env, prefectProfilesPath); ok {
		profilesPath, profilesSrc = expandHome(v, r.home), Source("env "+prefectProfilesPath)
	}
	var err error
	if r.profiles, err = loadProfiles(profilesPath); err != nil {
		return err
	}
	s.ProfilesPath, s.Profiles = profilesPath, r.profiles.names()
	r.note(keyProfilesPath, profilesPath, profilesSrc, false)
	return nil
}

// selectProfile picks the profile: the one switched to in the TUI, the flag,
// the environment, the config file, else Prefect's active profile.
func (r *resolver) selectProfile(s *Settings, selected string) error {
	activeSrc := SourceDefault
	if r.profiles.activeFromFile {
		activeSrc = Source("active in " + s.ProfilesPath)
	}
	var selectedLayer layer = none
	if selected != "" {
		selectedLayer = constant(selected, sourceSelected)
	}
	profile, profileSrc, _ := firstOf(
		selectedLayer,
		r.flag(FlagProfile),
		r.env("UNPAUSE_PROFILE"),
		r.env(prefectProfile),
		r.fileKey(keyProfile),
		constant(r.profiles.active, activeSrc),
	)
	profile = strings.TrimSpace(profile)
	if _, ok := r.profiles.profiles[profile]; !ok {
		return r.profiles.unknownProfileError(profile, profileSrc)
	}
	r.profile = profile
	s.Profile = profile
	r.note(keyProfile, profile, profileSrc, false)
	return nil
}

// connectionSettings resolves how to reach the server, with Prefect's
// precedence: flag, UNPAUSE_*, PREFECT_*, config file, profile.
func (r *resolver) connectionSettings(ctx context.Context, s *Settings) {
	s.APIURL = r.str(keyAPIURL, false,
		trimURL(r.flag(FlagAPIURL)), trimURL(r.env("UNPAUSE_API_URL")), trimURL(r.env(prefectAPIURL)),
		trimURL(r.fileKey(keyAPIURL)), trimURL(r.profileKey(prefectAPIURL)))
	s.APIKey = r.str(keyAPIKey, true,
		r.env("UNPAUSE_API_KEY"), r.env(prefectAPIKey), r.fileSecret(ctx, keyAPIKey, keyAPIKeyCmd), r.profileKey(prefectAPIKey))
	s.AuthString = r.str(keyAuthString, true,
		r.env("UNPAUSE_AUTH_STRING"), r.env(prefectAuthString), r.fileSecret(ctx, keyAuthString, keyAuthStringCmd), r.profileKey(prefectAuthString))
	s.CAFile = r.str(keyCAFile, false,
		r.path(r.flag(FlagCAFile)), r.path(r.env("UNPAUSE_CA_FILE")), r.path(r.env(prefectCertFile)),
		r.filePath(keyCAFile), r.path(r.profileKey(prefectCertFile)), r.path(r.env("SSL_CERT_FILE")))
	s.InsecureSkipVerify = r.boolean(keyInsecureSkipVerify, false,
		r.flag(FlagInsecureSkipVerify), r.env("UNPAUSE_INSECURE_SKIP_VERIFY"), r.env(prefectInsecure),
		r.fileKey(keyInsecureSkipVerify), r.profileKey(prefectInsecure))
	s.Timeout = r.duration(keyTimeout, DefaultTimeout, time.Millisecond,
		r.flag(FlagTimeout), r.env("UNPAUSE_TIMEOUT"), r.env(prefectTimeout), r.fileKey(keyTimeout), r.profileKey(prefectTimeout))
}

// ownSettings resolves unpause's own settings (no Prefect equivalent).
func (r *resolver) ownSettings(s *Settings) {
	s.readOnly = r.readOnlyRule()
	ro, roSrc := s.readOnly.resolve(s.Profile)
	s.ReadOnly = ro
	r.note(keyReadOnly, strconv.FormatBool(ro), roSrc, false)
	s.RefreshInterval = r.duration(keyRefreshInterval, DefaultRefreshInterval, minRefreshInterval,
		r.flag(FlagRefreshInterval), r.env("UNPAUSE_REFRESH_INTERVAL"), r.fileKey(keyRefreshInterval))
	s.SafetyInterval = r.duration(keySafetyInterval, DefaultSafetyInterval, minSafetyInterval,
		r.env("UNPAUSE_SAFETY_INTERVAL"), r.fileKey(keySafetyInterval))
	s.NoLive = !r.boolean(keyLive, true, r.env("UNPAUSE_LIVE"), r.fileKey(keyLive))
	s.Theme = r.theme(r.flag(FlagTheme), r.env("UNPAUSE_THEME"), r.fileKey(keyTheme))
	s.Accessible = r.boolean(keyAccessible, false,
		r.flag(FlagAccessible), r.env("UNPAUSE_ACCESSIBLE"), r.envLenient("ACCESSIBLE"), r.fileKey(keyAccessible))
	s.NoColor = r.boolean(keyNoColor, false,
		r.env("UNPAUSE_NO_COLOR"), r.envPresent("NO_COLOR"), r.fileKey(keyNoColor))
	s.Notify = r.notify()
	s.Identity = r.identity()
}

// readOnlyRule keeps what ReadOnlyFor needs to decide for any profile.
type readOnlyRule struct {
	override      *bool // --read-only or UNPAUSE_READ_ONLY
	overrideSrc   Source
	byProfile     map[string]bool // config profiles.NAME.read_only, lower-cased names
	byProfileFile string
	global        *bool // config read_only
	globalSrc     Source
}

func (r readOnlyRule) resolve(profile string) (bool, Source) {
	if r.override != nil {
		return *r.override, r.overrideSrc
	}
	if ro, ok := r.byProfile[strings.ToLower(profile)]; ok {
		return ro, Source(fmt.Sprintf("config %s (profiles.%s.read_only)", r.byProfileFile, profile))
	}
	if r.global != nil {
		return *r.global, r.globalSrc
	}
	return false, SourceDefault
}

// nonEmpty looks up an environment variable, treating "" as unset.
func nonEmpty(env func(string) (string, bool), name string) (string, bool) {
	v, ok := env(name)
	if !ok || v == "" {
		return "", false
	}
	return v, true
}

// homeDir prefers $HOME from the (injectable) environment.
func homeDir(env func(string) (string, bool)) string {
	if h, ok := nonEmpty(env, "HOME"); ok {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

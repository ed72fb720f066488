package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/viper"

	"github.com/unpause-dev/unpause/termsafe"
)

// Keys of the unpause config file (also the Setting.Key names in Explain).
const (
	keyAPIURL             = "api_url"
	keyAPIKey             = "api_key"
	keyAPIKeyCmd          = "api_key_cmd"
	keyAuthString         = "auth_string"
	keyAuthStringCmd      = "auth_string_cmd"
	keyProfile            = "profile"
	keyCAFile             = "ca_file"
	keyInsecureSkipVerify = "insecure_skip_verify"
	keyTimeout            = "timeout"
	keyRefreshInterval    = "refresh_interval"
	keyTheme              = "theme"
	keyReadOnly           = "read_only"
	keyAccessible         = "accessible"
	keyNoColor            = "no_color"
	keyNotify             = "notify"
	keySafetyInterval     = "safety_interval"
	keyLive               = "live"
	keyIdentity           = "identity"
	keyProfiles           = "profiles"
	keyServe              = "serve"
	keyConfigFile         = "config_file"
	keyProfilesPath       = "profiles_path"
)

var knownFileKeys = []string{
	keyAPIURL, keyAPIKey, keyAPIKeyCmd, keyAuthString, keyAuthStringCmd, keyProfile, keyCAFile,
	keyInsecureSkipVerify, keyTimeout, keyRefreshInterval, keyTheme, keyReadOnly, keyAccessible,
	keyNoColor, keyNotify, keySafetyInterval, keyLive, keyProfiles, keyIdentity, keyServe,
}

// knownProfileKeys are the settings a `profiles: {NAME: {...}}` entry of the
// config file may override.
var knownProfileKeys = []string{keyReadOnly, keyNotify, keyIdentity}

// secretCmdTimeout bounds api_key_cmd / auth_string_cmd (a variable so tests
// can shorten it).
var secretCmdTimeout = 10 * time.Second

// maxSecretCmdOutput bounds what a secret command may print.
const maxSecretCmdOutput = 64 << 10

// configFile is the parsed unpause config file.
type configFile struct {
	path   string
	exists bool
	v      *viper.Viper
	// readOnlyByProfile holds profiles.NAME.read_only, keyed by the
	// lower-cased profile name (viper lower-cases map keys).
	readOnlyByProfile map[string]bool
	// notifyByProfile holds profiles.NAME.notify, checked, keyed likewise.
	notifyByProfile map[string]string
	// identityByProfile holds profiles.NAME.identity, keyed the same way.
	identityByProfile map[string]string
	warnings          []string
	lines             []string // the file's text, to say on which line a key is
}

// defaultConfigPath picks the config directory: $UNPAUSE_CONFIG_DIR, else
// $XDG_CONFIG_HOME/unpause, else ~/.config/unpause (also on macOS, where
// os.UserConfigDir would give ~/Library/Application Support).
func defaultConfigPath(env func(string) (string, bool), home string) (string, Source) {
	if dir, ok := nonEmpty(env, "UNPAUSE_CONFIG_DIR"); ok {
		return filepath.Join(expandHome(dir, home), "config.yaml"), "env UNPAUSE_CONFIG_DIR"
	}
	if dir, ok := nonEmpty(env, "XDG_CONFIG_HOME"); ok {
		return filepath.Join(expandHome(dir, home), "unpause", "config.yaml"), "env XDG_CONFIG_HOME"
	}
	return filepath.Join(home, ".config", "unpause", "config.yaml"), SourceDefault
}

// readConfigFile reads path through a fresh viper instance. A missing file
// is fine unless it was named explicitly (--config).
func readConfigFile(path string, explicit bool) (*configFile, error) {
	cf := &configFile{path: path, v: viper.NewWithOptions()}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return cf, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("config file %s does not exist: create it, or give an existing file with --config "+
			"(UNPAUSE_CONFIG_DIR takes a directory holding config.yaml)", path)
	case err != nil:
		return nil, fmt.Errorf("config file %s: %w", path, err)
	case info.IsDir():
		return nil, fmt.Errorf("config file %s: is a directory", path)
	}
	cf.exists = true

	cf.v.SetConfigFile(path)
	switch strings.ToLower(strings.TrimPrefix(filepath.Ext(path), ".")) {
	case "yaml", "yml", "json", "toml":
		// viper picks the format from the extension
	default:
		cf.v.SetConfigType("yaml")
	}
	if raw, err := os.ReadFile(path); err == nil {
		cf.lines = strings.Split(string(raw), "\n")
	}
	if err := cf.v.ReadInConfig(); err != nil {
		// The parser's own message carries the line ("yaml: line 3: ...").
		var pe viper.ConfigParseError
		if errors.As(err, &pe) && pe.Unwrap() != nil {
			err = pe.Unwrap()
		}
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}

	for _, k := range cf.v.AllKeys() {
		top, _, _ := strings.Cut(k, ".")
		if !slices.Contains(knownFileKeys, top) {
			cf.warnings = append(cf.warnings, fmt.Sprintf("config file %s: unknown key %q ignored", path, termsafe.Line(k)))
		}
	}
	if err := cf.readProfiles(); err != nil {
		return nil, err
	}
	cf.checkPermissions(info)
	return cf, nil
}

// readProfiles reads the per-profile overrides. Profile names are matched
// case-insensitively because viper lower-cases map keys.
func (cf *configFile) readProfiles() error {
	raw := cf.v.Get(keyProfiles)
	if raw == nil {
		return nil
	}
	profiles, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("config file %s: %s must be a mapping of profile names to settings, e.g. profiles: {prod: {read_only: true}}", cf.path, keyProfiles)
	}
	cf.readOnlyByProfile, cf.notifyByProfile, cf.identityByProfile = map[string]bool{}, map[string]string{}, map[string]string{}
	for name, v := range profiles {
		entry, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("config file %s: %s.%s must be a mapping, e.g. {read_only: true}", cf.path, keyProfiles, termsafe.Line(name))
		}
		for k, val := range entry {
			if !slices.Contains(knownProfileKeys, k) {
				cf.warnings = append(cf.warnings, fmt.Sprintf("config file %s: unknown key %q in %s.%s ignored", cf.path, termsafe.Line(k), keyProfiles, termsafe.Line(name)))
				continue
			}
			s, ok := stringOf(val)
			if !ok {
				continue
			}
			if err := cf.setProfileKey(strings.ToLower(name), k, s); err != nil {
				return fmt.Errorf("config file %s: %s.%s.%s: %w", cf.path, keyProfiles, termsafe.Line(name), k, err)
			}
		}
	}
	return nil
}

// setProfileKey keeps one checked profiles.NAME.KEY value (name lower case).
func (cf *configFile) setProfileKey(name, key, value string) error {
	switch key {
	case keyReadOnly:
		b, err := parseBool(value)
		if err != nil {
			return err
		}
		cf.readOnlyByProfile[name] = b
	case keyNotify:
		n, err := CheckNotify(value)
		if err != nil {
			return err
		}
		cf.notifyByProfile[name] = n
	case keyIdentity:
		cf.identityByProfile[name] = value // checked when resolved (CheckIdentity)
	}
	return nil
}

// checkPermissions warns when the file holds a secret but others can read it.
func (cf *configFile) checkPermissions(info fs.FileInfo) {
	if runtime.GOOS == "windows" {
		return
	}
	_, hasKey := cf.get(keyAPIKey)
	_, hasAuth := cf.get(keyAuthString)
	if !hasKey && !hasAuth {
		return
	}
	if perm := info.Mode().Perm(); perm&0o044 != 0 {
		cf.warnings = append(cf.warnings, fmt.Sprintf(
			"config file %s holds a secret but is readable by group or others (mode %04o); run: chmod 600 %s", cf.path, perm, cf.path))
	}
}

// get returns the file's value for key as a string, if set.
func (cf *configFile) get(key string) (string, bool) {
	if cf == nil || !cf.exists || !cf.v.InConfig(key) {
		return "", false
	}
	s, ok := stringOf(cf.v.Get(key))
	if !ok {
		return "", false
	}
	return s, true
}

// source names the file as a Source.
func (cf *configFile) source() Source { return Source("config " + cf.path) }

// keySource names the file and the line a top-level key is set on, so that
// an error about its value points there.
func (cf *configFile) keySource(key string) Source {
	for i, l := range cf.lines {
		if k, _, ok := strings.Cut(l, ":"); ok && strings.EqualFold(strings.TrimSpace(k), key) && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") {
			return Source(fmt.Sprintf("config %s line %d", cf.path, i+1))
		}
	}
	return cf.source()
}

// command returns the argv of a *_cmd key: a YAML list (preferred, no
// quoting issues) or a string split on whitespace. No shell is involved.
func (cf *configFile) command(key string) ([]string, bool, error) {
	if cf == nil || !cf.exists || !cf.v.InConfig(key) {
		return nil, false, nil
	}
	var argv []string
	switch x := cf.v.Get(key).(type) {
	case nil:
		return nil, false, nil
	case string:
		argv = strings.Fields(x)
	case []any:
		for _, a := range x {
			s, ok := stringOf(a)
			if !ok {
				return nil, false, fmt.Errorf("config file %s: %s: list items must be strings", cf.path, key)
			}
			argv = append(argv, s)
		}
	default:
		return nil, false, fmt.Errorf("config file %s: %s must be a command as a list, e.g. [pass, show, prefect/api-key]", cf.path, key)
	}
	if len(argv) == 0 || argv[0] == "" {
		return nil, false, fmt.Errorf("config file %s: %s is empty", cf.path, key)
	}
	return argv, true, nil
}

// runSecretCommand runs argv (no shell) and returns the first line of its
// standard output, trimmed, as the secret. Multi-line output is common
// (`pass show` prints metadata after the password), and there is no shell
// to pipe through head. Stderr is captured, never passed through, so a
// running TUI is not disturbed.
func runSecretCommand(ctx context.Context, key string, argv []string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, secretCmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr limitedBuffer
	stdout.limit, stderr.limit = maxSecretCmdOutput, 4<<10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second // do not hang on grandchildren holding the pipes
	err := cmd.Run()
	// Only the program name: arguments might carry tokens of their own.
	what := fmt.Sprintf("%s (%s)", key, argv[0])
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "", fmt.Errorf("%s: timed out after %s", what, secretCmdTimeout)
	}
	if err != nil {
		// Never include stdout: it may hold the secret.
		if msg := firstLine(stderr.String()); msg != "" {
			if len(msg) > 300 {
				msg = msg[:300]
			}
			return "", fmt.Errorf("%s: %w: %s", what, err, termsafe.Line(msg))
		}
		return "", fmt.Errorf("%s: %w", what, err)
	}
	if stdout.truncated {
		return "", fmt.Errorf("%s: printed more than %d bytes", what, maxSecretCmdOutput)
	}
	secret := firstLine(stdout.String())
	if secret == "" {
		return "", fmt.Errorf("%s: printed nothing", what)
	}
	return secret, nil
}

// firstLine returns the first non-blank line of s, trimmed.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}

// limitedBuffer keeps at most limit bytes and notes whether more arrived.
type limitedBuffer struct {
	bytes.Buffer
	limit     int
	truncated bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); room < len(p) {
		b.truncated = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

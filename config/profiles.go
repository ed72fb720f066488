package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Prefect setting names read from the environment and from profiles.
const (
	prefectAPIURL        = "PREFECT_API_URL"
	prefectAPIKey        = "PREFECT_API_KEY"
	prefectAuthString    = "PREFECT_API_AUTH_STRING"
	prefectInsecure      = "PREFECT_API_TLS_INSECURE_SKIP_VERIFY"
	prefectCertFile      = "PREFECT_API_SSL_CERT_FILE"
	prefectTimeout       = "PREFECT_API_REQUEST_TIMEOUT"
	prefectProfile       = "PREFECT_PROFILE"
	prefectHome          = "PREFECT_HOME"
	prefectProfilesPath  = "PREFECT_PROFILES_PATH"
	builtinActiveProfile = "ephemeral"
)

// builtinProfiles mirrors the profiles bundled with Prefect
// (src/prefect/settings/profiles.toml), which Prefect merges under the
// user's profiles.toml: they exist even without a profiles file, and
// "local" points at a default local server. Only settings unpause reads are
// listed.
var builtinProfiles = map[string]map[string]string{
	"ephemeral": {},
	"local":     {prefectAPIURL: "http://127.0.0.1:4200/api"},
	"test":      {},
	"cloud":     {},
}

// profileValue is one setting of a profile with where it came from.
type profileValue struct {
	value  string
	source Source
}

// profileSet is the merged view of Prefect's built-in profiles and the
// user's profiles.toml.
type profileSet struct {
	path   string // profiles.toml path consulted
	exists bool   // whether that file exists
	active string // top-level "active" of the file, or the built-in default
	// activeFromFile: active came from the file, not Prefect's default.
	activeFromFile bool
	profiles       map[string]map[string]profileValue
}

// names returns the profile names, sorted.
func (p *profileSet) names() []string {
	names := make([]string, 0, len(p.profiles))
	for n := range p.profiles {
		names = append(names, n)
	}
	// Case-insensitive order reads better in lists; ties keep a stable order.
	slices.SortFunc(names, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return names
}

// loadProfiles reads path (a missing file is fine: Prefect then uses only its
// built-in profiles) and merges it over the built-in profiles the way
// Prefect's load_profiles does: per profile, per setting.
func loadProfiles(path string) (*profileSet, error) {
	set := &profileSet{path: path, active: builtinActiveProfile, profiles: map[string]map[string]profileValue{}}
	for name, settings := range builtinProfiles {
		m := map[string]profileValue{}
		for k, v := range settings {
			m[k] = profileValue{value: v, source: Source(fmt.Sprintf("profile %s (Prefect built-in)", name))}
		}
		set.profiles[name] = m
	}

	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return set, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading profiles file: %w", err)
	}
	set.exists = true

	var file struct {
		Active   string                    `toml:"active"`
		Profiles map[string]map[string]any `toml:"profiles"`
	}
	if err := toml.Unmarshal(data, &file); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("profiles file %s: line %d, column %d: %s", path, row, col, de.Error())
		}
		return nil, fmt.Errorf("profiles file %s: %w", path, err)
	}
	if file.Active != "" {
		set.active, set.activeFromFile = file.Active, true
	}
	for name, settings := range file.Profiles {
		m := set.profiles[name]
		if m == nil {
			m = map[string]profileValue{}
			set.profiles[name] = m
		}
		src := Source(fmt.Sprintf("profile %s (%s)", name, path))
		for k, v := range settings {
			s, ok := stringOf(v)
			if !ok {
				continue
			}
			m[strings.ToUpper(k)] = profileValue{value: s, source: src}
		}
	}
	return set, nil
}

// unknownProfileError lists the profiles that do exist.
func (p *profileSet) unknownProfileError(name string, from Source) error {
	where := p.path
	if !p.exists {
		where = p.path + " (file not found; only Prefect's built-in profiles exist)"
	}
	return fmt.Errorf("profile %q (%s) not found in %s; available profiles: %s",
		name, from, where, strings.Join(p.names(), ", "))
}

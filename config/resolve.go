package config

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// layer is one possible source of a value; ok is false when it has none.
type layer func() (value string, src Source, ok bool)

func none() (string, Source, bool) { return "", "", false }

func constant(v string, src Source) layer {
	return func() (string, Source, bool) { return v, src, true }
}

// firstOf returns the first layer that has a value (highest precedence first).
func firstOf(layers ...layer) (string, Source, bool) {
	for _, l := range layers {
		if v, src, ok := l(); ok {
			return v, src, true
		}
	}
	return "", SourceDefault, false
}

// resolver resolves keys layer by layer and records each result for Explain.
type resolver struct {
	in       loadInputs
	home     string
	file     *configFile // nil when no config path could be determined
	profiles *profileSet
	profile  string // selected profile, once known
	explain  []Setting
	err      error // first error; later layers keep going so Load fails once
}

func (r *resolver) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *resolver) note(key, value string, src Source, secret bool) {
	if secret {
		value = maskSecret(key, value)
	}
	if key == keyAPIURL {
		value = RedactURL(value)
	}
	r.explain = append(r.explain, Setting{Key: key, Value: value, Source: src, Secret: secret})
}

// flag is the value of a flag the user set (pflag's Changed), so a flag's
// default never shadows env or file values.
func (r *resolver) flag(name string) layer {
	return func() (string, Source, bool) {
		if r.in.flags == nil {
			return none()
		}
		f := r.in.flags.Lookup(name)
		if f == nil || !f.Changed {
			return none()
		}
		return f.Value.String(), Source("flag --" + name), true
	}
}

// env is a non-empty environment variable.
func (r *resolver) env(name string) layer {
	return func() (string, Source, bool) {
		v, ok := nonEmpty(r.in.env, name)
		if !ok {
			return none()
		}
		return v, Source("env " + name), true
	}
}

// envPresent follows the NO_COLOR convention: any non-empty value means true.
func (r *resolver) envPresent(name string) layer {
	return func() (string, Source, bool) {
		if _, ok := nonEmpty(r.in.env, name); !ok {
			return none()
		}
		return "true", Source("env " + name), true
	}
}

// envLenient reads a boolean where any non-empty value that is not a
// recognisable false means true (huh's ACCESSIBLE convention).
func (r *resolver) envLenient(name string) layer {
	return func() (string, Source, bool) {
		v, ok := nonEmpty(r.in.env, name)
		if !ok {
			return none()
		}
		if b, err := parseBool(v); err == nil {
			return strconv.FormatBool(b), Source("env " + name), true
		}
		return "true", Source("env " + name), true
	}
}

// fileKey is a non-empty value of the unpause config file.
func (r *resolver) fileKey(key string) layer {
	return func() (string, Source, bool) {
		v, ok := r.file.get(key)
		if !ok || v == "" {
			return none()
		}
		return v, r.file.source(), true
	}
}

// filePath is a path from the config file; a relative one is taken relative
// to the file's directory, not to wherever unpause happens to run.
func (r *resolver) filePath(key string) layer {
	return func() (string, Source, bool) {
		v, src, ok := r.fileKey(key)()
		if !ok {
			return none()
		}
		v = expandHome(v, r.home)
		if !filepath.IsAbs(v) {
			v = filepath.Join(filepath.Dir(r.file.path), v)
		}
		return v, src, true
	}
}

// path expands a leading ~ in another layer's value.
func (r *resolver) path(l layer) layer {
	return func() (string, Source, bool) {
		v, src, ok := l()
		if !ok {
			return none()
		}
		return expandHome(v, r.home), src, true
	}
}

// profileKey is a non-empty setting of the selected Prefect profile.
func (r *resolver) profileKey(prefectKey string) layer {
	return func() (string, Source, bool) {
		pv, ok := r.profiles.profiles[r.profile][prefectKey]
		if !ok || pv.value == "" {
			return none()
		}
		return pv.value, pv.source, true
	}
}

// fileSecret is the config file's key, or the output of its *_cmd
// companion. The command only runs when this layer is consulted, i.e. when
// no higher layer has a value.
func (r *resolver) fileSecret(ctx context.Context, key, cmdKey string) layer {
	return func() (string, Source, bool) {
		v, hasValue := r.file.get(key)
		hasValue = hasValue && v != ""
		argv, hasCmd, err := r.file.command(cmdKey)
		if err != nil {
			r.fail(err)
			return none()
		}
		switch {
		case hasValue && hasCmd:
			r.fail(fmt.Errorf("config file %s: set either %s or %s, not both", r.file.path, key, cmdKey))
			return none()
		case hasValue:
			return v, r.file.source(), true
		case hasCmd:
			secret, err := runSecretCommand(ctx, cmdKey, argv)
			if err != nil {
				r.fail(fmt.Errorf("config file %s: %w", r.file.path, err))
				return none()
			}
			return secret, Source(fmt.Sprintf("config %s (%s)", r.file.path, cmdKey)), true
		}
		return none()
	}
}

// trimURL drops surrounding space and trailing slashes from a URL layer.
func trimURL(l layer) layer {
	return func() (string, Source, bool) {
		v, src, ok := l()
		if !ok {
			return none()
		}
		return strings.TrimRight(strings.TrimSpace(v), "/"), src, true
	}
}

func (r *resolver) str(key string, secret bool, layers ...layer) string {
	v, src, _ := firstOf(layers...)
	r.note(key, v, src, secret)
	return v
}

func (r *resolver) boolean(key string, def bool, layers ...layer) bool {
	b := def
	v, src, ok := firstOf(layers...)
	if ok {
		var err error
		if b, err = parseBool(v); err != nil {
			r.fail(fmt.Errorf("%s (%s): %w", key, r.at(key, src), err))
		}
	}
	r.note(key, strconv.FormatBool(b), src, false)
	return b
}

func (r *resolver) duration(key string, def, minimum time.Duration, layers ...layer) time.Duration {
	d := def
	v, src, ok := firstOf(layers...)
	if ok {
		var err error
		switch d, err = parseDuration(v); {
		case err != nil:
			r.fail(fmt.Errorf("%s (%s): %w", key, r.at(key, src), err))
		case d < minimum:
			r.fail(fmt.Errorf("%s (%s): %s is too short (minimum %s)", key, r.at(key, src), d, minimum))
		}
	}
	r.note(key, d.String(), src, false)
	return d
}

func (r *resolver) theme(layers ...layer) string {
	t := DefaultTheme
	v, src, ok := firstOf(layers...)
	if ok {
		t = strings.ToLower(strings.TrimSpace(v))
		switch t {
		case "auto", "dark", "light":
		default:
			r.fail(fmt.Errorf("%s (%s): %q is not one of auto, dark, light", keyTheme, r.at(keyTheme, src), v))
		}
	}
	r.note(keyTheme, t, src, false)
	return t
}

// readOnlyRule collects the read_only layers; the per-profile part is
// resolved later, for any profile (ReadOnlyFor).
func (r *resolver) readOnlyRule() readOnlyRule {
	var rule readOnlyRule
	parse := func(v string, src Source) *bool {
		b, err := parseBool(v)
		if err != nil {
			r.fail(fmt.Errorf("%s (%s): %w", keyReadOnly, r.at(keyReadOnly, src), err))
		}
		return &b
	}
	if v, src, ok := firstOf(r.flag(FlagReadOnly), r.env("UNPAUSE_READ_ONLY")); ok {
		rule.override, rule.overrideSrc = parse(v, src), src
	}
	if r.file != nil {
		rule.byProfile, rule.byProfileFile = r.file.readOnlyByProfile, r.file.path
	}
	if v, src, ok := r.fileKey(keyReadOnly)(); ok {
		rule.global, rule.globalSrc = parse(v, src), src
	}
	return rule
}

// at is where a value came from, for an error about it: the config file's
// line when it came from the file.
func (r *resolver) at(key string, src Source) Source {
	if r.file != nil && src == r.file.source() {
		return r.file.keySource(key)
	}
	return src
}

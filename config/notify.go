package config

import (
	"fmt"
	"strings"
)

// The values of the notify setting: how unpause rings the terminal when a
// new run starts waiting. config owns the spelling; tui/notify turns a value
// into the bytes it writes (notify.ParseMode), so the two cannot disagree.
const (
	NotifyOff     = "off"     // nothing
	NotifyBell    = "bell"    // the terminal bell (BEL)
	NotifyDesktop = "desktop" // a desktop notification (OSC 9 or OSC 777)
	NotifyBoth    = "both"    // the bell and a desktop notification
	DefaultNotify = NotifyBell
)

// NotifyValues are the accepted notify values, in the order messages list them.
var NotifyValues = []string{NotifyOff, NotifyBell, NotifyDesktop, NotifyBoth}

// CheckNotify returns a notify value as unpause spells it (trimmed, lower
// case), or an error that names the accepted values.
func CheckNotify(v string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	for _, ok := range NotifyValues {
		if s == ok {
			return s, nil
		}
	}
	return "", fmt.Errorf("%q is not one of %s", v, strings.Join(NotifyValues, ", "))
}

// profileFileKey is a setting of the selected profile in the config file's
// profiles mapping (profiles.NAME.KEY, NAME matched case-insensitively).
func (r *resolver) profileFileKey(key string, byProfile map[string]string) layer {
	return func() (string, Source, bool) {
		v, ok := byProfile[strings.ToLower(r.profile)]
		if !ok || v == "" {
			return none()
		}
		return v, Source(fmt.Sprintf("config %s (%s.%s.%s)", r.file.path, keyProfiles, r.profile, key)), true
	}
}

// notify resolves the notify setting: UNPAUSE_NOTIFY, else the selected
// profile's profiles.NAME.notify, else the file's notify, else bell.
func (r *resolver) notify() string {
	var byProfile map[string]string
	if r.file != nil {
		byProfile = r.file.notifyByProfile
	}
	n := DefaultNotify
	v, src, ok := firstOf(r.env("UNPAUSE_NOTIFY"), r.profileFileKey(keyNotify, byProfile), r.fileKey(keyNotify))
	if ok {
		var err error
		if n, err = CheckNotify(v); err != nil {
			r.fail(fmt.Errorf("%s (%s): %w", keyNotify, r.at(keyNotify, src), err))
			n = DefaultNotify
		}
	}
	r.note(keyNotify, n, src, false)
	return n
}

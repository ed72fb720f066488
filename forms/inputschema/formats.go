package inputschema

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Text of the string formats pydantic writes (date-time, date, time,
// duration, uuid): the friendly forms an operator may type, and the exact
// form that is sent.

var dateTimeOffsetLayouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04Z07:00",
}

var dateTimeLocalLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// parseDateTime accepts RFC 3339 and the friendly forms "2026-11-21 14:00",
// "2026-11-21T14:00" and "2026-11-21" (in loc, the schema's TimeZone), and
// returns RFC 3339 with an offset, which is what is sent.
func parseDateTime(text string, loc *time.Location) (string, error) {
	t := strings.TrimSpace(text)
	if len(t) > 10 && (t[10] == 't') {
		t = t[:10] + "T" + t[11:]
	}
	if strings.HasSuffix(t, "z") {
		t = t[:len(t)-1] + "Z"
	}
	for _, l := range dateTimeOffsetLayouts {
		if tm, err := time.Parse(l, t); err == nil {
			return tm.Format(time.RFC3339Nano), nil
		}
	}
	for _, l := range dateTimeLocalLayouts {
		if tm, err := time.ParseInLocation(l, t, loc); err == nil {
			return tm.Format(time.RFC3339Nano), nil
		}
	}
	ex := exampleTime(loc, time.Now())
	return "", fmt.Errorf("%q is not a date and time; use e.g. %s (time zone %s) or %s",
		clip(t), ex.Format("2006-01-02 15:04"), ZoneName(loc, ex), ex.Format(time.RFC3339))
}

// exampleTime is the date-time examples show: tomorrow at 09:00 in loc, so
// that an example is never already past.
func exampleTime(loc *time.Location, now time.Time) time.Time {
	d := now.In(loc).AddDate(0, 0, 1)
	return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, loc)
}

// DateTimeExample is how a date-time is typed, for a placeholder: tomorrow
// at 09:00 in loc.
func DateTimeExample(loc *time.Location, now time.Time) string {
	return exampleTime(loc, now).Format("2006-01-02 15:04")
}

// ZoneName names a time zone the way an operator reads it: "UTC",
// "CET (+01:00)"; "Local" alone would say nothing. Every front end says the
// time zone of friendly date-times this way.
func ZoneName(loc *time.Location, now time.Time) string {
	name, offset := now.In(loc).Zone()
	off := now.In(loc).Format("-07:00")
	if offset == 0 && (name == "UTC" || name == "GMT") {
		return "UTC"
	}
	if name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
		return off
	}
	return name + " (" + off + ")"
}

func parseDate(text string) (string, error) {
	t := strings.TrimSpace(text)
	tm, err := time.Parse("2006-01-02", t)
	if err != nil {
		return "", fmt.Errorf("%q is not a date; use YYYY-MM-DD, e.g. %s", clip(t), time.Now().AddDate(0, 0, 1).Format("2006-01-02"))
	}
	return tm.Format("2006-01-02"), nil
}

var timeText = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?$`)

// parseTime accepts HH:MM[:SS[.frac]] with an optional offset and returns
// HH:MM:SS[.frac][offset], which pydantic reads back unchanged.
func parseTime(text string) (string, error) {
	t := strings.TrimSpace(text)
	m := timeText.FindStringSubmatch(t)
	bad := fmt.Errorf("%q is not a time; use HH:MM or HH:MM:SS, e.g. 14:30", clip(t))
	if m == nil {
		return "", bad
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	sec := 0
	if m[3] != "" {
		sec, _ = strconv.Atoi(m[3])
	}
	if h > 23 || mi > 59 || sec > 59 {
		return "", bad
	}
	out := fmt.Sprintf("%02d:%02d:%02d%s", h, mi, sec, m[4])
	switch off := m[5]; off {
	case "":
	case "Z", "z":
		out += "Z"
	default:
		off = strings.Replace(off, ":", "", 1)
		oh, _ := strconv.Atoi(off[1:3])
		om, _ := strconv.Atoi(off[3:5])
		if oh > 23 || om > 59 {
			return "", bad
		}
		out += off[:3] + ":" + off[3:5]
	}
	return out, nil
}

var isoDuration = regexp.MustCompile(`^-?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

var goDuration = regexp.MustCompile(`^(-)?(?:(\d+)d)?((?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))*)$`)

// validISODuration reports whether s is an ISO 8601 duration as pydantic
// writes and reads it (sign and decimal fractions allowed).
func validISODuration(s string) bool {
	if !isoDuration.MatchString(s) {
		return false
	}
	body := strings.TrimPrefix(s, "-")
	if body == "P" || strings.HasSuffix(body, "T") {
		return false
	}
	return true
}

// parseDuration accepts ISO 8601 (PT5M, P1DT2H), Go-style (5m, 1h30m, 2d3h)
// or plain seconds (90), and returns ISO 8601, what pydantic expects.
func parseDuration(text string) (string, error) {
	t := strings.TrimSpace(text)
	if up := strings.ToUpper(t); strings.HasPrefix(strings.TrimPrefix(up, "-"), "P") {
		if validISODuration(up) {
			return up, nil
		}
		return "", fmt.Errorf("%q is not a valid ISO 8601 duration (e.g. PT5M, P1DT2H)", clip(t))
	}
	bad := fmt.Errorf("%q is not a duration; use e.g. 5m, 1h30m, 2d, 90 (seconds) or PT5M", clip(t))
	if t == "" {
		return "", bad
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && numberText.MatchString(t) {
		if math.Abs(f) > 1e12 {
			return "", bad
		}
		return formatISODuration(0, time.Duration(f*float64(time.Second))), nil
	}
	m := goDuration.FindStringSubmatch(strings.ToLower(t))
	if m == nil || (m[2] == "" && m[3] == "") {
		return "", bad
	}
	days := int64(0)
	if m[2] != "" {
		d, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil || d > 1e7 {
			return "", bad
		}
		days = d
	}
	var d time.Duration
	if m[3] != "" {
		var err error
		if d, err = time.ParseDuration(m[3]); err != nil {
			return "", bad
		}
	}
	if m[1] == "-" {
		days, d = -days, -d
	}
	return formatISODuration(days, d), nil
}

// formatISODuration writes days plus d as pydantic does: P1DT2H30M, PT1.5S.
func formatISODuration(days int64, d time.Duration) string {
	neg := days < 0 || (days == 0 && d < 0)
	if neg {
		days, d = -days, -d
	}
	days += int64(d / (24 * time.Hour))
	d %= 24 * time.Hour
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('P')
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if h == 0 && m == 0 && d == 0 {
		if days == 0 {
			b.WriteString("T0S")
		}
		return b.String()
	}
	b.WriteByte('T')
	if h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if d > 0 {
		sec := strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
		fmt.Fprintf(&b, "%sS", sec)
	}
	return b.String()
}

var hex32 = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// parseUUID accepts hyphenated or bare hex, braces and urn:uuid:.
func parseUUID(text string) (string, error) {
	t := strings.TrimSpace(text)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "urn:uuid:"), "URN:UUID:")
	t = strings.TrimSuffix(strings.TrimPrefix(t, "{"), "}")
	bare := strings.ReplaceAll(t, "-", "")
	if !hex32.MatchString(bare) || (strings.Contains(t, "-") && len(t) != 36) {
		return "", fmt.Errorf("%q is not a UUID (e.g. 0b7c1e5e-4d2a-4f7e-9c3b-1a2b3c4d5e6f)", clip(strings.TrimSpace(text)))
	}
	b := strings.ToLower(bare)
	return b[0:8] + "-" + b[8:12] + "-" + b[12:16] + "-" + b[16:20] + "-" + b[20:], nil
}

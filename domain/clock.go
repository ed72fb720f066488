package domain

import (
	"math"
	"strconv"
	"time"
)

// Duration formats d compactly for tables: 45s, 12m, 3h05m, 2d04h. The sign
// is dropped: callers say "ago" or "in".
func Duration(d time.Duration) string {
	switch {
	case d == math.MinInt64:
		// time.Time.Sub saturates: a timestamp centuries ahead gives the
		// smallest Duration, whose negation overflows.
		d = math.MaxInt64
	case d < 0:
		d = -d
	}
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		h := int(d / time.Hour)
		m := int((d % time.Hour) / time.Minute)
		return strconv.Itoa(h) + "h" + pad2(m) + "m"
	default:
		days := int(d / (24 * time.Hour))
		h := int((d % (24 * time.Hour)) / time.Hour)
		return strconv.Itoa(days) + "d" + pad2(h) + "h"
	}
}

// Age is how long ago since was, formatted like Duration.
func Age(since, now time.Time) string { return Duration(now.Sub(since)) }

// Countdown formats the time left until a pause deadline: "expired" when it
// has passed, "never" without a deadline, "<1m" in its last minute.
func Countdown(expires *time.Time, now time.Time) string {
	if expires == nil {
		return "never"
	}
	left := expires.Sub(now)
	if left <= 0 {
		return "expired"
	}
	if left < time.Minute {
		return "<1m"
	}
	return Duration(left)
}

// ExpiresIn is the countdown as a phrase of the plain-text commands:
// "in 12m", "expired" or "never".
func ExpiresIn(expires *time.Time, now time.Time) string {
	c := Countdown(expires, now)
	if expires == nil || c == "expired" {
		return c
	}
	return "in " + c
}

// ExpiryUrgency classifies a pause deadline; front ends colour or word it.
type ExpiryUrgency int

// Urgencies, from no deadline to passed.
const (
	ExpiryNone    ExpiryUrgency = iota // no deadline
	ExpiryLater                        // SoonThreshold or more left
	ExpirySoon                         // under SoonThreshold left: marked
	ExpiryExpired                      // deadline passed
)

// SoonThreshold is the time left under which a deadline is marked.
const SoonThreshold = 10 * time.Minute

// Urgency classifies expires relative to now.
func Urgency(expires *time.Time, now time.Time) ExpiryUrgency {
	if expires == nil {
		return ExpiryNone
	}
	left := expires.Sub(now)
	switch {
	case left <= 0:
		return ExpiryExpired
	case left < SoonThreshold:
		return ExpirySoon
	default:
		return ExpiryLater
	}
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

package domain

import (
	"regexp"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) *time.Time { t := now.Add(d); return &t }

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 45 * time.Second: "45s", 59*time.Second + 999*time.Millisecond: "59s",
		time.Minute: "1m", 12 * time.Minute: "12m", time.Hour: "1h00m", 3*time.Hour + 5*time.Minute: "3h05m",
		24 * time.Hour: "1d00h", 50*time.Hour + 30*time.Minute: "2d02h", -90 * time.Second: "1m",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%s) = %q, want %q", d, got, want)
		}
	}
	if got := Age(now.Add(-6*time.Hour), now); got != "6h00m" {
		t.Errorf("Age 6h = %q", got)
	}
	// A pause "since" year 3000 saturates Sub at the smallest Duration.
	if got := Age(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), now); got != "106751d23h" {
		t.Errorf("Age of a far-future time = %q", got)
	}
}

func TestCountdownAndUrgency(t *testing.T) {
	cases := []struct {
		exp     *time.Time
		text    string
		phrase  string
		urgency ExpiryUrgency
	}{
		{nil, "never", "never", ExpiryNone},
		{at(-time.Hour), "expired", "expired", ExpiryExpired},
		{at(-time.Second), "expired", "expired", ExpiryExpired},
		{at(0), "expired", "expired", ExpiryExpired},
		{at(30 * time.Second), "<1m", "in <1m", ExpirySoon},
		{at(9*time.Minute + 59*time.Second), "9m", "in 9m", ExpirySoon},
		{at(SoonThreshold), "10m", "in 10m", ExpiryLater},
		{at(26 * time.Hour), "1d02h", "in 1d02h", ExpiryLater},
	}
	for _, c := range cases {
		if got := Countdown(c.exp, now); got != c.text {
			t.Errorf("Countdown(%v) = %q, want %q", c.exp, got, c.text)
		}
		if got := ExpiresIn(c.exp, now); got != c.phrase {
			t.Errorf("ExpiresIn(%v) = %q, want %q", c.exp, got, c.phrase)
		}
		if got := Urgency(c.exp, now); got != c.urgency {
			t.Errorf("Urgency(%v) = %d, want %d", c.exp, got, c.urgency)
		}
	}
}

var durationShape = regexp.MustCompile(`^([0-9]|[1-5][0-9])s$|^([1-9]|[1-5][0-9])m$|^([1-9]|1[0-9]|2[0-3])h[0-5][0-9]m$|^[1-9][0-9]*d([01][0-9]|2[0-3])h$`)

// Whatever the duration, the text is one of the four compact shapes, never
// signed, and a countdown agrees with the urgency it is shown with.
func FuzzDurationAndCountdown(f *testing.F) {
	for _, d := range []int64{0, 1, int64(time.Minute), int64(SoonThreshold), -int64(time.Hour), 1<<63 - 1, -1 << 63} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		d := time.Duration(n)
		if s := Duration(d); !durationShape.MatchString(s) {
			t.Fatalf("Duration(%d) = %q", n, s)
		}
		exp := now.Add(d)
		text, u := Countdown(&exp, now), Urgency(&exp, now)
		switch {
		case u == ExpiryExpired && text != "expired",
			u != ExpiryExpired && text == "expired",
			u == ExpiryLater && (text == "<1m" || exp.Sub(now) < SoonThreshold):
			t.Fatalf("Countdown %q with urgency %d for %s", text, u, exp.Sub(now))
		}
	})
}

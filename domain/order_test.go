package domain

import (
	"strings"
	"testing"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
)

func sample() []apiclient.Run {
	return []apiclient.Run{
		run("a", "billing", "prod", "calm-fox", 2*time.Hour, dur(50*time.Minute), "finance"),
		run("b", "approve", "", "brave-owl", 5*time.Hour, nil, "ops", "prod"),
		run("c", "approve", "eu", "shy-cat", 30*time.Minute, dur(5*time.Minute)),
		run("d", "zeta", "", "able-ant", 3*time.Hour, dur(-time.Minute)), // expired
		run("e", "billing", "prod", "dark-elk", 6*time.Hour, dur(50*time.Minute)),
	}
}

func ids(rows []Row) string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return strings.Join(out, ",")
}

func TestSortRows(t *testing.T) {
	for key, want := range map[SortKey]string{
		SortExpiry: "d,c,e,a,b", // soonest (expired first), ties by oldest; no deadline last
		SortAge:    "e,b,d,a,c",
		SortFlow:   "b,c,a,e,d",
		SortName:   "d,b,a,e,c",
	} {
		rows := NewRows(sample())
		SortRows(rows, key)
		if got := ids(rows); got != want {
			t.Errorf("%s order = %s, want %s", key, got, want)
		}
	}
}

// `unpause list` uses the inbox order: soonest expiry, then oldest pause.
func TestSortExpiryThenOldest(t *testing.T) {
	runs := []apiclient.Run{
		run("never-new", "flow", "", "run-never-new", time.Minute, nil),
		run("later", "flow", "", "run-later", time.Hour, dur(time.Hour)),
		run("never-old", "flow", "", "run-never-old", time.Hour, nil),
		run("soon", "flow", "", "run-soon", time.Minute, dur(5*time.Minute)),
	}
	rows := NewRows(runs)
	SortRows(rows, SortExpiry)
	if got, want := ids(rows), "soon,later,never-old,never-new"; got != want {
		t.Errorf("order %s, want %s", got, want)
	}
}

// The id breaks every tie, so equal rows still have one order.
func TestSortIsTotal(t *testing.T) {
	runs := []apiclient.Run{run("z", "f", "", "n", time.Hour, nil), run("y", "f", "", "n", time.Hour, nil), run("x", "f", "", "n", time.Hour, nil)}
	for key := range SortKey(NumSortKeys) {
		rows := NewRows(runs)
		SortRows(rows, key)
		if got := ids(rows); got != "x,y,z" {
			t.Errorf("%s order of equal rows = %s", key, got)
		}
	}
}

func TestSortKeyCycle(t *testing.T) {
	var seen []string
	k := SortExpiry
	for range NumSortKeys + 1 {
		seen = append(seen, k.String())
		k = k.Next()
	}
	if got := strings.Join(seen, " "); got != "expiry age flow name expiry" {
		t.Errorf("cycle %s", got)
	}
}

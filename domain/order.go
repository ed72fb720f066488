package domain

import (
	"cmp"
	"slices"
)

// SortKey is an inbox ordering.
type SortKey int

// Orderings, in the order the sort key cycles through them.
const (
	SortExpiry  SortKey = iota // soonest deadline first (none last), then oldest: the default
	SortAge                    // oldest pause first
	SortFlow                   // flow/deployment, then run name
	SortName                   // run name
	NumSortKeys = iota         // how many orderings there are
)

func (s SortKey) String() string {
	switch s {
	case SortAge:
		return "age"
	case SortFlow:
		return "flow"
	case SortName:
		return "name"
	default:
		return "expiry"
	}
}

// Next is the ordering after s, back to SortExpiry after the last.
func (s SortKey) Next() SortKey { return (s + 1) % NumSortKeys }

// Compare returns the comparator of an ordering. Every comparator ends with
// the run id, so the order is total and an unstable sort is deterministic.
func (s SortKey) Compare() func(a, b *Row) int {
	switch s {
	case SortAge:
		return compareAge
	case SortFlow:
		return compareFlow
	case SortName:
		return compareName
	default:
		return CompareExpiry
	}
}

// CompareExpiry is the default order of the inbox and of `unpause list`:
// soonest deadline first (none last), then oldest pause, then id.
func CompareExpiry(a, b *Row) int {
	return cmp.Or(cmp.Compare(a.expKey, b.expKey), cmp.Compare(a.sinceKey, b.sinceKey), cmp.Compare(a.ID, b.ID))
}

func compareAge(a, b *Row) int {
	return cmp.Or(cmp.Compare(a.sinceKey, b.sinceKey), cmp.Compare(a.ID, b.ID))
}

func compareFlow(a, b *Row) int {
	return cmp.Or(cmp.Compare(a.flowKey, b.flowKey), cmp.Compare(a.nameKey, b.nameKey), cmp.Compare(a.ID, b.ID))
}

func compareName(a, b *Row) int {
	return cmp.Or(cmp.Compare(a.nameKey, b.nameKey), cmp.Compare(a.ID, b.ID))
}

// SortRows orders rows in place.
func SortRows(rows []Row, s SortKey) {
	less := s.Compare()
	slices.SortFunc(rows, func(a, b Row) int { return less(&a, &b) })
}

package inputschema

import (
	"fmt"
	"strings"
)

// Enums long enough that scanning them on every key is felt (a schema may
// list 200,000 members) are looked up in an index built once per field.

// indexedMembers is the length from which an enum is looked up in an index
// and a non-member's error no longer lists every member.
const indexedMembers = 64

// memberIndex finds members by their text: exactly, case-folded, and as a
// number.
type memberIndex struct {
	exact map[string]int
	fold  map[string][]int
	num   map[string]int // big.Rat text of numeric members
}

func newMemberIndex(members []any) *memberIndex {
	idx := &memberIndex{exact: map[string]int{}, fold: map[string][]int{}, num: map[string]int{}}
	for i, m := range members {
		t := MemberText(m)
		if _, dup := idx.exact[t]; !dup {
			idx.exact[t] = i
		}
		k := strings.ToLower(t)
		idx.fold[k] = append(idx.fold[k], i)
		if r, ok := ratOf(m); ok {
			if _, dup := idx.num[r.RatString()]; !dup {
				idx.num[r.RatString()] = i
			}
		}
	}
	return idx
}

// member finds the member of f's enum that text names, as matchMember does.
func (s *Schema) member(f *Field, text string) (any, error) {
	if len(f.Enum) < indexedMembers {
		return matchMember(f.Enum, text)
	}
	idx := s.memberIndex(f)
	if i, ok := idx.exact[text]; ok {
		return f.Enum[i], nil
	}
	t := strings.TrimSpace(text)
	if hit := idx.fold[strings.ToLower(t)]; len(hit) == 1 {
		return f.Enum[hit[0]], nil
	}
	if r, ok := ratOf(t); ok {
		if i, ok := idx.num[r.RatString()]; ok {
			return f.Enum[i], nil
		}
	}
	return nil, fmt.Errorf("%q is not one of the %s values; 'unpause show RUN' lists them", clip(t), printer.Sprint(len(f.Enum)))
}

func (s *Schema) memberIndex(f *Field) *memberIndex {
	s.mu.Lock()
	defer s.mu.Unlock()
	if idx, ok := s.members[f]; ok {
		return idx
	}
	if s.members == nil {
		s.members = map[*Field]*memberIndex{}
	}
	idx := newMemberIndex(f.Enum)
	s.members[f] = idx
	return idx
}

package inputschema

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// Checks of one field's value while it is typed, with messages written for
// people; the compiled schema (validate.go) checks the rest.

// CheckValue checks v against f's constraints, first with messages written
// for people, then with the compiled schema for everything else (formats,
// nested keywords).
func (s *Schema) CheckValue(f *Field, v any) error {
	if err := s.checkConstraints(f, v); err != nil {
		return err
	}
	if msg := s.validateAt(f.ptr, v); msg != "" {
		return errors.New(msg)
	}
	return nil
}

// checkConstraints is the cheap part of CheckValue: the keywords kept in
// Field.Constraints, and null.
func (s *Schema) checkConstraints(f *Field, v any) error {
	if v == nil {
		if f.Nullable || f.Kind == JSON {
			return nil
		}
		return errors.New("cannot be null")
	}
	c := f.Constraints
	switch t := v.(type) {
	case string:
		n := utf8.RuneCountInString(t)
		if c.MinLength != nil && n < *c.MinLength {
			return fmt.Errorf("at least %d characters (now %d)", *c.MinLength, n)
		}
		if c.MaxLength != nil && n > *c.MaxLength {
			return fmt.Errorf("at most %d characters (now %d)", *c.MaxLength, n)
		}
		if c.Pattern != "" {
			switch ok, decided := s.pattern(c.Pattern).match(t); {
			case !decided:
				return &SlowPatternError{Pattern: c.Pattern}
			case !ok:
				return fmt.Errorf("must match the pattern %s", c.Pattern)
			}
		}
	case int64, json.Number:
		if err := checkRange(f, v); err != nil {
			return err
		}
	case []any:
		if c.MinItems != nil && len(t) < *c.MinItems {
			return fmt.Errorf("at least %d items (now %d)", *c.MinItems, len(t))
		}
		if c.MaxItems != nil && len(t) > *c.MaxItems {
			return fmt.Errorf("at most %d items (now %d)", *c.MaxItems, len(t))
		}
		if c.UniqueItems {
			for i := range t {
				for j := i + 1; j < len(t); j++ {
					if jsonEqual(t[i], t[j]) {
						return fmt.Errorf("items must be unique; %s appears twice", clip(MemberText(t[i])))
					}
				}
			}
		}
		if f.Items != nil {
			for i, e := range t {
				if err := s.checkConstraints(f.Items, e); err != nil {
					return fmt.Errorf("item %d (%s): %w", i+1, clip(MemberText(e)), err)
				}
			}
		}
	}
	return nil
}

func checkRange(f *Field, v any) error {
	r, ok := ratOf(v)
	if !ok {
		return nil
	}
	c := f.Constraints
	cmp := func(p *float64) int { return r.Cmp(new(big.Rat).SetFloat64(*p)) }
	if c.Minimum != nil && cmp(c.Minimum) < 0 {
		return fmt.Errorf("must be at least %s", fmtNum(*c.Minimum))
	}
	if c.Maximum != nil && cmp(c.Maximum) > 0 {
		return fmt.Errorf("must be at most %s", fmtNum(*c.Maximum))
	}
	if c.ExclusiveMinimum != nil && cmp(c.ExclusiveMinimum) <= 0 {
		return fmt.Errorf("must be greater than %s", fmtNum(*c.ExclusiveMinimum))
	}
	if c.ExclusiveMaximum != nil && cmp(c.ExclusiveMaximum) >= 0 {
		return fmt.Errorf("must be less than %s", fmtNum(*c.ExclusiveMaximum))
	}
	if c.MultipleOf != nil && *c.MultipleOf > 0 {
		// Exact decimal arithmetic: the keyword's text, not its float.
		m, _ := new(big.Rat).SetString(strconv.FormatFloat(*c.MultipleOf, 'g', -1, 64))
		if m != nil && !new(big.Rat).Quo(r, m).IsInt() {
			return fmt.Errorf("must be a multiple of %s", fmtNum(*c.MultipleOf))
		}
	}
	return nil
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

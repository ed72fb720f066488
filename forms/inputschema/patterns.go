package inputschema

import (
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

type pyRegexp struct {
	re   *regexp2.Regexp
	src  string
	slow *slowMatches // where a check that timed out is noted; nil: not noted
}

// SlowPatternMessage is what is said of a value whose pattern check does not
// finish in time (a pattern such as ^(a+)+$ backtracks exponentially). The
// server checks the answer with Python's re, which has no timeout, inside
// its event loop (src/prefect/server/api/flow_runs.py resume_flow_run,
// src/prefect/utilities/schema_tools/validation.py), so sending it may stall
// the server.
const SlowPatternMessage = "cannot check this value against the pattern locally (it takes too long); " +
	"the server may stall on it. Change the value, or send it anyway with " +
	"'unpause resume RUN --skip-slow-pattern-checks'"

// SlowPatternError is a value that could not be checked against its pattern
// in time: refused unless the operator chose to send it anyway.
type SlowPatternError struct{ Pattern string }

func (e *SlowPatternError) Error() string { return SlowPatternMessage }

// slowMatches remembers the (pattern, value) checks that timed out, so that
// the validator's plain "does not match" is reported as undecided.
type slowMatches struct {
	mu   sync.Mutex
	seen map[[2]string]bool
}

func (m *slowMatches) note(pattern, value string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen == nil {
		m.seen = map[[2]string]bool{}
	}
	m.seen[[2]string{pattern, value}] = true
}

// hasValue reports whether value timed out against any pattern (a key of
// patternProperties, which the validator reports as unexpected).
func (m *slowMatches) hasValue(value string) bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.seen {
		if k[1] == value {
			return true
		}
	}
	return false
}

func (m *slowMatches) has(pattern, value string) bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.seen[[2]string{pattern, value}]
}

// MatchString is the validator's view: a check that timed out does not
// match (noted as slow), so that it is never counted as valid.
func (r pyRegexp) MatchString(s string) bool {
	ok, decided := r.match(s)
	return ok && decided
}

// match runs the pattern; decided is false when it did not finish in time.
func (r pyRegexp) match(s string) (ok, decided bool) {
	if r.re == nil {
		return true, true
	}
	ok, err := r.re.MatchString(s)
	if err != nil {
		r.slow.note(r.src, s)
		return false, false
	}
	return ok, true
}

func (r pyRegexp) String() string { return r.src }

var namedGroupPy = regexp.MustCompile(`\(\?P<`)

var backrefPy = regexp.MustCompile(`\(\?P=(\w+)\)`)

// compilePattern compiles a pydantic pattern (Python syntax, which supports
// lookaround that Go's regexp does not). A pattern the engine cannot read
// matches everything: the server, which runs Python's re, stays the judge.
func compilePattern(p string) (pyRegexp, error) {
	src := namedGroupPy.ReplaceAllString(p, "(?<")
	src = backrefPy.ReplaceAllString(src, `\k<$1>`)
	src = strings.ReplaceAll(src, `\Z`, `\z`)
	re, err := regexp2.Compile(src, regexp2.None)
	if err != nil {
		return pyRegexp{src: p}, nil
	}
	re.MatchTimeout = 50 * time.Millisecond
	return pyRegexp{re: re, src: p}, nil
}

// pattern returns the compiled pattern, compiled once per schema.
func (s *Schema) pattern(p string) pyRegexp {
	s.mu.Lock()
	defer s.mu.Unlock()
	if re, ok := s.patterns[p]; ok {
		return re
	}
	re, _ := compilePattern(p)
	re.slow = s.slow
	if s.patterns == nil {
		s.patterns = map[string]pyRegexp{}
	}
	s.patterns[p] = re
	return re
}

// regexpEngine compiles the validator's patterns; their timeouts are noted
// in slow.
func regexpEngine(slow *slowMatches) func(string) (jsonschema.Regexp, error) {
	return func(p string) (jsonschema.Regexp, error) {
		r, err := compilePattern(p)
		if err != nil {
			return nil, err
		}
		r.slow = slow
		return r, nil
	}
}

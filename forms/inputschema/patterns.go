package inputschema

import (
	"regexp"
	"strings"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

type pyRegexp struct {
	re  *regexp2.Regexp
	src string
}

func (r pyRegexp) MatchString(s string) bool {
	if r.re == nil {
		return true
	}
	ok, err := r.re.MatchString(s)
	// A timeout means a pathological pattern: leave the verdict to the server.
	return err != nil || ok
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
	if s.patterns == nil {
		s.patterns = map[string]pyRegexp{}
	}
	s.patterns[p] = re
	return re
}

func pyRegexpEngine(p string) (jsonschema.Regexp, error) {
	r, err := compilePattern(p)
	if err != nil {
		return nil, err
	}
	return r, nil
}

package answerfile

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/unpause-dev/unpause/termsafe"
)

// The error block WithErrors puts at the top of the file, between these
// two lines; the next round replaces it.
const (
	errorsStart = "# --- unpause could not use this answer: fix these problems, then save and quit again ---"
	errorsEnd   = "# --- end of problems (this block is rewritten each round) ---"
	errorPrefix = "# ERROR"
)

// WithErrors returns data, every byte the operator wrote kept, with errs as
// comment lines at the top ("# ERROR line 7: age: must be at least 0") in
// place of any block an earlier round put there. Line numbers in errs are
// those of data; the ones written are those of the returned text.
func WithErrors(data []byte, errs []Error) []byte {
	body, removed := stripErrorBlock(data)
	if len(errs) == 0 {
		return body
	}
	added := len(errs) + 2
	var b bytes.Buffer
	b.WriteString(errorsStart + "\n")
	for _, e := range errs {
		b.WriteString(errorPrefix)
		if e.Line > removed {
			b.WriteString(" line " + strconv.Itoa(e.Line-removed+added))
		}
		b.WriteString(": " + termsafe.Line(e.FieldError.Error()) + "\n")
	}
	b.WriteString(errorsEnd + "\n")
	b.Write(body)
	return b.Bytes()
}

// stripErrorBlock removes a block WithErrors wrote at the top (the start
// line, the error lines, the end line if still there) and says how many
// lines it took.
func stripErrorBlock(data []byte) ([]byte, int) {
	rest := data
	n := 0
	for i := 0; len(rest) > 0; i++ {
		line, after, _ := bytes.Cut(rest, []byte("\n"))
		l := strings.TrimSuffix(string(line), "\r")
		switch {
		case i == 0 && l != errorsStart:
			return data, 0
		case i == 0 || strings.HasPrefix(l, errorPrefix):
		case l == errorsEnd:
			return after, n + 1
		default:
			return rest, n
		}
		rest, n = after, n+1
	}
	return rest, n
}

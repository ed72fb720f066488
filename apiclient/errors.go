package apiclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// ErrorKind classifies an *Error so callers can pick an exit code or a
// message without string matching.
type ErrorKind int

const (
	ErrOther      ErrorKind = iota
	ErrNotFound             // HTTP 404, or no run matches
	ErrAuth                 // HTTP 401/403
	ErrConnection           // server unreachable, timeout, connection dropped
	ErrServer               // HTTP 5xx or a response that makes no sense
	ErrBadRequest           // other HTTP 4xx (400, 409, 422, ...) or invalid local input
	ErrAmbiguous            // a run name matches several runs
	ErrConfig               // bad Options (URL, CA file)
	// ErrUsage: the caller's argument cannot be used as given, such as a
	// run link to another server or workspace, or a link to no flow run.
	ErrUsage
	// ErrUnknownOutcome: a resume or cancel was sent, no definite answer
	// came back, and the run does not show its effect (yet): it may still
	// land. Never safe to retry blindly.
	ErrUnknownOutcome
	// ErrNoStream: the server does not offer the event stream (Prefect 2.x
	// without PREFECT_EXPERIMENTAL_EVENTS, a proxy that refuses websockets).
	// Callers poll instead; it is not a failure to report.
	ErrNoStream
)

func (k ErrorKind) String() string {
	switch k {
	case ErrNotFound:
		return "not found"
	case ErrAuth:
		return "authentication"
	case ErrConnection:
		return "connection"
	case ErrServer:
		return "server"
	case ErrBadRequest:
		return "bad request"
	case ErrAmbiguous:
		return "ambiguous"
	case ErrConfig:
		return "configuration"
	case ErrUsage:
		return "usage"
	case ErrUnknownOutcome:
		return "unknown outcome"
	case ErrNoStream:
		return "no event stream"
	default:
		return "other"
	}
}

// Error is the only error type the package returns (context cancellation is
// wrapped in it too, with Err set to the context error). It never holds
// credentials: URL has no user info or query, and Reason is scrubbed of the
// client's secrets.
type Error struct {
	Op         string // what the caller asked for, e.g. "list paused runs"
	Method     string // HTTP method, "" when no request was involved
	URL        string // scheme://host/path of the request
	StatusCode int    // HTTP status, 0 when there was no response
	Reason     string // the server's reason (unsanitised) or a description of the failure
	Kind       ErrorKind
	Err        error // underlying cause, if any

	// sent is false when the request provably never reached the server
	// (dial or DNS failure); mutating calls use it to decide whether the
	// outcome is ambiguous.
	sent bool
	// unchanged is set when a resume or cancel failed and reading the run
	// back showed it still paused in the same state: nothing took effect.
	unchanged bool
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Method != "" || e.URL != "" {
		b.WriteString(": ")
		b.WriteString(strings.TrimSpace(e.Method + " " + e.URL))
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.StatusCode)
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" " + t)
		}
	}
	switch {
	case e.Reason != "":
		b.WriteString(": " + e.Reason)
	case e.Err != nil:
		b.WriteString(": " + e.Err.Error())
	}
	if e.Kind == ErrAuth {
		b.WriteString(" (check PREFECT_API_KEY for Prefect Cloud or PREFECT_API_AUTH_STRING for a self-hosted server)")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of the first *Error in err's chain, or ErrOther.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ErrOther
}

// IsNotFound reports whether err is an *Error of Kind ErrNotFound.
func IsNotFound(err error) bool { return err != nil && KindOf(err) == ErrNotFound }

// kindForStatus maps an HTTP error status to a Kind.
func kindForStatus(code int) ErrorKind {
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return ErrAuth
	case code == http.StatusNotFound:
		return ErrNotFound
	case code >= 500:
		return ErrServer
	case code >= 400:
		return ErrBadRequest
	default:
		return ErrOther
	}
}

// notPrefect is said of a body that is an HTML page, not Prefect's JSON.
const notPrefect = "the server answered with an HTML page, not Prefect's API (a proxy or a login page in between? check PREFECT_API_URL)"

// maxReasonLen bounds how much of an error body ends up in a message.
const maxReasonLen = 500

// parseReason extracts a human-readable reason from an error body in any of
// the shapes Prefect and FastAPI produce (FastAPI's HTTPException and
// RequestValidationError handlers; src/prefect/server/api/server.py):
//
//	{"detail": "..."}                                  HTTPException
//	{"detail": [{"loc": [...], "msg": "..."}]}          FastAPI validation
//	{"exception_message": "...", "exception_detail": [...]}  Prefect 422/500/401
//	{"message": "..."}                                  /ready
//	"..."                                               bare JSON string
//
// Anything else (plain text, a proxy's HTML page) is reduced to one short
// line, or "" for HTML. It never panics on arbitrary input.
func parseReason(body []byte) string {
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" {
		return ""
	}
	var v any
	if err := json.Unmarshal([]byte(trimmed), &v); err != nil {
		if strings.HasPrefix(trimmed, "<") { // an HTML page: its markup says nothing useful
			return notPrefect
		}
		return clip(trimmed)
	}
	switch t := v.(type) {
	case string:
		return clip(t)
	case map[string]any:
		var parts []string
		if s, ok := t["exception_message"].(string); ok && s != "" {
			parts = append(parts, s)
		}
		if d := validationMessages(t["exception_detail"]); d != "" {
			parts = append(parts, d)
		}
		switch d := t["detail"].(type) {
		case string:
			if d != "" {
				parts = append(parts, d)
			}
		case []any:
			if m := validationMessages(d); m != "" {
				parts = append(parts, m)
			}
		case nil:
		default:
			if raw, err := json.Marshal(d); err == nil {
				parts = append(parts, string(raw))
			}
		}
		if len(parts) == 0 {
			if s, ok := t["message"].(string); ok {
				parts = append(parts, s)
			}
		}
		return clip(strings.Join(parts, ": "))
	default:
		return clip(trimmed)
	}
}

// validationMessages formats a pydantic/FastAPI error list
// ([{"loc":["body","limit"],"msg":"..."}]) as "limit: msg; other: msg".
func validationMessages(v any) string {
	list, ok := v.([]any)
	if !ok {
		return ""
	}
	var msgs []string
	for _, item := range list {
		switch it := item.(type) {
		case string:
			msgs = append(msgs, it)
		case map[string]any:
			msg, _ := it["msg"].(string)
			if msg == "" {
				continue
			}
			var loc []string
			if l, ok := it["loc"].([]any); ok {
				for i, p := range l {
					if i == 0 && p == "body" { // FastAPI prefixes every body field with "body"
						continue
					}
					loc = append(loc, fmt.Sprint(p))
				}
			}
			if len(loc) > 0 {
				msg = strings.Join(loc, ".") + ": " + msg
			}
			msgs = append(msgs, msg)
		}
	}
	return strings.Join(msgs, "; ")
}

// clip makes s one line and at most maxReasonLen bytes, cut on a rune boundary.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= maxReasonLen {
		return s
	}
	cut := maxReasonLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

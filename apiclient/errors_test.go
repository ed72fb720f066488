package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// Body shapes FastAPI and Prefect produce, and the 422 limit check of
// src/prefect/server/schemas/filters.py / sorting.py.
func TestParseReason(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"detail":"Flow run not found"}`, "Flow run not found"},
		{`{"detail":"Invalid limit: must be less than or equal to 200."}`, "Invalid limit: must be less than or equal to 200."},
		{
			`{"exception_message":"Invalid request received.","exception_detail":[{"type":"extra_forbidden","loc":["body","flow_runs","bogus"],"msg":"Extra inputs are not permitted","input":1}],"request_body":{"flow_runs":{"bogus":1}}}`,
			"Invalid request received.: flow_runs.bogus: Extra inputs are not permitted",
		},
		{
			`{"exception_message":"Invalid request received.","exception_detail":[{"loc":["body","limit"],"msg":"Input should be greater than or equal to 0"},{"loc":["query","x",0],"msg":"bad"}]}`,
			"Invalid request received.: limit: Input should be greater than or equal to 0; query.x.0: bad",
		},
		{`{"detail":[{"loc":["path","id"],"msg":"Input should be a valid UUID","type":"uuid_parsing"}]}`, "path.id: Input should be a valid UUID"},
		{`{"exception_message":"Unauthorized"}`, "Unauthorized"},
		{`{"exception_message":"Internal Server Error"}`, "Internal Server Error"},
		{`{"detail":"Data integrity conflict. See server logs for details."}`, "Data integrity conflict. See server logs for details."},
		{`{"detail":"Invalid authentication credentials"}`, "Invalid authentication credentials"},
		{`{"message":"Database is not available"}`, "Database is not available"},
		{`{"detail":{"code":7}}`, `{"code":7}`},
		{`"CSRF protection is disabled."`, "CSRF protection is disabled."},
		{`<html><body><h1>502 Bad Gateway</h1></body></html>`, notPrefect},
		{"upstream connect error\n or disconnect", "upstream connect error or disconnect"},
		{``, ""},
		{`   `, ""},
		{`null`, "null"},
		{`{}`, ""},
		{`[1,2]`, "[1,2]"},
	} {
		if got := parseReason([]byte(tc.body)); got != tc.want {
			t.Errorf("parseReason(%s)\n got  %q\n want %q", tc.body, got, tc.want)
		}
	}
	long := parseReason([]byte(`{"detail":"` + strings.Repeat("é", 1000) + `"}`))
	if len(long) > maxReasonLen+len("…") || !utf8.ValidString(long) || !strings.HasSuffix(long, "…") {
		t.Errorf("long reason not clipped cleanly: %d bytes", len(long))
	}
}

func FuzzParseReason(f *testing.F) {
	for _, seed := range []string{
		`{"detail":"x"}`, `{"detail":[{"loc":["body",1],"msg":"m"}]}`, `{"exception_detail":[{"loc":null,"msg":3}]}`,
		`{"exception_message":"Invalid request received.","exception_detail":[{"loc":["body","limit"],"msg":"m"}]}`,
		`"s"`, `<html>`, `[`, "\xff\xfe", `{"detail":{"a":[1,{"b":null}]}}`, `{"message":1}`, `{"exception_detail":"x"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := parseReason(body)
		if len(got) > maxReasonLen+len("…") {
			t.Fatalf("reason of %d bytes", len(got))
		}
		if strings.ContainsAny(got, "\n\r\t") {
			t.Fatalf("multi-line reason %q", got)
		}
		e := &Error{Op: "op", Method: "GET", URL: "http://x/api/y", StatusCode: 400, Reason: got, Kind: ErrBadRequest}
		_ = e.Error()
	})
}

func TestErrorMessageAndKinds(t *testing.T) {
	e := &Error{
		Op: "list paused runs", Method: "POST", URL: "http://127.0.0.1:4200/api/flow_runs/filter",
		StatusCode: 422, Reason: "Invalid request received.: flow_runs.bogus: Extra inputs are not permitted", Kind: ErrBadRequest,
	}
	want := "list paused runs: POST http://127.0.0.1:4200/api/flow_runs/filter: HTTP 422 Unprocessable Entity: " +
		"Invalid request received.: flow_runs.bogus: Extra inputs are not permitted"
	if e.Error() != want {
		t.Errorf("Error()\n got  %q\n want %q", e.Error(), want)
	}
	wrapped := fmt.Errorf("refresh: %w", &Error{Op: "get run", Kind: ErrAuth, StatusCode: 401, Reason: "Unauthorized"})
	if KindOf(wrapped) != ErrAuth || KindOf(errors.New("x")) != ErrOther || KindOf(nil) != ErrOther || IsNotFound(nil) {
		t.Error("KindOf through wrapping")
	}
	if !strings.Contains(wrapped.Error(), "check PREFECT_API_KEY") {
		t.Errorf("auth hint missing: %q", wrapped)
	}
	inner := context.Canceled
	ce := &Error{Op: "x", Err: inner}
	if !errors.Is(ce, context.Canceled) || ce.Error() != "x: context canceled" {
		t.Errorf("Unwrap/Error: %q", ce.Error())
	}
	for code, kind := range map[int]ErrorKind{
		401: ErrAuth, 403: ErrAuth, 404: ErrNotFound, 409: ErrBadRequest,
		422: ErrBadRequest, 400: ErrBadRequest, 500: ErrServer, 503: ErrServer,
	} {
		if kindForStatus(code) != kind {
			t.Errorf("kindForStatus(%d) = %v, want %v", code, kindForStatus(code), kind)
		}
	}
	for k := ErrOther; k <= ErrConfig; k++ {
		if k.String() == "" || (k != ErrOther && k.String() == "other") {
			t.Errorf("ErrorKind(%d).String() = %q", k, k.String())
		}
	}
}

// A secret in an error body is scrubbed before the body is cut to a short
// reason, whatever its offset around the cut: no part of it leaks.
func TestSecretScrubbedBeforeCut(t *testing.T) {
	const secret = "sk-test-SECRET1"
	c, err := New(Options{BaseURL: "http://127.0.0.1:9/api", APIKey: secret})
	if err != nil {
		t.Fatal(err)
	}
	for off := maxReasonLen - len(secret) - 2; off <= maxReasonLen+2; off++ {
		body := strings.Repeat("x", off) + "key=" + secret + " tail"
		e := c.statusError(request{op: "test", method: "GET", path: "/x"}, &response{status: 500, body: []byte(body)})
		for n := 4; n <= len(secret); n++ {
			if strings.Contains(e.Reason, secret[:n]) {
				t.Fatalf("offset %d: reason leaks %q of the secret: ...%s", off, secret[:n], e.Reason[max(0, len(e.Reason)-40):])
			}
		}
	}
}

// 429: a connection-class failure (exit 7) that says when to try again, and
// says so when the server asks for longer than unpause waits.
func TestRateLimitedSaysWhen(t *testing.T) {
	c, _ := New(Options{BaseURL: "http://127.0.0.1:9/api"})
	for _, c2 := range []struct {
		header, want string
	}{
		{"", "try again in a minute"},
		{"30", "retry after 30s"},
		{"120", "retry after 2m0s (longer than unpause waits, 1m0s): try again then"},
	} {
		h := http.Header{}
		if c2.header != "" {
			h.Set("Retry-After", c2.header)
		}
		e := c.statusError(request{op: "test", method: "POST", path: "/x"}, &response{status: 429, body: []byte(`{"detail":"Too many requests"}`), header: h})
		if e.Kind != ErrServer || !strings.Contains(e.Reason, c2.want) || !strings.Contains(e.Reason, "Too many requests") {
			t.Errorf("Retry-After %q: kind %v reason %q, want server and %q", c2.header, e.Kind, e.Reason, c2.want)
		}
	}
}

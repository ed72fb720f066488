package apiclient

import (
	"context"
	"errors"
	"fmt"
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
		{`<html><body><h1>502 Bad Gateway</h1></body></html>`, ""},
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

package apiclient

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	maxBodyBytes  = 32 << 20 // a response larger than this is cut off
	backoffBase   = 500 * time.Millisecond
	backoffMax    = 10 * time.Second
	maxRetryAfter = 60 * time.Second // a longer Retry-After is reported, not waited for
)

// request is one logical API call; do() may send it several times.
type request struct {
	op     string
	method string
	path   string     // relative to the base URL, already escaped
	query  url.Values // optional
	body   any        // marshalled to JSON; nil means no body
	// read marks calls without side effects (GETs and the filter POSTs): only
	// those are retried on transient failures.
	read bool
}

// response is a fully read HTTP response with a 2xx status.
type response struct {
	status int
	header http.Header
	body   []byte
}

// counterKey carries a *int that do() increments per HTTP request sent;
// ListPaused uses it for ListStats.
type counterKey struct{}

func withCounter(ctx context.Context, n *int) context.Context {
	return context.WithValue(ctx, counterKey{}, n)
}

func countRequest(ctx context.Context) {
	if n, ok := ctx.Value(counterKey{}).(*int); ok {
		*n++
	}
}

// do sends r, retrying reads on 408/429/502/503 and transient connection
// errors, and refreshing the CSRF token once on a CSRF 403. Any non-2xx
// status becomes an *Error.
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	var payload []byte
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, &Error{
				Op: r.op, Method: r.method, URL: c.display + r.path, Kind: ErrBadRequest,
				Reason: "cannot encode request body: " + err.Error(), Err: err,
			}
		}
		payload = b
	}
	mutating := r.method != http.MethodGet && r.method != http.MethodHead
	csrfRetried := false
	for attempt := 0; ; attempt++ {
		resp, err := c.send(ctx, r, payload, mutating)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind != ErrConnection || ctx.Err() != nil {
				return nil, err
			}
			// A refused dial before any successful contact means the server
			// is not there at all; waiting would only delay the message.
			if r.read && attempt < c.maxRetries && (e.sent || c.connected.Load()) && !isPermanentNetError(e.Err) {
				if serr := c.sleep(ctx, backoff(attempt)); serr != nil {
					return nil, c.ctxError(r, serr)
				}
				continue
			}
			return nil, err
		}
		if resp.status >= 200 && resp.status < 300 {
			return resp, nil
		}
		if resp.status == http.StatusForbidden && mutating && !csrfRetried && !c.isCloud &&
			bytes.Contains(resp.body, []byte("CSRF")) {
			// Token expired server-side, or the server turned CSRF on since we
			// looked: the middleware rejected the request before any handler
			// ran, so sending it again is safe even for resume.
			csrfRetried = true
			c.csrf.require()
			attempt--
			continue
		}
		if r.read && attempt < c.maxRetries && retryableStatus(resp.status) {
			wait, ok := retryAfter(resp.header)
			if !ok {
				wait = backoff(attempt)
			}
			if wait <= maxRetryAfter {
				if serr := c.sleep(ctx, wait); serr != nil {
					return nil, c.ctxError(r, serr)
				}
				continue
			}
		}
		return nil, c.statusError(r, resp)
	}
}

// send performs one HTTP exchange and reads the whole body.
func (c *Client) send(ctx context.Context, r request, payload []byte, mutating bool) (*response, error) {
	if err := ctx.Err(); err != nil {
		return nil, c.ctxError(r, err)
	}
	u := c.baseStr + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var csrfToken string
	if mutating && !c.isCloud {
		tok, err := c.csrfToken(ctx, r.op)
		if err != nil {
			return nil, err
		}
		csrfToken = tok
	}

	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload) // sets ContentLength: Cloud answers 411 to chunked bodies
	}
	req, err := http.NewRequestWithContext(rctx, r.method, u, body)
	if err != nil {
		return nil, &Error{
			Op: r.op, Method: r.method, URL: c.display + r.path, Kind: ErrConfig,
			Reason: "cannot build request: " + c.scrub(err.Error()),
		}
	}
	if payload == nil && mutating {
		req.ContentLength = 0
		req.Body = http.NoBody
	}
	h := req.Header
	if c.authHeader != "" {
		h.Set("Authorization", c.authHeader)
	}
	h.Set("X-PREFECT-API-VERSION", APIVersion)
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	h.Set("User-Agent", c.userAgent)
	if csrfToken != "" {
		h.Set("Prefect-Csrf-Token", csrfToken)
		h.Set("Prefect-Csrf-Client", c.csrf.clientID)
	}

	countRequest(ctx)
	hr, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, c.ctxError(r, ctx.Err())
		}
		return nil, c.transportError(r, err)
	}
	defer hr.Body.Close()
	c.connected.Store(true)
	data, err := io.ReadAll(io.LimitReader(hr.Body, maxBodyBytes))
	if err != nil {
		if ctx.Err() != nil {
			return nil, c.ctxError(r, ctx.Err())
		}
		return nil, c.transportError(r, err)
	}
	return &response{status: hr.StatusCode, header: hr.Header, body: data}, nil
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable:
		return true
	}
	return false
}

// backoff is 0.5s·2^attempt capped at 10s, with ±20% jitter.
func backoff(attempt int) time.Duration {
	d := float64(backoffBase) * math.Pow(2, float64(attempt))
	if d > float64(backoffMax) {
		d = float64(backoffMax)
	}
	d *= 1 + 0.2*(2*mrand.Float64()-1)
	return time.Duration(d)
}

// retryAfter reads Retry-After as seconds or as an HTTP date.
func retryAfter(h http.Header) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 && !math.IsInf(secs, 0) {
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// statusError turns a non-2xx response into an *Error.
func (c *Client) statusError(r request, resp *response) *Error {
	// Secrets are scrubbed from the whole body before it is cut to a short
	// reason: a secret straddling the cut would otherwise leak in part.
	reason := parseReason([]byte(c.scrub(string(resp.body))))
	kind := kindForStatus(resp.status)
	if resp.status == http.StatusTooManyRequests {
		kind = ErrServer // the server is busy: a connection-class failure, exit 7
		when := "try again in a minute"
		if d, ok := retryAfter(resp.header); ok {
			when = fmt.Sprintf("it asks to retry after %s", d.Round(time.Second))
			if d > maxRetryAfter {
				when += fmt.Sprintf(" (longer than unpause waits, %s): try again then", maxRetryAfter)
			}
		}
		reason = strings.TrimPrefix(reason+"; the server is rate limiting requests: "+when, "; ")
	}
	return &Error{
		Op: r.op, Method: r.method, URL: c.display + r.path, StatusCode: resp.status,
		Reason: reason, Kind: kind, sent: true,
	}
}

func (c *Client) ctxError(r request, err error) *Error {
	return &Error{
		Op: r.op, Method: r.method, URL: c.display + r.path, Kind: ErrOther, Err: err,
		Reason: "interrupted: " + err.Error(),
	}
}

// transportError describes a failed exchange: which server could not be
// reached and what to check.
func (c *Client) transportError(r request, err error) *Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the URL, possibly with user info
	}
	e := &Error{Op: r.op, Method: r.method, URL: c.display + r.path, Kind: ErrConnection, Err: err, sent: true}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		e.sent = false
		e.Reason = fmt.Sprintf("could not reach %s: host %q not found; check PREFECT_API_URL", c.display, dnsErr.Name)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		e.sent = false
		cause := "connection failed"
		if errors.Is(err, syscall.ECONNREFUSED) {
			cause = "connection refused"
		} else if opErr.Timeout() {
			cause = "connect timed out"
		}
		e.Reason = fmt.Sprintf("could not reach %s (%s); check PREFECT_API_URL and that the Prefect server is running", c.display, cause)
	case isCertError(err):
		e.sent = false
		e.Reason = fmt.Sprintf("TLS certificate of %s not trusted (%s); set PREFECT_API_SSL_CERT_FILE to its CA bundle, "+
			"or PREFECT_API_TLS_INSECURE_SKIP_VERIFY=true to skip verification", c.display, c.scrub(err.Error()))
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		e.Reason = fmt.Sprintf("no answer from %s within %s; check PREFECT_API_URL and that the Prefect server is running", c.display, c.timeout)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET):
		e.Reason = fmt.Sprintf("connection to %s was closed before the answer arrived", c.display)
	default:
		e.Reason = fmt.Sprintf("could not talk to %s (%s); check PREFECT_API_URL and that the Prefect server is running", c.display, c.scrub(err.Error()))
	}
	if c.containsSecret(err.Error()) {
		e.Err = errors.New(c.scrub(err.Error()))
	}
	return e
}

// isCertError reports the certificate errors crypto/x509 and crypto/tls return.
func isCertError(err error) bool {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var cv *tls.CertificateVerificationError
	return errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &cv)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isPermanentNetError reports errors a retry cannot fix.
func isPermanentNetError(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return true
	}
	return isCertError(err)
}

// scrub replaces the client's secrets in s.
func (c *Client) scrub(s string) string {
	for _, sec := range c.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

func (c *Client) containsSecret(s string) bool {
	for _, sec := range c.secrets {
		if sec != "" && strings.Contains(s, sec) {
			return true
		}
	}
	return false
}

// ---- CSRF (self-hosted only: src/prefect/server/api/csrf_token.py, the
// CsrfMiddleware in src/prefect/server/api/middleware.py, and the client side in
// src/prefect/client/base.py) ----

type csrfMode int

const (
	csrfUnknown csrfMode = iota
	csrfOff
	csrfOn
)

type csrfState struct {
	mu       sync.Mutex
	clientID string // uuid4, fixed for the Client's lifetime
	mode     csrfMode
	token    string
	expires  time.Time
}

// require records that the server enforces CSRF (it refused a request
// without a valid token): the next mutating request fetches a fresh token.
func (s *csrfState) require() {
	s.mu.Lock()
	s.mode, s.token, s.expires = csrfOn, "", time.Time{}
	s.mu.Unlock()
}

// csrfExpiryMargin refreshes a token a little before the server drops it.
const csrfExpiryMargin = 30 * time.Second

// csrfToken returns the token to send, or "" when the server does not
// enforce CSRF or is not known to. CSRF protection is off by default on
// Prefect servers, so a token is only fetched once the server refused a
// request for lack of one (a 403 from the middleware, before any handler
// ran, so sending that request again is safe): most runs of unpause save
// the round trip. Holding the lock while fetching keeps concurrent calls
// from fetching several tokens.
func (c *Client) csrfToken(ctx context.Context, op string) (string, error) {
	s := &c.csrf
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.mode {
	case csrfOff, csrfUnknown:
		return "", nil
	case csrfOn:
		if s.token != "" && (s.expires.IsZero() || time.Now().Add(csrfExpiryMargin).Before(s.expires)) {
			return s.token, nil
		}
	}
	resp, err := c.do(ctx, request{
		op: op, method: http.MethodGet, path: "/csrf-token",
		query: url.Values{"client": {s.clientID}}, read: true,
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			// 422 "CSRF protection is disabled." or an older server without
			// the route: the server does not enforce CSRF.
			if e.StatusCode == http.StatusNotFound ||
				(e.StatusCode == http.StatusUnprocessableEntity && strings.Contains(e.Reason, "CSRF protection is disabled")) {
				s.mode = csrfOff
				return "", nil
			}
		}
		return "", err
	}
	var tok struct {
		Token      string    `json:"token"`
		Expiration time.Time `json:"expiration"`
	}
	if err := json.Unmarshal(resp.body, &tok); err != nil || tok.Token == "" {
		return "", &Error{
			Op: op, Method: http.MethodGet, URL: c.display + "/csrf-token",
			StatusCode: resp.status, Kind: ErrServer, Reason: "the server's CSRF token response has no token",
		}
	}
	s.mode, s.token, s.expires = csrfOn, tok.Token, tok.Expiration
	return s.token, nil
}

// newUUID4 returns a random RFC 4122 version 4 UUID.
func newUUID4() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// isUUID reports whether s is a UUID in canonical 8-4-4-4-12 form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch i {
		case 8, 13, 18, 23:
			if ch != '-' {
				return false
			}
		default:
			if !('0' <= ch && ch <= '9' || 'a' <= ch && ch <= 'f' || 'A' <= ch && ch <= 'F') {
				return false
			}
		}
	}
	return true
}

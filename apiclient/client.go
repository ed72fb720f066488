// Package apiclient is unpause's HTTP client for the Prefect REST API: it
// lists paused and suspended flow runs, reads what they ask for, and resumes
// or cancels them. It holds no UI code; every string it returns is untrusted
// and must be sanitised before display.
package apiclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// APIVersion is the X-PREFECT-API-VERSION the client announces; the server
// rejects versions below 0.8.0 and 0.8.4 is what Prefect 2.x and 3.x send.
const APIVersion = "0.8.4"

const (
	defaultTimeout    = 30 * time.Second
	defaultMaxRetries = 4
	defaultPageLimit  = 200 // PREFECT_SERVER_API_DEFAULT_LIMIT's default, also its maximum
	cloudAPIHost      = "api.prefect.cloud"
	cloudAppHost      = "app.prefect.cloud"
)

// Options configures a Client.
type Options struct {
	BaseURL            string        // e.g. http://127.0.0.1:4200/api (trailing / trimmed)
	APIKey             string        // Cloud: Authorization: Bearer
	AuthString         string        // self-hosted: Authorization: Basic base64(AuthString); wins over APIKey
	CAFile             string        // extra CA bundle (PEM) added to the system pool
	InsecureSkipVerify bool          // skip TLS certificate verification
	Timeout            time.Duration // per request; default 30s
	UserAgent          string        // "unpause/<version>"
	MaxRetries         int           // reads only; default 4; negative means none
	HTTPClient         *http.Client  // optional (tests); CAFile and InsecureSkipVerify are then ignored
	// CancelSettle is how long Cancel waits for a deployment's runner to stop
	// the flow's process; default 30s.
	CancelSettle time.Duration
	// Identity is who acts through this client (config identity, e.g.
	// "alice@ops-1"). With one, every confirmed resume and cancel is followed
	// by an answered-by record on the run (see record.go); "" writes none.
	Identity string
	// Version is unpause's version and Host the machine's name, kept in
	// those records.
	Version, Host string
}

// Client talks to one Prefect API. It is safe for concurrent use.
// WithIdentity gives a copy acting for another identity that shares the
// connection, caches and server checks.
type Client struct {
	*core
	identity string
}

// core is what every identity's copy of a Client shares.
type core struct {
	version, host string

	base       *url.URL // parsed BaseURL, trailing "/" trimmed
	baseStr    string   // base as a string, user info included (used for requests)
	display    string   // base without user info (for messages and BaseURL)
	isCloud    bool
	http       *http.Client
	authHeader string
	userAgent  string
	timeout    time.Duration
	maxRetries int
	// cancelSettle: see Options.CancelSettle.
	cancelSettle time.Duration
	secrets      []string // strings scrubbed from every error reason
	// streamToken is the event stream's auth token: the raw auth string or
	// the API key (src/prefect/events/clients.py PrefectEventSubscriber).
	streamToken string

	// sleep waits for d or until ctx ends; tests replace it so they never wait.
	sleep func(ctx context.Context, d time.Duration) error

	// connected turns true after the first HTTP response: from then on a
	// failed dial is treated as a transient blip worth retrying on reads,
	// as the Python client does.
	connected atomic.Bool

	// pageLimit is the page size for filter calls, lowered when the server
	// says its limit is smaller (PREFECT_SERVER_API_DEFAULT_LIMIT).
	pageLimit atomic.Int64

	csrf csrfState

	// The server's version is checked once (checkServer).
	versionMu      sync.Mutex
	versionChecked bool
	versionErr     error

	namesMu         sync.Mutex
	flowNames       map[string]string // flow id -> name ("" when the flow is gone)
	deploymentNames map[string]string // deployment id -> name
}

// New validates opts and returns a Client. URL mistakes get an *Error of Kind
// ErrConfig whose message says how to fix them.
func New(opts Options) (*Client, error) {
	base, err := checkBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{identity: opts.Identity, core: &core{
		version:         opts.Version,
		host:            opts.Host,
		base:            base,
		baseStr:         base.String(),
		isCloud:         strings.EqualFold(base.Hostname(), cloudAPIHost),
		userAgent:       opts.UserAgent,
		timeout:         opts.Timeout,
		maxRetries:      opts.MaxRetries,
		sleep:           sleepCtx,
		flowNames:       map[string]string{},
		deploymentNames: map[string]string{},
	}}
	c.display = redactURL(base)
	if c.userAgent == "" {
		c.userAgent = "unpause"
	}
	if c.timeout <= 0 {
		c.timeout = defaultTimeout
	}
	c.cancelSettle = opts.CancelSettle
	if c.cancelSettle <= 0 {
		c.cancelSettle = defaultCancelSettle
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = defaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	c.pageLimit.Store(defaultPageLimit)

	if opts.AuthString != "" {
		token := base64.StdEncoding.EncodeToString([]byte(opts.AuthString))
		c.authHeader = "Basic " + token
		c.secrets = append(c.secrets, opts.AuthString, token)
		c.streamToken = opts.AuthString
	}
	if opts.APIKey != "" {
		if c.authHeader == "" {
			c.authHeader = "Bearer " + opts.APIKey
		}
		c.secrets = append(c.secrets, opts.APIKey)
		if c.streamToken == "" {
			c.streamToken = opts.APIKey
		}
	}
	if base.User != nil {
		if p, ok := base.User.Password(); ok && p != "" {
			c.secrets = append(c.secrets, p)
		}
	}

	if opts.HTTPClient != nil {
		c.http = opts.HTTPClient
	} else {
		hc, err := newHTTPClient(opts)
		if err != nil {
			return nil, err
		}
		c.http = hc
	}
	c.csrf.clientID = newUUID4()
	return c, nil
}

// WithIdentity returns a copy of c that acts for id: it shares c's
// transport, caches and server checks, so it costs no new connection (one
// client per user of a shared front end). id "" writes no answered-by records.
func (c *Client) WithIdentity(id string) *Client {
	return &Client{core: c.core, identity: id}
}

// Identity is who the client acts for ("" when nobody is named).
func (c *Client) Identity() string { return c.identity }

// BaseURL is the API URL the client uses, without any user info.
func (c *Client) BaseURL() string { return c.display }

// RunURL links to the run in Prefect's web UI (no credentials in it).
func (c *Client) RunURL(runID string) string {
	id := url.PathEscape(runID)
	if c.isCloud {
		if acct, ws, ok := cloudIDs(c.base.Path); ok {
			return "https://" + cloudAppHost + "/account/" + acct + "/workspace/" + ws + "/runs/flow-run/" + id
		}
		return "https://" + cloudAppHost + "/runs/flow-run/" + id
	}
	u := *c.base
	u.User = nil
	u.RawQuery, u.Fragment, u.RawPath = "", "", ""
	u.Path = strings.TrimSuffix(u.Path, "/api")
	return strings.TrimSuffix(u.String(), "/") + "/runs/flow-run/" + id
}

// cloudIDs extracts account and workspace ids from
// /api/accounts/{a}/workspaces/{w}.
func cloudIDs(path string) (acct, ws string, ok bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) >= 5 && parts[0] == "api" && parts[1] == "accounts" && parts[3] == "workspaces" &&
		parts[2] != "" && parts[4] != "" {
		return parts[2], parts[4], true
	}
	return "", "", false
}

// uiRoutes are first path segments of Prefect's web UI: a URL starting with
// one of them was copied from the browser instead of being the API URL.
var uiRoutes = map[string]bool{
	"dashboard": true, "runs": true, "flows": true, "deployments": true, "work-pools": true,
	"blocks": true, "variables": true, "automations": true, "events": true, "settings": true,
	"concurrency-limits": true, "notifications": true, "flow-runs": true,
}

func configError(format string, args ...any) *Error {
	return &Error{Op: "check Prefect API URL", Kind: ErrConfig, Reason: fmt.Sprintf(format, args...)}
}

// checkBaseURL applies the checks Prefect's own settings warn about
// (settings/models/root.py::_warn_on_misconfigured_api_url), as errors.
func checkBaseURL(raw string) (*url.URL, error) {
	s := strings.TrimRight(strings.TrimSpace(raw), "/")
	if s == "" {
		return nil, configError("no Prefect API URL is set: set PREFECT_API_URL, e.g. http://127.0.0.1:4200/api for a local server " +
			"or https://api.prefect.cloud/api/accounts/<account-id>/workspaces/<workspace-id> for Prefect Cloud")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, configError("PREFECT_API_URL %q is not an http(s) URL: it should look like http://127.0.0.1:4200/api", redactRaw(s))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, configError("PREFECT_API_URL %q must not contain a query or fragment", redactURL(u))
	}
	host := strings.ToLower(u.Hostname())
	path := u.Path
	segs := strings.Split(strings.Trim(path, "/"), "/")

	switch host {
	case cloudAppHost:
		suggestion := "https://api.prefect.cloud/api/accounts/<account-id>/workspaces/<workspace-id>"
		if len(segs) >= 4 && segs[0] == "account" && segs[2] == "workspace" {
			suggestion = "https://api.prefect.cloud/api/accounts/" + segs[1] + "/workspaces/" + segs[3]
		}
		return nil, configError("PREFECT_API_URL points at app.prefect.cloud, the web UI; the API is at api.prefect.cloud: use %s", suggestion)
	case cloudAPIHost:
		if strings.Contains(path+"/", "/account/") {
			return nil, configError("PREFECT_API_URL %q uses /account/ where Prefect Cloud expects /accounts/: use %s",
				redactURL(u), cloudSuggestion(u, "/account/", "/accounts/"))
		}
		if strings.Contains(path+"/", "/workspace/") {
			return nil, configError("PREFECT_API_URL %q uses /workspace/ where Prefect Cloud expects /workspaces/: use %s",
				redactURL(u), cloudSuggestion(u, "/workspace/", "/workspaces/"))
		}
		if _, _, ok := cloudIDs(path); !ok {
			return nil, configError("PREFECT_API_URL %q does not name a workspace: Prefect Cloud URLs look like "+
				"https://api.prefect.cloud/api/accounts/<account-id>/workspaces/<workspace-id> (`prefect cloud login` writes it to your profile)", redactURL(u))
		}
		if u.Scheme != "https" {
			return nil, configError("PREFECT_API_URL %q must use https for Prefect Cloud", redactURL(u))
		}
	default:
		if path == "" || path == "/" || uiRoutes[segs[0]] {
			fixed := *u
			fixed.Path = "/api"
			return nil, configError("PREFECT_API_URL %q is missing the /api path (the server mounts its API there): use %s",
				redactURL(u), redactURL(&fixed))
		}
	}
	return u, nil
}

func cloudSuggestion(u *url.URL, from, to string) string {
	fixed := *u
	fixed.Path = strings.TrimSuffix(strings.ReplaceAll(fixed.Path+"/", from, to), "/")
	return redactURL(&fixed)
}

// redactURL renders u without user info, query or fragment.
func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery, c.Fragment, c.RawFragment = "", "", ""
	return c.String()
}

// redactRaw removes anything between "://" and "@" from an unparsable URL.
func redactRaw(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		if j := strings.LastIndex(rest, "@"); j >= 0 {
			return s[:i+3] + rest[j+1:]
		}
	}
	return s
}

func newHTTPClient(opts Options) (*http.Client, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if opts.CAFile != "" {
		pem, err := os.ReadFile(opts.CAFile)
		if err != nil {
			return nil, &Error{
				Op: "load CA bundle", Kind: ErrConfig, Err: err,
				Reason: fmt.Sprintf("cannot read CA file %s (PREFECT_API_SSL_CERT_FILE / SSL_CERT_FILE): %v", opts.CAFile, err),
			}
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &Error{
				Op: "load CA bundle", Kind: ErrConfig,
				Reason: fmt.Sprintf("CA file %s contains no valid PEM certificate", opts.CAFile),
			}
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{
		RootCAs:            pool,
		InsecureSkipVerify: opts.InsecureSkipVerify, //nolint:gosec // explicit user opt-in (PREFECT_API_TLS_INSECURE_SKIP_VERIFY)
		MinVersion:         tls.VersionTLS12,
	}
	// No Client.Timeout: each request gets its own context deadline instead,
	// which also covers reading the body.
	return &http.Client{Transport: tr}, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

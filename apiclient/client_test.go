package apiclient

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewURLChecks(t *testing.T) {
	bad := []struct {
		url  string
		want []string // substrings of the message
	}{
		{"", []string{"PREFECT_API_URL", "http://127.0.0.1:4200/api"}},
		{"   ", []string{"PREFECT_API_URL"}},
		{"127.0.0.1:4200/api", []string{"not an http(s) URL"}},
		{"ftp://example.com/api", []string{"not an http(s) URL"}},
		{"http:///api", []string{"not an http(s) URL"}},
		{"http://127.0.0.1:4200", []string{"missing the /api path", "use http://127.0.0.1:4200/api"}},
		{"http://127.0.0.1:4200/", []string{"missing the /api path", "use http://127.0.0.1:4200/api"}},
		{"http://localhost:4200/dashboard", []string{"missing the /api path", "use http://localhost:4200/api"}},
		{"http://localhost:4200/runs/flow-run/abc", []string{"use http://localhost:4200/api"}},
		{
			"https://app.prefect.cloud/account/a1/workspace/w1/dashboard",
			[]string{"app.prefect.cloud", "api.prefect.cloud", "use https://api.prefect.cloud/api/accounts/a1/workspaces/w1"},
		},
		{"https://app.prefect.cloud", []string{"api.prefect.cloud/api/accounts/<account-id>/workspaces/<workspace-id>"}},
		{
			"https://api.prefect.cloud/api/account/a1/workspaces/w1",
			[]string{"/account/", "/accounts/", "use https://api.prefect.cloud/api/accounts/a1/workspaces/w1"},
		},
		{
			"https://api.prefect.cloud/api/accounts/a1/workspace/w1",
			[]string{"/workspace/", "/workspaces/", "use https://api.prefect.cloud/api/accounts/a1/workspaces/w1"},
		},
		{"https://api.prefect.cloud/api", []string{"does not name a workspace", "prefect cloud login"}},
		{"http://api.prefect.cloud/api/accounts/a1/workspaces/w1", []string{"https"}},
		{"http://127.0.0.1:4200/api?x=1", []string{"query"}},
		{"http://admin:hunter2@127.0.0.1:4200", []string{"use http://127.0.0.1:4200/api"}},
	}
	for _, tc := range bad {
		_, err := New(Options{BaseURL: tc.url})
		if err == nil {
			t.Errorf("%q: no error", tc.url)
			continue
		}
		if KindOf(err) != ErrConfig {
			t.Errorf("%q: kind %v, want config", tc.url, KindOf(err))
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: message %q lacks %q", tc.url, err, w)
			}
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: password in message %q", tc.url, err)
		}
	}

	good := []struct{ url, base string }{
		{"http://127.0.0.1:4200/api", "http://127.0.0.1:4200/api"},
		{" http://127.0.0.1:4200/api/ ", "http://127.0.0.1:4200/api"},
		{"https://prefect.example.com/prefect/api", "https://prefect.example.com/prefect/api"},
		{"https://prefect.example.com/custom-base", "https://prefect.example.com/custom-base"},
		{"https://api.prefect.cloud/api/accounts/a1/workspaces/w1", "https://api.prefect.cloud/api/accounts/a1/workspaces/w1"},
		{"http://admin:hunter2@127.0.0.1:4200/api", "http://127.0.0.1:4200/api"},
	}
	for _, tc := range good {
		c, err := New(Options{BaseURL: tc.url})
		if err != nil {
			t.Errorf("%q: %v", tc.url, err)
			continue
		}
		if c.BaseURL() != tc.base {
			t.Errorf("%q: BaseURL %q, want %q", tc.url, c.BaseURL(), tc.base)
		}
	}
}

func TestRunURL(t *testing.T) {
	for _, tc := range []struct{ base, want string }{
		{"http://127.0.0.1:4200/api", "http://127.0.0.1:4200/runs/flow-run/" + runAID},
		{"https://admin:pw@prefect.example.com/prefect/api/", "https://prefect.example.com/prefect/runs/flow-run/" + runAID},
		{
			"https://api.prefect.cloud/api/accounts/acc-1/workspaces/ws-2",
			"https://app.prefect.cloud/account/acc-1/workspace/ws-2/runs/flow-run/" + runAID,
		},
	} {
		c, err := New(Options{BaseURL: tc.base})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.RunURL(runAID); got != tc.want {
			t.Errorf("%s: RunURL = %q, want %q", tc.base, got, tc.want)
		}
	}
}

func TestHeaders(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:s3cret"))
	for _, tc := range []struct {
		name       string
		key, auth  string
		wantHeader string
	}{
		{"auth string", "", "admin:s3cret", basic},
		{"api key", "pnu_abc123", "", "Bearer pnu_abc123"},
		{"auth string wins", "pnu_abc123", "admin:s3cret", basic},
		{"none", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.json("GET /api/flow_runs/{id}", 200, pausedRunJSON)
			f.json("POST /api/flow_runs/{id}/input/filter", 200, `[]`)
			f.json("POST /api/flows/filter", 200, `[]`)
			f.json("POST /api/deployments/filter", 200, `[]`)
			c, _ := newClient(t, f, func(o *Options) { o.APIKey, o.AuthString = tc.key, tc.auth })
			if _, err := c.GetRun(context.Background(), runAID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Responses(context.Background(), runAID); err != nil {
				t.Fatal(err)
			}
			reqs := f.requests()
			if len(reqs) < 3 {
				t.Fatalf("%d requests", len(reqs))
			}
			for _, r := range reqs {
				h := r.Header
				if got := h.Get("Authorization"); got != tc.wantHeader {
					t.Errorf("%s %s: Authorization %q, want %q", r.Method, r.Path, got, tc.wantHeader)
				}
				for k, v := range map[string]string{
					"X-Prefect-Api-Version": "0.8.4", "Content-Type": "application/json",
					"Accept": "application/json", "User-Agent": "unpause/test",
				} {
					if h.Get(k) != v {
						t.Errorf("%s %s: %s = %q, want %q", r.Method, r.Path, k, h.Get(k), v)
					}
				}
				if r.Method == "POST" && (r.ContentLength <= 0 || int(r.ContentLength) != len(r.Body) ||
					len(h.Values("Transfer-Encoding")) > 0) {
					t.Errorf("POST %s: Content-Length %d for a %d-byte body", r.Path, r.ContentLength, len(r.Body))
				}
			}
		})
	}
}

// Secrets never appear in error messages, whatever the server echoes.
func TestSecretsNotLeaked(t *testing.T) {
	const key = "pnu_SUPERSECRETKEY0123456789"
	const auth = "admin:hunter2-very-secret"
	b64 := base64.StdEncoding.EncodeToString([]byte(auth))
	f := newFake(t)
	// A misbehaving proxy that reflects the request's credentials.
	f.handle("GET /api/flow_runs/{id}", func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		decoded, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic "))
		bearer := strings.TrimPrefix(h, "Bearer ")
		reply(w, 401, fmt.Sprintf(`{"detail":"bad credentials %s (key %s, auth %s)"}`, h, bearer, decoded))
	})
	f.handle("GET /api/health", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 500, fmt.Sprintf(`{"exception_message":"%s"}`, r.Header.Get("Authorization")))
	})
	for _, o := range []Options{{APIKey: key}, {AuthString: auth}, {AuthString: auth, APIKey: key}} {
		c, _ := newClient(t, f, func(opts *Options) { opts.APIKey, opts.AuthString = o.APIKey, o.AuthString })
		_, err1 := c.GetRun(context.Background(), runAID)
		err2 := c.Health(context.Background())
		for _, err := range []error{err1, err2} {
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error() + fmt.Sprintf(" %+v %v", err, err)
			for _, secret := range []string{key, auth, b64, "hunter2"} {
				if strings.Contains(msg, secret) {
					t.Errorf("secret %q leaked in %q", secret, msg)
				}
			}
		}
		if KindOf(err1) != ErrAuth || !strings.Contains(err1.Error(), "PREFECT_API_KEY") ||
			!strings.Contains(err1.Error(), "PREFECT_API_AUTH_STRING") || !strings.Contains(err1.Error(), "[redacted]") {
			t.Errorf("auth error %q", err1)
		}
	}

	// Credentials in the URL: not in connection errors, not in status errors.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := New(Options{BaseURL: "http://admin:hunter2@" + addr + "/api", APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Health(context.Background())
	if err == nil || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), key) {
		t.Errorf("connection error %q", err)
	}
	c2, err := New(Options{BaseURL: strings.Replace(f.apiURL(), "http://", "http://admin:hunter2@", 1)})
	if err != nil {
		t.Fatal(err)
	}
	c2.sleep = (&sleeps{}).sleep
	err = c2.Health(context.Background())
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("status error %q", err)
	}
	if c2.BaseURL() != f.apiURL() || strings.Contains(c2.RunURL(runAID), "hunter2") {
		t.Errorf("BaseURL %q RunURL %q", c2.BaseURL(), c2.RunURL(runAID))
	}
}

func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := New(Options{BaseURL: "http://" + addr + "/api"})
	if err != nil {
		t.Fatal(err)
	}
	s := &sleeps{}
	c.sleep = s.sleep
	_, err = c.GetRun(context.Background(), runAID)
	if KindOf(err) != ErrConnection {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"get run", "http://" + addr + "/api", "connection refused", "PREFECT_API_URL", "server is running"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if len(s.all()) != 0 {
		t.Errorf("retried a server that was never reached: sleeps %v", s.all())
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/health" {
			reply(w, 200, "true")
			return
		}
		reply(w, 404, `{"detail":"Not Found"}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	badFile := filepath.Join(dir, "bad.pem")
	if err := os.WriteFile(badFile, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := srv.URL + "/api"

	// Untrusted certificate: a clear message, not retried.
	c, err := New(Options{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	s := &sleeps{}
	c.sleep = s.sleep
	err = c.Health(context.Background())
	if KindOf(err) != ErrConnection || !strings.Contains(err.Error(), "PREFECT_API_SSL_CERT_FILE") {
		t.Errorf("untrusted: %v", err)
	}
	if len(s.all()) != 0 {
		t.Errorf("certificate error retried")
	}
	// Extra CA file.
	c, err = New(Options{BaseURL: base, CAFile: caFile})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Health(context.Background()); err != nil {
		t.Errorf("with CA file: %v", err)
	}
	// Skip verification.
	c, err = New(Options{BaseURL: base, InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Health(context.Background()); err != nil {
		t.Errorf("insecure: %v", err)
	}
	// Unreadable or invalid CA files are configuration errors.
	for _, f := range []string{filepath.Join(dir, "missing.pem"), badFile} {
		_, err := New(Options{BaseURL: base, CAFile: f})
		if KindOf(err) != ErrConfig || !strings.Contains(err.Error(), f) {
			t.Errorf("CA file %s: %v", f, err)
		}
	}
}

func TestUUID(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		u := newUUID4()
		if !isUUID(u) || u[14] != '4' || !strings.ContainsRune("89ab", rune(u[19])) || seen[u] {
			t.Fatalf("bad uuid4 %q", u)
		}
		seen[u] = true
	}
	for _, s := range []string{"", "crimson-falcon", runAID + "0", strings.Replace(runAID, "-", "x", 1)} {
		if isUUID(s) {
			t.Errorf("isUUID(%q)", s)
		}
	}
	if !isUUID(strings.ToUpper(runAID)) {
		t.Error("upper-case UUID rejected")
	}
}

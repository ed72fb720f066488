package apiclient

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// A run can be named by the link to it in Prefect's web UI, as a notification
// pastes it: Prefect builds those links from UI_URL_FORMATS["flow-run"],
// "runs/flow-run/{obj_id}", under the UI URL (src/prefect/utilities/urls.py),
// and Prefect Cloud's UI puts it under /account/{id}/workspace/{id}.

// acceptedLinks says which links a run argument may be, for error messages.
const acceptedLinks = "a flow run's link from the Prefect UI: http(s)://<server>/runs/flow-run/<run-id> " +
	"or https://app.prefect.cloud/account/<account-id>/workspace/<workspace-id>/runs/flow-run/<run-id>"

// switchHint is what to do about a link to another server.
const switchHint = "open the run on the server unpause uses, switch profile with --profile, or check PREFECT_API_URL"

// maxLinkShown caps how much of a link an error message repeats.
const maxLinkShown = 200

// RunLink is what a link to a flow run in Prefect's web UI names.
type RunLink struct {
	RunID string // lower case UUID
	// Prefect Cloud: the account and workspace ids (lower case, as a
	// UUID's hex digits are compared).
	Cloud              bool
	Account, Workspace string
	// Self-hosted: the UI's origin and the path it is served under ("" at
	// the root). Scheme and Host are lower case; Port is explicit.
	Scheme, Host, Port, Prefix string
}

// IsRunLink reports whether a run argument is meant as a link (it starts
// with http:// or https://, possibly inside Slack's <...>) rather than a run
// id or name.
func IsRunLink(arg string) bool {
	s := strings.ToLower(unwrapLink(arg))
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// unwrapLink trims spaces and Slack's <link> or <link|label> around a link.
func unwrapLink(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s = s[1 : len(s)-1]
		if i := strings.IndexByte(s, '|'); i >= 0 {
			s = s[:i]
		}
	}
	return strings.TrimSpace(s)
}

func linkError(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Op: "read run link", Kind: kind, Reason: fmt.Sprintf(format, args...)}
}

// ParseRunLink reads a link to a flow run in Prefect's web UI: a trailing
// slash, a query (?tab=Logs) and a fragment are ignored. A link that is not
// to a flow run gives an *Error of Kind ErrUsage; one whose run id is not a
// UUID (cut short when pasted, say) gives ErrNotFound, as a malformed id does.
func ParseRunLink(link string) (RunLink, error) {
	raw := unwrapLink(link)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) {
		return RunLink{}, linkError(ErrUsage, "%s is not a link unpause can read; it accepts %s, or a run id or name", showRawLink(raw), acceptedLinks)
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	n := len(segs)
	if n < 3 || segs[n-3] != "runs" || segs[n-2] != "flow-run" {
		return RunLink{}, linkError(ErrUsage, "%s is not a link to a flow run; unpause accepts %s, or a run id or name", showLink(u), acceptedLinks)
	}
	l := RunLink{Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Hostname()), Port: u.Port()}
	if l.Port == "" {
		l.Port = map[string]string{"http": "80", "https": "443"}[l.Scheme]
	}
	prefix := segs[:n-3]
	if l.Host == cloudAppHost {
		if len(prefix) != 4 || prefix[0] != "account" || prefix[2] != "workspace" || prefix[1] == "" || prefix[3] == "" {
			return RunLink{}, linkError(ErrUsage, "%s does not name a Prefect Cloud account and workspace; unpause accepts %s", showLink(u), acceptedLinks)
		}
		l.Cloud, l.Account, l.Workspace = true, strings.ToLower(prefix[1]), strings.ToLower(prefix[3])
		l.Scheme, l.Host, l.Port = "", "", ""
	} else if len(prefix) > 0 {
		l.Prefix = "/" + strings.Join(prefix, "/")
	}
	if id := segs[n-1]; !isUUID(id) {
		return RunLink{}, linkError(ErrNotFound, "%s does not end in a flow run id (a UUID): copy the whole link", showLink(u))
	}
	l.RunID = strings.ToLower(segs[n-1])
	return l, nil
}

// Where says which server or workspace the link is for, without the run,
// for a message: what came from the link is quoted, control characters
// escaped.
func (l RunLink) Where() string {
	if l.Cloud {
		return "Prefect Cloud workspace " + quoteShown(l.Workspace) + " of account " + quoteShown(l.Account)
	}
	return quoteShown(l.Scheme + "://" + l.Host + ":" + l.Port + l.Prefix)
}

// sameServer reports whether l and o are for the same server or workspace.
func (l RunLink) sameServer(o RunLink) bool {
	l.RunID, o.RunID = "", ""
	return l == o
}

// MatchRunLink reads link and checks that it is for the server configured,
// the link to any run there (Client.RunURL): it returns the run's id. A link
// to another workspace or server gives an *Error of Kind ErrUsage that names
// both. Hosts are compared as written: localhost is not 127.0.0.1, and http
// is not https.
func MatchRunLink(link, configured string) (string, error) {
	l, err := ParseRunLink(link)
	if err != nil {
		return "", err
	}
	want, err := ParseRunLink(configured)
	if err != nil {
		return "", err
	}
	if l.sameServer(want) {
		return l.RunID, nil
	}
	note := ""
	switch {
	case l.Cloud || want.Cloud:
	case l.Host != want.Host && loopback(l.Host) && loopback(want.Host):
		note = " (" + quoteShown(l.Host) + " and " + quoteShown(want.Host) + " are different hosts to unpause)"
	case l.Scheme != want.Scheme && l.Host == want.Host:
		note = " (" + l.Scheme + " and " + want.Scheme + " are different servers to unpause)"
	}
	return "", linkError(ErrUsage, "the link is for %s, but unpause is set up for %s%s: %s",
		l.Where(), want.Where(), note, switchHint)
}

// placeholderRunID stands for any run in the configured server's run links.
const placeholderRunID = "00000000-0000-0000-0000-000000000000"

// runIDFromLink is the run id a link names, if it is for c's server.
func (c *Client) runIDFromLink(link string) (string, error) {
	return MatchRunLink(link, c.RunURL(placeholderRunID))
}

func loopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

// showLink renders a link for a message: no user info, query or fragment,
// quoted (control characters escaped) and cut short.
func showLink(u *url.URL) string { return quoteShown(redactURL(u)) }

// showRawLink renders an unparsable link like showLink.
func showRawLink(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	return quoteShown(redactRaw(raw))
}

func quoteShown(s string) string {
	if utf8.RuneCountInString(s) > maxLinkShown {
		s = string([]rune(s)[:maxLinkShown]) + "…"
	}
	return fmt.Sprintf("%+q", s)
}

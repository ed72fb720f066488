package apiclient

import (
	"strings"
	"testing"
	"unicode"
)

const (
	linkRun  = "0198c7a2-5b1e-7c4d-9e61-8c1f2a3b4c5d"
	linkAcct = "9b2f1c3e-0000-4000-8000-00000000000a"
	linkWS   = "9b2f1c3e-0000-4000-8000-00000000000b"
)

func TestMatchRunLink(t *testing.T) {
	cloudAPI := "https://api.prefect.cloud/api/accounts/" + linkAcct + "/workspaces/" + linkWS
	cloudUI := "https://app.prefect.cloud/account/" + linkAcct + "/workspace/" + linkWS + "/runs/flow-run/" + linkRun
	cases := []struct {
		name, link, api string
		kind            ErrorKind // ErrOther: matches
		says            []string  // in the error
	}{
		{"self-hosted", "http://127.0.0.1:4200/runs/flow-run/" + linkRun, "http://127.0.0.1:4200/api", ErrOther, nil},
		{"trailing slash", "http://127.0.0.1:4200/runs/flow-run/" + linkRun + "/", "http://127.0.0.1:4200/api", ErrOther, nil},
		{"query and fragment", "http://127.0.0.1:4200/runs/flow-run/" + linkRun + "?tab=Logs#x", "http://127.0.0.1:4200/api", ErrOther, nil},
		{"upper-case id and host", "HTTP://Prefect.Example:4200/runs/flow-run/" + strings.ToUpper(linkRun), "http://prefect.example:4200/api", ErrOther, nil},
		{"slack brackets", " <http://127.0.0.1:4200/runs/flow-run/" + linkRun + "|open the run> ", "http://127.0.0.1:4200/api", ErrOther, nil},
		{"default port", "https://prefect.example:443/runs/flow-run/" + linkRun, "https://prefect.example/api", ErrOther, nil},
		{"ui under a path", "https://gw.example/team-a/runs/flow-run/" + linkRun, "https://gw.example/team-a/api", ErrOther, nil},
		{"cloud", cloudUI, cloudAPI, ErrOther, nil},
		{"cloud with tab", cloudUI + "?tab=Logs", cloudAPI, ErrOther, nil},

		{
			"other host", "http://prefect.example:4200/runs/flow-run/" + linkRun, "http://127.0.0.1:4200/api", ErrUsage,
			[]string{`"http://prefect.example:4200"`, `"http://127.0.0.1:4200"`, "--profile", "PREFECT_API_URL"},
		},
		{"other port", "http://127.0.0.1:4300/runs/flow-run/" + linkRun, "http://127.0.0.1:4200/api", ErrUsage, []string{"4300", "4200"}},
		{
			"localhost is not 127.0.0.1", "http://localhost:4200/runs/flow-run/" + linkRun, "http://127.0.0.1:4200/api", ErrUsage,
			[]string{`"localhost" and "127.0.0.1" are different hosts`},
		},
		{
			"https is not http", "https://prefect.example:4200/runs/flow-run/" + linkRun, "http://prefect.example:4200/api", ErrUsage,
			[]string{"https and http are different servers"},
		},
		{"other path prefix", "https://gw.example/team-b/runs/flow-run/" + linkRun, "https://gw.example/team-a/api", ErrUsage, []string{"team-b", "team-a"}},
		{
			"other workspace", strings.Replace(cloudUI, linkWS, "9b2f1c3e-0000-4000-8000-0000000000ff", 1), cloudAPI, ErrUsage,
			[]string{"0000000000ff", linkWS, "--profile"},
		},
		{"cloud link, self-hosted server", cloudUI, "http://127.0.0.1:4200/api", ErrUsage, []string{"Prefect Cloud workspace", "127.0.0.1:4200"}},
		{"self-hosted link, cloud server", "http://127.0.0.1:4200/runs/flow-run/" + linkRun, cloudAPI, ErrUsage, []string{"127.0.0.1:4200", linkWS}},

		{
			"deployment link", "http://127.0.0.1:4200/deployments/deployment/" + linkRun, "http://127.0.0.1:4200/api", ErrUsage,
			[]string{"not a link to a flow run", "/runs/flow-run/<run-id>", "app.prefect.cloud/account/<account-id>"},
		},
		{"task run link", "http://127.0.0.1:4200/runs/task-run/" + linkRun, "http://127.0.0.1:4200/api", ErrUsage, []string{"not a link to a flow run"}},
		{"cloud link without workspace", "https://app.prefect.cloud/runs/flow-run/" + linkRun, cloudAPI, ErrUsage, []string{"does not name a Prefect Cloud account"}},
		{"api link", "http://127.0.0.1:4200/api/flow_runs/" + linkRun, "http://127.0.0.1:4200/api", ErrUsage, []string{"not a link to a flow run"}},
		{"no host", "http:///runs/flow-run/" + linkRun, "http://127.0.0.1:4200/api", ErrUsage, []string{"not a link unpause can read"}},
		{"cut short", "http://127.0.0.1:4200/runs/flow-run/0198c7a2-5b1e", "http://127.0.0.1:4200/api", ErrNotFound, []string{"copy the whole link"}},
		{
			"credentials and query not repeated", "http://alice:s3cret@127.0.0.1:4200/deployments/x?token=t0ken", "http://127.0.0.1:4200/api", ErrUsage,
			[]string{`"http://127.0.0.1:4200/deployments/x"`},
		},
		{"control characters escaped", "http://127.0.0.1:4200/runs/\x1b]52;c;aGk=\x07/x", "http://127.0.0.1:4200/api", ErrUsage, []string{`\x1b`}},
		{"bidi override escaped", "http://127.0.0.1:4200/dash\u202eboard", "http://127.0.0.1:4200/api", ErrUsage, []string{"%E2%80%AE"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c2, err := New(Options{BaseURL: c.api})
			if err != nil {
				t.Fatal(err)
			}
			id, err := c2.runIDFromLink(c.link)
			if c.kind == ErrOther {
				if err != nil || id != linkRun {
					t.Fatalf("id %q, err %v; want %s", id, err, linkRun)
				}
				return
			}
			if KindOf(err) != c.kind || id != "" {
				t.Fatalf("id %q, err %v (kind %v); want kind %v", id, err, KindOf(err), c.kind)
			}
			msg := err.Error()
			for _, want := range c.says {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q: %s", want, msg)
				}
			}
			for _, leak := range []string{"s3cret", "t0ken", "\x1b", "\x07", "\u202e"} {
				if strings.Contains(msg, leak) {
					t.Errorf("error repeats %q: %q", leak, msg)
				}
			}
		})
	}
}

func TestIsRunLink(t *testing.T) {
	for arg, want := range map[string]bool{
		"http://127.0.0.1:4200/runs/flow-run/x": true, " HTTPS://app.prefect.cloud/": true, "<https://x/y|label>": true,
		"crimson-falcon": false, linkRun: false, "ftp://x/runs/flow-run/" + linkRun: false, "my http://run": false,
	} {
		if got := IsRunLink(arg); got != want {
			t.Errorf("IsRunLink(%q) = %v, want %v", arg, got, want)
		}
	}
}

// No link makes the parser panic, returns an id that is not a UUID, or puts
// a control character in a message.
func FuzzMatchRunLink(f *testing.F) {
	for _, s := range []string{
		"http://127.0.0.1:4200/runs/flow-run/" + linkRun + "?tab=Logs",
		"https://app.prefect.cloud/account/" + linkAcct + "/workspace/" + linkWS + "/runs/flow-run/" + linkRun,
		"http://localhost:4200/runs/flow-run/" + linkRun, "<http://h/runs/flow-run/x|y>", "http://h/runs/flow-run/\x1b[2J",
		"http://[::1]:4200/runs/flow-run/" + linkRun, "https://u:p@h/a/b/runs/flow-run/" + linkRun + "/#x",
	} {
		f.Add(s, "http://127.0.0.1:4200/api")
	}
	f.Fuzz(func(t *testing.T, link, api string) {
		if l, err := ParseRunLink(link); err == nil && !isUUID(l.RunID) {
			t.Fatalf("ParseRunLink(%q) gave id %q", link, l.RunID)
		}
		c, err := New(Options{BaseURL: api})
		if err != nil {
			return
		}
		id, err := c.runIDFromLink(link)
		if err == nil && (!isUUID(id) || id != strings.ToLower(id)) {
			t.Fatalf("%q gave id %q", link, id)
		}
		if err != nil {
			for _, r := range err.Error() {
				if unicode.IsControl(r) || r > unicode.MaxASCII && r != '…' {
					t.Fatalf("message carries %U: %q", r, err.Error())
				}
			}
		}
	})
}

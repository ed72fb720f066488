package tui

import (
	"strings"
	"testing"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/tui/tuitest"
)

const labelDescription = "Is it a pig or a dog?\n\n![the photo](https://img.example/pig-17.png)\n\n" +
	"Model card: [card](https://models.example/card) · [bad](javascript:alert(1))\n"

func linkFixture(t *testing.T, desc string) *tuitest.FakeAPI {
	api := tuitest.Fixture(t)
	api.Inputs["r-deploy"] = &apiclient.InputRequest{Schema: api.Inputs["r-deploy"].Schema, Description: desc}
	return api
}

func TestRunViewListsLinksAndOOpensThePickedOne(t *testing.T) {
	var opened []string
	h := newHarness(t, linkFixture(t, labelDescription), func(o *Options) {
		o.OpenURL = func(u string) error { opened = append(opened, u); return nil }
	})
	h.keys("j", "enter")
	h.keys("G")
	h.mustSee("Links (o opens one)", "1  image the photo  https://img.example/pig-17.png", "2  card  https://models.example/card")
	if got := h.m.runview.Links(); len(got) != 2 {
		t.Errorf("links listed: %+v, want the two http(s) ones", got)
	}
	h.keys("o")
	h.mustSee("Open which link? 1–2")
	h.keys("2")
	if len(opened) != 1 || opened[0] != "https://models.example/card" {
		t.Fatalf("opened %v, want the second link", opened)
	}
	h.mustSee("Opened https://models.example/card in the browser.")
	h.keys("o", "x")
	h.mustSee("No link opened.")
	if len(opened) != 1 {
		t.Errorf("a key that is not a link number opened %v", opened)
	}
}

func TestOOverSSHDoesNotOpenABrowser(t *testing.T) {
	var opened []string
	h := newHarness(t, linkFixture(t, "see <https://docs.example/labels>"), func(o *Options) {
		o.Remote = true
		o.OpenURL = func(u string) error { opened = append(opened, u); return nil }
	})
	h.keys("j", "enter", "o")
	if len(opened) != 0 {
		t.Fatalf("opened %v over SSH", opened)
	}
	h.mustSee("No browser over SSH")
}

// The link is a hyperlink unpause writes (OSC 8) for the checked URL only;
// the description's own escapes never reach the screen.
func TestLinkHyperlinkIsTheCheckedURL(t *testing.T) {
	h := newHarness(t, linkFixture(t, "[x](https://a.example/ok) \x1b]8;;https://evil.example\x07evil\x1b]8;;\x07"))
	h.keys("j", "enter", "G")
	out := h.m.Render()
	if strings.Contains(out, "evil.example") && strings.Contains(out, "\x1b]8;;https://evil.example") {
		t.Fatalf("the description's own hyperlink reached the screen: %q", out)
	}
	if !strings.Contains(out, "https://a.example/ok") {
		t.Fatalf("the checked link is not shown: %q", out)
	}
}

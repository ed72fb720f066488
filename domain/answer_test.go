package domain

import (
	"encoding/json"
	"maps"
	"testing"
)

func TestInitialValues(t *testing.T) {
	defaults := map[string]any{"approve": false, "environment": "production"}
	saved := map[string]any{"approve": true, "reviewer": "bob"}
	got := InitialValues(defaults, saved)
	want := map[string]any{"approve": true, "environment": "production", "reviewer": "bob"}
	if !maps.Equal(got, want) {
		t.Fatalf("InitialValues = %v, want %v", got, want)
	}
	got["environment"] = "staging"
	if defaults["environment"] != "production" || len(saved) != 2 {
		t.Fatal("InitialValues changed its inputs")
	}
	if got := InitialValues(nil, nil); got == nil || len(got) != 0 {
		t.Fatalf("InitialValues(nil, nil) = %v, want an empty map", got)
	}
}

func TestIndentJSON(t *testing.T) {
	cases := []struct {
		raw, prefix, want string
	}{
		// Key order and numbers are kept: the text is what is sent.
		{
			`{"size":"medium","color":"blue","n":12345678901234567890}`, "",
			"{\n  \"size\": \"medium\",\n  \"color\": \"blue\",\n  \"n\": 12345678901234567890\n}",
		},
		{`{"a":[1,{"b":"<&>"}]}`, "  ", "  {\n    \"a\": [\n      1,\n      {\n        \"b\": \"<&>\"\n      }\n    ]\n  }"},
		{`true`, "  ", "  true"},
		{`{"broken":`, "  ", `{"broken":`},
	}
	for _, c := range cases {
		if got := IndentJSON(json.RawMessage(c.raw), c.prefix); got != c.want {
			t.Errorf("IndentJSON(%s, %q)\n got %q\nwant %q", c.raw, c.prefix, got, c.want)
		}
	}
}

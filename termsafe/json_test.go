package termsafe

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestJSONEscapesWhatATerminalActsOn(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "pig or dog", `"pig or dog"`},
		{"C1 CSI", "a\u009b31mred", `"a\u009b31mred"`},
		{"NEL and DEL", "x\u0085y\u007fz", `"x\u0085y\u007fz"`},
		{"bidi override", "evil\u202egnp.exe", `"evil\u202egnp.exe"`},
		{"LRM RLM isolates", "\u200e\u200f\u2066\u2069", `"\u200e\u200f\u2066\u2069"`},
		{"tag character", "a\U000E0041b", `"a\udb40\udc41b"`},
		{"accents stay", "café ünïcode ✓", `"café ünïcode ✓"`},
		{"C0 escaped by encoding/json", "a\x1b[2Jb", `"a\u001b[2Jb"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			enc, err := json.Marshal(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			got := string(JSON(enc))
			if got != tc.want {
				t.Fatalf("JSON(%q) = %s, want %s", enc, got, tc.want)
			}
			var back string
			if err := json.Unmarshal([]byte(got), &back); err != nil || back != tc.in {
				t.Fatalf("round trip: %q, %v; want %q", back, err, tc.in)
			}
		})
	}
}

func TestJSONPlainASCIIIsReturnedAsIs(t *testing.T) {
	in := []byte(`{"a": [1, 2, "x"]}`)
	if out := JSON(in); &out[0] != &in[0] {
		t.Fatal("plain ASCII was copied")
	}
}

// FuzzJSON: for any value, the escaped encoding decodes to the same value and
// holds no rune a terminal acts on.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{"", "a\u009bb", "\u202e", "\U000E0001", "é\x7f", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := map[string]any{s: []any{s, 1.5}}
		enc, err := json.Marshal(v)
		if err != nil {
			t.Skip()
		}
		out := JSON(enc)
		for _, r := range string(out) {
			if r == 0x7f || (r >= 0x80 && r <= 0x9f) || isInvisibleFormat(r) || r < 0x20 && r != '\n' {
				t.Fatalf("rune %U left in %q", r, out)
			}
		}
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		var a, b any
		if err := json.Unmarshal(enc, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &b); err != nil {
			t.Fatalf("escaped JSON does not parse: %v\n%q", err, out)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("meaning changed:\n%q\n%q", enc, out)
		}
	})
}

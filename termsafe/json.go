package termsafe

import (
	"strconv"
	"unicode/utf8"
)

// JSON makes encoded JSON safe to print on a terminal without changing what
// it means: every rune a terminal could act on or that hides text (DEL, C1
// controls, bidi and invisible format characters) is written as a \uXXXX
// escape. encoding/json already escapes C0 controls and U+2028/U+2029, but
// writes C1 controls raw, and a terminal that honours UTF-8 C1 runs them
// (U+009B is CSI). Such runes can only stand inside JSON strings, where the
// escape decodes to the same string, so a JSON consumer sees no difference.
// Invalid UTF-8 (which encoding/json never writes) becomes \ufffd.
func JSON(encoded []byte) []byte {
	if !needsJSONEscape(encoded) {
		return encoded
	}
	out := make([]byte, 0, len(encoded)+32)
	for i := 0; i < len(encoded); {
		r, size := utf8.DecodeRune(encoded[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, `\ufffd`...)
		case r == 0x7f || (r >= 0x80 && r <= 0x9f) || isInvisibleFormat(r):
			out = appendUnicodeEscape(out, r)
		default:
			out = append(out, encoded[i:i+size]...)
		}
		i += size
	}
	return out
}

// needsJSONEscape is the fast path: plain ASCII (most output) needs nothing.
func needsJSONEscape(b []byte) bool {
	for _, c := range b {
		if c >= 0x7f {
			return true
		}
	}
	return false
}

// appendUnicodeEscape writes r as \uXXXX, or as a UTF-16 surrogate pair for
// runes beyond the Basic Multilingual Plane (the tag characters).
func appendUnicodeEscape(out []byte, r rune) []byte {
	if r > 0xFFFF {
		r -= 0x10000
		out = appendHex4(out, 0xD800+(r>>10))
		return appendHex4(out, 0xDC00+(r&0x3FF))
	}
	return appendHex4(out, r)
}

func appendHex4(out []byte, r rune) []byte {
	h := strconv.FormatInt(int64(r), 16)
	out = append(out, `\u`...)
	for i := len(h); i < 4; i++ {
		out = append(out, '0')
	}
	return append(out, h...)
}

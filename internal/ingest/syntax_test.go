package ingest

import (
	"strings"
	"testing"
)

func TestCheckJSON(t *testing.T) {
	cases := []struct {
		in  string
		off int // -1: valid
		msg string
	}{
		{`{"a":[1,2],"b":{"c":null}}`, -1, ""},
		{` [ true , false , -1.5e3 ] `, -1, ""},
		{`{"a":[1,2,],"b":1}`, 9, "trailing comma before ']'"},
		{`{"a":1,}`, 6, "trailing comma before '}'"},
		{`{"a" 1}`, 5, "expected ':' after the key"},
		{`{"a":1 "b":2}`, 7, "expected ',' or '}'"},
		{`{"a":tru}`, 5, "expected true"},
		{`{"a":01}`, 6, "expected ',' or '}'"},
		{`{"a":-}`, 5, "malformed number"},
		{`{"a":"x`, 5, "string is not closed"},
		// Control characters in strings are escaped before decoding, not
		// rejected (escapeControls), so the scanner lets them through.
		{"{\"a\":\"x\ty\x1b\"}", -1, ""},
		{`{"a":1} x`, 8, "after the value"},
		{`{"a":`, 5, "unexpected end of input"},
		{`{a:1}`, 1, "expected a quoted key"},
		{`]`, 0, "where a value should start"},
	}
	for _, c := range cases {
		e := checkJSON([]byte(c.in))
		switch {
		case c.off < 0 && e != nil:
			t.Errorf("checkJSON(%q) = %d %q, want valid", c.in, e.off, e.msg)
		case c.off >= 0 && (e == nil || e.off != c.off || !strings.Contains(e.msg, c.msg)):
			t.Errorf("checkJSON(%q) = %+v, want offset %d %q", c.in, e, c.off, c.msg)
		}
	}
}

func TestSkipValue(t *testing.T) {
	cases := []struct {
		in   string
		end  int
		fail bool
	}{
		{`{"a":"}]"}rest`, 10, false},
		{`[{"a":[1,{}]}] tail`, 14, false},
		{`"str\"ing" x`, 10, false},
		{`123,`, 3, false},
		{`{"a":[}`, 6, true},
		{`{"a":1`, 6, true},
		{"{\"a\":\"x\n\"}", 5, true},
	}
	for _, c := range cases {
		end, err := skipValue([]byte(c.in), 0)
		if (err != nil) != c.fail || !c.fail && end != c.end {
			t.Errorf("skipValue(%q) = %d, %v; want %d, fail %v", c.in, end, err, c.end, c.fail)
		}
	}
}

func TestLineIndex(t *testing.T) {
	l := newLineIndex([]byte("ab\ncd\n\nef"))
	for off, want := range map[int][2]int{0: {1, 1}, 1: {1, 2}, 3: {2, 1}, 6: {3, 1}, 7: {4, 1}, 9: {4, 3}} {
		if line, col := l.pos(off); line != want[0] || col != want[1] {
			t.Errorf("pos(%d) = %d:%d, want %d:%d", off, line, col, want[0], want[1])
		}
	}
}

func TestToUTF8(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		enc  encoding
		fail bool
	}{
		{"plain", []byte(`[{}]`), encUTF8, false},
		{"utf-8 bom", []byte("\xef\xbb\xbf[{}]"), encUTF8BOM, false},
		{"utf-16le bom", utf16LE("[{}]"), encUTF16LEB, false},
		{"utf-16be bom", utf16BE("[{}]"), encUTF16BEB, false},
		{"utf-16le bare", utf16LE("[{}]")[2:], encUTF16LE, false},
		{"utf-16be bare", utf16BE("[{}]")[2:], encUTF16BE, false},
		{"utf-32", []byte{0xFF, 0xFE, 0, 0, '[', 0, 0, 0}, "", true},
		{"nul", []byte("[\x00{}]"), "", true},
		{"latin-1", []byte("caf\xe9,x\n"), "", true},
	}
	for _, c := range cases {
		text, enc, err := toUTF8(c.in)
		if (err != nil) != c.fail || enc != c.enc || !c.fail && string(text) != "[{}]" {
			t.Errorf("%s: %q, %q, %v", c.name, text, enc, err)
		}
	}
}

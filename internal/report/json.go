package report

import (
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/idtriage/idtriage/internal/investigate"
	"github.com/idtriage/idtriage/internal/jsonx"
)

// JSON writes the case as one indented JSON object (the contract the README
// documents). Strings keep what the logs said except what a terminal could
// act on: control characters other than tab and line breaks, DEL, C1
// controls and bidirectional overrides are stripped, as in every format, so
// `jq -r` output is as safe as the Markdown report.
func JSON(w io.Writer, c *investigate.Case) error {
	b, err := jsonx.MarshalIndent(c)
	if err != nil {
		return fmt.Errorf("encode case: %w", err)
	}
	_, err = w.Write(stripUnsafe(b))
	return err
}

// stripUnsafe removes unsafe characters from the strings of an encoded JSON
// document, whether the encoder left them raw (C1, bidi) or wrote them as
// \u escapes (C0, DEL). Outside strings a JSON document holds only ASCII
// punctuation, digits and letters, so the scan only tracks escapes.
func stripUnsafe(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c == '\\' && i+1 < len(b) {
			if b[i+1] == 'u' && i+6 <= len(b) {
				if r, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 32); err == nil &&
					unsafeEscape(rune(r)) {
					i += 6
					continue
				}
			}
			out = append(out, b[i], b[i+1])
			i += 2
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if !unsafeRune(r) {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// unsafeEscape reports whether a \u escape names a character to strip:
// controls other than tab, line feed and carriage return, which the encoder
// writes as \t, \n, \r and which a detection's query needs.
func unsafeEscape(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || unsafeRune(r)
}

func unsafeRune(r rune) bool {
	return r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidi(r)
}

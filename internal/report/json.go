package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/idtriage/idtriage/internal/investigate"
	"github.com/idtriage/idtriage/internal/jsonx"
)

// JSON writes the case as one indented JSON object (the contract the README
// documents). Values keep what the logs said; characters a terminal could
// act on (DEL, C1 controls, bidirectional overrides) are written as \u
// escapes, which JSON readers decode back to the same value.
func JSON(w io.Writer, c *investigate.Case) error {
	b, err := jsonx.MarshalIndent(c)
	if err != nil {
		return fmt.Errorf("encode case: %w", err)
	}
	_, err = io.WriteString(w, escapeUnsafe(string(b)))
	return err
}

// escapeUnsafe rewrites runes that encoders leave raw but terminals
// interpret. It only ever runs inside JSON strings: outside them a JSON
// document holds ASCII punctuation, digits and letters only.
func escapeUnsafe(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		if unsafeRune(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidi(r)
}

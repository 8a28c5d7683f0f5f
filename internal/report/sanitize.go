package report

import (
	"strings"
	"unicode"
)

// Clean removes what a terminal or a reader could be tricked by: C0 and C1
// control characters (escape sequences start with them), DEL, the Unicode
// bidirectional controls and the invisible zero-width characters (which
// can make two names look alike). Tabs, newlines and the Unicode line and
// paragraph separators become spaces.
func Clean(s string) string {
	if !needsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case unicode.IsControl(r), isBidi(r), isInvisible(r):
			// Dropped: see the doc comment.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsClean(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || isBidi(r) || isInvisible(r) || r == '\u2028' ||
			r == '\u2029' {
			return true
		}
	}
	return false
}

// isInvisible reports whether r is a zero-width space, joiner, word joiner
// or byte-order mark, which display as nothing.
func isInvisible(r rune) bool {
	return (r >= 0x200B && r <= 0x200D) || r == 0x2060 || r == 0xFEFF
}

// isBidi reports whether r is a bidirectional embedding, override or
// isolate, which can make text display in another order than it reads.
func isBidi(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200E || r == 0x200F || r == 0x061C
}

// mdSpecial are the characters that could start Markdown or HTML syntax
// inside inline text: emphasis, code, links and images, raw HTML, tables,
// strikethrough and entities. CommonMark lets any of them be escaped with a
// backslash.
const mdSpecial = "\\`*_[]<>|~&#!"

// MD makes an untrusted string safe as inline Markdown text.
func MD(s string) string {
	s = Clean(s)
	if !strings.ContainsAny(s, mdSpecial) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if r < 128 && strings.ContainsRune(mdSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Code makes an untrusted string safe inside an inline code span: it picks
// a fence longer than any run of backticks in the value.
func Code(s string) string {
	s = Clean(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// Cell is Code for a table cell: GitHub-flavoured tables split on every
// unescaped pipe, even inside a code span, so pipes are escaped too.
func Cell(s string) string {
	return strings.ReplaceAll(Code(s), "|", "\\|")
}

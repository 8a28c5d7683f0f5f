package ingest

import (
	"bytes"
	"fmt"
)

// The functions in this file find where JSON values start and end without
// decoding them. They match brackets and skip strings, so that each record
// can be cut out and decoded on its own: one broken record then costs only
// itself.

// space returns the offset of the first byte at or after i that is not JSON
// white space.
func space(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the offset just past the string that starts with the
// quote at i. A line break inside the string ends it with an error, since
// JSON forbids raw line breaks in strings; this keeps one unclosed quote in
// an NDJSON file from swallowing the lines after it.
func skipString(b []byte, i int) (int, *syntaxError) {
	for j := i + 1; j < len(b); j++ {
		// Most bytes of a string are ordinary; the table skips them without
		// a branch per case.
		for j < len(b) && !stringStop[b[j]] {
			j++
		}
		if j == len(b) {
			break
		}
		switch c := b[j]; {
		case c == '"':
			return j + 1, nil
		case c == '\\':
			j++
		case c == '\n' || c == '\r':
			return j, &syntaxError{i, "string is not closed before the end of the line"}
		}
		// Other control characters are invalid JSON, but they do not end a
		// string: the record is decoded with them escaped (see
		// escapeControls), so a log field cannot hide a record.
	}
	return len(b), &syntaxError{i, "string is not closed before the end of the input"}
}

// stringStop marks the bytes skipString must look at: the closing quote,
// the escape, and control characters.
var stringStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// skipValue returns the offset just past the value that starts at i. It
// checks that brackets match and strings close, and nothing else.
func skipValue(b []byte, i int) (int, *syntaxError) {
	var buf [32]byte
	stack := buf[:0]
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			end, err := skipString(b, i)
			if err != nil {
				return end, err
			}
			if len(stack) == 0 {
				return end, nil
			}
			i = end
			continue
		case '{', '[':
			if len(stack) == maxDepth {
				return i, &syntaxError{i, fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
			}
			stack = append(stack, c+2) // '{'+2 == '}', '['+2 == ']'
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return i, &syntaxError{i, fmt.Sprintf("unexpected %s", quoteChar(c))}
			}
			if stack = stack[:len(stack)-1]; len(stack) == 0 {
				return i + 1, nil
			}
		default:
			if len(stack) == 0 {
				return scalarEnd(b, i), nil
			}
		}
		i++
	}
	return i, eofError(i)
}

// scalarEnd returns the end of a number or literal starting at i.
func scalarEnd(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r', ',', ']', '}', '[', '{', '"':
			return i
		}
		i++
	}
	return i
}

// resync returns where reading can start again after a value that began at
// from could not be delimited: the next line that starts with '{' or '['.
func resync(b []byte, from int) int {
	for i := from; i < len(b); {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		if i < len(b) && (b[i] == '{' || b[i] == '[') {
			return i
		}
	}
	return len(b)
}

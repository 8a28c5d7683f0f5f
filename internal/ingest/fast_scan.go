package ingest

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// The scanner under the picker (fast_pick.go): it walks one JSON text
// without building anything, checks it as strictly as the JSON grammar
// does, and hands back the byte ranges of the values the picker keeps. Any
// doubt (a control character, a bad escape, a number the grammar refuses,
// nesting deeper than pickDepth) makes it give up with a negative offset;
// the record then takes the slower paths, which decide.

// pickDepth bounds the nesting the scanner follows. Entra records nest six
// levels; deeper ones go to the slower paths.
const pickDepth = 32

// SWAR constants: a byte repeated in every lane of a word.
const (
	lanes01 = 0x0101010101010101
	lanes80 = 0x8080808080808080
	lanes20 = 0x2020202020202020
	quotes  = 0x2222222222222222
	slashes = 0x5c5c5c5c5c5c5c5c
)

// stops marks, in the high bit of each lane, the bytes of w that end a run
// of plain string content: a quote, a backslash or a control character.
// A lane can be marked wrongly only above a lane marked rightly, so the
// lowest mark is exact.
func stops(w uint64) uint64 {
	q := w ^ quotes
	s := w ^ slashes
	return ((q - lanes01) &^ q) | ((s - lanes01) &^ s) | ((w - lanes20) &^ w)
}

// text is one record's bytes and what one look over them found. In a plain
// record (no backslash, no control character: nearly every record) a string
// ends at the next quote, which bytes.IndexByte finds many bytes at a time;
// the others are read a word at a time with every byte checked.
type text struct {
	b     []byte
	plain bool
	ascii bool // every byte is ASCII: keys need no check
	quoteBits
}

// newText looks over b once, a word at a time.
func newText(b []byte) text {
	var ctl, high uint64
	n := len(b) / 8
	if n > 0 {
		// The words overlay b; amd64 and arm64 load them unaligned.
		words := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(b))), n)
		var ctl2, high2 uint64
		for len(words) >= 2 {
			w0, w1 := words[0], words[1]
			ctl |= (w0 - lanes20) &^ w0
			ctl2 |= (w1 - lanes20) &^ w1
			high |= w0
			high2 |= w1
			words = words[2:]
		}
		for _, w := range words {
			ctl |= (w - lanes20) &^ w
			high |= w
		}
		ctl, high = ctl|ctl2, high|high2
	}
	for _, c := range b[n*8:] {
		if c < 0x20 {
			ctl |= lanes80
		}
		high |= uint64(c)
	}
	// A lane borrows only from a lane below 0x20, so any mark is a real one.
	return text{b: b, ascii: high&lanes80 == 0,
		plain: ctl&lanes80 == 0 && bytes.IndexByte(b, '\\') < 0}
}

// stringEnd returns the offset of the quote that closes the string whose
// content starts at i, and whether the content holds an escape. A control
// character, a bad escape or the end of b gives -1.
func (t *text) stringEnd(i int) (int, bool) {
	if t.plain {
		return t.plainEnd(i), false
	}
	return t.escapedEnd(i)
}

// wordsEnd is stringEnd for a record that is not plain: it reads a word at
// a time and checks every byte.
func wordsEnd(b []byte, i int) (int, bool) {
	esc := false
	for {
		for i+8 <= len(b) {
			m := stops(binary.LittleEndian.Uint64(b[i:])) & lanes80
			if m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 {
			i++
		}
		if i >= len(b) {
			return -1, false
		}
		switch b[i] {
		case '"':
			return i, esc
		case '\\':
			n := escapeLen(b, i)
			if n == 0 {
				return -1, false
			}
			i, esc = i+n, true
		default:
			return -1, false
		}
	}
}

// quoteAt returns the offset of the first quote at or after i, or -1. It
// reads a word at a time in line: the strings of a record are short, and
// calling bytes.IndexByte for each cost more than the search itself.
func quoteAt(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		q := binary.LittleEndian.Uint64(b[i:]) ^ quotes
		if m := (q - lanes01) &^ q & lanes80; m != 0 {
			// Only a lane above a quote can be marked wrongly.
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(b); i++ {
		if b[i] == '"' {
			return i
		}
	}
	return -1
}

// keyEnd is stringEnd for an object key, which the picker matches only
// when it is plain ASCII: an escape or any other byte gives -1.
func (t *text) keyEnd(i int) int {
	if t.plain && t.ascii {
		return t.plainEnd(i)
	}
	return t.asciiKeyEnd(i)
}

// wordsKeyEnd is keyEnd for a record that is not plain ASCII: it reads a
// word at a time and checks every byte.
func wordsKeyEnd(b []byte, i int) int {
	for i+8 <= len(b) {
		w := binary.LittleEndian.Uint64(b[i:])
		if m := (stops(w) | w) & lanes80; m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			break
		}
		i += 8
	}
	for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 && b[i] < 0x80 {
		i++
	}
	if i < len(b) && b[i] == '"' {
		return i
	}
	return -1
}

// escapeLen is the length of the escape at b[i] (a backslash), or 0 when
// the grammar refuses it.
func escapeLen(b []byte, i int) int {
	if i+1 >= len(b) {
		return 0
	}
	switch b[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if i+6 > len(b) {
			return 0
		}
		for _, c := range b[i+2 : i+6] {
			if !isHex(c) {
				return 0
			}
		}
		return 6
	}
	return 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// ws skips JSON white space from i.
func ws(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// numberEnd returns the end of the JSON number at i, or -1 when the
// grammar refuses it (a leading zero, a lone minus, "1.", "1e").
func numberEnd(b []byte, i int) int {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return -1
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		i = digits(b, i+1)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

// literalEnd returns the end of true, false or null at i, or -1.
func literalEnd(b []byte, i int) int {
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
			return i + len(lit)
		}
	}
	return -1
}

// passValue returns the end of the value at i (no white space before it),
// checking it on the way, or -1. depth is the nesting around it.
func (t *text) passValue(i, depth int) int {
	b := t.b
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		end := -1
		if t.plain {
			end = t.plainEnd(i + 1)
		} else {
			end, _ = t.stringEnd(i + 1)
		}
		if end < 0 {
			return -1
		}
		return end + 1
	case c == '{':
		return t.passObject(i, depth+1)
	case c == '[':
		return t.passArray(i, depth+1)
	case c == '-' || c >= '0' && c <= '9':
		return numberEnd(b, i)
	}
	return literalEnd(b, i)
}

// passObject passes the object at b[i] ('{').
func (t *text) passObject(i, depth int) int {
	b := t.b
	if depth > pickDepth {
		return -1
	}
	i = ws(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return -1
		}
		end := -1
		if t.plain {
			end = t.plainEnd(i + 1)
		} else {
			end, _ = t.stringEnd(i + 1)
		}
		if end < 0 {
			return -1
		}
		if i = ws(b, end+1); i >= len(b) || b[i] != ':' {
			return -1
		}
		// A plain record's strings, the most common values, are passed in
		// line.
		if i = ws(b, i+1); t.plain && i < len(b) && b[i] == '"' {
			if i = t.plainEnd(i + 1); i >= 0 {
				i++
			}
		} else {
			i = t.passValue(i, depth)
		}
		if i < 0 {
			return -1
		}
		if comma(b, i) {
			i++
			continue
		}
		var done bool
		if i, done = afterItem(b, i, '}'); i < 0 || done {
			return i
		}
	}
}

// passArray passes the array at b[i] ('[').
func (t *text) passArray(i, depth int) int {
	b := t.b
	if depth > pickDepth {
		return -1
	}
	i = ws(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1
	}
	for {
		if t.plain && i < len(b) && b[i] == '"' {
			if i = t.plainEnd(i + 1); i >= 0 {
				i++
			}
		} else {
			i = t.passValue(i, depth)
		}
		if i < 0 {
			return -1
		}
		if comma(b, i) {
			i++
			continue
		}
		var done bool
		if i, done = afterItem(b, i, ']'); i < 0 || done {
			return i
		}
	}
}

// comma reports whether b[i] is a comma with no white space after it, as
// compact records are written: the next item then starts at i+1. It is
// afterItem's common case, small enough to be inlined in the loops.
func comma(b []byte, i int) bool { return i+1 < len(b) && b[i] == ',' && b[i+1] > ' ' }

// afterItem reads what follows a member or an element at i: a comma, and
// it returns where the next one starts; or close, and it returns the offset
// past it with done set. Anything else gives -1.
func afterItem(b []byte, i int, close byte) (next int, done bool) {
	if i = ws(b, i); i >= len(b) {
		return -1, false
	}
	switch b[i] {
	case ',':
		return ws(b, i+1), false
	case close:
		return i + 1, true
	}
	return -1, false
}

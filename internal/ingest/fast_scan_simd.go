//go:build goexperiment.simd && amd64

package ingest

import (
	"encoding/binary"
	"math/bits"
	"simd/archsimd"
)

// The scanner's look over a record when Go's SIMD experiment is on and the
// CPU has AVX2: 64 bytes at a time, it finds what newText finds (a control
// character, a backslash, a byte above ASCII) and, on the way, every
// quote, which it keeps as a bitmap. A plain record's strings then end at
// the next set bit (plainEnd) instead of at a search through the bytes; in
// the few records that are not plain a second look marks every byte a
// string may stop at, and a string goes from mark to mark. Without AVX2 it
// looks as the default build does (newText), fills the quote bitmap a word
// at a time, and reads the strings of records that are not plain as the
// default build does.

// haveAVX2 is whether this CPU runs the look below.
var haveAVX2 = archsimd.X86.AVX2()

// quoteBits holds bitmaps of a record: bit k of q[j] is set when
// b[64*j+k] is a quote, and of s[j] when it is a quote, a backslash or a
// control character. reset fills q, and s only when the record is not
// plain; a text made otherwise has no q and must not be plain-scanned.
type quoteBits struct{ q, s []uint64 }

// spaces64 pads a record's last block: a space is neither a quote, a
// backslash, a control character nor above ASCII.
var spaces64 = [64]byte{' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}

// reset makes t the look over b, reusing t's bitmap.
func (t *text) reset(b []byte) {
	q, stops := t.q[:0], t.s[:0]
	n := (len(b) + 63) / 64
	if cap(q) < n {
		q = make([]uint64, n, n+n/4)
	}
	q = q[:n]
	if !haveAVX2 {
		*t = newText(b)
		t.q, t.s = q, stops
		quoteWords(b, q)
		return
	}
	*t = text{b: b, quoteBits: quoteBits{q, stops}}
	t.look(b, q)
	if !t.plain {
		if cap(stops) < n {
			stops = make([]uint64, n, n+n/4)
		}
		t.s = stops[:n]
		lookStops(b, t.s)
	}
}

// lookStops fills s with where b's strings may stop: a quote, a backslash
// or a control character. Only the few records that are not plain need it.
func lookStops(b []byte, s []uint64) {
	quote := archsimd.BroadcastUint8x32('"')
	slash := archsimd.BroadcastUint8x32('\\')
	ctl := archsimd.BroadcastUint8x32(0x1f)
	half := func(p *[32]byte) uint64 {
		x := archsimd.LoadUint8x32(p)
		return uint64(x.Equal(quote).Or(x.Equal(slash)).Or(x.Min(ctl).Equal(x)).ToBits())
	}
	j := 0
	for ; (j+1)*64 <= len(b); j++ {
		p := (*[64]byte)(b[j*64:])
		s[j] = half((*[32]byte)(p[:32])) | half((*[32]byte)(p[32:]))<<32
	}
	if j*64 < len(b) {
		pad := spaces64
		copy(pad[:], b[j*64:])
		s[j] = half((*[32]byte)(pad[:32])) | half((*[32]byte)(pad[32:]))<<32
	}
}

// look fills q with b's quotes and sets t.plain and t.ascii, a block of 64
// bytes at a time; the last, short block is padded with spaces. Across
// blocks it keeps the smallest byte (below 0x20: a control character), the
// OR of all bytes (high bit: a byte above ASCII) and any backslash.
func (t *text) look(b []byte, q []uint64) {
	quote := archsimd.BroadcastUint8x32('"')
	slash := archsimd.BroadcastUint8x32('\\')
	low := archsimd.BroadcastUint8x32(0xff)
	var high archsimd.Uint8x32
	var esc uint32
	block := func(p *[64]byte) uint64 {
		x0 := archsimd.LoadUint8x32((*[32]byte)(p[:32]))
		x1 := archsimd.LoadUint8x32((*[32]byte)(p[32:]))
		esc |= x0.Equal(slash).Or(x1.Equal(slash)).ToBits()
		low = low.Min(x0).Min(x1)
		high = high.Or(x0).Or(x1)
		return uint64(x0.Equal(quote).ToBits()) | uint64(x1.Equal(quote).ToBits())<<32
	}
	j := 0
	for ; (j+1)*64 <= len(b); j++ {
		q[j] = block((*[64]byte)(b[j*64:]))
	}
	if j*64 < len(b) {
		pad := spaces64
		copy(pad[:], b[j*64:])
		q[j] = block(&pad)
	}
	ctl := low.Less(archsimd.BroadcastUint8x32(0x20)).ToBits()
	above := high.AsInt8x32().Less(archsimd.Int8x32{}).ToBits()
	t.plain = ctl == 0 && esc == 0
	t.ascii = above == 0
}

// plainEnd is stringEnd for a plain record, small enough to be inlined:
// the offset of the next quote from i, or -1. The quote is most often in
// the same 64 bytes.
func (t *text) plainEnd(i int) int {
	q, s := t.q, uint(i)&63
	for j := uint(i) >> 6; j < uint(len(q)); j, s = j+1, 0 {
		if m := q[j] >> s; m != 0 {
			return int(j<<6+s) + bits.TrailingZeros64(m)
		}
	}
	return -1
}

// quoteWords fills q with b's quotes a word at a time, for a CPU without
// AVX2. A lane of v is zero exactly where w holds a quote; the multiply
// gathers the lanes' marks into one byte.
func quoteWords(b []byte, q []uint64) {
	clear(q)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		v := binary.LittleEndian.Uint64(b[i:]) ^ quotes
		marks := ^((v&^lanes80 + ^uint64(lanes80)) | v) & lanes80
		q[i>>6] |= (marks >> 7 * gather >> 56) << (i & 63)
	}
	for ; i < len(b); i++ {
		if b[i] == '"' {
			q[i>>6] |= 1 << (i & 63)
		}
	}
}

// gather moves bit 8k of a word to bit 56+k when multiplied.
const gather = 0x0102040810204080

// nextBit returns the offset of the first bit set in m at or after i, or
// -1.
func nextBit(m []uint64, i int) int {
	s := uint(i) & 63
	for j := uint(i) >> 6; j < uint(len(m)); j, s = j+1, 0 {
		if w := m[j] >> s; w != 0 {
			return int(j<<6+s) + bits.TrailingZeros64(w)
		}
	}
	return -1
}

// escapedEnd is stringEnd for a record that is not plain: it goes from
// stop to stop in t.s, checking each escape, and gives up at a control
// character. Without the bitmap it reads a word at a time.
func (t *text) escapedEnd(i int) (int, bool) {
	if len(t.s) == 0 {
		return wordsEnd(t.b, i)
	}
	b, esc := t.b, false
	for {
		j := nextBit(t.s, i)
		switch {
		case j < 0:
			return -1, false
		case b[j] == '"':
			return j, esc
		case b[j] == '\\':
			n := escapeLen(b, j)
			if n == 0 {
				return -1, false
			}
			i, esc = j+n, true
		default:
			return -1, false
		}
	}
}

// asciiKeyEnd is keyEnd for a record that is not plain ASCII: the key ends
// at its first stop, which must be a quote, and holds no byte above ASCII.
func (t *text) asciiKeyEnd(i int) int {
	var j int
	switch {
	case t.plain:
		j = t.plainEnd(i)
	case len(t.s) > 0:
		j = nextBit(t.s, i)
	default:
		return wordsKeyEnd(t.b, i)
	}
	if j < 0 || t.b[j] != '"' || !t.ascii && !ascii(t.b[i:j]) {
		return -1
	}
	return j
}

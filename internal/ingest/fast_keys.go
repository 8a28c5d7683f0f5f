package ingest

import (
	"encoding/binary"
	"math/bits"
)

// keyTable finds the picker's id for an object key, matching without
// regard to ASCII case as the JSON decoder does. Every key of every object
// the picker walks comes here, most of them keys it passes over, so a look
// up compares words, not bytes: a slot keeps its name's first and last
// eight bytes, and a key whose words and length match is the name when it
// is at most sixteen bytes long (longer ones compare their middle too).
// The slot is chosen by a hash of the words folded to lower case, so a key
// and its case variants land on the same slot; probing is linear.
type keyTable struct {
	slots [128]keySlot
	// shape is the table's index in a picker's shapes (fast_shape.go), or
	// -1 for a table built after the first maxKeyTables (tests build
	// their own), whose objects are looked up key by key.
	shape int
}

// keySlot is one name of a keyTable; n is 0 in an empty slot.
type keySlot struct {
	lo, hi uint64
	n      int
	name   string
	id     int8
}

// fold8 sets the bit that makes an ASCII letter lower case in every byte.
// Or-ing it into two words that are equal without regard to case makes
// them equal; the converse needs foldEqualASCII.
const fold8 = 0x2020202020202020

// newKeyTable builds a table of names; a name's id is its index.
func newKeyTable(names ...string) *keyTable {
	t := &keyTable{shape: -1}
	if keyTables < maxKeyTables {
		t.shape = keyTables
		keyTables++
	}
	for id, n := range names {
		lo, hi := keyWords([]byte(n))
		h := keySlotOf(lo, hi, len(n))
		for t.slots[h].n != 0 {
			h = (h + 1) & (len(t.slots) - 1)
		}
		t.slots[h] = keySlot{lo: lo, hi: hi, n: len(n), name: n, id: int8(id)}
	}
	return t
}

// find returns the id of k, or -1 when the table does not hold it.
func (t *keyTable) find(k []byte) int {
	n := len(k)
	if n == 0 {
		return -1
	}
	lo, hi := keyWords(k)

	for h := keySlotOf(lo, hi, n); ; h = (h + 1) & (len(t.slots) - 1) {
		s := &t.slots[h]
		switch {
		case s.n == 0:
			return -1
		case s.n != n:
		case s.lo == lo && s.hi == hi && (n <= 16 || s.name[8:n-8] == string(k[8:n-8])):
			return int(s.id)
		case s.lo|fold8 == lo|fold8 && s.hi|fold8 == hi|fold8 && foldEqualASCII(s.name, k):
			return int(s.id)
		}
	}
}

// keyWords returns k's first eight bytes and its last eight, as
// little-endian words. A key shorter than eight bytes has its bytes in lo,
// zero above them, and hi zero. A key read out of a record has room after
// it (its closing quote at least, and the block's spare capacity), which
// lets a short key load a whole word and mask it.
func keyWords(k []byte) (lo, hi uint64) {
	n := len(k)
	if n >= 8 {
		return binary.LittleEndian.Uint64(k), binary.LittleEndian.Uint64(k[n-8:])
	}
	if cap(k) >= 8 {
		return binary.LittleEndian.Uint64(k[:8]) & (1<<(8*n) - 1), 0
	}
	for i := n - 1; i >= 0; i-- {
		lo = lo<<8 | uint64(k[i])
	}
	return lo, 0
}

// keySlotOf is the first slot a key with these words and length probes;
// the words are folded so that case variants share it.
func keySlotOf(lo, hi uint64, n int) int {
	h := (lo | fold8) + bits.RotateLeft64(hi|fold8, 31) + uint64(n)
	return int(h * 0x9e3779b97f4a7c15 >> 57)
}

// foldEqualASCII reports whether a and b are equal when ASCII letters are
// folded; other bytes must match exactly.
func foldEqualASCII(a string, b []byte) bool {
	for i := range len(a) {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if x|0x20 != y|0x20 || x|0x20 < 'a' || x|0x20 > 'z' {
			return false
		}
	}
	return true
}

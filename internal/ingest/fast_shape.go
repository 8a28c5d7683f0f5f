package ingest

import "encoding/binary"

// An export writes every record of a log with the same keys in the same
// order: Graph serializes each property of its schema, null or not. The
// picker keeps, for each key table, the keys the last object walked with
// it had, in order (its shape), and checks the next object's keys against
// it: a key that is the one expected at its place is known without
// searching for its end or looking it up. A key that is not learns its
// place, so a file whose shape changes pays one look-up per key once.

// maxKeyTables bounds the key tables a picker keeps shapes for; each
// table takes the next index (keyTable.shape) when it is built, and those
// built after the first maxKeyTables have none.
const maxKeyTables = 8

// maxShapeKeys and maxShapeKey bound what a shape learns, against a record
// with thousands of keys or very long ones; those are looked up each time.
const (
	maxShapeKeys = 128
	maxShapeKey  = 64
)

// maxShapeNames bounds the long keys a picker keeps a copy of.
const maxShapeNames = 4096

// keyTables counts the tables built, to give each its shape index.
var keyTables int

// shapeKey is the key at one place of a shape: its words (keyWords), its
// length and its id in the table. A key of 17 to 32 bytes also keeps the
// words at 8 and at n-16, which with lo and hi cover it; mid holds the
// bytes between lo and hi of a longer one.
type shapeKey struct {
	lo, hi, m1, m2 uint64
	n, id          int
	mid            string
}

// shapes are a picker's shapes, one per key table, and the copies of the
// long keys they hold.
type shapes struct {
	of    [maxKeyTables][]shapeKey
	names map[string]string
}

// expected returns the id of the key that starts at b[i], just after its
// opening quote, and the offset of its closing quote, when it is the key
// the shape of t holds at place at; end is -1 when it is not. The key in
// the shape has no quote, backslash or control character, so the bytes
// being equal and followed by a quote make the string that key.
func (s *shapes) expected(b []byte, i int, t *keyTable, at int) (id, end int) {
	if t.shape < 0 {
		return -1, -1
	}
	shape := s.of[t.shape]
	if at >= len(shape) {
		return -1, -1
	}
	k := &shape[at]
	end = i + k.n
	if end >= len(b) || b[end] != '"' {
		return -1, -1
	}
	lo, hi := keyWords(b[i:end])
	if lo != k.lo || hi != k.hi {
		return -1, -1
	}
	switch {
	case k.n <= 16:
	case k.n <= 32:
		if binary.LittleEndian.Uint64(b[i+8:]) != k.m1 ||
			binary.LittleEndian.Uint64(b[end-16:]) != k.m2 {
			return -1, -1
		}
	case k.mid != string(b[i+8:end-8]):
		return -1, -1
	}
	return k.id, end
}

// learn makes k, whose id in t is id, the key at place at of t's shape.
// k must be a whole key as the record spells it, with no escape in it: a
// key read through an escape is not learnt.
func (s *shapes) learn(k []byte, t *keyTable, at, id int) {
	if t.shape < 0 {
		return
	}
	shape := s.of[t.shape]
	if at > len(shape) || at >= maxShapeKeys || len(k) > maxShapeKey {
		return
	}
	for _, c := range k {
		if c == '\\' || c == '"' || c < 0x20 {
			return
		}
	}
	lo, hi := keyWords(k)
	sk := shapeKey{lo: lo, hi: hi, n: len(k), id: id}
	if len(k) > 16 && len(k) <= 32 {
		sk.m1 = binary.LittleEndian.Uint64(k[8:])
		sk.m2 = binary.LittleEndian.Uint64(k[len(k)-16:])
	}
	if len(k) > 32 {
		mid, ok := s.names[string(k[8:len(k)-8])]
		if !ok {
			if len(s.names) >= maxShapeNames {
				return
			}
			if s.names == nil {
				s.names = map[string]string{}
			}
			mid = string(k[8 : len(k)-8])
			s.names[mid] = mid
		}
		sk.mid = mid
	}

	if at == len(shape) {
		shape = append(shape, sk)
	} else {
		shape[at] = sk
	}
	s.of[t.shape] = shape
}

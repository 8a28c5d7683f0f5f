package ingest

// keyTable finds the picker's id for an object key, matching without
// regard to ASCII case as the JSON decoder does. It hashes the length and
// three letters folded to lower case, so that a key and its case variants
// land on the same slot, and probes linearly from there.
type keyTable struct {
	slots [128]keySlot
}

type keySlot struct {
	name string
	id   int8
}

// newKeyTable builds a table of names; a name's id is its index.
func newKeyTable(names ...string) *keyTable {
	t := &keyTable{}
	for id, n := range names {
		h := keyHash(n)
		for t.slots[h].name != "" {
			h = (h + 1) & (len(t.slots) - 1)
		}
		t.slots[h] = keySlot{name: n, id: int8(id)}
	}
	return t
}

// find returns the id of k, or -1 when the table does not hold it.
func (t *keyTable) find(k []byte) int {
	if len(k) == 0 {
		return -1
	}
	for h := keyHash(k); ; h = (h + 1) & (len(t.slots) - 1) {
		s := &t.slots[h]
		switch {
		case s.name == "":
			return -1
		case len(s.name) != len(k):
		case s.name == string(k) || foldEqualASCII(s.name, k):
			return int(s.id)
		}
	}
}

func keyHash[T string | []byte](k T) int {
	if len(k) == 0 {
		return 0
	}
	n := len(k)
	h := uint(n)*131 + uint(k[0]|0x20)*31 + uint(k[n/2]|0x20)*7 + uint(k[n-1]|0x20)
	return int(h*0x9e3779b1>>7) & 127
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

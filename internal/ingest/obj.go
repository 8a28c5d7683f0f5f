package ingest

import (
	"slices"
	"sort"
	"strings"
)

// obj is one decoded JSON object whose keys are matched without regard to
// case: Graph writes "createdDateTime", Log Analytics "CreatedDateTime",
// Panther "createddatetime". path is where the object sits in its record
// ("status", "location.geoCoordinates"), for warnings.
type obj struct {
	m    map[string]any
	path string
	// folded lists the keys lower-cased, sorted, with the key as written.
	// It is built on the first lookup that misses the exact spelling.
	folded []foldedKey
}

type foldedKey struct{ lower, key string }

func newObj(m map[string]any, path string) *obj {
	if m == nil {
		return nil
	}
	return &obj{m: m, path: path}
}

// get returns the value at key, matched exactly first, then ignoring case.
// When two keys differ only in case ("Level", "level") and neither matches
// exactly, the one that sorts first wins, so the choice is stable.
func (o *obj) get(key string) (any, bool) {
	if o == nil {
		return nil, false
	}
	if v, ok := o.m[key]; ok {
		return v, true
	}
	if o.folded == nil {
		o.index()
	}
	var buf [64]byte
	lk := string(lowerASCII(buf[:0], key))
	i := sort.Search(len(o.folded), func(i int) bool { return o.folded[i].lower >= lk })
	if i == len(o.folded) || o.folded[i].lower != lk {
		return nil, false
	}
	return o.m[o.folded[i].key], true
}

// index builds folded. The lower-cased keys share one buffer, so the index
// costs two allocations whatever the number of keys.
func (o *obj) index() {
	size := 0
	keys := make([]foldedKey, 0, len(o.m))
	for k := range o.m {
		size += len(k)
		keys = append(keys, foldedKey{key: k})
	}
	buf := make([]byte, 0, size)
	for _, fk := range keys {
		buf = lowerASCII(buf, fk.key)
	}
	all, pos := string(buf), 0
	for i := range keys {
		n := len(keys[i].key)
		keys[i].lower, pos = stripUnit(all[pos:pos+n]), pos+n
	}
	slices.SortFunc(keys, func(a, b foldedKey) int {
		if c := strings.Compare(a.lower, b.lower); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	o.folded = keys
}

// has reports whether key is present with a value other than null or "".
func (o *obj) has(key string) bool {
	v, ok := o.get(key)
	if !ok || v == nil {
		return false
	}
	s, isStr := v.(string)
	return !isStr || strings.TrimSpace(s) != ""
}

// child returns the path of a member of o, for warnings.
func (o *obj) child(key string) string {
	if o == nil || o.path == "" {
		return key
	}
	return o.path + "." + key
}

// keys returns the object's keys, sorted.
func (o *obj) keys() []string {
	if o == nil {
		return nil
	}
	ks := make([]string, 0, len(o.m))
	for k := range o.m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// lowerASCII appends s lower-cased to dst. Keys are ASCII, so this avoids
// an allocation per lookup; other bytes are copied as they are.
func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// stripUnit drops a bracketed suffix from a column name: Log Analytics
// exports write "TimeGenerated [UTC]", in CSV and JSON alike.
func stripUnit(k string) string {
	if i := strings.LastIndex(k, " ["); i > 0 && strings.HasSuffix(k, "]") {
		return strings.TrimSpace(k[:i])
	}
	return k
}

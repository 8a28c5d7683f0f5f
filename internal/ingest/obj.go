package ingest

import (
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
	// folded maps each lower-cased key to the key as written. It is built
	// on the first lookup that misses the exact spelling.
	folded map[string]string
}

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
		o.folded = make(map[string]string, len(o.m))
		for k := range o.m {
			lk := string(lowerASCII(nil, k))
			if prev, ok := o.folded[lk]; !ok || k < prev {
				o.folded[lk] = k
			}
		}
	}
	var buf [64]byte
	lk := lowerASCII(buf[:0], key)
	k, ok := o.folded[string(lk)]
	if !ok {
		return nil, false
	}
	return o.m[k], true
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

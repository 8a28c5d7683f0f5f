package detect

// Ids (application, device, request) are checked for upper case on every
// sign-in, and most are 36-byte GUIDs already in lower case: looking at
// them eight bytes at a time rather than one halves what the checks cost,
// which was about a tenth of the engine's instructions. The eight bytes
// of a word are read in one load, which the compiler merges them into.

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// word returns the eight bytes of s from i, the first in the low byte.
func word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// upperIn has the high bit of each byte of x that is in 'A'..'Z' set, and
// no other bit, for bytes below 0x80. Adding 0x80-'A' to such a byte sets
// its high bit from 'A' up, adding 0x80-'Z'-1 from past 'Z'; neither sum
// carries into the next byte.
func upperIn(x uint64) uint64 {
	return (x + (0x80-'A')*lows) &^ (x + (0x80-'Z'-1)*lows) & highs
}

// hasUpper reports whether s holds a byte in 'A'..'Z'.
func hasUpper(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := word(s, i)
		if upperIn(x&^highs)&^x != 0 { // a byte from 0x80 is no letter
			return true
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// hasUpperOrWide reports whether s holds a byte in 'A'..'Z' or from 0x80,
// which strings.ToLower may change.
func hasUpperOrWide(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if x := word(s, i); x&highs != 0 || upperIn(x) != 0 {
			return true
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

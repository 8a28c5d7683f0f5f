package detect

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestHasUpper compares the word-at-a-time checks with a byte loop on
// every byte value at every position of strings of up to 17 bytes.
func TestHasUpper(t *testing.T) {
	slow := func(s string, wide bool) bool {
		for i := range len(s) {
			if c := s[i]; 'A' <= c && c <= 'Z' || wide && c >= utf8.RuneSelf {
				return true
			}
		}
		return false
	}
	for n := range 18 {
		for pos := range n {
			for c := range 256 {
				b := []byte(strings.Repeat("a", n))
				b[pos] = byte(c)
				s := string(b)
				if got, want := hasUpper(s), slow(s, false); got != want {
					t.Fatalf("hasUpper(%q) = %v, want %v", s, got, want)
				}
				if got, want := hasUpperOrWide(s), slow(s, true); got != want {
					t.Fatalf("hasUpperOrWide(%q) = %v, want %v", s, got, want)
				}
			}
		}
	}
	// Neighbouring bytes must not change a byte's answer (carries).
	for _, s := range []string{"@[`{\xff\x80\x7f\x00@[`{\xff\x80\x7f\x00",
		"\xc1\xda\xc1\xda\xc1\xda\xc1\xda", "ZZZZZZZZ", "AAAAAAAA", "\x00\x00\x00\x00\x00\x00\x00A"} {
		if got, want := hasUpper(s), slow(s, false); got != want {
			t.Errorf("hasUpper(%q) = %v, want %v", s, got, want)
		}
		if got, want := hasUpperOrWide(s), slow(s, true); got != want {
			t.Errorf("hasUpperOrWide(%q) = %v, want %v", s, got, want)
		}
	}
}

func BenchmarkHasUpperGUID(b *testing.B) {
	id := "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	for b.Loop() {
		hasUpperOrWide(id)
	}
}

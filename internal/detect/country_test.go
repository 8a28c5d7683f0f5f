package detect

import (
	"testing"
	"unsafe"
)

// TestCountryText: two upper-case letters give the shared string of that
// code, equal to the input; anything else is returned as it is.
func TestCountryText(t *testing.T) {
	tests := []struct {
		in     string
		shared bool
	}{
		{"PT", true}, {"AA", true}, {"ZZ", true},
		{"", false}, {"P", false}, {"pt", false}, {"P1", false}, {"PRT", false},
		{"@Z", false}, {"Z[", false},
	}
	for _, tt := range tests {
		in := string([]byte(tt.in)) // a copy of its own, as a record's text is
		got := countryText(in)
		if got != tt.in {
			t.Errorf("countryText(%q) = %q", tt.in, got)
		}
		shared := len(got) > 0 && unsafe.StringData(got) == unsafe.StringData(countryText(tt.in))
		if shared != tt.shared || tt.shared && unsafe.StringData(got) == unsafe.StringData(in) {
			t.Errorf("countryText(%q) shared = %v, want %v", tt.in, shared, tt.shared)
		}
	}
}

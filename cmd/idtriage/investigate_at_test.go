package main

import (
	"testing"
	"time"
)

// TestParseAt: --at takes an RFC 3339 time and the minute hunt's table
// prints (UTC), so the table's START can be pasted as the footer says (a
// reviewer's case); anything else is a usage error.
func TestParseAt(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{"", time.Time{}, false},
		{"2026-03-03T21:08:51Z", time.Date(2026, 3, 3, 21, 8, 51, 0, time.UTC), false},
		{"2026-03-03T22:08:51+01:00", time.Date(2026, 3, 3, 21, 8, 51, 0, time.UTC), false},
		{"2026-03-03 21:08", time.Date(2026, 3, 3, 21, 8, 0, 0, time.UTC), false},
		{"2026-03-03T21:08", time.Date(2026, 3, 3, 21, 8, 0, 0, time.UTC), false},
		{"21:08", time.Time{}, true},
		{"yesterday", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := parseAt(tt.in)
		if (err != nil) != tt.bad || !got.Equal(tt.want) {
			t.Errorf("parseAt(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.bad)
		}
		if _, usage := err.(*usageError); tt.bad && !usage {
			t.Errorf("parseAt(%q): error %v is not a usage error", tt.in, err)
		}
	}
}

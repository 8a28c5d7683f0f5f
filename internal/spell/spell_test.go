package spell

import "testing"

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"since", "since", 0},
		{"", "rules", 5},
		{"rule", "rules", 1},
		{"sinec", "since", 2},
		{"breakglass", "break-glass", 1},
		{"minUser", "minUsers", 1},
		{"kitten", "sitting", 3},
		{"temp", "help", 2},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

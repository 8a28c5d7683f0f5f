package detect

import (
	"slices"
	"testing"
)

// TestRemember: the value ends the list once, and a full list loses its
// oldest entry only for a value it does not hold.
func TestRemember(t *testing.T) {
	tests := []struct {
		name  string
		list  []string
		v     string
		limit int
		want  []string
	}{
		{"empty", nil, "a", 3, []string{"a"}},
		{"new", []string{"a"}, "b", 3, []string{"a", "b"}},
		{"the last again", []string{"a", "b"}, "b", 3, []string{"a", "b"}},
		{"an earlier one moves last", []string{"a", "b", "c"}, "a", 3, []string{"b", "c", "a"}},
		{"full drops the oldest", []string{"a", "b", "c"}, "d", 3, []string{"b", "c", "d"}},
		{"full keeps all for the last", []string{"a", "b", "c"}, "c", 3,
			[]string{"a", "b", "c"}},
	}
	for _, tt := range tests {
		if got := remember(slices.Clone(tt.list), tt.v, tt.limit); !slices.Equal(got, tt.want) {
			t.Errorf("%s: remember(%v, %q) = %v, want %v", tt.name, tt.list, tt.v, got, tt.want)
		}
	}
}

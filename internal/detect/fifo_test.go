package detect

import (
	"slices"
	"testing"
)

// TestFifo pushes and drops in several rhythms and compares the queue with
// a plain slice; the dropped values must also be cleared from the array.
func TestFifo(t *testing.T) {
	tests := []struct {
		name       string
		push, drop []int // per round
	}{
		{"one in one out", []int{1, 1, 1, 1, 1, 1}, []int{0, 1, 1, 1, 1, 1}},
		{"fill then drain", []int{5, 0, 0, 0, 0}, []int{0, 1, 2, 2, 0}},
		{"grow while dropping", []int{3, 3, 3, 3, 3}, []int{1, 2, 2, 2, 2}},
		{"drop everything", []int{4, 4, 4}, []int{4, 4, 4}},
		{"nothing", []int{0, 0}, []int{0, 0}},
	}
	for _, tt := range tests {
		var q fifo[*int]
		var want []*int
		next := 0
		for round := range tt.push {
			for range tt.push[round] {
				v := new(int)
				*v, next = next, next+1
				q.push(v)
				want = append(want, v)
			}
			n := tt.drop[round]
			q.drop(n)
			want = want[n:]
			if !slices.Equal(q.all(), want) || q.len() != len(want) {
				t.Fatalf("%s, round %d: queue holds %d values, want %d in order", tt.name,
					round, q.len(), len(want))
			}
			for i, v := range q.buf[:cap(q.buf)] {
				if v != nil && (i < q.head || i >= len(q.buf)) {
					t.Fatalf("%s, round %d: slot %d outside the queue still points at %d",
						tt.name, round, i, *v)
				}
			}
		}
	}
}

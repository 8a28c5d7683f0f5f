package detect

import (
	"testing"
	"time"
)

// TestWindowExpire: an event expires once now is more than span after it,
// not at span; a time before every event expires none, and the far end
// Close evaluates at expires all.
func TestWindowExpire(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	w := newWindow(time.Hour)
	for i, k := range []string{"a", "b", "a"} {
		w.push(&event{t: t0.Add(time.Duration(i) * time.Hour)}, k)
	}
	for _, tt := range []struct {
		now       time.Time
		left, ids int
	}{
		{t0.Add(-48 * time.Hour), 3, 2},
		{t0.Add(time.Hour), 3, 2},
		{t0.Add(time.Hour + time.Nanosecond), 2, 2},
		{t0.Add(2*time.Hour + time.Nanosecond), 1, 1},
		{t0.Add(3 * time.Hour), 1, 1},
		{time.Unix(1<<62, 0), 0, 0},
	} {
		w.expire(tt.now)
		if got := len(w.events()); got != tt.left || w.distinct() != tt.ids {
			t.Errorf("at %v: %d events of %d keys left, want %d of %d", tt.now, got,
				w.distinct(), tt.left, tt.ids)
		}
	}
	if !w.empty() || !w.first().IsZero() {
		t.Errorf("window not empty at the end: first %v", w.first())
	}
}

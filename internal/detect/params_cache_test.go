package detect

import (
	"strings"
	"testing"
)

// DefaultParams hands out copies: changing one, or loading a file over it,
// leaves the next caller's defaults as the embedded file says.
func TestDefaultParamsAreCopies(t *testing.T) {
	a := DefaultParams()
	want := DefaultParams().ImpossibleTravel.MinSpeedKmh
	a.ImpossibleTravel.MinSpeedKmh = 1
	if len(a.AtRisk.Levels) > 0 {
		a.AtRisk.Levels[0] = "changed"
	}
	b := DefaultParams()
	if b.ImpossibleTravel.MinSpeedKmh != want {
		t.Errorf("a caller's change reached the defaults: %v", b.ImpossibleTravel.MinSpeedKmh)
	}
	for _, l := range b.AtRisk.Levels {
		if strings.Contains(l, "changed") {
			t.Errorf("a caller's change to a list reached the defaults: %v", b.AtRisk.Levels)
		}
	}
	if len(b.AtRisk.Levels) == 0 {
		t.Fatal("test needs a default list to mutate")
	}
}

func BenchmarkDefaultParams(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = DefaultParams()
	}
}

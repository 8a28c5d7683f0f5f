package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC checks that hunt's collector setting applies, yields to the
// environment, and is undone afterwards.
func TestTuneGC(t *testing.T) {
	for _, c := range []struct {
		name, gogc, memlimit string
		percent              int
		limit                int64
	}{
		{"defaults", "", "", huntGCPercent, huntMemLimit},
		{"GOGC set", "150", "", 100, huntMemLimit},
		{"GOMEMLIMIT set", "", "1GiB", huntGCPercent, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("GOGC", c.gogc)
			t.Setenv("GOMEMLIMIT", c.memlimit)
			before := debug.SetGCPercent(100)
			defer debug.SetGCPercent(before)
			beforeLimit := debug.SetMemoryLimit(-1)

			restore := tuneGC()
			percent, limit := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1)
			debug.SetGCPercent(percent)
			restore()

			if percent != c.percent {
				t.Errorf("GOGC during the hunt = %d, want %d", percent, c.percent)
			}
			if c.limit >= 0 && limit != c.limit {
				t.Errorf("memory limit during the hunt = %d, want %d", limit, c.limit)
			}
			if c.limit < 0 && limit != beforeLimit {
				t.Errorf("memory limit changed to %d though GOMEMLIMIT was set", limit)
			}
			if after := debug.SetGCPercent(100); after != 100 {
				t.Errorf("GOGC after the hunt = %d, want the 100 before it", after)
			}
			if after := debug.SetMemoryLimit(-1); after != beforeLimit {
				t.Errorf("memory limit after the hunt = %d, want %d", after, beforeLimit)
			}
		})
	}
}

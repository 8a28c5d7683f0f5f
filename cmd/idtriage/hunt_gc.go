package main

import (
	"os"
	"runtime/debug"
)

// huntGC is the garbage collector's setting while hunt runs: the heap may
// grow to five times what is live before a collection (GOGC 400) under a
// soft limit of 192 MiB. Hunting allocates a record's worth for every
// record it reads and keeps little of it, so collecting each time the heap
// doubles cost about a sixth of its CPU; the limit keeps the process near
// 210 MiB on the million-sign-in benchmark (256 MiB gave 267 MiB and no
// less CPU). GOGC and GOMEMLIMIT in the environment win over both.
const (
	huntGCPercent = 400
	huntMemLimit  = 192 << 20
)

// tuneGC applies huntGC and returns a function that restores the settings
// before it, so that a hunt run inside another program (the tests) leaves
// the collector as it found it.
func tuneGC() (restore func()) {
	percent, limit := -2, int64(-1)
	if os.Getenv("GOGC") == "" {
		percent = debug.SetGCPercent(huntGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(huntMemLimit)
	}
	return func() {
		if percent != -2 {
			debug.SetGCPercent(percent)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}

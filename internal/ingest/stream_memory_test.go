package ingest

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/simulate"
)

// memoryRecords is how many records the memory test streams: 2,000,000
// sign-ins of about 4.5 KB, 9 GB, through a named pipe so that nothing
// lands on disk.
const memoryRecords = 2_000_000

// memoryBudget is the peak resident memory the test allows for the whole
// test process: the blocks in flight (a few per worker, 1 MiB each), the
// records being decoded, and the garbage collector's headroom. Streaming
// measures about 165 MiB on this project's 2-core machine; a reader whose
// memory grew with its input would pass 1 GiB long before the end.
const memoryBudget = 256 << 20

// TestStreamMemoryIsFlat streams two million synthetic sign-ins and checks
// that memory stays within a fixed budget, and that the live heap after the
// last record is at most 32 MiB above what it was after the first tenth
// (garbage collection timing moves it a little). It takes about 12 s
// on two cores; -short skips it.
func TestStreamMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 9 GB; skipped with -short")
	}
	if runtime.GOOS != "linux" {
		t.Skip("needs a named pipe and /proc")
	}
	lines := sampleLines(t)
	pipe := filepath.Join(t.TempDir(), "signins.ndjson")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	werr := make(chan error, 1)
	go func() { werr <- feed(pipe, lines, memoryRecords) }()

	resetPeakRSS()
	start := time.Now()
	n := 0
	var early, late uint64
	sum, err := Stream([]string{pipe}, Options{Lean: true}, func(r Record) error {
		switch n++; n {
		case memoryRecords / 10:
			early = liveHeap()
		case memoryRecords:
			late = liveHeap()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-werr; err != nil {
		t.Fatal(err)
	}
	peak := peakRSS()
	t.Logf("%d records in %v; peak RSS %d MiB; live heap %d MiB after a tenth, %d MiB at the end",
		n, time.Since(start).Round(time.Millisecond), peak>>20, early>>20, late>>20)
	if n != memoryRecords || len(sum.Problems) > 0 {
		t.Fatalf("streamed %d records with %d problems, want %d and none", n,
			len(sum.Problems), memoryRecords)
	}
	if peak > memoryBudget {
		t.Errorf("peak RSS %d MiB, over the budget of %d MiB", peak>>20, memoryBudget>>20)
	}
	if late > early+32<<20 {
		t.Errorf("live heap grew from %d MiB to %d MiB over the stream", early>>20, late>>20)
	}
}

// sampleLines returns the sign-in lines of a small generated tenant.
func sampleLines(t *testing.T) [][]byte {
	t.Helper()
	out := t.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 50, Days: 1, Seed: 5, Out: out}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, simulate.LogsDir, "2026-03-02.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		if bytes.Contains(l, []byte(`"createdDateTime"`)) {
			lines = append(lines, l)
		}
	}
	return lines
}

// feed writes n lines, cycling through lines, to the named pipe.
func feed(pipe string, lines [][]byte, n int) error {
	f, err := os.OpenFile(pipe, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for i := range n {
		if _, err := w.Write(lines[i%len(lines)]); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// liveHeap is the heap in use by live objects after a collection.
func liveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// resetPeakRSS resets the kernel's high-water mark of resident memory.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads VmHWM from /proc/self/status, in bytes.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

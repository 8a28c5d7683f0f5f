package ingest_test

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
	"github.com/idtriage/idtriage/internal/simulate"
)

// The benchmarks run over a generated tenant: 300 users over 7 days by
// default (about 70,000 sign-ins, 320 MB). Pass -bench.tenant DIR to use
// one made by idtriage simulate (its logs folder), or -bench.users and
// -bench.days to generate another size.
var (
	benchTenantDir = flag.String("bench.tenant", "", "logs folder of a generated tenant to read")
	benchUsers     = flag.Int("bench.users", 300, "users of the generated tenant")
	benchDays      = flag.Int("bench.days", 7, "days of the generated tenant")
)

var (
	tenantOnce sync.Once
	tenantDir  string
	tenantErr  error
)

// benchTenant returns the logs folder to read and its size in bytes.
func benchTenant(b *testing.B) (string, int64) {
	b.Helper()
	tenantOnce.Do(func() {
		if *benchTenantDir != "" {
			tenantDir = *benchTenantDir
			return
		}
		out, err := os.MkdirTemp("", "idtriage-bench-")
		if err != nil {
			tenantErr = err
			return
		}
		_, tenantErr = simulate.Run(simulate.Config{Users: *benchUsers, Days: *benchDays,
			Seed: 1, Out: out})
		tenantDir = filepath.Join(out, simulate.LogsDir)
	})
	if tenantErr != nil {
		b.Fatal(tenantErr)
	}
	var size int64
	files, err := ingest.Files([]string{tenantDir})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			b.Fatal(err)
		}
		size += info.Size()
	}
	return tenantDir, size
}

// BenchmarkStream measures reading and decoding alone, every field of the
// records (Read's output) and, Lean, the fields hunting reads: every
// record is handed to a callback that only counts it.
func BenchmarkStream(b *testing.B) {
	dir, size := benchTenant(b)
	for _, lean := range []bool{false, true} {
		name := "full"
		if lean {
			name = "lean"
		}
		b.Run(name, func(b *testing.B) {
			runBench(b, size, func() int {
				n := 0
				_, err := ingest.Stream([]string{dir}, ingest.Options{Lean: lean},
					func(ingest.Record) error {
						n++
						return nil
					})
				if err != nil {
					b.Fatal(err)
				}
				return n
			})
		})
	}
}

// BenchmarkHunt measures what idtriage hunt does: read, decode (lean, into
// reused sign-ins) and detect with every default rule, the engine in
// ordered mode, facts from the records, and the alerts at the end.
func BenchmarkHunt(b *testing.B) {
	dir, size := benchTenant(b)
	runBench(b, size, func() int {
		table := ipintel.New()
		en := detect.NewEngine(detect.DefaultParams(), detect.Options{Ordered: true,
			Facts: table.Lookup})
		n := 0
		opts := ingest.Options{Lean: true, Reuse: true}
		_, err := ingest.Stream([]string{dir}, opts, func(r ingest.Record) error {
			n++
			switch {
			case r.SignIn != nil:
				table.AddSignIn(r.SignIn)
				en.SignIn(r.SignIn)
			case r.Audit != nil:
				en.Audit(r.Audit)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if len(en.Close()) == 0 {
			b.Fatal("no alert over a tenant with injected attacks")
		}
		return n
	})
}

// runBench runs one read of the tenant per iteration and reports records
// and megabytes per second, in all and per core (GOMAXPROCS), CPU seconds
// per gigabyte, and the peak resident memory of the iterations.
func runBench(b *testing.B, size int64, read func() int) {
	b.ReportAllocs()
	b.SetBytes(size)
	resetPeak()
	runtime.GC()
	cpu0 := cpuTime()
	records := 0
	for b.Loop() {
		records += read()
	}
	secs := b.Elapsed().Seconds()
	cores := float64(runtime.GOMAXPROCS(0))
	b.ReportMetric(float64(records)/secs, "records/s")
	b.ReportMetric(float64(records)/secs/cores, "records/s/core")
	b.ReportMetric(float64(size)*float64(b.N)/secs/1e6/cores, "MB/s/core")
	b.ReportMetric((cpuTime()-cpu0).Seconds()/(float64(size)*float64(b.N)/1e9), "cpu-s/GB")
	if peak := peakRSS(); peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	}
}

// resetPeak resets the kernel's high-water mark of resident memory, so
// that peakRSS reports the iterations, not the tenant's generation.
func resetPeak() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads VmHWM from /proc/self/status, in bytes; 0 off Linux.
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

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

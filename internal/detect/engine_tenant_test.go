package detect_test

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
	"github.com/idtriage/idtriage/internal/simulate"
)

// benchTenant names the logs folder of a tenant made by idtriage simulate
// for BenchmarkEngineTenant; without it the benchmark generates 200 users
// over three days.
var benchTenant = flag.String("bench.tenant", "", "logs folder of a generated tenant")

// benchRules names a file of rule parameters over the defaults for
// BenchmarkEngineTenant, as hunt --rules takes: a hunt with few rules
// enabled spends its engine time otherwise than one with all.
var benchRules = flag.String("bench.rules", "", "rule parameters over the defaults")

// BenchmarkEngineTenant measures the engine alone, every rule enabled
// unless -bench.rules says otherwise, over a generated tenant's records held
// in memory, decoded as hunt decodes them, with address facts from every
// sign-in: what hunting costs beyond reading and decoding.
func BenchmarkEngineTenant(b *testing.B) {
	b.ReportAllocs()
	p := benchParams(b)
	recs, table := tenantRecords(b, p)
	cpu, engine := cpuTime(), time.Duration(0)
	for b.Loop() {
		// Collecting first leaves each run no collection of its own to
		// do: one of the tenant held in memory costs more than the run,
		// and falls in one run of a few, which engine-cpu-s/op leaves out.
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		c := cpuTime()
		huntRecords(recs, table, p)
		engine += cpuTime() - c
	}
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(engine.Seconds()/float64(b.N), "engine-cpu-s/op")
}

// cpuTime is the CPU time the process used so far, user and system: on a
// shared machine it varies less than the elapsed time.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// benchParams returns the default rule parameters, with -bench.rules over
// them when given.
func benchParams(b *testing.B) detect.Params {
	b.Helper()
	if *benchRules == "" {
		return detect.DefaultParams()
	}
	f, err := os.Open(*benchRules)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	p, err := detect.Load(f)
	if err != nil {
		b.Fatalf("%s: %v", *benchRules, err)
	}
	return p
}

// huntRecords runs the rules of p over recs in ordered mode, as hunt does.
func huntRecords(recs []ingest.Record, table *ipintel.Table, p detect.Params) []detect.Alert {
	en := detect.NewEngine(p, detect.Options{Ordered: true, Facts: table.Lookup,
		FactsEntry: table.Entry})
	for _, r := range recs {
		if r.SignIn != nil {
			en.SignIn(r.SignIn)
		} else {
			en.Audit(r.Audit)
		}
	}
	return en.Close()
}

// tenantRecords reads the benchmark's tenant into memory, in time order,
// decoding the fields the rules of p read as hunt does, and the address
// facts of all its sign-ins.
func tenantRecords(b *testing.B, p detect.Params) ([]ingest.Record, *ipintel.Table) {
	b.Helper()
	logs := *benchTenant
	if logs == "" {
		out := b.TempDir()
		if _, err := simulate.Run(simulate.Config{Users: 200, Days: 3, Seed: 1,
			Out: out}); err != nil {
			b.Fatal(err)
		}
		logs = filepath.Join(out, simulate.LogsDir)
	}
	table := ipintel.New()
	opts := ingest.Options{Lean: true, Fields: detect.FieldsFor(p, detect.Options{})}
	var recs []ingest.Record
	_, err := ingest.StreamByTime([]string{logs}, opts, func(r ingest.Record) error {
		switch {
		case r.SignIn != nil:
			s := *r.SignIn
			r.SignIn = &s
			table.AddSignIn(r.SignIn)
		case r.Audit == nil:
			return nil
		}
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return recs, table
}

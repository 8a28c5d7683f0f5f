package simulate

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// Config says what tenant to generate. Users, Days and Out are required.
type Config struct {
	// Users is the number of accounts, including one break-glass account
	// and about one service account in a hundred.
	Users int
	// Days is the length of the run, from Start.
	Days int
	// Seed makes the run reproducible: the same seed and sizes give the
	// same bytes.
	Seed uint64
	// Start is midnight UTC of the first day; zero means 2026-03-02, a
	// Monday.
	Start time.Time
	// Out is the folder written: logs/ with one NDJSON file per day,
	// risk/risk-detections.ndjson with the Identity Protection detections,
	// and truth.json.
	Out string
}

// DefaultStart is the first day when Config.Start is zero.
var DefaultStart = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// Validate checks the sizes and fills the default start.
func (c *Config) Validate() error {
	switch {
	case c.Users < 1:
		return errors.New("simulate: users must be at least 1")
	case c.Days < 1:
		return errors.New("simulate: days must be at least 1")
	case c.Out == "":
		return errors.New("simulate: an output folder is required")
	}
	if c.Start.IsZero() {
		c.Start = DefaultStart
	}
	c.Start = c.Start.UTC().Truncate(24 * time.Hour)
	return nil
}

// LogsDir and TruthFile are where Run writes, under Config.Out.
const (
	LogsDir   = "logs"
	TruthFile = "truth.json"
)

// ErrOutHoldsTenant is returned when Out already holds a generated tenant:
// writing a shorter one over it would leave the earlier days' files beside
// the new truth, and a hunt would mix two tenants without a word.
var ErrOutHoldsTenant = errors.New("holds an earlier tenant (truth.json, logs or risk): " +
	"remove it or give another --out")

// ErrOutNotFolder is returned when Out names a file.
var ErrOutNotFolder = errors.New("is a file: give a folder to --out")

// checkOut refuses an output folder that holds a tenant already, or a
// path that is a file.
func checkOut(out string) error {
	if info, err := os.Stat(out); err == nil && !info.IsDir() {
		return fmt.Errorf("simulate: %s %w", out, ErrOutNotFolder)
	}
	for _, name := range []string{TruthFile, LogsDir, RiskDir} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			return fmt.Errorf("simulate: %s %w", out, ErrOutHoldsTenant)
		}
	}
	return nil
}

// gen is one run of the generator.
type gen struct {
	cfg   Config
	t     *tenant
	truth Truth
}

// Run generates the tenant described by cfg and returns its ground truth,
// which it also writes to Out/truth.json. Days are written in parallel.
func Run(cfg Config) (*Truth, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkOut(cfg.Out); err != nil {
		return nil, err
	}
	logs := filepath.Join(cfg.Out, LogsDir)
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	g := &gen{cfg: cfg}
	g.t = newTenant(cfg, rand.New(rand.NewPCG(cfg.Seed, 0x7e11a17)))
	g.truth = Truth{Generator: "idtriage simulate", Seed: cfg.Seed, Users: cfg.Users,
		Days: cfg.Days, Start: cfg.Start, End: cfg.Start.AddDate(0, 0, cfg.Days),
		BreakGlass: []string{g.t.users[0].upn}, Incidents: []Incident{}}
	attacks := map[int][]record{}
	recs, risks := g.attacks()
	for _, r := range recs {
		if d := g.dayOf(r.t); d >= 0 {
			attacks[d] = append(attacks[d], r)
		}
	}
	benign, err := g.writeDays(logs, attacks)
	if err != nil {
		return nil, err
	}
	risks = slices.DeleteFunc(append(risks, benign...), func(d *detection) bool {
		return g.dayOf(d.t) < 0
	})
	if _, err := writeRisk(filepath.Join(cfg.Out, RiskDir), risks); err != nil {
		return nil, err
	}
	g.truth.RiskDetections = len(risks)
	data, err := jsonx.MarshalIndent(g.truth)
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	if err := os.WriteFile(filepath.Join(cfg.Out, TruthFile), data, 0o644); err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	return &g.truth, nil
}

// dayOf returns the day of the run t falls in (UTC), or -1 outside it.
func (g *gen) dayOf(t time.Time) int {
	d := int(t.Sub(g.cfg.Start) / (24 * time.Hour))
	if t.Before(g.cfg.Start) || d >= g.cfg.Days {
		return -1
	}
	return d
}

// dayStats counts what one day's file holds, and keeps the benign risk
// detections of its sign-ins.
type dayStats struct {
	signIns, audits int
	bytes           int64
	risks           []*detection
	err             error
}

// writeDays writes every day's file, several at a time, and returns the
// benign risk detections of the days' ordinary sign-ins.
func (g *gen) writeDays(dir string, attacks map[int][]record) ([]*detection, error) {
	stats := make([]dayStats, g.cfg.Days)
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range next {
				stats[d] = g.writeDay(dir, d, attacks[d])
			}
		}()
	}
	for d := range g.cfg.Days {
		next <- d
	}
	close(next)
	wg.Wait()
	var risks []*detection
	for _, s := range stats {
		if s.err != nil {
			return nil, s.err
		}
		g.truth.SignIns += s.signIns
		g.truth.Audits += s.audits
		g.truth.Bytes += s.bytes
		risks = append(risks, s.risks...)
	}
	return risks, nil
}

// writeDay writes the records of UTC day d in time order. A user's local
// day can start the UTC day before or end the day after, so the users'
// neighbouring days are generated too and cut to this one.
func (g *gen) writeDay(dir string, d int, extra []record) dayStats {
	recs := slices.Clone(extra)
	for _, u := range g.t.users {
		for ld := max(d-1, 0); ld <= min(d+1, g.cfg.Days-1); ld++ {
			for _, r := range g.normal(u, ld) {
				if g.dayOf(r.t) == d {
					recs = append(recs, r)
				}
			}
		}
	}
	risks := benignDetections(recs[len(extra):])
	slices.SortFunc(recs, func(a, b record) int { return cmp.Or(a.t.Compare(b.t), cmp.Compare(a.id, b.id)) })

	name := filepath.Join(dir, g.cfg.Start.AddDate(0, 0, d).Format("2006-01-02")+".ndjson")
	f, err := os.Create(name)
	if err != nil {
		return dayStats{err: fmt.Errorf("simulate: %w", err)}
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	var st dayStats
	w := &jw{b: make([]byte, 0, 16<<10)}
	for _, r := range recs {
		w.b, w.comma = w.b[:0], false
		if r.s != nil {
			r.s.write(w)
			st.signIns++
		} else {
			r.a.write(w)
			st.audits++
		}
		w.b = append(w.b, '\n')
		st.bytes += int64(len(w.b))
		if _, err := bw.Write(w.b); err != nil {
			f.Close()
			return dayStats{err: fmt.Errorf("simulate: %w", err)}
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return dayStats{err: fmt.Errorf("simulate: %w", err)}
	}
	if err := f.Close(); err != nil {
		return dayStats{err: fmt.Errorf("simulate: %w", err)}
	}
	st.risks = risks
	return st
}

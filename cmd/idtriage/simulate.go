package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/idtriage/idtriage/internal/simulate"
)

// Log keys of the simulate command.
const (
	keyOut       = "out"
	keyAuditsN   = "audits_written"
	keySignInsN  = "signins_written"
	keyBytes     = "bytes"
	keyIncidents = "incidents"
	keyRisksN    = "risk_detections_written"
	keyScenario  = "scenario"
)

type simulateFlags struct {
	users     int
	days      int
	seed      uint64
	start     string
	out       string
	logFormat string
}

func newSimulate(stdout, stderr io.Writer) *cobra.Command {
	var fl simulateFlags
	cmd := &cobra.Command{
		Use:   "simulate --users N --days D [--seed S] --out DIR",
		Short: "Generate a synthetic tenant's logs with injected attacks and their ground truth",
		Long: `Simulate writes the sign-ins and directory audits of a synthetic Entra ID
tenant, as Graph beta exports them: users working in offices across time
zones, travellers, the corporate VPN, mobile carriers, service accounts and
token refreshes, plus injected attacks of every kind the hunt rules look
for. DIR/logs holds one NDJSON file per day, in time order; DIR/risk holds
the Identity Protection risk detections (Graph riskDetection objects, in
order of activity time); DIR/truth.json says which rule must fire for whom
and when. The same seed gives the same
files. About 33 sign-ins of about 4.5 KB are written per user and day:
2,100 users over 15 days is about a million sign-ins and 4.8 GB.`,
		Example: `  idtriage simulate --users 300 --days 7 --seed 1 --out ./tenant
  idtriage hunt ./tenant/logs ./tenant/risk`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSimulate(fl, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.IntVar(&fl.users, "users", 0, "number of accounts (required)")
	f.IntVar(&fl.days, "days", 0, "number of days (required)")
	f.Uint64Var(&fl.seed, "seed", 1, "random seed; the same seed gives the same files")
	f.StringVar(&fl.start, "start", "", "first day (YYYY-MM-DD, UTC); default 2026-03-02")
	f.StringVar(&fl.out, "out", "", "output folder (required)")
	f.StringVar(&fl.logFormat, "log-format", "text", "log format on stderr: text or json")
	for _, name := range []string{"users", "days", "out"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

func runSimulate(fl simulateFlags, stdout, stderr io.Writer) error {
	log, err := newLogger(stderr, fl.logFormat, false)
	if err != nil {
		return err
	}
	cfg := simulate.Config{Users: fl.users, Days: fl.days, Seed: fl.seed, Out: fl.out}
	if fl.start != "" {
		if cfg.Start, err = time.Parse("2006-01-02", fl.start); err != nil {
			return &usageError{fmt.Errorf("--start %q is not a date (YYYY-MM-DD, "+
				"such as 2026-03-02)", fl.start)}
		}
	}
	if err := cfg.Validate(); err != nil {
		return &usageError{err}
	}
	began := time.Now()
	truth, err := simulate.Run(cfg)
	if errors.Is(err, simulate.ErrOutHoldsTenant) || errors.Is(err, simulate.ErrOutNotFolder) {
		return &usageError{err}
	}
	if err != nil {
		return err
	}
	log.Info("tenant written", keyOut, fl.out, keySignInsN, truth.SignIns,
		keyAuditsN, truth.Audits, keyRisksN, truth.RiskDetections, keyBytes, truth.Bytes,
		keyIncidents, len(truth.Incidents),
		keyDuration, time.Since(began))
	for _, name := range slices.Sorted(maps.Keys(truth.Missing)) {
		log.Warn("scenario not injected: too few users left for its victims, or too few "+
			"days to hold it; its rule cannot be fully scored on this tenant (give more "+
			"--users or --days)", keyScenario, name, keyCount, truth.Missing[name])
	}
	_, err = fmt.Fprintf(stdout, "%s\n%s\n%s\n", filepath.Join(fl.out, simulate.LogsDir),
		filepath.Join(fl.out, simulate.RiskDir), filepath.Join(fl.out, simulate.TruthFile))
	return err
}

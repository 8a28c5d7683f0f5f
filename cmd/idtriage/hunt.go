package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// Log keys of the hunt command (constant, snake_case).
const (
	keyAlerts     = "alerts"
	keyUsers      = "users"
	keySignIns    = "signins"
	keyAudits     = "audits"
	keyDuplicates = "duplicates"
	keySkipped    = "skipped"
	keyLate       = "late"
)

// huntFormats are the output formats of hunt.
var huntFormats = []string{"table", "json", "ndjson"}

type huntFlags struct {
	format     string
	since      string
	rules      string
	providers  string
	breakGlass []string
	logFormat  string
	verbose    bool
}

func newHunt(stdout, stderr io.Writer) *cobra.Command {
	var fl huntFlags
	cmd := &cobra.Command{
		Use:   "hunt [flags] PATH...",
		Short: "Run every detection rule over a tenant's exported logs",
		Long: `Hunt reads every file under the given paths, as investigate does, and runs
every enabled detection rule over all users, source addresses and
applications. It prints one alert per rule, user (or address, or
application) and window, most severe first.

A user with alerts can be handed to idtriage investigate --user UPN with
the same paths. List the rules with idtriage rules list; change their
thresholds with --rules FILE (start from idtriage rules defaults).`,
		Example: `  idtriage hunt ./tenant-export/
  idtriage hunt --format ndjson ./tenant-export/ > alerts.ndjson
  idtriage hunt --since 2026-03-01 --rules my-rules.yaml ./tenant-export/`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &usageError{fmt.Errorf("hunt needs at least one PATH (a file or a " +
					"folder of exported logs); see idtriage hunt --help")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHunt(fl, args, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.format, "format", "f", "table", "output format: table, json or ndjson")
	f.StringVar(&fl.since, "since", "", "ignore records before DATE (2006-01-02 or "+
		"RFC 3339, UTC)")
	f.StringVar(&fl.rules, "rules", "", "FILE of rule parameters over the defaults "+
		"(see idtriage rules defaults)")
	f.StringVar(&fl.providers, "provider-networks", "", "FILE of networks (one CIDR per "+
		"line) whose sign-ins act for users, such as Microsoft service ranges")
	f.StringSliceVar(&fl.breakGlass, "break-glass", nil, "principal name of an "+
		"emergency-access account (repeat or separate with commas)")
	f.StringVar(&fl.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "log each file read at debug level")
	return cmd
}

func runHunt(fl huntFlags, paths []string, stdout, stderr io.Writer) error {
	if !slices.Contains(huntFormats, fl.format) {
		return &usageError{fmt.Errorf("--format %q is not one of %s", fl.format,
			strings.Join(huntFormats, ", "))}
	}
	since, err := parseSince(fl.since)
	if err != nil {
		return err
	}
	log, err := newLogger(stderr, fl.logFormat, fl.verbose)
	if err != nil {
		return err
	}
	params, err := loadParams(fl.rules)
	if err != nil {
		return err
	}
	opts := detect.Options{BreakGlass: fl.breakGlass, Ordered: true}
	if fl.providers != "" {
		if opts.ProviderNetworks, err = readPrefixes(fl.providers); err != nil {
			return err
		}
	}

	defer tuneGC()()
	start := time.Now()
	var seen logCount
	alerts, stats, err := hunt(paths, since, params, opts, &seen, log)
	if err != nil {
		return err
	}
	seen.warnMissing(log)
	log.Info("hunt done", keyAlerts, len(alerts), keyUsers, len(alertUsers(alerts)),
		keySignIns, stats.SignIns, keyAudits, stats.Audits, keyDuplicates, stats.Duplicates,
		keySkipped, stats.Skipped, keyLate, stats.Late, keyDuration, time.Since(start))
	return writeAlerts(stdout, alerts, fl.format)
}

// hunt runs the engine over every record under paths from since on,
// decoding only the sign-in fields the enabled rules read, and counts in
// seen the sign-ins of each log.
func hunt(paths []string, since time.Time, p detect.Params, opts detect.Options,
	seen *logCount, log *slog.Logger) ([]detect.Alert, detect.Stats, error) {
	var en *detect.Engine
	fields := detect.FieldsFor(p, opts)
	open := func(facts func(string) ipintel.Facts) recordSink {
		opts.Facts = facts
		en, *seen = detect.NewEngine(p, opts), logCount{}
		return recordSink{audit: en.Audit, signIn: func(s *entra.SignIn) {
			seen.add(s)
			en.SignIn(s)
		}}
	}
	if err := readRecords(paths, fields, log, since, open); err != nil {
		return nil, detect.Stats{}, err
	}
	return en.Close(), en.Stats(), nil
}

// recordSink receives the records hunt reads.
type recordSink struct {
	signIn func(*entra.SignIn)
	audit  func(*entra.Audit)
}

// readRecords is the only place hunt reads its input. It streams every
// file under paths (lean: only the sign-in field groups in fields, those
// the enabled rules read; see detect.FieldsFor), reading first the files
// whose first record is IP intelligence, so that every record's address
// facts see it; each sign-in adds its own place to the facts as it passes.
// The other files are merged by time (ingest.StreamByTime), so that an
// export kept in one folder per log still comes as one time line. Records
// go to the sink as they come, from since on, so memory stays flat when
// each file is in time order, which the engine's ordered mode needs. A
// record more than detect.DefaultLateness older than the newest one seen
// means a file is not: the input is then read again whole (every field),
// sorted, into a fresh sink, and memory grows with it.
func readRecords(paths []string, fields entra.Fields, log *slog.Logger, since time.Time,
	open func(facts func(string) ipintel.Facts) recordSink) error {
	files, err := ingest.Files(paths)
	if err != nil {
		return err
	}
	var intel, rest []string
	for _, f := range files {
		k, err := ingest.FirstKind(f)
		if err != nil {
			return err
		}
		if k == ingest.KindIPInfo {
			intel = append(intel, f)
		} else {
			rest = append(rest, f)
		}
	}
	table, opts := ipintel.New(), ingest.Options{Logger: log, Lean: true, Fields: fields}
	var held []ingest.Record // sign-ins and audits among the intelligence files
	if _, err := ingest.Stream(intel, opts, func(r ingest.Record) error {
		if r.IP != nil {
			table.AddIPInfo(r.IP)
		} else if r.SignIn != nil || r.Audit != nil {
			held = append(held, r)
		}
		return nil
	}); err != nil {
		return err
	}

	sink, newest := open(table.Lookup), time.Time{}
	errDisorder := errors.New("input not in time order")
	give := func(r ingest.Record) error {
		var at time.Time
		switch {
		case r.SignIn != nil:
			table.AddSignIn(r.SignIn)
			at = r.SignIn.Time
		case r.Audit != nil:
			at = r.Audit.Time
		default:
			return nil
		}
		if at.Before(newest.Add(-detect.DefaultLateness)) {
			return errDisorder
		}
		if at.After(newest) {
			newest = at
		}
		switch {
		case at.Before(since):
		case r.SignIn != nil:
			sink.signIn(r.SignIn)
		default:
			sink.audit(r.Audit)
		}
		return nil
	}
	for _, r := range held {
		if err = give(r); err != nil {
			break
		}
	}
	var sum *ingest.Summary
	if err == nil {
		sum, err = ingest.StreamByTime(rest, opts, give)
	}
	if !errors.Is(err, errDisorder) {
		if err == nil {
			logInput(log, &ingest.Set{Problems: sum.Problems})
		}
		return err
	}

	log.Info("input not in time order; reading it whole and sorting it")
	set, err := ingest.Read(paths, opts)
	if err != nil {
		return err
	}
	logInput(log, set)
	table = ipintel.New()
	for i := range set.SignIns {
		table.AddSignIn(&set.SignIns[i])
	}
	for i := range set.IPs {
		table.AddIPInfo(&set.IPs[i])
	}
	sink = open(table.Lookup)
	// Set keeps each kind sorted by time; merge them into one stream.
	s, a := set.SignIns, set.Audits
	for len(s) > 0 || len(a) > 0 {
		if len(a) == 0 || (len(s) > 0 && !a[0].Time.Before(s[0].Time)) {
			if !s[0].Time.Before(since) {
				sink.signIn(&s[0])
			}
			s = s[1:]
			continue
		}
		if !a[0].Time.Before(since) {
			sink.audit(&a[0])
		}
		a = a[1:]
	}
	return nil
}

// parseSince reads --since: a date (midnight UTC) or an RFC 3339 time.
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &usageError{fmt.Errorf("--since %q is neither a date "+
		"(2006-01-02) nor an RFC 3339 time", s)}
}

// loadParams returns the default rule parameters, or those of path over
// the defaults.
func loadParams(path string) (detect.Params, error) {
	if path == "" {
		return detect.DefaultParams(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return detect.Params{}, fmt.Errorf("read rules: %w", err)
	}
	defer f.Close()
	p, err := detect.Load(f)
	if err != nil {
		return detect.Params{}, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// alertUsers lists the distinct users alerts name, sorted.
func alertUsers(alerts []detect.Alert) []string {
	var users []string
	for _, a := range alerts {
		if a.User != "" && !slices.Contains(users, a.User) {
			users = append(users, a.User)
		}
	}
	slices.Sort(users)
	return users
}

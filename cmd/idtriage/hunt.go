package main

import (
	"context"
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
	"github.com/idtriage/idtriage/internal/spill"
)

// Log keys of the hunt command (constant, snake_case).
const (
	keyAlerts     = "alerts"
	keyUsers      = "users"
	keySignIns    = "signins"
	keyAudits     = "audits"
	keyDuplicates = "duplicates"
	// keyServices counts the service-principal and managed-identity
	// sign-ins, which no user rule reads; "skipped" beside the input's
	// skipped files read as a count of files.
	keyServices = "service_signins"
	keyLate     = "late"
	keyRisks    = "risk_detections"
	// keyIDs counts the object ids that rows gave alone and others named.
	keyIDs = "object_ids"
)

// huntFormats are the output formats of hunt.
var huntFormats = []string{"table", "json", "ndjson"}

type huntFlags struct {
	format     string
	since      string
	rules      string
	providers  string
	breakGlass []string
	tempDir    string
	sortMemory int // MiB
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

A user with alerts can be handed to idtriage investigate --user UPN --at
START with the same paths, START being the alert's start, so that the case
is anchored on what the hunt found. List the rules with idtriage rules list; change their
thresholds with --rules FILE (start from idtriage rules defaults).

Files in time order (a file a day, or one folder per log) are streamed
with flat memory. Input that is not (a Graph pull, newest first; shuffled
files) is read again and sorted on disk: up to --sort-memory MiB of
records in memory, the rest in a folder under --temp-dir that is removed
at the end. The alerts are the same either way.`,
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
			return runHunt(cmd.Context(), fl, args, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.format, "format", "f", "table", "output format: table, json or ndjson")
	f.StringVar(&fl.since, "since", "", "ignore records before DATE (YYYY-MM-DD such as 2026-03-01, "+
		"or an RFC 3339 time; UTC)")
	f.StringVar(&fl.rules, "rules", "", "FILE of rule parameters over the defaults "+
		"(see idtriage rules defaults)")
	f.StringVar(&fl.providers, "provider-networks", "", "FILE of networks (one CIDR per "+
		"line) whose sign-ins act for users, such as Microsoft service ranges")
	f.StringSliceVar(&fl.breakGlass, "break-glass", nil, "principal name or "+
		"object id (id:GUID) of an emergency-access account (repeat or separate with commas)")
	f.StringVar(&fl.tempDir, "temp-dir", "", "folder for the sorted runs of input not in "+
		"time order (default $TMPDIR, else /tmp)")
	f.IntVar(&fl.sortMemory, "sort-memory", spill.DefaultBudget>>20, "MiB of records held in "+
		"memory while sorting input not in time order")
	f.StringVar(&fl.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "log each file read at debug level")
	return cmd
}

// maxSortMemory bounds --sort-memory (MiB): 1 TiB.
const maxSortMemory = 1 << 20

// checkTempDir makes and removes a folder in dir (when one is given), so
// that a --temp-dir that cannot hold the sorted runs fails at the start,
// not after reading half the input.
func checkTempDir(dir string) error {
	if dir == "" {
		return nil
	}
	probe, err := os.MkdirTemp(dir, "idtriage-check-*")
	if err != nil {
		return fmt.Errorf("--temp-dir cannot hold sorted runs: %w", err)
	}
	return os.Remove(probe)
}

func runHunt(ctx context.Context, fl huntFlags, paths []string, stdout, stderr io.Writer) error {
	if !slices.Contains(huntFormats, fl.format) {
		return &usageError{fmt.Errorf("--format %q is not one of %s", fl.format,
			strings.Join(huntFormats, ", "))}
	}
	since, err := parseSince(fl.since)
	if err != nil {
		return err
	}
	if fl.sortMemory < 1 || fl.sortMemory > maxSortMemory {
		return &usageError{fmt.Errorf("--sort-memory %d: give between 1 and %d MiB",
			fl.sortMemory, maxSortMemory)}
	}
	if err := checkTempDir(fl.tempDir); err != nil {
		return &usageError{err}
	}
	if err := checkBreakGlass(fl.breakGlass); err != nil {
		return err
	}
	if slices.Contains(paths, "-") {
		return &usageError{errors.New("- (standard input) is not read: hunt reads files " +
			"and folders, which it may read twice; save the input to a file")}
	}
	log, err := newLogger(stderr, fl.logFormat, fl.verbose)
	if err != nil {
		return err
	}
	params, err := loadParams(fl.rules)
	if err != nil {
		return err
	}
	if err := someRuleOn(params, fl); err != nil {
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
	rc := readConfig{since: since, tempDir: fl.tempDir, sortMem: fl.sortMemory << 20}
	alerts, stats, err := hunt(ctx, paths, rc, params, opts, &seen, log)
	if err != nil {
		return err
	}
	seen.warnMissing(log)
	seen.warnUnplaced(log, params.ImpossibleTravel.Enabled)
	warnDropped(log, stats)
	log.Info("hunt done", keyAlerts, len(alerts), keyUsers, len(alertUsers(alerts)),
		keySignIns, stats.SignIns, keyAudits, stats.Audits, keyDuplicates, stats.Duplicates,
		keyServices, stats.Skipped, keyRisks, stats.Risks-stats.RisksSkipped, keyLate, stats.Late,
		keyDuration, time.Since(start))
	if err := writeAlerts(stdout, alerts, fl.format, handoff(fl, paths)); err != nil {
		return err
	}
	return emptyHunt(stats, since)
}

// hunt runs the engine over every record under paths from rc.since on,
// decoding only the sign-in fields the enabled rules read, and counts in
// seen the sign-ins of each log.
func hunt(ctx context.Context, paths []string, rc readConfig, p detect.Params,
	opts detect.Options, seen *logCount, log *slog.Logger) ([]detect.Alert, detect.Stats, error) {
	var en *detect.Engine
	var joined map[string]string
	rc.fields = detect.FieldsFor(p, opts)
	rc.risk = detect.NewEngine(p, opts).ReadsRisk()
	open := func(first lookups) recordSink {
		opts.Facts, opts.FactsEntry = first.table.Lookup, first.table.Entry
		opts.Directory = withTies(first.directory, joined)
		en, *seen = detect.NewEngine(p, opts), logCount{}
		return recordSink{audit: en.Audit, risk: en.Risk, signIn: func(s *entra.SignIn) {
			seen.add(s)
			en.SignIn(s)
		}}
	}
	if err := readRecords(ctx, paths, rc, log, open); err != nil {
		return nil, detect.Stats{}, err
	}
	alerts := en.Close()

	// Rows that gave only an object id were keyed by it; when other rows
	// name that id, the records are run again with those ties, so that one
	// person is one key whatever the order (detect.Engine.Unjoined).
	if joined = en.Unjoined(); len(joined) > 0 {
		log.Info("some rows give only an object id, or only the name of an account given "+
			"by id, that other rows give together; reading the input again to count them "+
			"as one", keyIDs, len(joined))
		if err := readRecords(ctx, paths, rc, quiet(log), open); err != nil {
			return nil, detect.Stats{}, err
		}
		alerts = en.Close()
	}
	return alerts, en.Stats(), nil
}

// withTies returns the directory with the ties learnt from the records
// added, for the ids it lacks: the users export, when given, decides.
func withTies(dir, ties map[string]string) map[string]string {
	if len(ties) == 0 {
		return dir
	}
	out := make(map[string]string, len(dir)+len(ties))
	for id, name := range ties {
		out[id] = name
	}
	for id, name := range dir {
		out[id] = name
	}
	return out
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
		"(YYYY-MM-DD, such as 2026-03-01) nor an RFC 3339 time (2026-03-01T08:00:00Z)", s)}
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

// someRuleOn refuses a rules file that turns every rule off: the hunt would
// read the whole input and print "No alerts.", which says nothing of it.
func someRuleOn(p detect.Params, fl huntFlags) error {
	// The flag's accounts join the file's, which the break-glass rule needs.
	p.BreakGlass.Accounts = append(slices.Clip(p.BreakGlass.Accounts), fl.breakGlass...)
	for _, r := range detect.Rules(p) {
		if r.Enabled {
			return nil
		}
	}
	if p.BreakGlass.Enabled {
		return &usageError{fmt.Errorf("--rules %s leaves only ENTRA-BREAK-GLASS-USE on, and "+
			"it names no account: give --break-glass ACCOUNT, or accounts: in the rules "+
			"file", fl.rules)}
	}
	return &usageError{fmt.Errorf("--rules %s turns every rule off, so there is nothing "+
		"to hunt: set enabled: true on one (idtriage rules list names them)", fl.rules)}
}

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
	"github.com/idtriage/idtriage/internal/ipintel"
	"github.com/idtriage/idtriage/internal/report"
)

// maxProblemsLogged caps the per-record problems printed to stderr; the
// report lists them all.
const maxProblemsLogged = 20

type investigateFlags struct {
	user       string
	at         string
	format     string
	out        string
	logFormat  string
	verbose    bool
	maxSpeed   float64
	minDist    float64
	providers  string
	rules      string
	breakGlass []string
	redact     bool
	keepPfx    bool
	costModel  string
	graph      graphFlags
	intel      intelFlags

	// params are the rules file's, read at the start; speedSet and
	// distSet say whether --max-speed and --min-distance were given.
	params            *detect.Params
	speedSet, distSet bool
}

func newInvestigate(stdout, stderr io.Writer) *cobra.Command {
	var fl investigateFlags
	cmd := &cobra.Command{
		Use:   "investigate [flags] PATH...",
		Short: "Investigate one user's alert from exported logs",
		Long: `Investigate reads every file under the given paths (folders are read
recursively), works out what each holds from its content, and writes the
investigation of one user.

Accepted inputs: Microsoft Graph pages and bare arrays (sign-ins, directory
audits, risk detections, risky users, user profiles), NDJSON, Event Hub
{"records":[...]} exports, Log Analytics / Sentinel JSON and CSV exports,
PowerShell exports in UTF-8 or UTF-16, and IPData API responses. Files that
hold none of these are listed in the report as skipped, with the reason; a
bad record is reported with its file, line and column and the rest are read.

The user is --user when given, else the user the alert (riskyUser or
riskDetection) names, else the only user present. When several users are
present and nothing says which, investigate exits with status 2 and lists
them.

With --user, the input is streamed in passes that keep only the user's
records, so memory does not grow with the export; a pipe, which cannot be
read twice, is read whole.

The suspicious window is anchored on risky sign-ins and risk detections,
else on the most severe alert the hunt rules raise over the user's records
(what "idtriage hunt" reports), else on the latest failures or recovery.
--at anchors it on a time instead, such as the start of a hunt alert.

With --graph the records come from Microsoft Graph instead (see "idtriage
pull --help" for what is read); PATHs are then optional and are read
beside the pull, for IP intelligence for example.`,
		Example: `  idtriage investigate examples/sspr-takeover
  idtriage investigate --format json examples/sspr-takeover
  idtriage investigate --format html --out case.html examples/sspr-takeover
  idtriage investigate --user someone@example.com --out case.md ./my-export/
  idtriage investigate --user someone@example.com --at 2026-03-03T17:39:41Z ./my-export/
  idtriage investigate --graph --user someone@contoso.com --since 7d
  idtriage investigate --graph --alerts --format json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !fl.graph.enabled {
				return &usageError{fmt.Errorf("investigate needs at least one PATH " +
					"(a file or a folder of exported logs); see idtriage investigate --help")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInvestigate(cmd, fl, args, stdout, stderr)
		},
	}

	f := cmd.Flags()
	f.StringVarP(&fl.user, "user", "u", "", "user to investigate: a principal name, or an "+
		"object id as hunt prints it (id:GUID or the bare GUID) "+
		"(default: the alert's user, else the only user present)")
	f.StringVar(&fl.at, "at", "", "anchor the suspicious window on this RFC 3339 time, "+
		"or UTC minute as hunt's table prints it (a hunt alert's start), instead of the "+
		"records' risk, alerts or failures")
	f.StringVarP(&fl.format, "format", "f", "md", "output format: md, json or "+
		"html (one self-contained page)")
	f.StringVarP(&fl.out, "out", "o", "", "write the report to FILE instead of stdout")
	f.StringVar(&fl.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "log each step at debug level")
	defaults := investigate.DefaultConfig()
	f.Float64Var(&fl.maxSpeed, "max-speed", defaults.MaxSpeedKmh, "travel speed in km/h "+
		"above which two attempts are impossible travel (the hunt's travel rule's)")
	f.Float64Var(&fl.minDist, "min-distance", defaults.MinDistanceKm, "distance in km below "+
		"which a jump is geolocation noise")
	f.StringVar(&fl.rules, "rules", "", "FILE of rule parameters over the defaults, as "+
		"given to hunt; its travel and anonymizer thresholds apply unless --max-speed or "+
		"--min-distance is given")
	f.StringSliceVar(&fl.breakGlass, "break-glass", nil, "principal name or "+
		"object id of an emergency-access account, as given to hunt (repeatable)")
	f.StringVar(&fl.providers, "provider-networks", "", "FILE of networks (one CIDR per "+
		"line) whose sign-ins act for the user, such as Microsoft service ranges; they never "+
		"count as the user's presence")
	f.BoolVar(&fl.redact, "redact", false, "replace identities with typed placeholders "+
		"(user_1, [INTERNAL_DOMAIN_1], [EXTERNAL_IP_1], [CA_POLICY_1], ...) so the report "+
		"can be shared; countries, attacker cities, error codes and ATT&CK ids stay")
	f.BoolVar(&fl.keepPfx, "keep-prefix", false, "with --redact, keep the /24 (IPv4) or "+
		"/48 (IPv6) of outside addresses, as in 186.2.128.x, instead of a placeholder")
	f.StringVar(&fl.costModel, "cost-model", "", "FILE with the manual-effort model, in "+
		"the shape of the built-in one (see README); default: the built-in Tier-2 model")
	fl.graph.register(f)
	fl.intel.register(f)
	return cmd
}

// validate refuses thresholds that would make every move plausible or
// every jump impossible, and an --at that is not a time, before any input
// is read.
func (fl investigateFlags) validate() error {
	if _, err := parseAt(fl.at); err != nil {
		return err
	}
	if !(fl.maxSpeed > 0) || math.IsInf(fl.maxSpeed, 0) {
		return &usageError{fmt.Errorf("--max-speed must be a positive number of km/h, "+
			"not %v", fl.maxSpeed)}
	}
	if !(fl.minDist >= 0) || math.IsInf(fl.minDist, 0) {
		return &usageError{fmt.Errorf("--min-distance must be zero or a positive number "+
			"of km, not %v", fl.minDist)}
	}
	if fl.graph.alerts {
		return nil // --out names a folder then, one report per user
	}
	return checkOut(fl.out)
}

// outNotInput refuses an --out that is one of the input files: writing the
// report would overwrite the evidence it was drawn from (a reviewer's
// case).
func outNotInput(out string, paths []string) error {
	if out == "" || out == "-" {
		return nil
	}
	info, err := os.Stat(out)
	if err != nil {
		return nil // a new file is no input
	}
	files, _, err := ingest.Walk(paths)
	if err != nil {
		return nil // the read says what is wrong with the paths
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && os.SameFile(info, fi) {
			return &usageError{fmt.Errorf("--out %s is one of the input files; the "+
				"report would overwrite it: give another file", out)}
		}
	}
	return nil
}

// checkOut refuses an --out the report could not be written to once the
// investigation is done: a folder, or a file in a folder that is not there.
func checkOut(out string) error {
	if out == "" || out == "-" {
		return nil
	}
	if info, err := os.Stat(out); err == nil && info.IsDir() {
		return &usageError{fmt.Errorf("--out %s is a folder; give a file name, such as %s",
			out, filepath.Join(out, "report.md"))}
	}
	dir := filepath.Dir(out)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return &usageError{fmt.Errorf("--out %s: the folder %s does not exist", out, dir)}
	}
	return nil
}

func runInvestigate(cmd *cobra.Command, fl investigateFlags, paths []string,
	stdout, stderr io.Writer) error {
	start := time.Now()
	if !slices.Contains(report.Formats, fl.format) {
		return &usageError{fmt.Errorf("--format %q is not one of %s", fl.format,
			strings.Join(report.Formats, ", "))}
	}
	if fl.keepPfx && !fl.redact {
		return &usageError{fmt.Errorf("--keep-prefix only applies with --redact")}
	}
	if err := fl.validate(); err != nil {
		return err
	}
	if err := outNotInput(fl.out, paths); err != nil {
		return err
	}
	if err := checkBreakGlass(fl.breakGlass); err != nil {
		return err
	}
	if fl.rules != "" {
		p, err := loadParams(fl.rules)
		if err != nil {
			return err
		}
		fl.params = &p
	}
	fl.speedSet = cmd.Flags().Changed("max-speed")
	fl.distSet = cmd.Flags().Changed("min-distance")
	log, err := newLogger(stderr, fl.logFormat, fl.verbose)
	if err != nil {
		return err
	}
	model, err := readCostModel(fl.costModel)
	if err != nil {
		return err
	}
	intel, err := fl.intel.open(cmd.Context(), log)
	if err != nil {
		return err
	}
	defer intel.Close()
	fl.intel.hook = intelHook(cmd.Context(), intel)

	if fl.graph.enabled {
		return runInvestigateGraph(cmd.Context(), fl, model, paths, log, start, stdout)
	}
	set, ten, err := readInput(paths, fl, log)
	if err != nil {
		return err
	}
	logInput(log, set)
	b, err := investigateSet(set, ten, fl, model, start, log)
	if err != nil {
		return err
	}
	return emit(b, fl.out, stdout)
}

// readInput reads the input: for --user in two streamed passes that keep
// only the user's records and the sign-ins around them
// (investigate.ReadUser), else whole. An input that cannot be read twice (a
// pipe) is read whole, and the log says so.
func readInput(paths []string, fl investigateFlags, log *slog.Logger) (*ingest.Set,
	*investigate.Tenant, error) {
	if fl.user != "" {
		set, ten, err := investigate.ReadUser(paths, fl.user,
			investigate.ReadOptions{Logger: log, Redaction: fl.redact})
		if !errors.Is(err, investigate.ErrNotRereadable) {
			return set, ten, err
		}
		log.Info("input cannot be read twice; reading it whole", keyReason, err.Error())
	}
	set, err := ingest.Read(paths, ingest.Options{Logger: log})
	return set, nil, err
}

// investigateSet investigates what was read and renders the report. ten is
// what the whole input held when set holds only the user's records (see
// readInput), nil when set is the whole input.
func investigateSet(set *ingest.Set, ten *investigate.Tenant, fl investigateFlags,
	model *investigate.CostModel, start time.Time, log *slog.Logger) ([]byte, error) {
	var err error
	cfg := investigate.DefaultConfig()
	cfg.User, cfg.MaxSpeedKmh, cfg.MinDistanceKm = fl.user, fl.maxSpeed, fl.minDist
	cfg.BreakGlass = fl.breakGlass
	if p := fl.params; p != nil {
		cfg.Rules, cfg.AnonymizerScore = p, p.Anonymizer.MinScore
		if !fl.speedSet {
			cfg.MaxSpeedKmh = p.ImpossibleTravel.MinSpeedKmh
		}
		if !fl.distSet {
			cfg.MinDistanceKm = p.ImpossibleTravel.MinDistanceKm
		}
	}
	if cfg.At, err = parseAt(fl.at); err != nil {
		return nil, err
	}
	cfg.Intel, cfg.Tenant = fl.intel.hook, ten
	if fl.providers != "" {
		if cfg.ProviderNetworks, err = readPrefixes(fl.providers); err != nil {
			return nil, err
		}
	}
	c, err := investigate.Run(set, cfg)
	if err != nil {
		return nil, err
	}
	c.Cost.WallTime = time.Since(start)
	if model != nil {
		c.Reprice(*model)
	}
	c.Cost.WallTimeMS = float64(c.Cost.WallTime.Microseconds()) / 1000
	if fl.redact {
		names := set
		if ten != nil {
			names = ten.RedactionSet()
		}
		c = report.Redact(c, names, report.RedactOptions{KeepPrefix: fl.keepPfx})
	}

	var buf bytes.Buffer
	if err := report.Write(&buf, c, fl.format); err != nil {
		return nil, err
	}
	log.Info("investigation done", keyUser, c.User, keyVerdict, c.Verdict.Label,
		keyConfidence, c.Verdict.Confidence, keyDuration, c.Cost.WallTime)
	return buf.Bytes(), nil
}

// atLayouts are the forms --at takes: RFC 3339, and the minute the hunt's
// table prints (UTC), so that its START column can be pasted as it is.
var atLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04", "2006-01-02T15:04"}

// parseAt reads --at: empty, an RFC 3339 time, or a UTC minute as the
// hunt's table prints it.
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range atLayouts {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &usageError{fmt.Errorf("--at %q is neither an RFC 3339 time "+
		"(such as 2026-11-17T22:55:19Z) nor a UTC minute as hunt's table prints it "+
		"(such as 2026-11-17 22:55)", s)}
}

// readCostModel reads --cost-model, or returns nil for the built-in model.
func readCostModel(path string) (*investigate.CostModel, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read cost model: %w", err)
	}
	defer f.Close()
	m, err := investigate.ReadCostModel(f, path)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func readPrefixes(path string) ([]netip.Prefix, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read provider networks: %w", err)
	}
	defer f.Close()
	return ipintel.ParsePrefixes(f, path)
}

// emit writes the report to stdout, or to a file through a temporary file
// and a rename, so a failed run never leaves half a report behind.
func emit(b []byte, out string, stdout io.Writer) error {
	if out == "" || out == "-" {
		_, err := stdout.Write(b)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".idtriage-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file private; a report is an ordinary file.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}

// logInput prints the first rejected records; ingest itself logs the
// summary and the skipped files, and the report lists every problem.
func logInput(log *slog.Logger, set *ingest.Set) {
	problems := set.RecordProblems()
	for i, p := range problems {
		if i == maxProblemsLogged {
			log.Warn("more records rejected; the report lists them all",
				keyCount, len(problems)-maxProblemsLogged)
			break
		}
		log.Warn("record rejected", keyProblem, p.Error())
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
)

// graphLabel stands for the temporary folder of a pull in the report's
// list of files, so that the same pull gives the same report.
const graphLabel = "graph"

// runInvestigateGraph pulls one user, or every user at risk, into a
// temporary folder, investigates it with any files given beside it (IP
// intelligence, for example), and removes the folder.
func runInvestigateGraph(ctx context.Context, fl investigateFlags,
	model *investigate.CostModel, paths []string, log *slog.Logger, start time.Time,
	stdout io.Writer) error {
	if fl.graph.alerts == (fl.user != "") {
		return &usageError{fmt.Errorf("investigate --graph needs either --user UPN or --alerts")}
	}
	if fl.graph.alerts && fl.out == "" && fl.format == "html" {
		return &usageError{fmt.Errorf("--alerts --format html needs --out DIR, one page " +
			"per user")}
	}
	client, window, err := fl.graph.open(ctx, log)
	if err != nil {
		return err
	}
	if !fl.graph.alerts {
		b, err := pullAndInvestigate(ctx, client, window, fl, model, paths, log, start)
		if err != nil {
			return err
		}
		return emit(b, fl.out, stdout)
	}

	risky, err := client.AtRisk(ctx)
	if err != nil {
		return err
	}
	var reports [][]byte
	var failed []error
	for _, u := range risky {
		fl.user = u.UserPrincipalName
		b, err := pullAndInvestigate(ctx, client, window, fl, model, paths, log, time.Now())
		if err != nil {
			log.Error("investigation abandoned", keyUser, fl.user, keyProblem, err.Error())
			failed = append(failed, fmt.Errorf("%s: %w", fl.user, err))
			continue
		}
		if fl.out != "" {
			name := filepath.Join(fl.out, safeName(fl.user)+"."+fl.format)
			if err := os.MkdirAll(fl.out, 0o700); err != nil {
				return fmt.Errorf("investigate: %w", err)
			}
			if err := emit(b, name, stdout); err != nil {
				return err
			}
		}
		reports = append(reports, b)
	}
	log.Info("users at risk investigated", keyCount, len(reports), keyDuration, time.Since(start))
	if fl.out == "" {
		if err := emit(joinReports(reports, fl.format), "", stdout); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d users at risk could not be investigated: %w", len(failed),
			len(risky), errors.Join(failed...))
	}
	return nil
}

// pullAndInvestigate pulls fl.user over window into a temporary folder and
// investigates it with paths.
func pullAndInvestigate(ctx context.Context, client *graph.Client, window graph.Window,
	fl investigateFlags, model *investigate.CostModel, paths []string, log *slog.Logger,
	start time.Time) ([]byte, error) {
	dir, err := os.MkdirTemp("", "idtriage-graph-*")
	if err != nil {
		return nil, fmt.Errorf("investigate: %w", err)
	}
	defer os.RemoveAll(dir)
	rep, err := client.Pull(ctx, fl.user, window, dir)
	if err != nil {
		return nil, graphUsage(err)
	}
	if rep.Partial() {
		log.Warn("graph export is partial; the report says what was not read", keyUser,
			fl.user, keyProblem, rep.Reason)
	}
	set, err := ingest.Read(append([]string{dir}, paths...), ingest.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	relabel(set, dir)
	logInput(log, set)
	return investigateSet(set, nil, fl, model, start, log)
}

// relabel names the pulled files graph/<file> instead of their temporary
// path.
func relabel(set *ingest.Set, dir string) {
	fix := func(p string) string {
		if rel, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(rel, "..") {
			return graphLabel + "/" + filepath.ToSlash(rel)
		}
		return p
	}
	for i := range set.Files {
		set.Files[i].Path = fix(set.Files[i].Path)
	}
	for _, p := range set.Problems {
		p.File = fix(p.File)
	}
}

// joinReports puts several reports on one stream: a JSON array, or
// Markdown reports one after the other under a rule.
func joinReports(reports [][]byte, format string) []byte {
	if format != "json" {
		return bytes.Join(reports, []byte("\n---\n\n"))
	}
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, r := range reports {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(bytes.TrimRight(r, "\n"))
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}

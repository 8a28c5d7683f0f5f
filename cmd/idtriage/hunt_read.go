package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
	"github.com/idtriage/idtriage/internal/spill"
)

// Log keys of hunt's sorted read.
const (
	keyRuns    = "runs"
	keySpilled = "spilled_bytes"
	keyTempDir = "temp_dir"
	keyBudget  = "memory_mib"
)

// recordSink receives the records hunt reads.
type recordSink struct {
	signIn func(*entra.SignIn)
	audit  func(*entra.Audit)
	// risk receives Identity Protection detections, when readConfig.risk
	// asks for them.
	risk func(*entra.RiskDetection)
}

// readConfig is how hunt reads its input: which sign-in fields to decode,
// from when, and where and with how much memory to sort input that is not
// in time order.
type readConfig struct {
	fields entra.Fields
	// risk says whether a rule reads risk detections; without one they are
	// passed over, and their order never makes the input be sorted.
	risk    bool
	since   time.Time
	tempDir string
	sortMem int // bytes
	// unread are the entries under the paths that could not be read; the
	// stream of the records counts them among its skipped files.
	unread []ingest.FileReport
}

// options are the ingest options of the stream of the records.
func (rc readConfig) options(log *slog.Logger) ingest.Options {
	return ingest.Options{Logger: log, Lean: true, Fields: rc.fields, Unread: rc.unread}
}

// firstOptions are those of the read of IP intelligence and users, which
// leaves the unread entries to the stream of the records.
func (rc readConfig) firstOptions(log *slog.Logger) ingest.Options {
	o := rc.options(log)
	o.Unread = nil
	return o
}

// errDisorder stops the streamed read when a record comes too late.
var errDisorder = errors.New("input not in time order")

// interrupted returns an error once ctx is done (Ctrl-C), so that a read
// stops at the next record and its temporary files are removed.
func interrupted(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return fmt.Errorf("hunt interrupted: %w", context.Cause(ctx))
	default:
		return nil
	}
}

// readRecords is the only place hunt reads its input. It reads first the
// files whose first record is IP intelligence or a user (the tenant's users
// export), so that every record's address facts see the first and its user
// key the second (detect.Options.Directory). The other files are streamed, lean (only the
// sign-in field groups the enabled rules read; see detect.FieldsFor), and
// merged by time (ingest.StreamByTime), so that an export kept in one
// folder per log still comes as one time line; each sign-in adds its own
// place to the facts as it passes. Records go to the sink as they come,
// from since on, and memory stays flat. Every read stops at the next record
// once ctx is done.
//
// A record more than detect.DefaultLateness older than the newest one
// seen means a file is not in time order (a Graph pull runs newest first).
// The input is then read again and sorted on disk (package spill) with
// rc.sortMem of memory, and handed to a fresh sink as if it had come in
// time order. Memory stays bounded; the temporary folder holds the records
// read, in the fields decoded, until the end.
func readRecords(ctx context.Context, paths []string, rc readConfig, log *slog.Logger,
	open func(first lookups) recordSink) error {
	intel, rest, unread, err := splitFirst(paths, log)
	if err != nil {
		return err
	}
	rc.unread = unread
	var reread rereadLog

	hr := &huntRead{ctx: ctx, rc: rc, log: reread.first(log), open: open}
	first, held, err := readFirst(intel, rc.firstOptions(hr.log))
	if err != nil {
		return err
	}
	err = hr.inOrder(first, held, rest)
	if !errors.Is(err, errDisorder) {
		return err
	}

	log.Info("input not in time order; sorting it on disk",
		keyTempDir, cmp.Or(rc.tempDir, os.TempDir()), keyBudget, rc.sortMem>>20)
	hr.log = reread.second(log)
	if first, held, err = readFirst(intel, rc.firstOptions(hr.log)); err != nil {
		return err
	}
	return hr.sorted(first, held, rest)
}

// splitFirst lists the files under paths, those of IP intelligence and
// users apart. What it cannot read (a broken link, a link to a folder, a
// folder it cannot list, a file it cannot open) is logged as skipped, as
// investigate's read reports it, left out, and returned as unread.
func splitFirst(paths []string, log *slog.Logger) (intel, rest []string,
	unread []ingest.FileReport, err error) {
	files, bad, err := ingest.Walk(paths)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, f := range bad.Files {
		log.Warn("file skipped", keyPath, f.Path, keyReason, f.Reason)
		unread = append(unread, f)
	}
	for _, f := range files {
		// A pipe would hang or come up empty: its first bytes are read
		// here, and it is opened again to be streamed.
		if info, err := os.Stat(f); err == nil && !info.Mode().IsRegular() {
			return nil, nil, nil, fmt.Errorf("%s is not a regular file (a pipe or a "+
				"device); hunt reads files, which it may read twice", f)
		}
		h, err := os.Open(f)
		if err != nil {
			reason := "cannot be read: " + err.Error()
			log.Warn("file skipped", keyPath, f, keyReason, reason)
			unread = append(unread, ingest.FileReport{Path: f, Skipped: true, Reason: reason})
			continue
		}
		h.Close()
		k, err := ingest.FirstKind(f)
		if err != nil {
			return nil, nil, nil, err
		}
		if k == ingest.KindIPInfo || k == ingest.KindUser {
			intel = append(intel, f)
		} else {
			rest = append(rest, f)
		}
	}
	return intel, rest, unread, nil
}

// lookups are what hunt reads before any record: the facts of addresses
// (from the IP intelligence files, then each sign-in's own place) and the
// directory of object ids to principal names (from the users export).
type lookups struct {
	table     *ipintel.Table
	directory map[string]string
}

// name ties an object id to a principal name. Of two names for one id (a
// user renamed between two exports) the smaller, case-folded, is kept, so
// that the order of the files does not choose.
func (lk *lookups) name(id, upn string) {
	n := entra.NormalizeUPN(upn)
	if n == "" {
		return
	}
	if lk.directory == nil {
		lk.directory = map[string]string{}
	}
	if old, ok := lk.directory[id]; !ok || n < old {
		lk.directory[id] = n
	}
}

// readFirst reads the IP intelligence and users files into new lookups,
// and holds the sign-ins, audits and risk detections found among them.
func readFirst(files []string, opts ingest.Options) (lookups, []ingest.Record, error) {
	first := lookups{table: ipintel.New()}
	if len(files) == 0 {
		return first, nil, nil
	}
	var held []ingest.Record
	_, err := ingest.Stream(files, opts, func(r ingest.Record) error {
		switch {
		case r.IP != nil:
			first.table.AddIPInfo(r.IP)
		case r.User != nil:
			first.name(r.User.ID, r.User.UserPrincipalName)
		case r.SignIn != nil || r.Audit != nil || r.Risk != nil:
			held = append(held, r)
		}
		return nil
	})
	return first, held, err
}

// huntRead is one read of hunt's input: what stops it, how it reads, where
// it logs and how it opens a sink for the records.
type huntRead struct {
	ctx  context.Context
	rc   readConfig
	log  *slog.Logger
	open func(first lookups) recordSink
}

// inOrder hands the held records, then the other files merged by time, to
// a sink as they come; it returns errDisorder at the first record too late
// for that.
func (hr *huntRead) inOrder(first lookups, held []ingest.Record, rest []string) error {
	ctx, rc, log := hr.ctx, hr.rc, hr.log
	table := first.table
	sink, newest := hr.open(first), time.Time{}
	give := func(r ingest.Record) error {
		if err := interrupted(ctx); err != nil {
			return err
		}
		at := r.Time()
		switch {
		case r.SignIn != nil:
			table.AddSignIn(r.SignIn)
		case r.Audit != nil, r.Risk != nil && rc.risk:
		default:
			return nil
		}
		if at.Before(newest.Add(-detect.DefaultLateness)) {
			return errDisorder
		}
		if at.After(newest) {
			newest = at
		}
		toSink(sink, spill.Item{SignIn: r.SignIn, Audit: r.Audit, Risk: r.Risk}, rc.since)
		return nil
	}
	for _, r := range held {
		if err := give(r); err != nil {
			return err
		}
	}
	// give keeps no sign-in past its call (the engine and the table copy
	// what they keep), so the stream may decode into structs it reuses.
	opts := rc.options(log)
	opts.Reuse = true
	sum, err := ingest.StreamByTime(rest, opts, give)
	if err == nil {
		logInput(log, &ingest.Set{Problems: sum.Problems})
		warnPartial(log, sum)
		warnStrayUsers(log, sum)
	}
	return err
}

// sorted reads the held records and the other files into a spill.Sorter,
// then hands them to a sink in time order, each sign-in adding its place
// to the table just before, as inOrder does: so the facts any record sees
// depend on the records, not on the order they were read in. Risk
// detections are kept in the fields the engine reads (detect.LeanRisk).
func (hr *huntRead) sorted(first lookups, held []ingest.Record,
	rest []string) (err error) {
	ctx, rc, log := hr.ctx, hr.rc, hr.log
	sorter := spill.New(rc.tempDir, rc.sortMem)
	defer func() {
		if cerr := sorter.Close(); err == nil {
			err = cerr
		}
	}()
	add := func(r ingest.Record) error {
		if err := interrupted(ctx); err != nil {
			return err
		}
		switch {
		case r.SignIn != nil, r.Audit != nil:
			return sorter.Add(spill.Item{SignIn: r.SignIn, Audit: r.Audit})
		case r.Risk != nil && rc.risk:
			return sorter.Add(spill.Item{Risk: detect.LeanRisk(r.Risk)})
		}
		return nil
	}
	for _, r := range held {
		if err := add(r); err != nil {
			return err
		}
	}
	sum, err := ingest.Stream(rest, rc.options(log), add)
	if err != nil {
		return err
	}
	logInput(log, &ingest.Set{Problems: sum.Problems})
	warnPartial(log, sum)
	warnStrayUsers(log, sum)

	table := first.table
	sink := hr.open(first)
	err = sorter.Each(func(it spill.Item) error {
		if it.SignIn != nil {
			table.AddSignIn(it.SignIn)
		}
		toSink(sink, it, rc.since)
		return interrupted(ctx)
	})
	st := sorter.Stats()
	log.Info("input sorted", keyCount, st.Records, keyRuns, st.Runs, keySpilled, st.Bytes)
	return err
}

// toSink hands the one record of it that is set to the sink, unless it is
// from before since.
func toSink(sink recordSink, it spill.Item, since time.Time) {
	switch {
	case it.SignIn != nil && !it.SignIn.Time.Before(since):
		sink.signIn(it.SignIn)
	case it.Audit != nil && !it.Audit.Time.Before(since):
		sink.audit(it.Audit)
	case it.Risk != nil && sink.risk != nil && !it.Risk.Time().Before(since):
		sink.risk(it.Risk)
	}
}

package ingest

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// Options configures Read and Stream. The zero value works.
type Options struct {
	// Logger receives a Debug line per file, a Warn line per skipped file
	// and an Info summary. Nil discards logging. Raw records are never
	// logged.
	Logger *slog.Logger
	// Lean makes Stream's fast path read only the sign-in fields in
	// LeanFields, which hunting needs; the others are left empty. Read
	// ignores it.
	Lean bool
	// Fields narrows Lean further to the groups named (entra.FieldBase is
	// always read): hunting passes the groups its enabled rules read. Zero
	// means entra.FieldsLean. Records the general decoder reads are
	// complete whatever Fields says.
	Fields entra.Fields
	// Unread are entries the caller found under its paths and could not
	// read (what Walk reports, a file it could not open), already logged
	// by the caller. Stream's summary lists them first, skipped, and its
	// logged counts include them, so that "skipped" counts every entry
	// left out, not only those the stream itself passed over.
	Unread []FileReport
	// Reuse lets Stream decode sign-ins into structs it fills again once
	// fn has returned, which spares the collector about a third of what a
	// hunt allocates. fn may keep a record's strings and values, never the
	// *entra.SignIn itself or a slice in it. Read ignores it; StreamByTime
	// reuses a merged file's sign-ins only once the merge has handed them
	// over.
	Reuse bool
	// Whole, with Lean, picks the sign-ins a caller needs every field of:
	// a sign-in the fast path read lean is read again in full when Whole
	// reports true for it. A caller that keeps a few records whole and
	// learns only lean fields from the rest (investigate's read of one
	// user) pays the full decode for those few. The stream's workers call
	// it at once, so it must only read what it shares.
	Whole func(*entra.SignIn) bool
}

// MaxRecord is the largest record, in bytes, Read and Stream decode. A
// larger one is rejected, undecoded, with an Error that gives its size, and
// the records around it are read. Real Entra records stay under 100 KB;
// 16 MiB is far above any of them, and small beside the 300 MB a hunt may
// take: Stream holds at most about twice MaxRecord of an NDJSON line before
// it passes over the rest of it (the package doc says where a record is
// still held whole). In NDJSON the size is that of the record's line,
// without its line break; elsewhere it runs from the record's opening brace
// to its closing one.
const MaxRecord = 16 << 20

// recordLimit is MaxRecord; tests lower it to keep their files small.
var recordLimit = MaxRecord

// tooLarge is the message of a record rejected for its size.
func tooLarge(size int) string {
	return fmt.Sprintf("record is %d bytes, over the limit of %d (ingest.MaxRecord); not read",
		size, recordLimit)
}

// fields is the groups a lean fast path decodes.
func (o Options) fields() entra.Fields {
	if o.Fields == 0 {
		return entra.FieldsLean
	}
	return o.Fields | entra.FieldBase
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// Read decodes every file named in paths; a folder is read recursively,
// in sorted order, skipping hidden files and folders (names starting with
// a dot). The error is only for a path that does not exist or cannot be
// read. Everything else (a bad record, a file that is not an Entra export)
// is reported in the Set and reading goes on.
func Read(paths []string, opts Options) (*Set, error) {
	log := opts.logger()
	files, bad, err := collectAll(paths)
	if err != nil {
		return nil, err
	}
	set := &Set{}
	for _, b := range bad {
		set.unreadable(b.path, b.reason)
		log.Warn("file skipped", logKeyPath, b.path, logKeyReason, b.reason)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			set.unreadable(p, err.Error())
			log.Warn("file skipped", logKeyPath, p, logKeyReason, err.Error())
			continue
		}
		Decode(p, data, set)
		rep := set.Files[len(set.Files)-1]
		log.Debug("file read", logKeyPath, p, logKeyShape, rep.Shape,
			logKeyRecords, rep.Records, logKeyRejected, rep.Rejected)
		if rep.Skipped {
			rep.logSkipped(log)
		}
	}
	set.Finish()
	log.Info("input read", logKeyFiles, len(set.Files), logKeySkipped, countSkipped(set),
		logKeySignIns, len(set.SignIns), logKeyAudits, len(set.Audits),
		logKeyRisks, len(set.Risks), logKeyRiskyUsers, len(set.RiskyUsers),
		logKeyUsers, len(set.Users), logKeyIPs, len(set.IPs),
		logKeyProblems, len(set.Problems), logKeyDuplicates, set.Duplicates,
		logKeyMerged, set.Merged)
	return set, nil
}

// collect expands paths into the files to read: a file as given, a folder
// walked in lexical order. Files that cannot be read are left out; Read
// uses collectAll to report them.
func collect(paths []string) ([]string, error) {
	files, _, err := collectAll(paths)
	return files, err
}

// unreadable is a path met while walking that cannot be read, and why.
type unreadable struct {
	path, reason string
}

// collectAll is collect that also returns the entries it could not read: a
// dangling link, a file without read permission, a folder it cannot list,
// a link to a folder (not followed, so a link loop cannot trap the walk).
// Only a path given on the command line that does not exist is an error.
func collectAll(paths []string) ([]string, []unreadable, error) {
	var files []string
	var bad []unreadable
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", root, err)
		}
		if !info.IsDir() {
			files = append(files, root)
			continue
		}

		// A folder named through a link is walked as the folder it names,
		// and its files are reported under the name given.
		walkRoot, err := filepath.EvalSymlinks(root)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", root, err)
		}
		shown := func(p string) string {
			rel, err := filepath.Rel(walkRoot, p)
			if err != nil {
				return p
			}
			return filepath.Join(root, rel)
		}
		err = filepath.WalkDir(walkRoot, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				bad = append(bad, unreadable{shown(p), err.Error()})
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if p != walkRoot && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			switch kind, why := entryKind(p, d); kind {
			case "file":
				files = append(files, shown(p))
			case "bad":
				bad = append(bad, unreadable{shown(p), why})
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return files, bad, nil
}

// entryKind tells a regular file ("file") from what is left out silently
// (a socket, a device: "other") and from what is reported ("bad", with the
// reason): dangling links and links to folders.
func entryKind(p string, d fs.DirEntry) (string, string) {
	if d.Type().IsRegular() {
		return "file", ""
	}
	if d.Type()&fs.ModeSymlink == 0 {
		return "other", ""
	}
	info, err := os.Stat(p)
	switch {
	case err != nil:
		return "bad", "broken symbolic link: " + err.Error()
	case info.IsDir():
		return "bad", "symbolic link to a folder, not followed; name the folder itself to read it"
	case info.Mode().IsRegular():
		return "file", ""
	}
	return "other", ""
}

func countSkipped(s *Set) int {
	n := 0
	for _, f := range s.Files {
		if f.Skipped {
			n++
		}
	}
	return n
}

// unreadable records a file that could not be read: listed as skipped with
// the reason, and as a problem, since whatever it held is missing.
// Unreadable reports, as Read does, a file that cannot be read and why:
// a skipped file in Files and a problem at its first line.
func (s *Set) Unreadable(path, reason string) { s.unreadable(path, reason) }

// RecordProblems returns the problems of the records the decoder
// rejected: Problems without those of the files that could not be read at
// all, which Files lists as unreadable (a broken link, a link to a folder,
// a file that would not open). Those are no rejected record, and a count
// of rejected records must not take them in.
func (s *Set) RecordProblems() []*Error {
	unreadable := map[string]bool{}
	for _, f := range s.Files {
		if f.Shape == "unreadable" {
			unreadable[f.Path] = true
		}
	}
	if len(unreadable) == 0 {
		return s.Problems
	}
	var out []*Error
	for _, p := range s.Problems {
		if !unreadable[p.File] {
			out = append(out, p)
		}
	}
	return out
}

func (s *Set) unreadable(path, reason string) {
	s.Files = append(s.Files, FileReport{Path: path, Shape: "unreadable", Skipped: true,
		Reason: "cannot be read: " + reason})
	s.Problems = append(s.Problems, &Error{File: path, Line: 1, Column: 1,
		Msg: "cannot be read: " + reason})
}

// Walk lists the files Read and Stream read under paths, in the order they
// read them, and returns a Set holding only the reports and problems Read
// gives for the entries it cannot read (a broken link, a link to a folder,
// a folder it cannot list), which Stream leaves out. The error is for a
// path that does not exist.
func Walk(paths []string) ([]string, *Set, error) {
	files, bad, err := collectAll(paths)
	if err != nil {
		return nil, nil, err
	}
	set := &Set{}
	for _, b := range bad {
		set.unreadable(b.path, b.reason)
	}
	return files, set, nil
}

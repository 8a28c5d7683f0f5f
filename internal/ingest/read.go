package ingest

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// Options configures Read. The zero value works.
type Options struct {
	// Logger receives a Debug line per file, a Warn line per skipped file
	// and an Info summary. Nil discards logging. Raw records are never
	// logged.
	Logger *slog.Logger
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
	files, err := collect(paths)
	if err != nil {
		return nil, err
	}
	set := &Set{}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		Decode(p, data, set)
		rep := set.Files[len(set.Files)-1]
		log.Debug("file read", logKeyPath, p, logKeyShape, rep.Shape,
			logKeyRecords, rep.Records, logKeyRejected, rep.Rejected)
		if rep.Skipped {
			log.Warn("file skipped", logKeyPath, p, logKeyReason, rep.Reason)
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
// walked in lexical order.
func collect(paths []string) ([]string, error) {
	var files []string
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", root, err)
		}
		if !info.IsDir() {
			files = append(files, root)
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("read %s: %w", p, err)
			}
			if p != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if regular, err := isRegular(p, d); err != nil {
				return err
			} else if regular {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// isRegular reports whether p is a regular file, following a symbolic link.
func isRegular(p string, d fs.DirEntry) (bool, error) {
	if d.Type().IsRegular() {
		return true, nil
	}
	if d.Type()&fs.ModeSymlink == 0 {
		return false, nil
	}
	info, err := os.Stat(p)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", p, err)
	}
	return info.Mode().IsRegular(), nil
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

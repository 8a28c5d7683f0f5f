package ingest

import (
	"fmt"
	"io"
	"os"
)

// Files lists the files Read and Stream would read for paths: a file as
// given, a folder walked in lexical order, hidden names skipped.
func Files(paths []string) ([]string, error) {
	return collect(paths)
}

// peekSize is how much of a file FirstKind reads: a few records.
const peekSize = 64 << 10

// FirstKind returns the kind of the first record of a file, read from its
// first 64 KiB, or KindUnknown when none is recognised there. Callers use
// it to order files (IP intelligence before the sign-ins it describes)
// without reading them whole.
func FirstKind(path string) (Kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return KindUnknown, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, peekSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return KindUnknown, fmt.Errorf("read %s: %w", path, err)
	}
	set := &Set{}
	Decode(path, head[:n], set)
	if recs := setRecords(set); len(recs) > 0 {
		return recs[0].Kind, nil
	}
	return KindUnknown, nil
}

package ingest

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
	r, err := firstRecord(path)
	return r.Kind, err
}

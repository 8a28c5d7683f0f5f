// Command casegen writes idtriage's reference example and its investigation
// fixture cases from code, so that every record can be reproduced and the
// committed files never drift from the story they tell.
//
//	go run ./tools/casegen            # rewrite the outputs under the current directory
//	go run ./tools/casegen -out DIR   # write the same tree under DIR
//
// It writes examples/sspr-takeover, the reference case of DESIGN.md, and five
// small cases under internal/investigate/testdata/cases, each in a different
// export shape: Graph pages and bare arrays, Event Hub NDJSON and "records"
// messages, Log Analytics CSV and JSON rows, and PowerShell exports in
// UTF-16LE and in UTF-8 with a byte-order mark.
//
// # Rules the records follow
//
// Every person and host name is on a reserved example domain. The fixtures
// use the documentation address ranges; the reference case uses the public
// addresses its story names. Identifiers come from counters (see guid), the
// sub-second part of times from a fixed-seed PCG, and map iteration never
// decides the order of anything written, so two runs give the same bytes. The record layouts were
// learned from public samples; no sample text is copied.
//
// casegen_test.go runs the generator into a temporary directory and fails
// when a committed file differs from what the generator writes now.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// file is one output: a slash-separated path relative to the output root,
// and its exact bytes.
type file struct {
	path string
	data []byte
}

func main() {
	out := flag.String("out", ".", "directory to write into (the repository root)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "casegen:", err)
		os.Exit(1)
	}
}

// run writes every output under root, creating folders as needed. It
// overwrites the files it owns and touches nothing else.
func run(root string) error {
	for _, f := range generate() {
		path := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("create folder for %s: %w", f.path, err)
		}
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
	}
	return nil
}

// generate builds every output in a fixed order.
func generate() []file {
	var out []file
	out = append(out, referenceCase()...)
	out = append(out, compromisedSSPRCase()...)
	out = append(out, mfaFatigueCase()...)
	out = append(out, travelVPNCase()...)
	out = append(out, ownSSPRCase()...)
	out = append(out, thinEvidenceCase()...)
	return out
}

package ingest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/jsonx"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// corpusDir is the shared corpus of real public samples. CI lays the
// project's shared/ folder beside the clone, so it is three levels up from
// here.
const corpusDir = "../../../shared/corpus/real"

// requireCorpus fails, never skips, when the corpus is missing: a silent
// skip would hide that nothing was tested.
func requireCorpus(t testing.TB) {
	t.Helper()
	if info, err := os.Stat(corpusDir); err != nil || !info.IsDir() {
		t.Fatalf("corpus folder %s not found (expected the project's shared/ folder "+
			"beside the clone, as ../shared from the repository root): %v", corpusDir, err)
	}
}

// corpusFiles lists every file of the corpus, relative to it, sorted.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	requireCorpus(t)
	var out []string
	err := filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(corpusDir, p)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// decodeFile decodes one corpus file under its relative name.
func decodeCorpus(t testing.TB, rel string) *Set {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	set := &Set{}
	Decode(rel, data, set)
	return set
}

// decodeText decodes text as one file and finishes the set.
func decodeString(name, text string) *Set {
	set := &Set{}
	Decode(name, []byte(text), set)
	set.Finish()
	return set
}

// fieldReport reads a field-report input from testdata/fieldreports.
func fieldReport(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "fieldreports", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// decodeReports decodes field-report inputs, each as its own file, into
// one finished set.
func decodeReports(t testing.TB, names ...string) *Set {
	t.Helper()
	set := &Set{}
	for _, n := range names {
		Decode(n, fieldReport(t, n), set)
	}
	set.Finish()
	return set
}

// noProblems fails on any Error in set.
func noProblems(t *testing.T, set *Set) {
	t.Helper()
	for _, p := range set.Problems {
		t.Errorf("unexpected problem: %v", p)
	}
}

// golden compares got, encoded as indented JSON, with testdata/name, or
// rewrites the file with -update.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := jsonx.MarshalIndent(got)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from the output (run go test -update to accept):\n%s",
			path, cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(b), "\n")))
	}
}

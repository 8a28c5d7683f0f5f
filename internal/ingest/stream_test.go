package ingest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// streamSet runs Stream over paths and gathers what it gave into a Set, in
// the order the records came, as Decode would have added them.
func streamSet(t *testing.T, paths ...string) (*Set, *Summary) {
	t.Helper()
	set := &Set{}
	sum, err := Stream(paths, Options{}, func(r Record) error {
		switch r.Kind {
		case KindSignIn:
			set.SignIns = append(set.SignIns, *r.SignIn)
		case KindAudit:
			set.Audits = append(set.Audits, *r.Audit)
		case KindRisk:
			set.Risks = append(set.Risks, *r.Risk)
		case KindRiskyUser:
			set.RiskyUsers = append(set.RiskyUsers, *r.RiskyUser)
		case KindUser:
			set.Users = append(set.Users, *r.User)
		case KindIPInfo:
			set.IPs = append(set.IPs, *r.IP)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	set.Files, set.Problems, set.Warnings = sum.Files, sum.Problems, sum.Warnings
	return set, sum
}

// decodeSet decodes each file with the general decoder, unfinished.
func decodeSet(t *testing.T, paths ...string) *Set {
	t.Helper()
	files, err := collect(paths)
	if err != nil {
		t.Fatal(err)
	}
	set := &Set{}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		Decode(p, data, set)
	}
	return set
}

var setOpts = cmp.Options{addrComparer, cmpopts.EquateEmpty()}

// compareStream checks that Stream gives, for paths, exactly what the
// general decoder gives: the same records in the same order, reports,
// problems and warnings; and, once finished, what Read gives.
func compareStream(t *testing.T, paths ...string) *Summary {
	t.Helper()
	got, sum := streamSet(t, paths...)
	want := decodeSet(t, paths...)
	if diff := cmp.Diff(want, got, setOpts); diff != "" {
		t.Errorf("Stream differs from Decode (-decode +stream):\n%s", diff)
	}
	read, err := Read(paths, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got.Finish()
	if diff := cmp.Diff(read, got, setOpts); diff != "" {
		t.Errorf("Stream then Finish differs from Read (-read +stream):\n%s", diff)
	}
	return sum
}

// withBlockSize runs f with a smaller block, so that records cross blocks.
func withBlockSize(t *testing.T, n int, f func()) {
	t.Helper()
	old := blockSize
	blockSize = n
	defer func() { blockSize = old }()
	f()
}

// TestStreamMatchesRead runs every corpus file, the field-report inputs
// and the example through Stream and the general decoder, with the usual
// block size and with blocks smaller than one record.
func TestStreamMatchesRead(t *testing.T) {
	requireCorpus(t)
	inputs := []string{corpusDir, filepath.Join("testdata", "fieldreports"),
		filepath.Join("..", "..", "examples", "sspr-takeover")}
	for _, size := range []int{4 << 20, 512, 61} {
		withBlockSize(t, size, func() {
			for _, in := range inputs {
				files, err := collect([]string{in})
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					compareStream(t, f)
				}
				compareStream(t, in)
			}
		})
	}
	sum := compareStream(t, filepath.Join("..", "..", "examples", "sspr-takeover"))
	if sum.Fast < 82 {
		t.Errorf("the fast path read %d of the example's sign-ins, want all 82", sum.Fast)
	}
}

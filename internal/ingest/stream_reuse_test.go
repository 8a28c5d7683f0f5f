package ingest

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/simulate"
)

// streamJSON streams paths with opts and returns each sign-in as JSON,
// written while fn runs, and the sign-ins as given.
func streamJSON(t *testing.T, opts Options, merge bool, paths ...string) ([]string,
	[]*entra.SignIn) {
	t.Helper()
	stream := Stream
	if merge {
		stream = StreamByTime
	}
	var texts []string
	var given []*entra.SignIn
	_, err := stream(paths, opts, func(r Record) error {
		if r.SignIn == nil {
			return nil
		}
		b, err := json.Marshal(r.SignIn)
		if err != nil {
			return err
		}
		texts, given = append(texts, string(b)), append(given, r.SignIn)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return texts, given
}

// distinct counts the different sign-ins among given.
func distinct(given []*entra.SignIn) int {
	seen := map[*entra.SignIn]bool{}
	for _, s := range given {
		seen[s] = true
	}
	return len(seen)
}

// TestStreamReuse holds Options.Reuse to its word: the records given are
// the same as without it, on the corpus and on a generated tenant, in
// lean and full decoding and across small blocks; and the sign-ins are
// in fact given again, so that decoding allocates less.
func TestStreamReuse(t *testing.T) {
	requireCorpus(t)
	inputs := []string{corpusDir, smallTenant(t)}
	for _, lean := range []bool{false, true} {
		for _, size := range []int{blockSize, 4096} {
			withBlockSize(t, size, func() {
				want, _ := streamJSON(t, Options{Lean: lean}, false, inputs...)
				got, given := streamJSON(t, Options{Lean: lean, Reuse: true}, false, inputs...)
				if !slices.Equal(want, got) {
					t.Fatalf("lean %v, block %d: Reuse changes the sign-ins given", lean, size)
				}
				if n := distinct(given); n > len(given)*3/4 {
					t.Errorf("lean %v, block %d: %d different sign-ins given for %d records; "+
						"Reuse reuses none", lean, size, n, len(given))
				}
			})
		}
	}
}

// TestStreamByTimeMergeReuse checks Reuse across files merged by time: a
// lane's records wait in the merge after its stream has handed them over,
// so its sign-ins may be filled again only once the merge has given them
// on. Given too early, a waiting sign-in would change before it is given.
func TestStreamByTimeMergeReuse(t *testing.T) {
	out := t.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 60, Days: 3, Seed: 5, Out: out}); err != nil {
		t.Fatal(err)
	}
	files, err := collect([]string{filepath.Join(out, simulate.LogsDir)})
	if err != nil {
		t.Fatal(err)
	}

	// Two files over the same hours: the lines of the days dealt in turn.
	// A lane holds several hundred records in flight (six chunks and its
	// stream's batches), each in its own sign-in, so the files hold many
	// more.
	dir := t.TempDir()
	parts := splitLines(t, files, filepath.Join(dir, "a.ndjson"),
		filepath.Join(dir, "b.ndjson"))

	withBlockSize(t, 4096, func() {
		want, kept := streamJSON(t, Options{Lean: true}, true, parts...)
		if len(kept) < 6000 {
			t.Fatalf("%d sign-ins merged; the test needs more", len(kept))
		}
		if n := distinct(kept); n != len(kept) {
			t.Fatalf("without Reuse, %d different sign-ins given for %d records", n, len(kept))
		}
		got, given := streamJSON(t, Options{Lean: true, Reuse: true}, true, parts...)
		if !slices.Equal(want, got) {
			t.Fatal("Reuse changes the sign-ins the merge gives")
		}
		n := distinct(given)
		t.Logf("%d different sign-ins given for %d records", n, len(given))
		if n > len(given)*3/4 {
			t.Errorf("%d different sign-ins given for %d records; the merge reuses too few",
				n, len(given))
		}
	})
}

// splitLines deals the lines of the files in src, one after another, to
// the files named in dst, in turn, and returns their names.
func splitLines(t *testing.T, src []string, dst ...string) []string {
	t.Helper()
	outs := make([]*bufio.Writer, len(dst))
	for i, name := range dst {
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		outs[i] = bufio.NewWriter(f)
		defer outs[i].Flush()
	}
	n := 0
	for _, name := range src {
		in, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(in)
		sc.Buffer(nil, 1<<20)
		for ; sc.Scan(); n++ {
			w := outs[n%len(outs)]
			w.Write(sc.Bytes())
			w.WriteByte('\n')
		}
		in.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

package spill

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/simulate"
)

// corpusDir is the shared corpus of real public samples, which CI lays
// beside the clone.
const corpusDir = "../../../shared/corpus/real"

// realItems reads every sign-in, audit and risk detection of the shared
// corpus, the
// example and a small generated tenant, each field decoded, as items in
// the order read.
func realItems(t *testing.T) []Item {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Fatalf("corpus folder %s not found (CI lays shared/ beside the clone): %v",
			corpusDir, err)
	}
	out := t.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 30, Days: 1, Seed: 7, Out: out}); err != nil {
		t.Fatal(err)
	}
	paths := []string{corpusDir, "../../examples", filepath.Join(out, simulate.LogsDir)}
	var items []Item
	risks := 0
	_, err := ingest.Stream(paths, ingest.Options{}, func(r ingest.Record) error {
		switch {
		case r.SignIn != nil:
			items = append(items, Item{SignIn: r.SignIn})
		case r.Audit != nil:
			items = append(items, Item{Audit: r.Audit})
		case r.Risk != nil:
			items = append(items, Item{Risk: r.Risk})
			risks++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if risks < 5 {
		t.Fatalf("read %d risk detections; the corpus and the example hold more", risks)
	}
	if len(items) < 1000 {
		t.Fatalf("read %d sign-ins and audits; expected the corpus, the example and "+
			"a generated tenant to give more than 1,000", len(items))
	}
	return items
}

// sortAll runs items through a Sorter with the given budget and returns
// what Each handed over and the Sorter's stats.
func sortAll(t *testing.T, items []Item, budget int) ([]Item, Stats) {
	t.Helper()
	s := New(t.TempDir(), budget)
	defer s.Close()
	for _, it := range items {
		if err := s.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	var got []Item
	if err := s.Each(func(it Item) error {
		got = append(got, it)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got, s.Stats()
}

// TestSorterOrdersRealRecords sorts the real records under budgets that
// keep them all in memory, spill a few runs, and spill so many runs that
// extra merge passes are needed; each must give the records sorted in
// memory, field for field.
func TestSorterOrdersRealRecords(t *testing.T) {
	items := realItems(t)
	want := sortedInMemory(items)
	total := 0
	for _, it := range items {
		total += sizeOf(it)
	}
	for _, tc := range []struct {
		name     string
		budget   int
		spilled  bool
		manyRuns bool
	}{
		{"in memory", 2 * total, false, false},
		{"a few runs", total / 5, true, false},
		{"extra passes", total / (4 * MaxFanIn), true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, st := sortAll(t, items, tc.budget)
			if st.Records != len(items) {
				t.Errorf("Stats.Records = %d, want %d", st.Records, len(items))
			}
			if (st.Runs > 0) != tc.spilled {
				t.Errorf("wrote %d runs; spilled should be %v", st.Runs, tc.spilled)
			}
			if tc.manyRuns && st.Runs <= 2*MaxFanIn {
				t.Errorf("wrote %d runs; expected more than %d, with extra passes",
					st.Runs, 2*MaxFanIn)
			}
			if len(got) != len(want) {
				t.Fatalf("got %d records, want %d", len(got), len(want))
			}
			for i := range want {
				if !sameItem(got[i], want[i]) {
					t.Fatalf("record %d differs after sorting:\n got %+v\nwant %+v",
						i, got[i], want[i])
				}
			}
		})
	}
}

// sortedInMemory is what a Sorter should give for items: them sorted in
// memory, ties kept in the order given.
func sortedInMemory(items []Item) []Item {
	es := make([]entry, len(items))
	for i, it := range items {
		es[i] = entry{Seq: uint64(i), Item: it}
	}
	slices.SortFunc(es, compare)
	out := make([]Item, len(es))
	for i, e := range es {
		out[i] = e.Item
	}
	return out
}

// sameItem compares two items field for field, taking an empty slice or
// map as equal to a missing one (gob writes neither) and times by instant.
func sameItem(a, b Item) bool {
	return reflect.DeepEqual(normal(a), normal(b))
}

// normal returns a deep copy of it with every empty slice and map nil
// (also behind interfaces) and times in UTC.
func normal(it Item) Item {
	if it.SignIn != nil {
		s := *it.SignIn
		it.SignIn = &s
		normalize(reflect.ValueOf(&s).Elem())
	}
	if it.Audit != nil {
		a := *it.Audit
		it.Audit = &a
		normalize(reflect.ValueOf(&a).Elem())
	}
	if it.Risk != nil {
		d := *it.Risk
		it.Risk = &d
		normalize(reflect.ValueOf(&d).Elem())
	}
	return it
}

func normalize(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				normalize(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		v.Set(c)
		for i := range v.Len() {
			normalize(v.Index(i))
		}
	case reflect.Map:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			normalize(e)
			c.SetMapIndex(it.Key(), e)
		}
		v.Set(c)
	case reflect.Interface:
		// An empty slice or map behind an interface (Audit values decoded
		// from "[]") comes back from gob as a typed nil.
		if v.IsNil() {
			return
		}
		e := reflect.New(v.Elem().Type()).Elem()
		e.Set(v.Elem())
		normalize(e)
		v.Set(e)
	}
}

// TestSorterShuffled sorts two shuffles of the real records with runs on
// disk: each comes out in time order, as sorting it in memory gives it.
func TestSorterShuffled(t *testing.T) {
	items := realItems(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, budget := range []int{256 << 10, 1 << 20} {
		in := slices.Clone(items)
		rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		got, st := sortAll(t, in, budget)
		if st.Runs == 0 {
			t.Fatalf("budget %d wrote no run", budget)
		}
		want := sortedInMemory(in)
		for i := range want {
			if !sameItem(got[i], want[i]) {
				t.Fatalf("budget %d: record %d is %s, want %s", budget, i,
					describe(got[i]), describe(want[i]))
			}
			if i > 0 && got[i].Time().Before(got[i-1].Time()) {
				t.Fatalf("budget %d: record %d comes before %d", budget, i, i-1)
			}
		}
	}
}

// TestSorterTiesKeepOrderAdded checks that records of one time, kind and
// id (the rows of one sign-in) come in the order they were added, across
// runs, as they do when an ordered input is streamed.
func TestSorterTiesKeepOrderAdded(t *testing.T) {
	at := time.Date(2026, 3, 2, 5, 3, 52, 0, time.UTC)
	// Each row names a file that sorts before the last one's, as when the
	// same sign-in is read from b.ndjson, then a.ndjson.
	file := 'z'
	row := func(code int) Item {
		file--
		return Item{SignIn: &entra.SignIn{ID: "same", Time: at, ErrorCode: code,
			Pos: entra.Pos{File: string(file) + ".ndjson", Index: 1}}}
	}
	other := Item{Audit: &entra.Audit{ID: "same", Time: at}}
	for _, budget := range []int{1, 1 << 20} {
		for _, codes := range [][]int{{0, 50126, 50074}, {50074, 0, 50126}} {
			s := New(t.TempDir(), budget)
			defer s.Close()
			var got []int
			for _, c := range codes {
				if err := s.Add(other); err != nil {
					t.Fatal(err)
				}
				if err := s.Add(row(c)); err != nil {
					t.Fatal(err)
				}
			}
			err := s.Each(func(it Item) error {
				if it.SignIn != nil {
					got = append(got, it.SignIn.ErrorCode)
				} else if len(got) < len(codes) {
					t.Errorf("budget %d: an audit came before a sign-in of the same time",
						budget)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, codes) {
				t.Errorf("budget %d: rows came as %v, added as %v", budget, got, codes)
			}
		}
	}
}

func describe(it Item) string {
	k, id := it.parts()
	return fmt.Sprintf("%s kind %d id %s", it.Time().Format(time.RFC3339Nano), k, id)
}

// TestSorterMemoryStaysWithinBudget checks that the records held never
// pass the budget by more than the last one added, and that memory does
// not grow with the input: four times the records, the same peak.
func TestSorterMemoryStaysWithinBudget(t *testing.T) {
	items := realItems(t)
	const budget = 200 << 10
	biggest := 0
	for _, it := range items {
		biggest = max(biggest, sizeOf(it))
	}
	var four []Item
	for range 4 {
		four = append(four, items...)
	}
	_, one := sortAll(t, items, budget)
	_, many := sortAll(t, four, budget)
	for _, st := range []Stats{one, many} {
		if st.Peak > budget+biggest {
			t.Errorf("held %d bytes at the peak; budget %d plus the largest record %d",
				st.Peak, budget, biggest)
		}
		if st.Peak < budget {
			t.Errorf("held at most %d bytes; the budget %d was never reached", st.Peak, budget)
		}
	}
	if many.Runs < 3*one.Runs {
		t.Errorf("four times the records wrote %d runs against %d: the rest stayed in memory",
			many.Runs, one.Runs)
	}
}

// TestSorterRemovesItsRuns checks that Close leaves nothing behind.
func TestSorterRemovesItsRuns(t *testing.T) {
	parent := t.TempDir()
	s := spilled(t, parent, 10)
	if st := s.Stats(); st.Runs != 10 || st.Bytes == 0 {
		t.Fatalf("Stats = %+v, want 10 runs of some bytes", st)
	}
	if left := entries(t, parent); len(left) != 1 {
		t.Fatalf("parent holds %v, want one folder of runs", left)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if left := entries(t, parent); len(left) != 0 {
		t.Fatalf("after Close the parent still holds %v", left)
	}
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// spilled returns a Sorter under parent that has written n runs of one
// sign-in each.
func spilled(t *testing.T, parent string, n int) *Sorter {
	t.Helper()
	s := New(parent, 1)
	for i := range n {
		if err := s.Add(signIn(i)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func signIn(i int) Item {
	at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).Add(time.Duration(i%7) * time.Minute)
	return Item{SignIn: &entra.SignIn{ID: "s" + string(rune('a'+i)), Time: at,
		UserPrincipalName: "user@example.com"}}
}

// TestSorterErrors checks that each failure names what failed and that
// Each stops at its callback's error.
func TestSorterErrors(t *testing.T) {
	t.Run("no folder for runs", func(t *testing.T) {
		s := New(filepath.Join(t.TempDir(), "missing"), 1)
		defer s.Close()
		err := s.Add(signIn(0))
		if err == nil || !strings.Contains(err.Error(), "make a folder for sorted runs") {
			t.Fatalf("Add = %v, want an error about the folder", err)
		}
	})
	t.Run("damaged run", func(t *testing.T) {
		s := spilled(t, t.TempDir(), 3)
		defer s.Close()
		if err := os.WriteFile(s.runs[1], []byte("not gob"), 0o600); err != nil {
			t.Fatal(err)
		}
		err := s.Each(func(Item) error { return nil })
		if err == nil || !strings.Contains(err.Error(), filepath.Base(s.runs[1])) {
			t.Fatalf("Each = %v, want an error naming %s", err, s.runs[1])
		}
	})
	t.Run("callback error", func(t *testing.T) {
		s := spilled(t, t.TempDir(), 5)
		defer s.Close()
		stop, n := errors.New("stop"), 0
		err := s.Each(func(Item) error {
			if n++; n == 2 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 2 {
			t.Fatalf("Each = %v after %d records, want stop after 2", err, n)
		}
	})
	t.Run("empty item", func(t *testing.T) {
		s := New(t.TempDir(), 0)
		if err := s.Add(Item{}); err == nil {
			t.Fatal("Add(Item{}) = nil, want an error")
		}
	})
	t.Run("two records in one item", func(t *testing.T) {
		s := New(t.TempDir(), 0)
		two := Item{SignIn: &entra.SignIn{ID: "a"}, Risk: &entra.RiskDetection{ID: "b"}}
		if err := s.Add(two); err == nil {
			t.Fatal("Add of a sign-in and a detection together = nil, want an error")
		}
	})
}

// TestSizeOf checks that the estimate follows strings, slices and nested
// records, and never counts a shared time zone.
func TestSizeOf(t *testing.T) {
	base := sizeOf(signIn(0))
	big := signIn(0)
	big.SignIn.UserAgent = strings.Repeat("x", 1<<20)
	if got := sizeOf(big) - base; got < 1<<20 || got > 1<<20+64 {
		t.Errorf("a 1 MiB user agent added %d bytes, want about 1 MiB", got)
	}
	pol := signIn(0)
	pol.SignIn.Policies = make([]entra.CAPolicy, 100)
	for i := range pol.SignIn.Policies {
		pol.SignIn.Policies[i].DisplayName = strings.Repeat("p", 100)
	}
	if got := sizeOf(pol) - base; got < 100*100+100*50 {
		t.Errorf("100 policies of 100-byte names added %d bytes, want more than %d",
			got, 100*100+100*50)
	}
	local := signIn(0)
	zone := time.FixedZone("far", 5*3600)
	local.SignIn.Time = local.SignIn.Time.In(zone)
	if got := sizeOf(local); got != base {
		t.Errorf("a time in another zone changed the estimate from %d to %d", base, got)
	}
}

// TestFanIn checks that a merge reads fewer runs at once when records are
// large against the budget, and that such a sort still orders them.
func TestFanIn(t *testing.T) {
	for _, tc := range []struct{ budget, largest, want int }{
		{64 << 20, 4 << 10, MaxFanIn},
		{1 << 20, 64 << 10, 8},
		{1 << 20, 5 << 20, 2},
		{1, 0, 2},
	} {
		s := &Sorter{budget: tc.budget, largest: tc.largest}
		if got := s.fanIn(); got != tc.want {
			t.Errorf("fanIn with budget %d, largest %d = %d, want %d",
				tc.budget, tc.largest, got, tc.want)
		}
	}

	var items []Item
	for i := range 40 {
		it := signIn(i)
		it.SignIn.UserAgent = strings.Repeat("a", 100<<10)
		items = append(items, it)
	}
	got, st := sortAll(t, items, 300<<10)
	if st.Runs <= 20 {
		t.Errorf("wrote %d runs; 20 runs of two records should need extra passes", st.Runs)
	}
	want := sortedInMemory(items)
	for i := range want {
		if !sameItem(got[i], want[i]) {
			t.Fatalf("record %d is %s, want %s", i, describe(got[i]), describe(want[i]))
		}
	}
}

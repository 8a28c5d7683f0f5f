package spill

import (
	"fmt"
	"os"
	"slices"
)

// DefaultBudget is the memory a Sorter holds records in when its caller
// gives none: 64 MiB, a few tens of thousands of fully decoded sign-ins.
const DefaultBudget = 64 << 20

// MaxFanIn is the most runs one merge reads at once. More runs are first
// merged in groups into longer runs, so that open files and read buffers
// stay bounded. A merge holds about two copies of the largest record for
// each run it reads (the record and its decoder's buffer), so where records
// are large against the budget it reads fewer at once (see fanIn).
const MaxFanIn = 64

// Sorter takes records in any order and hands them back in time order,
// holding at most its budget of them in memory and spilling the rest to
// sorted run files. Use Add for every record, then Each once, then Close.
// A Sorter is not safe for concurrent use.
type Sorter struct {
	parent string
	budget int
	dir    string // made at the first spill
	mem    []entry
	size   int
	runs   []string
	stats  Stats
	// largest is the estimated size of the largest record added.
	largest int
}

// Stats says how much a Sorter spilled.
type Stats struct {
	// Records is how many records were added.
	Records int
	// Runs is how many sorted runs were written, counting those written by
	// extra merge passes; Bytes is their total size on disk.
	Runs  int
	Bytes int64
	// Peak is the largest estimated size of the records held in memory.
	Peak int
}

// New returns a Sorter that keeps up to budget bytes of records in memory
// (DefaultBudget when budget <= 0) and writes its runs to a new folder
// under parent (os.TempDir() when parent is "").
func New(parent string, budget int) *Sorter {
	if budget <= 0 {
		budget = DefaultBudget
	}
	if parent == "" {
		parent = os.TempDir()
	}
	return &Sorter{parent: parent, budget: budget}
}

// Add takes one record. When the records in memory pass the budget, they
// are sorted and written to a run file; an error says why that failed.
func (s *Sorter) Add(it Item) error {
	if it.records() != 1 {
		return fmt.Errorf("spill: an item must hold exactly one record")
	}
	n := sizeOf(it)
	s.mem = append(s.mem, entry{Seq: uint64(s.stats.Records), Item: it})
	s.size += n
	s.largest = max(s.largest, n)
	s.stats.Records++
	s.stats.Peak = max(s.stats.Peak, s.size)
	if s.size < s.budget {
		return nil
	}
	return s.spill()
}

// spill sorts the records in memory into a new run file.
func (s *Sorter) spill() error {
	if s.dir == "" {
		dir, err := os.MkdirTemp(s.parent, "idtriage-sort-*")
		if err != nil {
			return fmt.Errorf("spill: make a folder for sorted runs: %w", err)
		}
		s.dir = dir
	}
	slices.SortStableFunc(s.mem, compare)
	path, err := s.write(fromSlice(s.mem))
	if err != nil {
		return err
	}
	s.runs = append(s.runs, path)
	clear(s.mem)
	s.mem, s.size = s.mem[:0], 0
	return nil
}

// Each hands every record to fn in time order: the runs and the records
// still in memory, merged. It stops at the first error fn returns and
// returns it. Call it once, after the last Add.
func (s *Sorter) Each(fn func(Item) error) error {
	slices.SortStableFunc(s.mem, compare)
	for len(s.runs) > s.fanIn() {
		if err := s.mergeGroup(); err != nil {
			return err
		}
	}
	srcs := []source{fromSlice(s.mem)}
	for _, path := range s.runs {
		r, err := openRun(path)
		if err != nil {
			closeAll(srcs)
			return err
		}
		srcs = append(srcs, r)
	}
	defer closeAll(srcs)
	return merge(srcs, fn)
}

// fanIn is how many runs a merge reads at once: MaxFanIn, or fewer when
// two copies of the largest record for each would pass the budget; at
// least two.
func (s *Sorter) fanIn() int {
	return max(2, min(MaxFanIn, s.budget/max(2*s.largest, 1)))
}

// mergeGroup merges the first fanIn runs into one, and removes them.
func (s *Sorter) mergeGroup() error {
	group := s.runs[:s.fanIn()]
	var srcs []source
	for _, path := range group {
		r, err := openRun(path)
		if err != nil {
			closeAll(srcs)
			return err
		}
		srcs = append(srcs, r)
	}
	path, err := s.write(newMerger(srcs))
	closeAll(srcs)
	if err != nil {
		return err
	}
	for _, p := range group {
		os.Remove(p)
	}
	s.runs = append(s.runs[len(group):], path)
	return nil
}

// Stats says what the Sorter has held and spilled so far.
func (s *Sorter) Stats() Stats { return s.stats }

// Close removes the run files and their folder. It is safe to call more
// than once, and after a failed Add or Each.
func (s *Sorter) Close() error {
	s.mem, s.runs = nil, nil
	if s.dir == "" {
		return nil
	}
	dir := s.dir
	s.dir = ""
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("spill: remove sorted runs: %w", err)
	}
	return nil
}

package ingest

import (
	"fmt"
	"os"
	"strings"
)

// consume takes the batches in file order, hands the records to fn and
// keeps each file's report, problems and warnings.
func (s *streamer) consume() error {
	var agg *fileAgg
	for b := range s.order {
		<-b.done
		if b.err != nil {
			return b.err
		}
		if agg == nil || agg.run != b.file {
			agg = newFileAgg(b.file)
		}
		if err := agg.apply(s, b); err != nil {
			return err
		}
		s.release(b.data)
		s.recycle(b)
		if b.last {
			if err := agg.close(s); err != nil {
				return err
			}
			agg = nil
		}
	}
	return nil
}

func (s *streamer) emit(r Record) error {
	s.sum.Counts[r.Kind]++
	return s.fn(r)
}

// fileAgg gathers what the batches of one file gave, in the form the
// general decoder keeps it (a fileState), so that the file's report is
// settled by the same code.
type fileAgg struct {
	run      *fileRun
	f        *fileState
	warnings map[string]int
	tops     topValues
	// ordinal is how many records (good or bad) the file has shown so far;
	// rescanned is what damage recovery read again, against the budget
	// the general decoder allows for the whole file.
	ordinal   int
	rescanned int
	dropped   int
	region    *region
	// replaced is set once the general decoder read the whole file: its
	// report, problems and warnings stand, and later batches are ignored.
	replaced bool
}

func newFileAgg(run *fileRun) *fileAgg {
	f := &fileState{name: run.path, set: &Set{}, rep: FileReport{Path: run.path}}
	return &fileAgg{run: run, f: f, warnings: map[string]int{}}
}

func (a *fileAgg) apply(s *streamer, b *batch) error {
	if a.replaced {
		return nil
	}
	if b.whole {
		return a.takeWhole(s, b.wholeSet)
	}
	for _, t := range b.tops {
		a.tops.add(t)
	}
	for k, n := range b.warnings {
		a.warnings[k] += n
	}
	if b.nextLink != "" {
		a.f.rep.NextLink = b.nextLink
	}
	for i := range b.items {
		if err := a.item(s, b, i); err != nil || a.replaced {
			return err
		}
	}
	return nil
}

// item takes one decoded item.
func (a *fileAgg) item(s *streamer, b *batch, i int) error {
	it, res := &b.items[i], &b.results[i]
	switch {
	case a.region != nil:
		return a.extend(s, b, it, res)
	case res.blank:
		return nil
	case res.damaged:
		a.region = &region{line: it.line, col0: it.col0}
		a.region.add(b, it)
		return nil
	case res.piece != nil:
		return a.takePiece(s, res.piece)
	}
	if it.kind == itemLine {
		a.tops.add("object")
	}
	a.ordinal++
	res.rec.setIndex(a.ordinal)
	a.f.kept(KindSignIn)
	s.sum.Fast++
	return s.emit(res.rec)
}

// takePiece adds what the general decoder gave for one stretch.
func (a *fileAgg) takePiece(s *streamer, p *piece) error {
	p.shift(a.ordinal)
	a.ordinal += p.ordinals
	a.rescanned += p.rescanned
	a.addProblems(p.problems)
	a.f.unknown = append(a.f.unknown, p.unknown...)
	for k, n := range p.warnings {
		a.warnings[k] += n
	}
	for _, t := range p.tops {
		a.tops.add(t)
	}
	if a.f.firstKeys == nil {
		a.f.firstKeys = p.firstKeys
	}
	if p.nextLink != "" {
		a.f.rep.NextLink = p.nextLink
	}
	for k, n := range p.counts {
		if a.f.rep.Counts == nil {
			a.f.rep.Counts = map[Kind]int{}
		}
		a.f.rep.Counts[k] += n
	}
	a.f.rep.Records += p.records
	a.f.rep.Rejected += p.rejected
	for _, r := range p.recs {
		s.sum.General++
		if err := s.emit(r); err != nil {
			return err
		}
	}
	return nil
}

// addProblems keeps a file's problems up to MaxProblems and counts the rest.
func (a *fileAgg) addProblems(ps []*Error) {
	room := max(MaxProblems-len(a.f.problems), 0)
	if len(ps) > room {
		a.dropped += len(ps) - room
		ps = ps[:room]
	}
	a.f.problems = append(a.f.problems, ps...)
}

// budget is the recovery budget of the general decoder for this file.
func (a *fileAgg) budget() int { return 4*a.run.textLen + 1<<20 }

// region is a run of NDJSON lines that starts with damage that may reach
// past its own line (an unclosed bracket or string). It grows until a
// clean record line closes it and the general decoder, run over the run,
// is seen to read that line as a record of its own: from there on the
// general decoder would read the file as the stream does.
type region struct {
	text       []byte
	line, col0 int
	// long maps the offset of the '{' of a stand-in line to the size of
	// the line over MaxRecord it stands for, whose bytes are gone. The
	// general decoder rejects the line, or its recovery passes over it, as
	// over the real one; only an array opened in the region, which the
	// general decoder reads across lines, would take the real line as an
	// element where the stand-in is a broken one.
	long map[int]int
}

func (r *region) add(b *batch, it *item) {
	if it.kind == itemTooLarge {
		r.text = append(r.text, strings.Repeat(" ", it.col0)...)
		if r.long == nil {
			r.long = map[int]int{}
		}
		r.long[len(r.text)] = it.size
		r.text = append(r.text, '{')
	} else {
		r.text = append(r.text, b.data[it.start:it.end]...)
	}
	if it.nl {
		r.text = append(r.text, '\n')
	}
}

// extend adds a line to the open region and closes it when the line is a
// clean record at the start of its line.
func (a *fileAgg) extend(s *streamer, b *batch, it *item, res *result) error {
	a.region.add(b, it)
	clean := it.kind == itemLine && it.col0 == 0 && !res.blank && !res.damaged &&
		b.data[it.start] == '{'
	if !clean {
		return nil
	}
	p := a.region.piece(a.run.path)
	if !p.endsAt(it.line) {
		return nil
	}
	a.region = nil
	return a.takeRegion(s, p)
}

// piece decodes the region as the general decoder reads it in line mode.
func (r *region) piece(name string) *piece {
	return linesPiece(name, r.text, r.line, r.col0, r.long)
}

// endsAt reports whether the general decoder, over a region, read the line
// numbered line last, as a top-level record, within its recovery budget.
func (p *piece) endsAt(line int) bool {
	if p.ordinals == 0 || len(p.tops) == 0 || p.tops[len(p.tops)-1] != "object" || p.budgetHit {
		return false
	}
	for _, r := range p.recs {
		if r.Pos.Index == p.ordinals {
			return r.Pos.Line == line
		}
	}
	for _, list := range [][]*Error{p.problems, p.unknown} {
		for _, e := range list {
			if e.Record == p.ordinals {
				return e.Line == line
			}
		}
	}
	return false
}

// takeRegion adds a closed region, unless recovery went past the budget
// of the whole file: the general decoder would then stop reading, and the
// file is read again whole.
func (a *fileAgg) takeRegion(s *streamer, p *piece) error {
	if p.budgetHit || a.rescanned+p.rescanned > a.budget() {
		set, err := decodeWhole(a.run.path)
		if err != nil {
			return err
		}
		return a.takeWhole(s, set)
	}
	return a.takePiece(s, p)
}

// takeWhole takes the general decoder's reading of the whole file: the
// records past those already handed over, and its report, problems and
// warnings for the file.
func (a *fileAgg) takeWhole(s *streamer, set *Set) error {
	a.replaced = true
	for _, r := range setRecords(set) {
		if r.Pos.Index <= a.ordinal {
			continue
		}
		s.sum.General++
		if err := s.emit(r); err != nil {
			return err
		}
	}
	a.f.rep, a.f.problems, a.warnings = set.Files[0], set.Problems, set.Warnings
	return nil
}

// decodeWhole reads a file whole with the general decoder.
func decodeWhole(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	set := &Set{}
	Decode(path, data, set)
	return set, nil
}

// closeRegion decodes and takes the open region, if any, as it stands.
func (a *fileAgg) closeRegion(s *streamer) error {
	r := a.region
	if r == nil || a.replaced {
		return nil
	}
	a.region = nil
	return a.takeRegion(s, r.piece(a.run.path))
}

// close settles the file: a region still open runs to the end of the
// file; the report is finished as the general decoder finishes it.
func (a *fileAgg) close(s *streamer) error {
	if err := a.closeRegion(s); err != nil {
		return err
	}
	rep, problems := a.f.rep, a.f.problems
	if !a.replaced {
		a.f.rep.Shape = withEncoding(a.run.enc, a.tops.shape())
		a.f.close()
		rep, problems = a.f.set.Files[0], a.f.set.Problems
	}
	s.sum.Files = append(s.sum.Files, rep)
	s.sum.addProblems(problems)
	s.sum.ProblemsDropped += a.dropped
	s.sum.addWarnings(a.warnings)
	s.sum.Bytes += a.run.size
	log := s.opts.logger()
	log.Debug("file read", logKeyPath, rep.Path, logKeyShape, rep.Shape,
		logKeyRecords, rep.Records, logKeyRejected, rep.Rejected)
	if rep.Skipped {
		rep.logSkipped(log)
	}
	return nil
}

// logSummary logs the run's counts once the stream ends.
func (s *streamer) logSummary() {
	skipped := 0
	for _, f := range s.sum.Files {
		if f.Skipped {
			skipped++
		}
	}
	c := s.sum.Counts
	s.opts.logger().Info("input streamed", logKeyFiles, len(s.sum.Files), logKeySkipped, skipped,
		logKeySignIns, c[KindSignIn], logKeyAudits, c[KindAudit], logKeyRisks, c[KindRisk],
		logKeyRiskyUsers, c[KindRiskyUser], logKeyUsers, c[KindUser], logKeyIPs, c[KindIPInfo],
		logKeyProblems, len(s.sum.Problems)+s.sum.ProblemsDropped)
}

package ingest

import (
	"cmp"
	"slices"
)

// piece is what the general decoder gave for one stretch of a file: a
// record the fast path declined, a line, or a damaged run of lines. Its
// ordinals (Record, Pos.Index) count from 1 within the stretch; the
// consumer adds the number of records met before it in the file.
type piece struct {
	recs      []Record
	problems  []*Error
	unknown   []*Error
	warnings  map[string]int
	tops      []string
	firstKeys []string
	nextLink  string
	counts    map[Kind]int
	records   int
	rejected  int
	ordinals  int

	// failures counts values that could not be delimited; rescanned is
	// what recovering from them read again, and budgetHit is set when
	// that went past the stretch's own recovery budget.
	failures  int
	rescanned int
	budgetHit bool
}

// pieceState returns a decoder state for text, a stretch of file name that
// starts at line (1-based) and column col0+1.
func pieceState(name string, text []byte, line, col0 int) *fileState {
	f := &fileState{name: name, set: &Set{}, rep: FileReport{Path: name}, text: text}
	f.lines = newLineIndex(text)
	f.lines.line0, f.lines.col0 = line-1, col0
	return f
}

// recordPiece decodes one record cut out of a container, as the general
// decoder decodes an array element.
func recordPiece(name string, text []byte, line, col0 int) *piece {
	f := pieceState(name, text, line, col0)
	f.jsonRecord(0, len(text))
	return collectPiece(f, nil)
}

// notObjectPiece rejects an array element that is not an object.
func notObjectPiece(name string, text []byte, line, col0 int) *piece {
	f := pieceState(name, text, line, col0)
	f.notObject(0, text[0])
	return collectPiece(f, nil)
}

// tooLargePiece rejects an NDJSON line of size bytes, over MaxRecord, that
// the splitter passed over, as the general decoder rejects it in line mode.
func tooLargePiece(name string, line, col0, size int) *piece {
	f := pieceState(name, nil, line, col0)
	f.ordinal++
	f.fail(0, f.ordinal, tooLarge(size))
	return collectPiece(f, &jsonDoc{tops: []string{"object"}})
}

// linePiece decodes a stretch of an NDJSON file, one or more whole lines,
// as the general decoder reads them once it knows the file is NDJSON.
func linePiece(name string, text []byte, line, col0 int) *piece {
	return linesPiece(name, text, line, col0, nil)
}

// linesPiece is linePiece over a text in which the lines at the offsets of
// long stand for lines over MaxRecord of the sizes given (see region).
func linesPiece(name string, text []byte, line, col0 int, long map[int]int) *piece {
	f := pieceState(name, text, line, col0)
	d := &jsonDoc{f: f, b: text, lineMode: true, long: long}
	d.run()
	return collectPiece(f, d)
}

// collectPiece gathers what f and d produced, records in file order.
func collectPiece(f *fileState, d *jsonDoc) *piece {
	set := f.set
	p := &piece{problems: f.problems, unknown: f.unknown, warnings: set.Warnings,
		firstKeys: f.firstKeys, nextLink: f.rep.NextLink, counts: f.rep.Counts,
		records: f.rep.Records, rejected: f.rep.Rejected, ordinals: f.ordinal}
	if d != nil {
		p.tops, p.failures, p.rescanned = d.tops, d.failures, d.rescanned
		p.budgetHit = d.rescanned > d.rescanBudget()
	}
	p.recs = setRecords(set)
	return p
}

// setRecords lists the records of set in file order.
func setRecords(set *Set) []Record {
	var out []Record
	for i := range set.SignIns {
		out = append(out, Record{Kind: KindSignIn, SignIn: &set.SignIns[i], Pos: set.SignIns[i].Pos})
	}
	for i := range set.Audits {
		out = append(out, Record{Kind: KindAudit, Audit: &set.Audits[i], Pos: set.Audits[i].Pos})
	}
	for i := range set.Risks {
		out = append(out, Record{Kind: KindRisk, Risk: &set.Risks[i], Pos: set.Risks[i].Pos})
	}
	for i := range set.RiskyUsers {
		out = append(out, Record{Kind: KindRiskyUser, RiskyUser: &set.RiskyUsers[i],
			Pos: set.RiskyUsers[i].Pos})
	}
	for i := range set.Users {
		out = append(out, Record{Kind: KindUser, User: &set.Users[i], Pos: set.Users[i].Pos})
	}
	for i := range set.IPs {
		out = append(out, Record{Kind: KindIPInfo, IP: &set.IPs[i], Pos: set.IPs[i].Pos})
	}
	slices.SortStableFunc(out, func(a, b Record) int { return cmp.Compare(a.Pos.Index, b.Pos.Index) })
	return out
}

// shift adds base to the ordinals of the piece's records and problems.
func (p *piece) shift(base int) {
	if base == 0 {
		return
	}
	for i := range p.recs {
		p.recs[i].setIndex(p.recs[i].Pos.Index + base)
	}
	for _, list := range [][]*Error{p.problems, p.unknown} {
		for _, e := range list {
			if e.Record > 0 {
				e.Record += base
			}
		}
	}
}

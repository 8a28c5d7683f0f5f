package detect

import (
	"slices"
	"strings"
	"time"
)

// maxRequestSignIns bounds the sign-ins a detection keeps of its request:
// a request id names one sign-in and the few that continue it
// (originalRequestId), so more is a replay of one id, of which the
// earliest are kept.
const maxRequestSignIns = 8

// requestBook ties risk detections to the sign-ins of their requests
// across user keys: a sign-in that gives only an object id is keyed apart
// from a detection that names its user, yet it is the detection's own
// sign-in. It is filled as records are given, before any is evaluated, so
// when a detection is decided every sign-in of its window has been noted
// on it, in either mode and for any input order (riskDetection.request
// reads their outcomes then).
//
// In ordered mode each map lives two generations: the current one takes
// the new entries, and when the safe time has moved by keep the previous
// one is dropped whole and the current one takes its place. So a sign-in
// stays at least Before plus the lateness and a detection at least After
// plus the lateness, beyond which no record given later that is not late
// can be tied to it, and at most about twice that; dropping a map whole
// costs nothing per entry. In buffered mode the book keeps every record,
// as the groups do until Close.
type requestBook struct {
	before, after, lateness time.Duration
	// signIns holds the sign-ins by id and by originalRequestId, in lower
	// case; risks the detections by request id. Each has a previous
	// generation, read as well.
	signIns, oldSignIns map[string]requestSignIns
	risks, oldRisks     map[string][]*event
	// notes and oldNotes are the notes of each generation of signIns not
	// yet in its map, in the order given (see note): until a detection
	// needs the index, a sign-in costs an append rather than two map
	// probes of its id, and most tenants give few detections or none.
	notes, oldNotes []requestNote
	// The safe times at which the current generations began.
	signInsFrom, risksFrom time.Time
}

// requestSignIns is the sign-ins of one request id in one generation:
// one, most often.
type requestSignIns struct {
	first *event
	more  []*event
}

// requestNote is a sign-in noted under request id k but not yet indexed.
type requestNote struct {
	k string
	e *event
}

func newRequestBook(before, after, lateness time.Duration) *requestBook {
	return &requestBook{before: before, after: after, lateness: lateness,
		signIns: map[string]requestSignIns{}, risks: map[string][]*event{}}
}

// signIn notes sign-in e under its id and its originalRequestId, and on
// the detections given earlier that name either. Its outcome is read only
// when a detection is decided: a later row of its id may still replace it.
func (b *requestBook) signIn(e *event) {
	if e.id == "" {
		return
	}
	id := foldID(e.id)
	b.note(id, e)
	if e.key != "" && e.key != e.id {
		if k := foldID(e.key); k != id {
			b.note(k, e)
		}
	}
}

// note notes sign-in e under request id k. While no detection waits, no
// detection can take e now, so e is only listed, and indexed when one
// comes (index); a note indexed then lands where it would have landed at
// once, as the notes of a generation are indexed in the order given.
func (b *requestBook) note(k string, e *event) {
	if len(b.risks) == 0 && len(b.oldRisks) == 0 {
		b.notes = append(b.notes, requestNote{k, e})
		return
	}
	b.index()
	putSignIn(b.signIns, k, e)
	for _, d := range b.risks[k] {
		d.risk.addSignIn(e)
	}
	for _, d := range b.oldRisks[k] {
		d.risk.addSignIn(e)
	}
}

// putSignIn puts sign-in e in m under request id k, after the ones there.
func putSignIn(m map[string]requestSignIns, k string, e *event) {
	if r, ok := m[k]; !ok {
		m[k] = requestSignIns{first: e}
	} else if len(r.more) < maxRequestSignIns {
		r.more = append(r.more, e)
		m[k] = r
	}
}

// index puts the listed notes of both generations in their maps, and
// empties the lists, keeping their room.
func (b *requestBook) index() {
	if len(b.oldNotes) > 0 {
		if b.oldSignIns == nil {
			b.oldSignIns = map[string]requestSignIns{}
		}
		b.oldNotes = indexNotes(b.oldSignIns, b.oldNotes)
	}
	if len(b.notes) > 0 {
		b.notes = indexNotes(b.signIns, b.notes)
	}
}

// indexNotes adds notes to m in order and returns the list emptied.
func indexNotes(m map[string]requestSignIns, notes []requestNote) []requestNote {
	for _, n := range notes {
		putSignIn(m, n.k, n.e)
	}
	clear(notes)
	return notes[:0]
}

// risk notes detection d under its request id and gives it the sign-ins
// of that id noted so far.
func (b *requestBook) risk(d *event) {
	if d.risk.request == "" {
		return
	}
	k := foldID(d.risk.request)
	b.index()
	for _, m := range []map[string]requestSignIns{b.oldSignIns, b.signIns} {
		if r, ok := m[k]; ok {
			d.risk.addSignIn(r.first)
			for _, e := range r.more {
				d.risk.addSignIn(e)
			}
		}
	}
	b.risks[k] = append(b.risks[k], d)
}

// expire starts new generations once the safe time (the newest time less
// the lateness) has moved far enough: see requestBook.
func (b *requestBook) expire(safe time.Time) {
	if b.signInsFrom.IsZero() {
		b.signInsFrom, b.risksFrom = safe, safe
	}
	// The dropped generation's map is cleared and reused: it has the room
	// the next one needs.
	if safe.Sub(b.signInsFrom) >= b.before+b.lateness {
		if b.oldSignIns == nil {
			b.oldSignIns = map[string]requestSignIns{}
		}
		clear(b.oldSignIns)
		b.oldSignIns, b.signIns = b.signIns, b.oldSignIns
		clear(b.oldNotes)
		b.oldNotes, b.notes = b.notes, b.oldNotes[:0]
		b.signInsFrom = safe
	}
	if safe.Sub(b.risksFrom) >= b.after+b.lateness {
		if b.oldRisks == nil {
			b.oldRisks = map[string][]*event{}
		}
		clear(b.oldRisks)
		b.oldRisks, b.risks = b.risks, b.oldRisks
		b.risksFrom = safe
	}
}

// size is the number of request ids the book holds sign-ins and
// detections under, counting each note not yet indexed as one.
func (b *requestBook) size() (signIns, risks int) {
	return len(b.signIns) + len(b.oldSignIns) + len(b.notes) + len(b.oldNotes),
		len(b.risks) + len(b.oldRisks)
}

// addSignIn keeps sign-in e among the detection's request sign-ins, the
// earliest maxRequestSignIns of them in event order.
func (f *riskFacts) addSignIn(e *event) {
	if slices.Contains(f.signIns, e) {
		return
	}
	i, _ := slices.BinarySearchFunc(f.signIns, e, before)
	if i == maxRequestSignIns {
		return
	}
	f.signIns = slices.Insert(f.signIns, i, e)
	if len(f.signIns) > maxRequestSignIns {
		f.signIns = f.signIns[:maxRequestSignIns]
	}
}

// foldID returns a request id in lower case, without allocating for the
// ids Graph writes (already lower case).
func foldID(s string) string {
	if hasUpper(s) {
		return strings.ToLower(s)
	}
	return s
}

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
// on it, in either mode and for any input order (see requestOutcome).
//
// In ordered mode it keeps sign-ins for the detection window's Before plus
// the lateness, and detections for its After plus the lateness: a record
// given later that is not late lies within reach of no older entry. In
// buffered mode it keeps every record, as the groups do until Close.
type requestBook struct {
	before, after time.Duration
	// signIns holds the sign-ins by id and by originalRequestId, in lower
	// case; risks the detections by request id.
	signIns map[string]requestSignIns
	risks   map[string][]*event
	// The entries in the order given, for expiry in ordered mode.
	signInOrder, riskOrder fifo[*event]
}

// requestSignIns is the sign-ins of one request id: one, most often.
type requestSignIns struct {
	first *event
	more  []*event
}

func newRequestBook(before, after time.Duration) *requestBook {
	return &requestBook{before: before, after: after,
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
	b.signInOrder.push(e)
}

func (b *requestBook) note(k string, e *event) {
	r, ok := b.signIns[k]
	switch {
	case !ok:
		r.first = e
	case len(r.more) < maxRequestSignIns:
		r.more = append(r.more, e)
	}
	b.signIns[k] = r
	for _, d := range b.risks[k] {
		d.risk.addSignIn(e)
	}
}

// risk notes detection d under its request id and gives it the sign-ins
// of that id noted so far.
func (b *requestBook) risk(d *event) {
	if d.risk.request == "" {
		return
	}
	k := foldID(d.risk.request)
	if r, ok := b.signIns[k]; ok {
		d.risk.addSignIn(r.first)
		for _, e := range r.more {
			d.risk.addSignIn(e)
		}
	}
	b.risks[k] = append(b.risks[k], d)
	b.riskOrder.push(d)
}

// expire forgets the sign-ins and detections that no record given from
// now on can be tied to, safe being the newest time less the lateness.
func (b *requestBook) expire(safe time.Time) {
	old := b.signInOrder.all()
	n := 0
	for n < len(old) && safe.Sub(old[n].t) > b.before {
		b.forgetSignIn(old[n])
		n++
	}
	b.signInOrder.drop(n)
	risks := b.riskOrder.all()
	n = 0
	for n < len(risks) && safe.Sub(risks[n].t) > b.after {
		b.forgetRisk(risks[n])
		n++
	}
	b.riskOrder.drop(n)
}

func (b *requestBook) forgetSignIn(e *event) {
	id := foldID(e.id)
	b.unnote(id, e)
	if e.key != "" {
		if k := foldID(e.key); k != id {
			b.unnote(k, e)
		}
	}
}

func (b *requestBook) unnote(k string, e *event) {
	r, ok := b.signIns[k]
	if !ok {
		return
	}
	if r.first == e {
		if len(r.more) == 0 {
			delete(b.signIns, k)
			return
		}
		r.first, r.more = r.more[0], r.more[1:]
	} else {
		r.more = slices.DeleteFunc(r.more, func(x *event) bool { return x == e })
	}
	if len(r.more) == 0 {
		r.more = nil
	}
	b.signIns[k] = r
}

func (b *requestBook) forgetRisk(d *event) {
	k := foldID(d.risk.request)
	list := slices.DeleteFunc(b.risks[k], func(x *event) bool { return x == d })
	if len(list) == 0 {
		delete(b.risks, k)
		return
	}
	b.risks[k] = list
}

// size is the number of sign-ins and detections the book holds.
func (b *requestBook) size() (signIns, risks int) {
	return b.signInOrder.len(), b.riskOrder.len()
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
	for i := range len(s) {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

package detect

import (
	"time"
)

// window keeps the events of the last span, oldest first, counted by a
// key (an attempt, a user, a country), so a rule asks "how many distinct
// attempts in the last 24 h" in constant time per event.
type window struct {
	span  time.Duration
	items fifo[item]
	// count holds the tally of each key in the window. Each item points at
	// its key's tally, so that expiring it probes the map only when the
	// key leaves the window, rather than to count down on every item.
	count map[string]*tally
	// spare are tallies of keys that left, reused for keys that come.
	spare []*tally
	// due is when the first item expires: its time plus span, zero when
	// the window is empty. expire compares with it on every event, and
	// the first item has often left the cache; comparing two times costs
	// a tenth of what time.Time.Sub, which checks for overflow, did.
	due time.Time
}

// tally is the number of items of one key in a window. A tally whose n
// falls to 0 is out of count and no item points at it any longer.
type tally struct {
	key string
	n   int
}

// item is one event of a window. It keeps the event's time beside the
// pointer: expire looks at the oldest items, and in a tenant of many users
// their events have long left the cache.
type item struct {
	ev *event
	k  *tally
	t  time.Time
}

// key is the key the item was pushed under.
func (it item) key() string { return it.k.key }

// newWindow returns an empty window; its map is made on first use, as most
// groups never feed most rules.
func newWindow(span time.Duration) *window { return &window{span: span} }

// push adds ev under key; events come in time order.
func (w *window) push(ev *event, key string) {
	if w.count == nil {
		w.count = map[string]*tally{}
	}
	k := w.count[key]
	if k == nil {
		k = w.newTally(key)
		w.count[key] = k
	}
	k.n++
	if w.items.len() == 0 {
		w.due = ev.t.Add(w.span)
	}
	w.items.push(item{ev, k, ev.t})
}

// newTally returns a tally of key at 0, a spare one when there is one.
func (w *window) newTally(key string) *tally {
	if n := len(w.spare); n > 0 {
		k := w.spare[n-1]
		w.spare = w.spare[:n-1]
		k.key = key
		return k
	}
	return &tally{key: key}
}

// expire drops the events more than span before now: those before now
// less span, the same for any times a record can hold (time.Time.Sub,
// which this once was, saturates only past 292 years, and then agrees).
func (w *window) expire(now time.Time) {
	if w.items.len() == 0 || !now.After(w.due) {
		return // the common case: nothing expired
	}
	items := w.items.all()
	cut := now.Add(-w.span)
	n := 0
	for n < len(items) && items[n].t.Before(cut) {
		k := items[n].k
		if k.n--; k.n == 0 {
			// No item left points at k: it can serve another key.
			delete(w.count, k.key)
			k.key = ""
			w.spare = append(w.spare, k)
		}
		n++
	}
	w.items.drop(n)
	w.due = time.Time{}
	if n < len(items) {
		w.due = items[n].t.Add(w.span)
	}
}

// distinct is the number of keys in the window.
func (w *window) distinct() int { return len(w.count) }

// has reports whether the window holds an event under key.
func (w *window) has(key string) bool { return w.count[key] != nil }

func (w *window) empty() bool { return w.items.len() == 0 }

// events returns the window's events, oldest first.
func (w *window) events() []*event {
	out := make([]*event, w.items.len())
	for i, it := range w.items.all() {
		out[i] = it.ev
	}
	return out
}

// keys returns the distinct keys, sorted.
func (w *window) keys() []string { return sortedKeys(w.count) }

// first returns the oldest event's time.
func (w *window) first() time.Time {
	if w.items.len() == 0 {
		return time.Time{}
	}
	return w.items.all()[0].t
}

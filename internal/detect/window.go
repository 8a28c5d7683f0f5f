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
	count map[string]int
}

// item is one event of a window. It keeps the event's time beside the
// pointer: expire looks at the oldest item on every push, and in a tenant
// of many users that event has long left the cache.
type item struct {
	ev  *event
	key string
	t   time.Time
}

// newWindow returns an empty window; its map is made on first use, as most
// groups never feed most rules.
func newWindow(span time.Duration) *window { return &window{span: span} }

// push adds ev under key; events come in time order.
func (w *window) push(ev *event, key string) {
	if w.count == nil {
		w.count = map[string]int{}
	}
	w.items.push(item{ev, key, ev.t})
	w.count[key]++
}

// expire drops the events more than span before now.
func (w *window) expire(now time.Time) {
	items := w.items.all()
	n := 0
	for n < len(items) && now.Sub(items[n].t) > w.span {
		k := items[n].key
		if w.count[k]--; w.count[k] == 0 {
			delete(w.count, k)
		}
		n++
	}
	w.items.drop(n)
}

// distinct is the number of keys in the window.
func (w *window) distinct() int { return len(w.count) }

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

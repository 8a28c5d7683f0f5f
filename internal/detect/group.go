package detect

import (
	"hash/maphash"
	"slices"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// scope is what a rule groups by.
type scope uint8

const (
	scopeUser    scope = iota // one user's sign-ins and audits
	scopeAddress              // one source address, across users
	scopeApp                  // one application, across users and addresses
	scopeCount
)

// group is the state kept for one user, address or application: events not
// yet evaluated, the ids held (for duplicates), each rule's windows, the
// episodes still open, and for a user the history that baselines read.
type group struct {
	scope   scope
	key     string
	serial  uint64 // unique in its engine, never 0 (event.holders)
	pending []*event
	// queued is the latest time queued to pending, and shuffled whether an
	// event came that was not later than it: pending is then out of order,
	// or may be (see Engine.run).
	queued   time.Time
	shuffled bool
	dirty    bool // listed in Engine.dirty
	// ids holds the events by the hash of their ids (idHash), and clash
	// the few whose hash another id held took first, by id: keys of eight
	// bytes cost less to hash, probe and delete than ids of thirty-six,
	// which forget would read again long after they left the cache.
	ids    map[uint64]*event
	clash  map[string]*event
	held   fifo[heldID] // evaluated events whose ids are still held, oldest first
	states []ruleState
	eps    map[string]*episode
	last   time.Time
	hist   history
}

// group returns the group for key, creating it; nil when key is empty.
func (en *Engine) group(s scope, key string) *group {
	if key == "" {
		return nil
	}
	g := en.groups[s][key]
	if g == nil {
		en.serials++
		g = &group{scope: s, key: key, serial: en.serials, ids: map[uint64]*event{},
			states: make([]ruleState, len(en.scopes[s])), eps: map[string]*episode{}}
		en.groups[s][key] = g
	}
	return g
}

// state returns rule i's state in g, creating it on first use.
func (g *group) state(i int, r rule) ruleState {
	if g.states[i] == nil {
		g.states[i] = r.newState()
	}
	return g.states[i]
}

// unqueue removes ev from g's pending events.
func (g *group) unqueue(ev *event) {
	g.pending = slices.DeleteFunc(g.pending, func(e *event) bool { return e == ev })
}

// idSeed seeds idHash; any seed gives the same alerts, as clashes are
// told apart (see group.ids).
var idSeed = maphash.MakeSeed()

// idHash is the hash of an event's heldAs key under which groups hold it.
func idHash(heldAs string) uint64 { return maphash.String(idSeed, heldAs) }

// heldID is an evaluated event in g.held: its time, the event and the
// hash g.ids holds it under, kept here so that forget reads nothing from
// the event, which has long left the cache when it is forgotten.
type heldID struct {
	t  time.Time
	h  uint64
	ev *event
}

// forget drops the ids of evaluated events before t: in ordered mode no
// duplicate of them can still arrive in time to matter. Every event in
// g.held is one g holds (observe pushes only those, and only forget
// removes them), so it is deleted without checking.
func (g *group) forget(t time.Time) {
	held := g.held.all()
	n := 0
	for n < len(held) && held[n].t.Before(t) {
		g.release(held[n])
		n++
	}
	g.held.drop(n)
}

// release deletes a held event from g.ids, or from g.clash when another
// id holds its hash there.
func (g *group) release(h heldID) {
	if len(g.clash) == 0 || g.ids[h.h] == h.ev {
		delete(g.ids, h.h)
		return
	}
	delete(g.clash, h.ev.heldAs())
}

// find returns the event g holds under ev's id, or nil; taken reports
// whether another id holds its hash in g.ids. ev.idHash must be set.
func (g *group) find(ev *event) (old *event, taken bool) {
	e, taken := g.ids[ev.idHash]
	if taken && e.heldAs() == ev.heldAs() {
		return e, false // read only for a repeated id (or a clash)
	}
	if len(g.clash) > 0 {
		if e := g.clash[ev.heldAs()]; e != nil {
			return e, false
		}
	}
	return nil, taken
}

// take records that g holds ev under its id, in g.ids or, when another id
// holds its hash there (taken, from find), in g.clash; and on ev that g
// does, so that observe knows it without probing the map.
func (g *group) take(ev *event, taken bool) {
	if !taken {
		g.ids[ev.idHash] = ev
	} else {
		if g.clash == nil {
			g.clash = map[string]*event{}
		}
		g.clash[ev.heldAs()] = ev
	}
	if ev.holders[0] == 0 {
		ev.holders[0] = g.serial
	} else {
		ev.holders[1] = g.serial
	}
}

// heldEvent returns the event g holds under id (a heldAs key), or nil.
func (g *group) heldEvent(id string) *event {
	e, _ := g.find(&event{id: id, idHash: idHash(id)})
	return e
}

// heldCount is the number of ids g holds.
func (g *group) heldCount() int { return len(g.ids) + len(g.clash) }

// holds reports whether g.ids holds ev under its id: whether take(ev) ran
// in g. An event is held by its home group and at most one other (an
// audit's actor).
func (g *group) holds(ev *event) bool {
	return g.serial != 0 && (ev.holders[0] == g.serial || ev.holders[1] == g.serial)
}

// idle reports whether g holds nothing a later record could need. A
// user's group keeps its history, so it is never idle.
func (g *group) idle() bool {
	if g.scope == scopeUser || len(g.eps) > 0 || g.heldCount() > 0 {
		return false
	}
	for _, st := range g.states {
		if st != nil {
			return false
		}
	}
	return true
}

// history is what a user's earlier records teach the rules that compare
// with the past: where the user has signed in successfully, from which
// networks, when the account was created, and where recent addresses
// were. It is small and bounded per user.
type history struct {
	signIns   int
	countries []string // sorted, from successful sign-ins
	networks  []string // networks of successful sign-ins, most recent last
	asns      []uint32 // autonomous systems of successful sign-ins, most recent last
	created   time.Time
	places    []place // recent addresses and their countries, most recent last
}

type place struct{ ip, country string }

const (
	maxNetworks = 16
	maxASNs     = 8
	maxPlaces   = 32
)

// learn adds one evaluated event to the history.
func (h *history) learn(ev *event) {
	if ev.kind == kindAudit {
		if ev.aud().activity == entra.ActUserCreated && ev.ok {
			h.created = ev.t
		}
		return
	}
	if ev.ip != "" && ev.country != "" && !ev.provider {
		h.places = remember(h.places, place{ev.ip, ev.country}, maxPlaces)
	}
	if !ev.success() || ev.provider {
		return
	}
	h.signIns++
	if ev.country != "" {
		if i, found := slices.BinarySearch(h.countries, ev.country); !found {
			h.countries = slices.Insert(h.countries, i, ev.country)
		}
	}
	if ev.net != "" {
		h.networks = remember(h.networks, ev.net, maxNetworks)
	}
	if ev.asn != 0 {
		h.asns = remember(h.asns, ev.asn, maxASNs)
	}
}

// remember moves v to the end of list, dropping the oldest entry when the
// list is full. Most of a user's sign-ins repeat the last place and
// network, which is therefore looked at first.
func remember[T comparable](list []T, v T, limit int) []T {
	if len(list) > 0 && list[len(list)-1] == v {
		return list
	}
	// The entries are distinct, so searching from the most recent, where a
	// repeat usually is, finds the same one in fewer comparisons.
	i := len(list) - 2
	for i >= 0 && list[i] != v {
		i--
	}
	if i >= 0 {
		list = slices.Delete(list, i, i+1)
	} else if len(list) == limit {
		list = slices.Delete(list, 0, 1)
	}
	return append(list, v)
}

func (h *history) knowsCountry(c string) bool {
	_, ok := slices.BinarySearch(h.countries, c)
	return ok
}

func (h *history) knowsNetwork(n string) bool { return n != "" && slices.Contains(h.networks, n) }

// knowsASN reports whether one of the user's recent successes came through
// the autonomous system a.
func (h *history) knowsASN(a uint32) bool { return a != 0 && slices.Contains(h.asns, a) }

// countryOf returns the country the user's recent sign-ins placed ip in.
func (h *history) countryOf(ip string) string {
	for i := len(h.places) - 1; i >= 0; i-- {
		if h.places[i].ip == ip {
			return h.places[i].country
		}
	}
	return ""
}

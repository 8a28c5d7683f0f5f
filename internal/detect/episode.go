package detect

import (
	"cmp"
	"slices"
	"time"
)

// hit is one firing of a rule at one event: the window it saw, the records
// behind it and the reason in numbers. Hits of one rule and key that
// follow each other within the rule's merge gap become one alert.
type hit struct {
	key      string // hits merge only with the same key ("" for most rules)
	severity string
	start    time.Time
	end      time.Time
	reason   string
	records  []*event
	user     string   // the user of an address or application alert that concerns one
	users    []string // users an address or application alert touched
}

// episode is an alert being built from hits.
type episode struct {
	rule     rule
	user     string
	severity string
	start    time.Time
	end      time.Time
	reason   string
	records  map[string]time.Time
	users    map[string]bool
}

// maxHeld bounds the records an episode holds before it keeps only the
// earliest MaxRecords.
const maxHeld = 4 * MaxRecords

// evalCtx is what a rule's state sees while evaluating one event.
type evalCtx struct {
	en   *Engine
	g    *group
	rule rule
}

func (c *evalCtx) p() *Params { return &c.en.p }

// emit merges h into the rule's open episode of the same key when it
// starts within the merge gap of its end; otherwise it closes that episode
// and opens a new one.
func (c *evalCtx) emit(h hit) {
	k := c.rule.meta().ID + "\x00" + h.key
	ep := c.g.eps[k]
	if ep != nil && h.start.After(ep.end.Add(c.rule.mergeGap())) {
		c.en.finish(c.g, ep)
		ep = nil
	}
	if ep == nil {
		ep = &episode{rule: c.rule, user: h.user, start: h.start, end: h.end,
			records: map[string]time.Time{}, users: map[string]bool{}}
		c.g.eps[k] = ep
	}
	ep.add(h)
}

func (ep *episode) add(h hit) {
	if h.start.Before(ep.start) {
		ep.start = h.start
	}
	if h.end.After(ep.end) {
		ep.end = h.end
	}
	// The most severe hit gives the reason; among equals the latest, whose
	// counts are the largest.
	if severityRank(h.severity) >= severityRank(ep.severity) {
		ep.severity, ep.reason = h.severity, h.reason
	}
	for _, r := range h.records {
		if len(ep.records) < maxHeld {
			ep.records[r.id] = r.t
		}
	}
	for _, u := range h.users {
		ep.users[u] = true
	}
}

// flush closes the episodes of g that no later hit can extend at now: a
// hit still to come starts at most the rule's lag before now.
func (en *Engine) flush(g *group, now time.Time) {
	for _, k := range sortedKeys(g.eps) {
		ep := g.eps[k]
		if now.Sub(ep.end) > ep.rule.mergeGap()+ep.rule.lag() {
			en.finish(g, ep)
		}
	}
}

// finish turns an episode into an alert.
func (en *Engine) finish(g *group, ep *episode) {
	for k, e := range g.eps {
		if e == ep {
			delete(g.eps, k)
		}
	}
	m := ep.rule.meta()
	a := Alert{Rule: m.ID, Title: m.Title, Technique: m.Technique, Tactic: m.Tactic,
		Severity: ep.severity, User: ep.user, Start: ep.start, End: ep.end,
		Reason: ep.reason, Records: recordIDs(ep.records)}
	switch {
	case g.scope == scopeUser:
		a.User = g.key
	case a.User == "":
		a.Subject = g.key
		a.Users = sortedKeys(ep.users)
	default:
		a.Subject = g.key
	}
	en.alerts = append(en.alerts, a)
}

// recordIDs returns the ids in time order, then id order, at most
// MaxRecords of them.
func recordIDs(m map[string]time.Time) []string {
	type rec struct {
		id string
		t  time.Time
	}
	rs := make([]rec, 0, len(m))
	for id, t := range m {
		rs = append(rs, rec{id, t})
	}
	slices.SortFunc(rs, func(a, b rec) int {
		return cmp.Or(a.t.Compare(b.t), cmp.Compare(a.id, b.id))
	})
	out := make([]string, 0, min(len(rs), MaxRecords))
	for i, r := range rs {
		if i == MaxRecords {
			break
		}
		out = append(out, r.id)
	}
	return out
}

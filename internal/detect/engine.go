package detect

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// DefaultLateness is how far behind the newest record a record may arrive
// in ordered mode when Options.Lateness is zero.
const DefaultLateness = 15 * time.Minute

// sweepEvery is how far the newest time must move in ordered mode before
// the engine evaluates what became safe.
const sweepEvery = 10 * time.Minute

// Options configures an Engine beyond the rule parameters. The zero value
// works: buffered mode, no provider networks, no break-glass accounts, and
// facts from the records only.
type Options struct {
	// ProviderNetworks are ranges of providers that sign in on users'
	// behalf (Microsoft's own services reaching a mailbox). Their sign-ins
	// never count as a user's presence: no travel, no countries (BR-18,
	// S-10).
	ProviderNetworks []netip.Prefix

	// BreakGlass lists the principal names of emergency-access accounts,
	// added to the break-glass rule's own list (S-04). It is explicit
	// configuration: the engine never guesses such accounts.
	BreakGlass []string

	// Facts answers what is known of an address (place, scores, hosting,
	// reserved ranges). Nil means only what the records say.
	Facts func(ip string) ipintel.Facts

	// FactsEntry, set beside Facts, returns the record whose copy Facts
	// returns for an address, nil when there is none (ipintel.Table.Entry):
	// the record must be updated in place, never replaced. A sign-in then
	// keeps its address's record from when it comes, found with the
	// address's text (see addrTexts), and reads it when evaluated, rather
	// than looking the address up and copying the record then.
	FactsEntry func(ip string) *ipintel.Facts

	// Ordered promises that records arrive in time order, none more than
	// Lateness (DefaultLateness when zero) behind the newest one seen. The
	// engine then evaluates records as they become safe and releases state
	// that no rule can look at again, so memory stays flat on input of any
	// size. A record that breaks the promise is counted in Stats.Late and
	// evaluated against what is left. Without Ordered, every record is
	// buffered per user, address and application until Close, which gives
	// the same alerts for any input order.
	Ordered  bool
	Lateness time.Duration

	// Directory maps object ids to principal names, as the tenant's users
	// export or an investigation's records tie them: a row that gives only
	// an object id counts for the person the directory names (see people).
	// It is fixed before the first record so that no alert depends on the
	// order records come in. Nil keys such rows by the id alone.
	Directory map[string]string

	// Scopes, when set, runs only the enabled rules whose Meta.Scope is
	// listed ("user", "address", "application"). An investigation runs
	// the user rules over one user's records and the address and
	// application rules over the tenant's records around them.
	Scopes []string
}

// runsScope reports whether o lets rules of scope s run.
func (o Options) runsScope(s scope) bool {
	return len(o.Scopes) == 0 || slices.Contains(o.Scopes, scopeNames[s])
}

func (o Options) provider(s *entra.SignIn) bool {
	if !s.IP.IsValid() {
		return false
	}
	ip := s.IP.Unmap()
	for _, p := range o.ProviderNetworks {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Stats counts what the engine was given.
type Stats struct {
	SignIns int `json:"signins"`
	Audits  int `json:"audits"`
	// Risks counts the Identity Protection risk detections given;
	// RisksSkipped those no rule read: a service principal's, one naming
	// no user, or every one when no enabled rule reads detections.
	Risks        int `json:"risks"`
	RisksSkipped int `json:"risksSkipped"`
	// RisksDropped counts the detections ENTRA-RISK-DETECTION-SUCCESS let
	// go undecided because their user had more waiting for a later
	// sign-in than it keeps (the least severe go first).
	RisksDropped int `json:"risksDropped,omitempty"`
	// Duplicates are records whose id was already held (overlapping
	// exports, rows of one split sign-in).
	Duplicates int `json:"duplicates"`
	// Skipped are service-principal and managed-identity sign-ins, which
	// feed no user rule (BR-06), and records with no identity and no
	// address (BR-19).
	Skipped int `json:"skipped"`
	// Late are records that arrived in ordered mode after their time had
	// been evaluated, and repeated rows that would have changed a record
	// already evaluated (a later or more final row of its id).
	Late int `json:"late"`
}

// Engine runs every enabled rule over records given one at a time. It is
// not safe for concurrent use; run one engine per goroutine over disjoint
// users and merge the alerts, or feed one engine from one goroutine.
type Engine struct {
	p      Params
	opts   Options
	words  *lexicon
	people *people
	addrs  addrTexts
	// signers caches by principal name the person and group of sign-ins.
	signers map[string]signerRef
	scopes  [scopeCount][]rule
	// riskRules are the indices, in scopes[scopeUser], of the rules that
	// read risk detections; no other rule is given one.
	riskRules []int
	// reqs ties detections to the sign-ins of their requests across user
	// keys; nil when no rule reads detections.
	reqs *requestBook
	// idle is how long a group must go without events before nothing
	// can extend its episodes: the longest lag plus merge gap of its rules.
	idle time.Duration
	// learns is whether users' groups keep a history: whether an enabled
	// rule reads it (historyReader).
	learns bool
	// lazyFacts is whether a sign-in takes its address's facts only when a
	// rule may want it (see takeFacts): when no rule reads the history or
	// detections, which read those of every sign-in. mayWant is probes().
	lazyFacts bool
	mayWant   [scopeCount][]func(*group, *event) bool

	groups [scopeCount]map[string]*group
	// serials counts the groups made, to give each its serial.
	serials uint64
	dirty   []*group // groups with pending events, each once (group.dirty)
	// replaced is set when a row replaced the content of a pending event,
	// its time with it, until the next sweep has run every dirty group.
	replaced bool
	// ctx is what rules see while evaluating; one serves every group, as
	// no rule keeps it (a fresh one per event was an allocation each).
	ctx evalCtx

	newest, settled time.Time
	// nextSweep is when the newest time will have moved sweepEvery past
	// the last sweep: comparing with it is cheaper than time.Sub on every
	// event.
	nextSweep time.Time
	// cut is cutOf less the lateness (see forgetBefore).
	cutOf, cut time.Time
	alerts     []Alert
	stats      Stats
	closed     bool
}

// NewEngine returns an engine running the enabled rules of p.
func NewEngine(p Params, opts Options) *Engine {
	if opts.Ordered && opts.Lateness <= 0 {
		opts.Lateness = DefaultLateness
	}
	p.BreakGlass.Accounts = accountKeys(append(slices.Clip(p.BreakGlass.Accounts),
		opts.BreakGlass...))
	en := &Engine{p: p, opts: opts, words: newLexicon(p), addrs: addrTexts{},
		signers: map[string]signerRef{}}
	en.cut = en.cutOf.Add(-opts.Lateness) // forgetBefore's answer for the zero time
	en.people = newPeople(en.words, opts.Directory)
	en.people.pin(p.BreakGlass.Accounts)
	en.ctx.en = en
	for _, r := range p.rules() {
		if !r.enabled() || !opts.runsScope(r.scope()) {
			continue
		}
		if rr, ok := r.(riskReader); ok && r.scope() == scopeUser {
			en.riskRules = append(en.riskRules, len(en.scopes[scopeUser]))
			before, after := rr.window()
			if en.reqs == nil {
				en.reqs = newRequestBook(before, after, opts.Lateness)
			}
			en.reqs.before = max(en.reqs.before, before)
			en.reqs.after = max(en.reqs.after, after)
		}
		en.scopes[r.scope()] = append(en.scopes[r.scope()], r)
		en.idle = max(en.idle, r.lag()+r.mergeGap())
	}
	for i := range en.groups {
		en.groups[i] = map[string]*group{}
	}
	en.learns = en.readsHistory()
	en.lazyFacts = !en.learns && en.reqs == nil
	en.mayWant = en.probes()
	return en
}

// facts looks an address up, or returns only its canonical text.
func (en *Engine) facts(ip string) ipintel.Facts {
	if ip == "" {
		return ipintel.Facts{}
	}
	if en.opts.Facts != nil {
		return en.opts.Facts(ip)
	}
	return ipintel.Facts{IP: ip}
}

// SignIn gives the engine one sign-in. Records may come in any order and
// more than once; a repeated id is counted once, and when two rows of one
// id differ in time the later row's outcome stands (BR-12). Of rows at the
// same time, the one furthest along a sign-in's flow stands (see
// rowOrder), whichever came first. The engine copies what it needs and
// keeps no pointer into s, so a decoder may reuse the record; it does keep
// the strings (ids, names), which must therefore not share memory that the
// decoder overwrites.
func (en *Engine) SignIn(s *entra.SignIn) {
	if s == nil || en.closed {
		return
	}
	en.stats.SignIns++
	if s.IsServicePrincipal() {
		en.stats.Skipped++
		return
	}
	ev, home := en.newSignIn(s)
	if home == nil {
		home = en.group(scopeAddress, ev.ip)
	}
	if home == nil {
		en.stats.Skipped++
		return
	}
	if !en.hold(home, ev) {
		return
	}
	if en.reqs != nil {
		en.reqs.signIn(ev)
	}
	en.lateness(ev)
	queued := false
	for s, key := range en.routes(ev) {
		if key == "" {
			continue
		}
		// The first route is the home group's scope and key (the user's, or
		// the address's for a sign-in naming no user). Other groups are
		// looked up only now: queueing may have released an idle one.
		g := home
		if queued || scope(s) != home.scope {
			g = en.group(scope(s), key)
		}
		en.queue(g, ev)
		queued = true
	}
}

// routes returns, by scope, the keys of the groups that evaluate sign-in
// ev; "" where none does.
func (en *Engine) routes(ev *event) (keys [scopeCount]string) {
	keys[scopeUser] = ev.user
	if ev.provider {
		return keys
	}
	// Groups of a scope no enabled rule reads are skipped, but for the
	// address group that holds a sign-in naming no user: evaluating the
	// sign-in there releases its id.
	if feedsAddress(ev) && (ev.user == "" || en.runs(scopeAddress)) {
		keys[scopeAddress] = ev.ip
	}
	if ev.appKey != "" && feedsApp(ev) && en.runs(scopeApp) {
		keys[scopeApp] = ev.appKey
	}
	return keys
}

// runs reports whether an enabled rule groups by s.
func (en *Engine) runs(s scope) bool { return len(en.scopes[s]) > 0 }

// Audit gives the engine one directory audit event, under the same rules
// of order and repetition as SignIn. An event about another user (an
// administrator registering a method for someone) belongs to the target;
// it is also given to the initiator, whose actions the break-glass rule
// reads.
func (en *Engine) Audit(a *entra.Audit) {
	if a == nil || en.closed {
		return
	}
	en.stats.Audits++
	ev := en.newAudit(a)
	g := en.group(scopeUser, ev.user)
	if g == nil {
		en.stats.Skipped++
		return
	}
	if !en.hold(g, ev) {
		return
	}
	en.lateness(ev)
	en.queue(g, ev)
	if actor := ev.aud().actor; actor != "" && actor != ev.user {
		if ag := en.group(scopeUser, actor); en.hold(ag, ev) {
			en.queue(ag, ev)
		}
	}
}

// Risk gives the engine one Identity Protection risk detection, under the
// same rules of order and repetition as SignIn. Its time is the activity
// time (entra.RiskDetection.Time), the time of the sign-in it concerns: an
// offline detection is written up to 48 hours later but belongs beside
// that sign-in, and in ordered mode must arrive there. Of two rows of one
// id at one time, the one updated last stands (a detection dismissed
// after an earlier export). A detection naming no user (a service
// principal's) is skipped, and so is every detection when no enabled rule
// reads them; ReadsRisk says which.
func (en *Engine) Risk(d *entra.RiskDetection) {
	if d == nil || en.closed {
		return
	}
	en.stats.Risks++
	if !en.ReadsRisk() || d.ServicePrincipalID != "" {
		en.stats.RisksSkipped++
		return
	}
	ev := en.newRisk(d)
	g := en.group(scopeUser, ev.user)
	if g == nil {
		en.stats.RisksSkipped++
		return
	}
	if !en.hold(g, ev) {
		return
	}
	en.reqs.risk(ev)
	en.lateness(ev)
	en.queue(g, ev)
}

// ReadsRisk reports whether an enabled rule reads risk detections: a
// reader can leave them unread otherwise.
func (en *Engine) ReadsRisk() bool { return len(en.riskRules) > 0 }

// LeanRisk returns a copy of d with only the fields Engine.Risk reads: what
// a reader that holds or spills detections before the engine sees them
// needs to keep.
func LeanRisk(d *entra.RiskDetection) *entra.RiskDetection {
	return &entra.RiskDetection{ID: d.ID, RequestID: d.RequestID, EventType: d.EventType,
		RiskLevel: d.RiskLevel, RiskState: d.RiskState, TimingType: d.TimingType,
		IP: d.IP, IPRaw: d.IPRaw, Location: entra.Location{Country: d.Location.Country},
		ActivityTime: d.ActivityTime, DetectedTime: d.DetectedTime, LastUpdated: d.LastUpdated,
		UserID: d.UserID, UserPrincipalName: d.UserPrincipalName,
		ServicePrincipalID: d.ServicePrincipalID}
}

// hold records ev's id in g, its home group, merging a repeated id; it
// reports whether ev is new. A repeated row that supersedes the held one
// gives it its content while no group has evaluated it. Once one has (in
// ordered mode, the held row fell Lateness behind the newest), the row is
// dropped and counted as late: what was evaluated stands.
func (en *Engine) hold(g *group, ev *event) bool {
	if ev.id == "" {
		return true // a record without an id is never merged or dropped
	}
	ev.idHash = idHash(ev.heldAs())
	old, taken := g.find(ev)
	if old == nil {
		g.take(ev, taken)
		return true
	}
	en.stats.Duplicates++
	switch {
	case !supersedes(ev, old):
	case old.seen == 0:
		en.replace(old, ev)
	default:
		en.stats.Late++ // the row would have changed what was evaluated
	}
	return false
}

// replace gives the held, unevaluated event old the content of row ev and
// moves it to the groups that content feeds: a success reaches the address
// and application rules, which an MFA failure of the same sign-in does not.
func (en *Engine) replace(old, ev *event) {
	ev.holders = old.holders // the groups holding old's id hold it still
	en.replaced = true       // old's time changes where it is pending (see run)
	if old.kind == kindRisk {
		// The detection keeps the sign-ins its request was given; a row
		// naming another request is noted under that one too.
		prior := old.risk
		*old = *ev
		old.risk.signIns = prior.signIns
		if !strings.EqualFold(prior.request, old.risk.request) {
			old.risk.signIns = nil
			en.reqs.risk(old)
		}
		return
	}
	if old.kind != kindSignIn {
		*old = *ev // an audit stays in its target's group, which found the id, and its actor's
		return
	}
	was := en.routes(old)
	*old = *ev
	for s, key := range en.routes(old) {
		if key == was[s] {
			continue
		}
		if g := en.groups[s][was[s]]; g != nil {
			g.unqueue(old)
		}
		if key != "" {
			en.queue(en.group(scope(s), key), old)
		}
	}
}

// lateness counts a record that breaks the ordered-mode promise: more than
// Lateness behind the newest record seen.
func (en *Engine) lateness(ev *event) {
	if en.opts.Ordered && ev.t.Before(en.newest.Add(-en.opts.Lateness)) {
		en.stats.Late++
	}
}

// queue adds ev to g's pending events and, in ordered mode, evaluates
// what became safe.
func (en *Engine) queue(g *group, ev *event) {
	if ev.t.After(g.queued) {
		g.queued = ev.t
	} else {
		g.shuffled = true
	}
	g.pending = append(g.pending, ev)
	if !g.dirty {
		g.dirty = true
		en.dirty = append(en.dirty, g)
	}
	if !ev.t.After(en.newest) {
		return
	}
	// A sweep runs only when time moves past the newest time, and only up
	// to what that time made safe: every row of one time is queued before
	// any sweep it allows, so which of them came first never decides
	// whether a later row of an id replaces an earlier one or comes late.
	if en.opts.Ordered && !en.newest.IsZero() && !en.newest.Before(en.nextSweep) {
		en.sweep(en.newest.Add(-en.opts.Lateness))
		en.nextSweep = en.newest.Add(sweepEvery)
	}
	en.newest = ev.t
}

// sweep evaluates every pending event at or before safe. Once the newest
// time has moved by the idle span, it also settles the groups that have
// been quiet that long, releasing what no rule can read again; active
// groups release as they go (windows expire, ids are forgotten in run).
func (en *Engine) sweep(safe time.Time) {
	kept := en.dirty[:0]
	for _, g := range en.dirty {
		en.run(g, safe)
		if g.dirty = len(g.pending) > 0; g.dirty {
			kept = append(kept, g)
		}
	}
	clear(en.dirty[len(kept):])
	en.dirty = kept
	en.replaced = false // every group holding a replaced event was dirty, and sorted
	if en.reqs != nil {
		en.reqs.expire(safe)
	}
	if safe.Sub(en.settled) < en.idle {
		return
	}
	en.settled = safe
	for s := range en.groups {
		for k, g := range en.groups[s] {
			if len(g.pending) > 0 || safe.Sub(g.last) < en.idle {
				continue
			}
			en.settle(g, safe)
			if g.idle() {
				delete(en.groups[s], k)
			}
		}
	}
}

// run evaluates g's pending events up to and including until, in order.
// Records come mostly in time order, so the pending events mostly are in
// order already: they are sorted only when one came that was not later
// than all before it, or a replaced row may have moved one. Events in
// strictly increasing order are left as any sort would leave them, so the
// alerts are the same; comparing them cost a load of each event.
func (en *Engine) run(g *group, until time.Time) {
	if g.shuffled || en.replaced {
		slices.SortFunc(g.pending, before)
		g.shuffled = false
		if n := len(g.pending); n > 0 && g.pending[n-1].t.After(g.queued) {
			g.queued = g.pending[n-1].t // a replaced row's later time
		}
	}
	n := 0
	for _, ev := range g.pending {
		if ev.t.After(until) {
			break
		}
		en.observe(g, ev)
		n++
	}
	g.pending = slices.Delete(g.pending, 0, n)
	if en.opts.Ordered {
		g.forget(en.forgetBefore(until))
	}
}

// forgetBefore returns until less the lateness: the time before which run
// forgets the ids of evaluated events. A sweep runs every dirty group up
// to one time, so the last answer is kept for the next group: time.Time.Add
// on every group run was about one instruction in a hundred.
func (en *Engine) forgetBefore(until time.Time) time.Time {
	if until != en.cutOf {
		en.cutOf, en.cut = until, until.Add(-en.opts.Lateness)
	}
	return en.cut
}

// observe passes one event to every rule of g's scope, then lets the
// user's history learn from it, so rules see only what came before. A
// sign-in that no rule of g may want, by what takeFacts tells before its
// facts are placed, is passed to none.
func (en *Engine) observe(g *group, ev *event) {
	wanted := en.takeFacts(g, ev)
	ev.seen |= 1 << g.scope
	if en.opts.Ordered && ev.id != "" && g.holds(ev) {
		g.held.push(heldID{ev.t, ev.idHash, ev})
	}
	c := en.evalCtx(g)
	if ev.kind == kindRisk {
		// Only the rules that read detections see them; they teach the
		// history nothing.
		for _, i := range en.riskRules {
			if r := en.scopes[scopeUser][i]; r.wants(g, ev) {
				c.rule = r
				g.state(i, r).observe(c, ev)
			}
		}
	} else if wanted {
		for i, r := range en.scopes[g.scope] {
			if r.wants(g, ev) {
				c.rule = r
				g.state(i, r).observe(c, ev)
			}
		}
		if g.scope == scopeUser && en.learns {
			g.hist.learn(ev)
		}
	}
	if ev.t.After(g.last) {
		g.last = ev.t
	}
}

// evalCtx returns the engine's context, set for evaluating in g.
func (en *Engine) evalCtx(g *group) *evalCtx {
	en.ctx.g, en.ctx.rule = g, nil
	return &en.ctx
}

// settle lets g's rules expire their windows at now, emits the episodes
// that can grow no more, and forgets the ids of events no duplicate can
// follow any longer.
func (en *Engine) settle(g *group, now time.Time) {
	c := en.evalCtx(g)
	for i, r := range en.scopes[g.scope] {
		if st := g.states[i]; st != nil {
			c.rule = r
			st.advance(c, now)
			if st.empty() {
				g.states[i] = nil
			}
		}
	}
	en.flush(g, now)
	g.forget(now.Add(-en.opts.Lateness))
}

// Close evaluates everything still held and returns every alert, most
// severe first, then by start, user and rule. The engine accepts no
// records after Close.
func (en *Engine) Close() []Alert {
	if en.closed {
		return nil
	}
	en.closed = true
	end := time.Unix(1<<62, 0)
	for s := range en.groups {
		for _, k := range sortedKeys(en.groups[s]) {
			g := en.groups[s][k]
			en.run(g, end)
			en.settle(g, end)
		}
	}
	out := en.alerts
	en.alerts = nil
	SortAlerts(out)
	return out
}

// Stats returns what the engine was given so far.
func (en *Engine) Stats() Stats { return en.stats }

// Unjoined returns, once the last record is in, the object ids that some
// rows gave alone while other rows gave them with a principal name, each
// with the smallest such name. The engine keyed the first rows by the id
// alone (see people): a caller that wants one person per id runs the
// records again with these ties added to Options.Directory, which gives
// the same alerts whatever the order of the records.
func (en *Engine) Unjoined() map[string]string { return en.people.unjoined() }

// feedsAddress reports whether a sign-in matters to rules about its
// source address: wrong passwords, lockouts and successes.
func feedsAddress(ev *event) bool {
	switch ev.class {
	case entra.ClassCredentialFailure, entra.ClassLockout, entra.ClassSuccess:
		return ev.ip != ""
	}
	return false
}

// feedsApp reports whether a sign-in matters to rules about its
// application: wrong passwords and successes of identified users.
func feedsApp(ev *event) bool {
	return ev.user != "" && ev.ip != "" &&
		(ev.class == entra.ClassCredentialFailure || ev.class == entra.ClassSuccess)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

package investigate

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// Tenant is what a case reads of the whole input beyond the user's own
// records: how many sign-ins and audit events it held, whether any sign-in
// was non-interactive, what the sign-ins say of each address, which
// addresses are on trusted networks, and who else signed in where. Run
// learns it from the Set when Config.Tenant is nil; ReadUser learns it
// while it streams, so that the Set it returns can hold only the records
// around one user and the case still comes out the same.
//
// Tenant learns from merged sign-ins (as Set.Finish leaves them): a row
// that shares its id with another must wait until its group is merged.
type Tenant struct {
	dir     *directory
	present []string

	signIns, audits int
	nonInteractive  bool
	// newest is the time of the input's latest sign-in: a window that
	// starts after it is one the input does not reach.
	newest time.Time
	// places holds, per address, the sign-ins whose facts a whole read's
	// ipintel.Table keeps: the first, in Set order, that gives a country,
	// an AS number, a trusted network.
	places  map[string]*placeFacts
	trusted map[string]bool
	// people are the keys of people's sign-ins; reached, per resource
	// (adminResource), those who signed in to it successfully.
	people  map[string]bool
	reached map[string]map[string]bool

	// redact, when set, keeps what redaction learns from the records
	// (see RedactionSet).
	redact    *redactionRecords
	redactSet *ingest.Set

	// files, set by ReadUser, are read again for the sign-ins around the
	// user (see around); twice holds the hashes of the ids that repeat,
	// whose merged sign-ins are split, stripped to aroundFields.
	files  []string
	stamps stamps
	twice  map[uint64]bool
	seed   maphash.Seed
	split  []entra.SignIn
}

// RedactionSet returns the records report.Redact learns names from: a Set
// that names everyone the whole input names, in the same order, with none
// of the rest. It is nil unless ReadUser was asked for it
// (ReadOptions.Redaction).
func (t *Tenant) RedactionSet() *ingest.Set {
	return t.redactSet
}

// placeFacts are the sign-ins that settle an address's facts.
type placeFacts struct {
	place, asn, trusted *entra.SignIn
}

func newTenant(dir *directory, present []string) *Tenant {
	return &Tenant{dir: dir, present: present, places: map[string]*placeFacts{},
		trusted: map[string]bool{}, people: map[string]bool{},
		reached: map[string]map[string]bool{}}
}

// tenantOf learns a Tenant from a whole read.
func tenantOf(set *ingest.Set) *Tenant {
	dir := newDirectory(set)
	t := newTenant(dir, usersPresent(set, dir))
	for i := range set.SignIns {
		t.signIn(&set.SignIns[i])
	}
	t.audits = len(set.Audits)
	return t
}

// signIn learns from one merged sign-in.
func (t *Tenant) signIn(s *entra.SignIn) {
	t.signIns++
	if s.Time.After(t.newest) {
		t.newest = s.Time
	}
	if s.Source == entra.SourceNonInteractive || hasEventType(s, "nonInteractiveUser") {
		t.nonInteractive = true
	}
	if s.TrustedNetwork {
		t.trusted[ipintel.Key(s.IPRaw)] = true
	}
	t.place(s)
	if t.redact != nil {
		t.redact.signIn(s)
	}
	k := entra.UserKey(s.UserID, s.UserPrincipalName)
	if k == "" || s.IsServicePrincipal() {
		return
	}
	t.people[k] = true
	if s.Class() == entra.ClassSuccess {
		r := adminResource(s)
		if t.reached[r] == nil {
			t.reached[r] = map[string]bool{}
		}
		t.reached[r][k] = true
	}
}

// place keeps s as the sign-in that settles its address's place, network
// or trusted name when it comes before the one kept so far, in Set order.
func (t *Tenant) place(s *entra.SignIn) {
	if s.IPRaw == "" {
		return
	}
	k := ipintel.Key(s.IPRaw)
	p := t.places[k]
	if p == nil {
		p = &placeFacts{}
	}
	var c *entra.SignIn
	// The copy keeps what ipintel.Table.AddSignIn reads. The state is left
	// out: no address fact reads it, and ReadUser reads other users'
	// sign-ins without it.
	copyOf := func() *entra.SignIn {
		if c == nil {
			loc := s.Location
			loc.State = ""
			c = &entra.SignIn{ID: s.ID, Time: s.Time, Pos: s.Pos, IPRaw: s.IPRaw,
				Location: loc, ASN: s.ASN, TrustedNetwork: s.TrustedNetwork,
				NetworkNames: slices.Clone(s.NetworkNames)}
		}
		return c
	}
	if s.Location.Country != "" && before(s, p.place) {
		p.place = copyOf()
	}
	if s.ASN > 0 && before(s, p.asn) {
		p.asn = copyOf()
	}
	if s.TrustedNetwork && before(s, p.trusted) {
		p.trusted = copyOf()
	}
	if c != nil {
		t.places[k] = p
	}
}

// before reports whether s comes before kept in the order of Set (time,
// id, position); nil kept comes last.
func before(s, kept *entra.SignIn) bool {
	return kept == nil || cmpSignIn(s, kept) < 0
}

func cmpSignIn(a, b *entra.SignIn) int {
	return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.ID, b.ID),
		cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Index, b.Pos.Index))
}

// addPlaces gives tab what the sign-ins say of every address, as feeding
// it every sign-in in Set order would.
func (t *Tenant) addPlaces(tab *ipintel.Table) {
	for _, p := range t.places {
		var ss []*entra.SignIn
		for _, s := range []*entra.SignIn{p.place, p.asn, p.trusted} {
			if s != nil && !slices.Contains(ss, s) {
				ss = append(ss, s)
			}
		}
		slices.SortFunc(ss, cmpSignIn)
		for _, s := range ss {
			tab.AddSignIn(s)
		}
	}
}

// around gives fn every sign-in of the input that r holds, as aroundUser
// picks them from a whole read: it reads the files again, lean (only the
// groups the spray rules read), and takes the sign-ins whose id repeats
// from the merged ones kept in split. byTime reads the files with
// ingest.StreamByTime and gives each merged sign-in before the first read
// one that is later, so that input in time order comes in time order;
// otherwise the order is the files'.
func (t *Tenant) around(r *reach, byTime bool, fn func(*entra.SignIn)) error {
	if r == nil {
		return nil
	}
	var split []*entra.SignIn
	for i := range t.split {
		if r.holds(&t.split[i]) {
			split = append(split, &t.split[i])
		}
	}
	slices.SortStableFunc(split, func(a, b *entra.SignIn) int { return a.Time.Compare(b.Time) })
	stream := ingest.Stream
	if byTime {
		stream = ingest.StreamByTime
	}
	opts := ingest.Options{Lean: true, Fields: aroundFields}
	_, err := stream(t.files, opts, func(rec ingest.Record) error {
		s := rec.SignIn
		if s == nil || t.twice[rowHash(t.seed, ingest.KindSignIn, s.ID)] || !r.holds(s) {
			return nil
		}
		for byTime && len(split) > 0 && split[0].Time.Before(s.Time) {
			fn(split[0])
			split = split[1:]
		}
		fn(s)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the sign-ins around the user: %w", err)
	}
	if err := t.stamps.check(t.files); err != nil {
		return err
	}
	for _, s := range split {
		fn(s)
	}
	return nil
}

// others counts the people other than who in the input, and those of them
// who signed in successfully to a resource in reached.
func (t *Tenant) others(who identity, reached map[string]int) (users, peers int) {
	for k := range t.people {
		if !who.keyed(k) {
			users++
		}
	}
	seen := map[string]bool{}
	for r, n := range reached {
		if n == 0 {
			continue
		}
		for k := range t.reached[r] {
			if !who.keyed(k) {
				seen[k] = true
			}
		}
	}
	return users, len(seen)
}

// census learns, from records streamed one at a time, what selecting the
// user needs (the ties between names and ids, the people present) and,
// per user key, where and when that key signed in.
type census struct {
	dir   *directory
	keys  map[string]bool
	spans map[string]*reach
	// rows counts the rows of sign-ins and audit events per hash of the
	// kind and id, to tell the ids that repeat (split or duplicated rows)
	// from the others; eight bytes a row instead of the id. Two ids that
	// share a hash are only taken for repeated ones, which costs memory and
	// nothing else. settle keeps the hashes that repeat in twice.
	rows  map[uint64]uint8
	twice map[uint64]bool
	seed  maphash.Seed
}

// reach is where and when one user key signed in.
type reach struct {
	addrs, apps map[string]bool
	from, to    time.Time
}

func newCensus() *census {
	return &census{dir: &directory{idsOf: map[string]map[string]bool{},
		upnsOf: map[string]map[string]bool{}}, keys: map[string]bool{},
		spans: map[string]*reach{}, rows: map[uint64]uint8{},
		seed: maphash.MakeSeed()}
}

// record learns from one record, as newDirectory and usersPresent learn
// from a Set.
func (c *census) record(r ingest.Record) {
	switch r.Kind {
	case ingest.KindSignIn:
		c.signIn(r.SignIn)
	case ingest.KindAudit:
		a := r.Audit
		c.row(ingest.KindAudit, a.ID)
		if a.Actor.Type == entra.ActorUser {
			c.dir.tie(a.Actor.ID, a.Actor.UserPrincipalName)
		}
		for _, t := range a.Targets {
			c.dir.tie(t.ID, t.UserPrincipalName)
			if strings.EqualFold(t.Type, "user") {
				c.keys[entra.UserKey(t.ID, t.UserPrincipalName)] = true
			}
		}
	case ingest.KindRisk:
		c.person(r.Risk.UserID, r.Risk.UserPrincipalName)
	case ingest.KindRiskyUser:
		c.person(r.RiskyUser.ID, r.RiskyUser.UserPrincipalName)
	case ingest.KindUser:
		c.person(r.User.ID, r.User.UserPrincipalName)
	}
}

func (c *census) person(userID, upn string) {
	c.dir.tie(userID, upn)
	c.keys[entra.UserKey(userID, upn)] = true
}

func (c *census) row(kind ingest.Kind, id string) {
	if id == "" {
		return
	}
	k := rowHash(c.seed, kind, id)
	if n := c.rows[k]; n < 2 {
		c.rows[k] = n + 1
	}
}

func (c *census) signIn(s *entra.SignIn) {
	c.row(ingest.KindSignIn, s.ID)
	c.dir.tie(s.UserID, s.UserPrincipalName)
	if s.IsServicePrincipal() {
		return
	}
	k := entra.UserKey(s.UserID, s.UserPrincipalName)
	c.keys[k] = true
	if k == "" {
		return
	}
	sp := c.spans[k]
	if sp == nil {
		sp = &reach{addrs: map[string]bool{}, apps: map[string]bool{}, from: s.Time, to: s.Time}
		c.spans[k] = sp
	}
	sp.add(s)
}

// add widens r to hold s's address, application and time.
func (r *reach) add(s *entra.SignIn) {
	r.addrs[ipintel.Key(s.IPRaw)] = true
	r.apps[appKey(s)] = true
	if s.Time.Before(r.from) {
		r.from = s.Time
	}
	if s.Time.After(r.to) {
		r.to = s.Time
	}
}

// repeated reports whether an id was seen on more than one row.
func (c *census) repeated(kind ingest.Kind, id string) bool {
	return id != "" && c.twice[rowHash(c.seed, kind, id)]
}

// settle keeps, of the row counts, the ids that repeat.
func (c *census) settle() {
	c.twice = map[uint64]bool{}
	for h, n := range c.rows {
		if n > 1 {
			c.twice[h] = true
		}
	}
	c.rows = nil
}

func rowHash(seed maphash.Seed, kind ingest.Kind, id string) uint64 {
	return maphash.String(seed, string(kind)+"\x00"+id)
}

// present lists the people present, as usersPresent does.
func (c *census) present() []string {
	seen := map[string]bool{}
	for k := range c.keys {
		if k := c.dir.canonical(k); isPerson(k) {
			seen[k] = true
		}
	}
	return sortedKeys(seen)
}

// around is the union of the spans of who's keys, widened by aroundSpan: a
// superset of what aroundUser picks from the merged sign-ins, since a
// merged sign-in takes its address, application and time from its rows.
func (c *census) around(who identity) *reach {
	var out *reach
	for k, sp := range c.spans {
		if !who.keyed(k) {
			continue
		}
		if out == nil {
			out = &reach{addrs: map[string]bool{}, apps: map[string]bool{}, from: sp.from,
				to: sp.to}
		}
		for a := range sp.addrs {
			out.addrs[a] = true
		}
		for a := range sp.apps {
			out.apps[a] = true
		}
		if sp.from.Before(out.from) {
			out.from = sp.from
		}
		if sp.to.After(out.to) {
			out.to = sp.to
		}
	}
	if out != nil {
		out.from, out.to = out.from.Add(-aroundSpan), out.to.Add(aroundSpan)
	}
	return out
}

// holds reports whether a sign-in may be one aroundUser picks.
func (sp *reach) holds(s *entra.SignIn) bool {
	if sp == nil || s.Time.Before(sp.from) || s.Time.After(sp.to) {
		return false
	}
	return sp.addrs[ipintel.Key(s.IPRaw)] || sp.apps[appKey(s)]
}

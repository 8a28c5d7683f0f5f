package detect

import (
	"fmt"
	"slices"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// DistSprayParams configures ENTRA-SPRAY-DISTRIBUTED: per application and
// per Bucket of time, at least MinUsers users whose wrong password was not
// followed by their own success within FollowUp (a typo is), spread over
// at least MinAddresses addresses. SuccessSeverity applies to each failing
// user whose later success the spray explains (see sprayed).
type DistSprayParams struct {
	Common          `yaml:",inline"`
	Bucket          Duration `yaml:"bucket"`
	FollowUp        Duration `yaml:"followUp"`
	MinUsers        int      `yaml:"minUsers"`
	MinAddresses    int      `yaml:"minAddresses"`
	SuccessSeverity string   `yaml:"successSeverity"`
}

// distSpray finds the low-and-slow spray that per-address thresholds miss:
// hundreds of addresses each trying one or two users (S-06). It counts
// users per application and hour, never requires one user agent (BR-22),
// and tells a spray from a tenant's everyday typos by what follows: a user
// who mistyped signs in a minute later, a sprayed user does not.
type distSpray struct{ p DistSprayParams }

func (r *distSpray) meta() Meta {
	return Meta{
		ID: "ENTRA-SPRAY-DISTRIBUTED", Title: "Distributed password spray against one " +
			"application", Technique: "T1110.003",
		TechniqueName: "Brute Force: Password Spraying", Tactic: "Credential Access",
		Severity: r.p.Severity,
		Description: fmt.Sprintf("Per application and per %s: %d or more users with a wrong "+
			"password not followed by their own success within %s, from %d or more "+
			"addresses, whatever the user agents. Each such user who then succeeds in a way "+
			"the spray explains (from an address that failed for another user or other "+
			"than their own, through a password-only flow, or with another user agent) is "+
			"a separate %s alert.", human(r.p.Bucket), r.p.MinUsers,
			human(r.p.FollowUp), r.p.MinAddresses, r.p.SuccessSeverity),
		FieldReports: []string{"BR-22", "BR-32", "S-06"},
	}
}

func (r *distSpray) enabled() bool           { return r.p.Enabled }
func (r *distSpray) scope() scope            { return scopeApp }
func (r *distSpray) mergeGap() time.Duration { return r.p.Bucket.D() }
func (r *distSpray) lag() time.Duration      { return r.p.Bucket.D() + r.p.FollowUp.D() }

// fields: a success the spray explains may be one through a legacy flow
// or with another user agent than the failure (sprayed); the reasons name
// the country. Grouping by application reads the application
// (scopeFields).
func (r *distSpray) fields() entra.Fields {
	return fieldsLegacy | entra.FieldAgent | fieldsCountry
}

func (r *distSpray) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("successSeverity", r.p.SuccessSeverity)
	c.span("bucket", r.p.Bucket)
	c.span("followUp", r.p.FollowUp)
	c.positive("minUsers", float64(r.p.MinUsers))
	c.positive("minAddresses", float64(r.p.MinAddresses))
	return c.err
}

func (r *distSpray) newState() ruleState {
	return &distState{r: r, buckets: map[int64]*bucket{}, oks: &successes{}}
}

type distState struct {
	r       *distSpray
	buckets map[int64]*bucket // by start, in Unix seconds
	oks     *successes        // recent successes
	run     sprayRun          // the consecutive spraying buckets so far
}

// sprayRun totals consecutive spraying buckets, for the alert's reason.
type sprayRun struct {
	start, end time.Time
	users      map[string]bool
	addrs      map[string]bool
	got        int
}

// tally adds a spraying bucket to the run, starting a new run after a gap.
func (s *distState) tally(b *bucket, orphans []string, addrs map[string]bool, got int) {
	if !s.run.end.Equal(b.start) {
		s.run = sprayRun{start: b.start, users: map[string]bool{}, addrs: map[string]bool{}}
	}
	s.run.end = b.start.Add(s.r.p.Bucket.D())
	for _, u := range orphans {
		s.run.users[u] = true
	}
	for a := range addrs {
		s.run.addrs[a] = true
	}
	s.run.got += got
}

// sprayed reports whether a failing user's later success looks like the
// spray's rather than the user's own retry: it came from an address that
// failed for another user too, from an address other than the user's
// failures, through a password-only flow (ROPC, legacy), or with another
// user agent than the failure's (the spray rotates agents; a user's retry
// is the same browser).
func sprayed(fails []*event, ok *event, addrs map[string]map[string]bool) bool {
	last := fails[len(fails)-1]
	own := slices.ContainsFunc(fails, func(f *event) bool { return f.ip == ok.ip })
	return len(addrs[ok.ip]) > 1 || !own || ok.legacy != "" || ok.agent != last.agent
}

// bucket holds one period's wrong passwords, by user.
type bucket struct {
	start time.Time
	fails map[string][]*event
}

// wants everything: an application's group holds only the wrong passwords
// and successes the rule reads (feedsApp), and each one closes the buckets
// whose time has passed.
func (r *distSpray) wants(*group, *event) bool { return true }

func (s *distState) observe(c *evalCtx, ev *event) {
	s.advance(c, ev.t)
	switch ev.class {
	case entra.ClassCredentialFailure:
		start := ev.t.Truncate(s.r.p.Bucket.D())
		b := s.buckets[start.Unix()]
		if b == nil {
			b = &bucket{start: start, fails: map[string][]*event{}}
			s.buckets[start.Unix()] = b
		}
		b.fails[ev.user] = append(b.fails[ev.user], ev)
	case entra.ClassSuccess:
		s.oks.push(ev)
	}
}

// advance closes the buckets whose follow-up time has passed, oldest first.
func (s *distState) advance(c *evalCtx, now time.Time) {
	var due []int64
	for k, b := range s.buckets {
		if now.Sub(b.start) >= s.r.p.Bucket.D()+s.r.p.FollowUp.D() {
			due = append(due, k)
		}
	}
	slices.Sort(due)
	for _, k := range due {
		s.close(c, s.buckets[k])
		delete(s.buckets, k)
	}
	// Keep the successes from the oldest open bucket on; none before it
	// can follow a failure that is still to be judged.
	oldest := now
	for _, b := range s.buckets {
		if b.start.Before(oldest) {
			oldest = b.start
		}
	}
	s.oks.dropBefore(oldest)
}

// close judges one bucket: who never got in (the sprayed), who got in
// from the spray's addresses (the compromised), and whether it is a spray.
func (s *distState) close(c *evalCtx, b *bucket) {
	addrs := map[string]map[string]bool{} // address -> failing users
	for u, fs := range b.fails {
		for _, f := range fs {
			if addrs[f.ip] == nil {
				addrs[f.ip] = map[string]bool{}
			}
			addrs[f.ip][u] = true
		}
	}
	var orphans []string
	orphanAddrs := map[string]bool{}
	got := map[string]*event{}
	oks := s.oksOf(b)
	for _, u := range sortedKeys(b.fails) {
		fs := b.fails[u]
		ok := s.successAfter(oks[u], fs[len(fs)-1].t)
		if ok == nil {
			orphans = append(orphans, u)
			for _, f := range fs {
				orphanAddrs[f.ip] = true
			}
			continue
		}
		if sprayed(fs, ok, addrs) {
			got[u] = ok
		}
	}
	if len(orphans) < s.r.p.MinUsers || len(orphanAddrs) < s.r.p.MinAddresses {
		return
	}
	var recs []*event
	for _, u := range orphans {
		recs = append(recs, b.fails[u]...)
	}
	slices.SortFunc(recs, before)
	s.tally(b, orphans, orphanAddrs, len(got))
	c.emit(hit{severity: s.r.p.Severity, start: recs[0].t, end: recs[len(recs)-1].t,
		records: recs, users: append(orphans, sortedKeys(got)...),
		reason: fmt.Sprintf("%s with wrong passwords and no sign-in after, from %s, "+
			"%s to %s; %d failing users then got in from the spray", plural(len(s.run.users),
			"user"), plural(len(s.run.addrs), "address"), s.run.start.Format("2006-01-02 15:04"),
			s.run.end.Format("2006-01-02 15:04 MST"), s.run.got)})
	for _, u := range sortedKeys(got) {
		ok, fs := got[u], b.fails[u]
		c.emit(hit{key: "success:" + u, user: u, severity: s.r.p.SuccessSeverity,
			start: fs[0].t, end: ok.t, records: append(slices.Clone(fs), ok),
			reason: fmt.Sprintf("signed in from %s after a wrong password during a "+
				"distributed spray of %s against this application", where(ok),
				plural(len(orphans), "user"))})
	}
}

// oksOf returns the recent successes of the bucket's failing users, each
// user's in time order. It is worked out when a bucket closes, at most a
// few times an hour, rather than kept up on every success, which cost a
// tenth of the engine's instructions.
func (s *distState) oksOf(b *bucket) map[string][]*event {
	by := map[string][]*event{}
	for _, e := range s.oks.order.all() {
		if _, failed := b.fails[e.user]; failed {
			by[e.user] = append(by[e.user], e)
		}
	}
	return by
}

// successAfter returns the first of a user's successes oks after t within
// FollowUp.
func (s *distState) successAfter(oks []*event, t time.Time) *event {
	for _, e := range oks {
		if !e.t.Before(t) && e.t.Sub(t) <= s.r.p.FollowUp.D() {
			return e
		}
	}
	return nil
}

// successes holds an application's recent successes in time order.
type successes struct {
	order fifo[*event]
}

func (o *successes) push(ev *event) { o.order.push(ev) }

// dropBefore forgets the successes before t.
func (o *successes) dropBefore(t time.Time) {
	order := o.order.all()
	n := 0
	for n < len(order) && order[n].t.Before(t) {
		n++
	}
	o.order.drop(n)
}

func (o *successes) empty() bool { return o.order.len() == 0 }

func (s *distState) empty() bool { return len(s.buckets) == 0 && s.oks.empty() }

func (r *distSpray) kql() string {
	return fmt.Sprintf(`let followUp = %s;
let attempts = union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs
| where TimeGenerated > ago(1d)
| where ResultType in ("50126", "0");
let failures = attempts | where ResultType == "50126"
| summarize LastFail = max(TimeGenerated), Addresses = make_set(IPAddress)
    by UserPrincipalName, AppId, Bucket = bin(TimeGenerated, %s);
let successes = attempts | where ResultType == "0"
| project UserPrincipalName, AppId, OkTime = TimeGenerated;
failures
| join kind=leftouter successes on UserPrincipalName, AppId
| extend Followed = OkTime between (LastFail .. LastFail + followUp)
| summarize Followed = max(toint(Followed)), Addresses = take_any(Addresses)
    by UserPrincipalName, AppId, Bucket
| where Followed == 0
| mv-expand Address = Addresses to typeof(string)
| summarize Orphans = dcount(UserPrincipalName), AddressCount = dcount(Address),
    Users = make_set(UserPrincipalName, 1000) by AppId, Bucket
| where Orphans >= %d and AddressCount >= %d`, kqlSpan(r.p.FollowUp), kqlSpan(r.p.Bucket),
		r.p.MinUsers, r.p.MinAddresses)
}

func (r *distSpray) sigma() []sigmaDoc {
	return []sigmaDoc{
		base("entra_wrong_password", "Wrong password", signInLogs,
			sel("ResultType", "50126")),
		correlate("", r.meta().Title, "value_count", []string{"entra_wrong_password"},
			[]string{"AppId"}, sigmaSpan(r.p.Bucket), gte(r.p.MinUsers, "UserPrincipalName")),
	}
}

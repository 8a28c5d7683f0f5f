package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// BruteParams configures ENTRA-BRUTE-FORCE: MinFailures distinct
// wrong-password attempts against one user within Window, or
// MinBeforeLockout of them ending in a smart lockout. StaleSeverity applies
// when every failure came from one address the user already signed in
// from, or from a private or reserved one (a device with an old password,
// S-05); SuccessSeverity when a success follows from an address that
// failed.
type BruteParams struct {
	Common           `yaml:",inline"`
	MinFailures      int      `yaml:"minFailures"`
	MinBeforeLockout int      `yaml:"minBeforeLockout"`
	Window           Duration `yaml:"window"`
	StaleSeverity    string   `yaml:"staleSeverity"`
	SuccessSeverity  string   `yaml:"successSeverity"`
}

// bruteForce counts only credential failures from the versioned code table
// (50126 and kin), never interrupts such as 50074, 50097, 50140 or 70043
// (BR-35); lockouts (50053) are counted apart and never read as a correct
// password.
type bruteForce struct{ p BruteParams }

func (r *bruteForce) meta() Meta {
	return Meta{
		ID: "ENTRA-BRUTE-FORCE", Title: "Password guessing against one user",
		Technique: "T1110.001", TechniqueName: "Brute Force: Password Guessing",
		Tactic: "Credential Access", Severity: r.p.Severity,
		Description: fmt.Sprintf("%d or more wrong-password attempts (credential-failure "+
			"codes such as 50126, counted as distinct attempts) against one user within "+
			"%s, or %d or more ending in smart lockout (50053). Severity %s when all come "+
			"from one address the user already works from or a private one (a device with "+
			"a stale password); %s when a success follows from an address that failed.",
			r.p.MinFailures, human(r.p.Window), r.p.MinBeforeLockout, r.p.StaleSeverity,
			r.p.SuccessSeverity),
		FieldReports: []string{"BR-12", "BR-15", "BR-35", "S-05"},
	}
}

func (r *bruteForce) enabled() bool           { return r.p.Enabled }
func (r *bruteForce) scope() scope            { return scopeUser }
func (r *bruteForce) mergeGap() time.Duration { return r.p.Window.D() }
func (r *bruteForce) lag() time.Duration      { return r.p.Window.D() }

// fields: codes and addresses are in every record, and a private address
// or a network from the user's history needs nothing more; the reason of
// a success after the failures names its country.
func (r *bruteForce) fields() entra.Fields { return fieldsCountry }

func (r *bruteForce) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("staleSeverity", r.p.StaleSeverity)
	c.severity("successSeverity", r.p.SuccessSeverity)
	c.positive("minFailures", float64(r.p.MinFailures))
	c.positive("minBeforeLockout", float64(r.p.MinBeforeLockout))
	c.span("window", r.p.Window)
	return c.err
}

func (r *bruteForce) newState() ruleState {
	d := r.p.Window.D()
	return &bruteState{r: r, fails: window{span: d}, locks: window{span: d}}
}

// bruteState holds its windows in itself, as sprayState does.
type bruteState struct {
	r      *bruteForce
	fails  window
	locks  window
	firing bool
}

// wants: wrong passwords, lockouts and successes.
func (r *bruteForce) wants(_ *group, ev *event) bool {
	switch ev.class {
	case entra.ClassCredentialFailure, entra.ClassLockout, entra.ClassSuccess:
		return ev.kind == kindSignIn
	}
	return false
}

func (s *bruteState) observe(c *evalCtx, ev *event) {
	s.fails.expire(ev.t)
	s.locks.expire(ev.t)
	switch ev.class {
	case entra.ClassCredentialFailure:
		s.fails.push(ev, ev.key)
	case entra.ClassLockout:
		s.locks.push(ev, ev.key)
	case entra.ClassSuccess:
		s.success(c, ev)
		return
	}
	if !s.crossed() {
		s.firing = false
		return
	}
	recs := []*event{ev}
	if !s.firing {
		recs, s.firing = append(s.fails.events(), s.locks.events()...), true
	}
	sev, why := s.r.p.Severity, ""
	if s.stale(c) {
		sev, why = s.r.p.StaleSeverity, "; one known or private address: likely a stale "+
			"password on a device"
	}
	c.emit(hit{severity: sev, start: s.fails.first(), end: ev.t, records: recs,
		reason: s.reason() + why})
}

// success escalates when the password was found: a success from an
// address that failed, while the failures still cross the threshold.
func (s *bruteState) success(c *evalCtx, ev *event) {
	if !s.crossed() {
		return
	}
	for _, f := range s.fails.events() {
		if f.ip == ev.ip {
			c.emit(hit{severity: s.r.p.SuccessSeverity, start: s.fails.first(), end: ev.t,
				records: []*event{ev}, reason: s.reason() + fmt.Sprintf(
					"; then a success from %s", where(ev))})
			return
		}
	}
}

func (s *bruteState) crossed() bool {
	n := s.fails.distinct()
	return n >= s.r.p.MinFailures || (n >= s.r.p.MinBeforeLockout && !s.locks.empty())
}

// stale reports whether every failure came from one address that the user
// already signed in from, or from a private or reserved range.
func (s *bruteState) stale(c *evalCtx) bool {
	evs := s.fails.events()
	if len(distinctOf(evs, addressOf)) != 1 {
		return false
	}
	return evs[0].reserved || c.g.hist.knowsNetwork(evs[0].net)
}

func (s *bruteState) reason() string {
	evs := s.fails.events()
	return fmt.Sprintf("%s in %s from %s (%s), %s", plural(s.fails.distinct(),
		"wrong-password attempt"), span(evs[len(evs)-1].t.Sub(evs[0].t)),
		plural(len(distinctOf(evs, addressOf)), "address"), list(distinctOf(evs, addressOf),
			3), plural(s.locks.distinct(), "lockout"))
}

func (s *bruteState) advance(_ *evalCtx, now time.Time) {
	s.fails.expire(now)
	s.locks.expire(now)
	if !s.crossed() {
		s.firing = false
	}
}

func (s *bruteState) empty() bool { return s.fails.empty() && s.locks.empty() }

func (r *bruteForce) kql() string {
	return fmt.Sprintf(`SigninLogs
| where TimeGenerated > ago(%s)
| where ResultType in ("50126", "50053")
| summarize Failures = dcountif(OriginalRequestId, ResultType == "50126"),
    Lockouts = dcountif(OriginalRequestId, ResultType == "50053"),
    Addresses = make_set(IPAddress), Start = min(TimeGenerated), End = max(TimeGenerated)
    by UserPrincipalName
| where Failures >= %d or (Failures >= %d and Lockouts > 0)`, kqlSpan(r.p.Window),
		r.p.MinFailures, r.p.MinBeforeLockout)
}

func (r *bruteForce) sigma() []sigmaDoc {
	return []sigmaDoc{
		base("entra_wrong_password", "Wrong password", signInLogs,
			sel("ResultType", "50126")),
		correlate("", r.meta().Title, "value_count", []string{"entra_wrong_password"},
			[]string{"UserPrincipalName"}, sigmaSpan(r.p.Window),
			gte(r.p.MinFailures, "OriginalRequestId")),
	}
}

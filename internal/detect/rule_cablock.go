package detect

import (
	"fmt"
	"slices"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// CABurstParams configures ENTRA-CA-BLOCK-BURST: MinAttempts distinct
// attempts ending in one of Codes for one user within Window.
type CABurstParams struct {
	Common      `yaml:",inline"`
	Codes       []int    `yaml:"codes"`
	MinAttempts int      `yaml:"minAttempts"`
	Window      Duration `yaml:"window"`
}

// caBlockBurst counts Conditional Access blocks per user across every
// location: public rules split the count per city or country, which is
// the very dimension a distributed attacker varies. A block comes after
// the first factor, so each one is a correct password.
type caBlockBurst struct{ p CABurstParams }

func (r *caBlockBurst) meta() Meta {
	return Meta{
		ID: "ENTRA-CA-BLOCK-BURST", Title: "Conditional Access blocks across locations",
		Technique: "T1078.004", TechniqueName: "Valid Accounts: Cloud Accounts",
		Tactic: "Initial Access", Severity: r.p.Severity,
		Description: fmt.Sprintf("%d or more Conditional Access blocks (%s) for one user "+
			"within %s, counted as distinct attempts (originalRequestId) across every "+
			"location, not per location. Conditional Access runs after the password is "+
			"accepted, so each block is a correct password.", r.p.MinAttempts,
			list(codeStrings(r.p.Codes), 9), human(r.p.Window)),
		FieldReports: []string{"BR-12", "BR-13"},
	}
}

func (r *caBlockBurst) enabled() bool           { return r.p.Enabled }
func (r *caBlockBurst) scope() scope            { return scopeUser }
func (r *caBlockBurst) mergeGap() time.Duration { return r.p.Window.D() }
func (r *caBlockBurst) lag() time.Duration      { return r.p.Window.D() }

// fields is the country, which the reason lists for the blocked attempts.
func (r *caBlockBurst) fields() entra.Fields { return fieldsCountry }

func (r *caBlockBurst) validate() error {
	var c check
	c.common(r.p.Common)
	c.positive("minAttempts", float64(r.p.MinAttempts))
	c.span("window", r.p.Window)
	if r.p.Enabled {
		c.nonEmpty("codes", len(r.p.Codes), offHint)
	}
	return c.err
}

func (r *caBlockBurst) newState() ruleState {
	return &caBurstState{r: r, w: newWindow(r.p.Window.D())}
}

type caBurstState struct {
	r      *caBlockBurst
	w      *window
	firing bool
}

// wants: sign-ins refused with one of the rule's codes.
func (r *caBlockBurst) wants(_ *group, ev *event) bool {
	return ev.kind == kindSignIn && slices.Contains(r.p.Codes, ev.code)
}

func (s *caBurstState) observe(c *evalCtx, ev *event) {
	s.w.expire(ev.t)
	s.w.push(ev, ev.key)
	if s.w.distinct() < s.r.p.MinAttempts {
		s.firing = false
		return
	}
	recs := []*event{ev}
	if !s.firing {
		recs, s.firing = s.w.events(), true
	}
	evs := s.w.events()
	c.emit(hit{severity: s.r.p.Severity, start: s.w.first(), end: ev.t, records: recs,
		reason: fmt.Sprintf("%s blocked by Conditional Access in %s from %s and %s "+
			"(%s)", plural(s.w.distinct(), "attempt"), span(ev.t.Sub(s.w.first())),
			plural(len(distinctOf(evs, countryOf)), "country"),
			plural(len(distinctOf(evs, addressOf)), "address"),
			list(distinctOf(evs, countryOf), 8))})
}

func (s *caBurstState) advance(_ *evalCtx, now time.Time) {
	s.w.expire(now)
	if s.w.distinct() < s.r.p.MinAttempts {
		s.firing = false
	}
}

func (s *caBurstState) empty() bool { return s.w.empty() }

func (r *caBlockBurst) kql() string {
	return fmt.Sprintf(`SigninLogs
| where TimeGenerated > ago(%s)
| where ResultType in %s
| summarize Attempts = dcount(OriginalRequestId),
    Countries = make_set(tostring(LocationDetails.countryOrRegion)),
    Addresses = make_set(IPAddress), Apps = make_set(AppDisplayName),
    Start = min(TimeGenerated), End = max(TimeGenerated) by UserPrincipalName
| where Attempts >= %d`, kqlSpan(r.p.Window), kqlStrings(codeStrings(r.p.Codes)),
		r.p.MinAttempts)
}

func (r *caBlockBurst) sigma() []sigmaDoc {
	return []sigmaDoc{
		base("entra_ca_block", "Sign-in blocked by Conditional Access", signInLogs,
			sel("ResultType", codeStrings(r.p.Codes))),
		correlate("", r.meta().Title, "value_count", []string{"entra_ca_block"},
			[]string{"UserPrincipalName"}, sigmaSpan(r.p.Window),
			gte(r.p.MinAttempts, "OriginalRequestId")),
	}
}

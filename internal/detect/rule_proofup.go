package detect

import (
	"fmt"
	"slices"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// ProofUpParams configures ENTRA-PROOFUP-BLOCKED: any attempt ending in one
// of Codes; attempts within Window of each other make one alert.
type ProofUpParams struct {
	Common `yaml:",inline"`
	Codes  []int    `yaml:"codes"`
	Window Duration `yaml:"window"`
}

// proofUpBlocked reads 53004 (ProofUpBlockedDueToRisk), which no public
// rule set reads: someone with the password tried to register an MFA
// method while the account was at risk, a persistence attempt.
type proofUpBlocked struct{ p ProofUpParams }

func (r *proofUpBlocked) meta() Meta {
	return Meta{
		ID: "ENTRA-PROOFUP-BLOCKED", Title: "Security-info registration blocked for risk",
		Technique: "T1556.006", TechniqueName: "Modify Authentication Process: " +
			"Multi-Factor Authentication", Tactic: "Persistence", Severity: r.p.Severity,
		Description: fmt.Sprintf("Any sign-in that ends in %s (ProofUpBlockedDueToRisk): "+
			"someone who knew the password tried to register security info (an MFA "+
			"method) while the account was at risk.", list(codeStrings(r.p.Codes), 9)),
		FieldReports: []string{"BR-13"},
	}
}

func (r *proofUpBlocked) enabled() bool           { return r.p.Enabled }
func (r *proofUpBlocked) scope() scope            { return scopeUser }
func (r *proofUpBlocked) mergeGap() time.Duration { return r.p.Window.D() }
func (r *proofUpBlocked) lag() time.Duration      { return r.p.Window.D() }

// fields is the country and the application, which the reason names for
// the latest attempt.
func (r *proofUpBlocked) fields() entra.Fields { return fieldsCountry | entra.FieldApp }

func (r *proofUpBlocked) validate() error {
	var c check
	c.common(r.p.Common)
	c.span("window", r.p.Window)
	if r.p.Enabled {
		c.nonEmpty("codes", len(r.p.Codes), offHint)
	}
	return c.err
}

func (r *proofUpBlocked) newState() ruleState {
	return &proofUpState{r: r, w: newWindow(r.p.Window.D())}
}

type proofUpState struct {
	r *proofUpBlocked
	w *window
}

// wants: sign-ins refused with one of the rule's codes.
func (r *proofUpBlocked) wants(_ *group, ev *event) bool {
	return ev.kind == kindSignIn && slices.Contains(r.p.Codes, ev.code)
}

func (s *proofUpState) observe(c *evalCtx, ev *event) {
	s.w.expire(ev.t)
	s.w.push(ev, ev.key)
	evs := s.w.events()
	c.emit(hit{severity: s.r.p.Severity, start: ev.t, end: ev.t, records: []*event{ev},
		reason: fmt.Sprintf("%s to register security info blocked for risk (%d), "+
			"latest from %s%s; %s from %s", plural(s.w.distinct(), "attempt"), ev.code,
			where(ev), toApp(ev), plural(len(distinctOf(evs, addressOf)), "address"),
			list(distinctOf(evs, countryOf), 8))})
}

func (s *proofUpState) advance(_ *evalCtx, now time.Time) { s.w.expire(now) }
func (s *proofUpState) empty() bool                       { return s.w.empty() }

func (r *proofUpBlocked) kql() string {
	return fmt.Sprintf(`SigninLogs
| where ResultType in %s
| project TimeGenerated, UserPrincipalName, IPAddress,
    Country = tostring(LocationDetails.countryOrRegion), AppDisplayName,
    RiskLevelDuringSignIn, RiskState, OriginalRequestId`, kqlStrings(codeStrings(r.p.Codes)))
}

func (r *proofUpBlocked) sigma() []sigmaDoc {
	return []sigmaDoc{base("", r.meta().Title, signInLogs,
		sel("ResultType", codeStrings(r.p.Codes)))}
}

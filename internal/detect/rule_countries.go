package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// CountriesParams configures ENTRA-RISKY-COUNTRIES: at least MinCountries
// distinct countries among one user's at-risk sign-ins within Window.
type CountriesParams struct {
	Common       `yaml:",inline"`
	MinCountries int      `yaml:"minCountries"`
	Window       Duration `yaml:"window"`
}

// riskyCountries counts countries over every at-risk attempt, successful or
// not; trusted named networks and provider networks are not the user's
// presence (S-01, S-10) and never count.
type riskyCountries struct {
	p    CountriesParams
	risk RiskParams
}

func (r *riskyCountries) meta() Meta {
	return Meta{
		ID: "ENTRA-RISKY-COUNTRIES", Title: "At-risk attempts from many countries",
		Technique: "T1078.004", TechniqueName: "Valid Accounts: Cloud Accounts",
		Tactic: "Initial Access", Severity: r.p.Severity,
		Description: fmt.Sprintf("%d or more distinct countries among one user's at-risk "+
			"sign-ins (risk level %s, risk state not %s) within %s, successful or not. "+
			"Trusted named networks and provider networks do not count.",
			r.p.MinCountries, list(r.risk.Levels, 4), list(r.risk.ExcludeStates, 4),
			human(r.p.Window)),
		FieldReports: []string{"BR-18", "BR-33", "S-01", "S-10"},
	}
}

func (r *riskyCountries) enabled() bool           { return r.p.Enabled }
func (r *riskyCountries) scope() scope            { return scopeUser }
func (r *riskyCountries) mergeGap() time.Duration { return r.p.Window.D() }
func (r *riskyCountries) lag() time.Duration      { return r.p.Window.D() }

// fields: risk levels and state say which attempts are at risk, named
// networks which are trusted, and the countries are what the rule counts.
func (r *riskyCountries) fields() entra.Fields {
	return fieldsCountry | entra.FieldRisk | entra.FieldNetwork
}

func (r *riskyCountries) validate() error {
	var c check
	c.common(r.p.Common)
	c.positive("minCountries", float64(r.p.MinCountries))
	c.span("window", r.p.Window)
	return c.err
}

func (r *riskyCountries) newState() ruleState {
	return &countriesState{r: r, w: newWindow(r.p.Window.D())}
}

type countriesState struct {
	r      *riskyCountries
	w      *window
	firing bool
}

// wants: the user's presence at risk in a known country, off trusted
// networks.
func (r *riskyCountries) wants(_ *group, ev *event) bool {
	return ev.presence() && ev.atRisk && !ev.trusted && ev.country != ""
}

func (s *countriesState) observe(c *evalCtx, ev *event) {
	s.w.expire(ev.t)
	s.w.push(ev, ev.country)
	if s.w.distinct() < s.r.p.MinCountries {
		s.firing = false
		return
	}
	recs := []*event{ev}
	if !s.firing {
		recs, s.firing = s.w.events(), true
	}
	c.emit(hit{severity: s.r.p.Severity, start: s.w.first(), end: ev.t, records: recs,
		reason: fmt.Sprintf("%s among %s at risk in %s: %s",
			plural(s.w.distinct(), "country"), plural(len(distinctOf(s.w.events(),
				attemptOf)), "attempt"), span(ev.t.Sub(s.w.first())), list(s.w.keys(), 10))})
}

func (s *countriesState) advance(_ *evalCtx, now time.Time) {
	s.w.expire(now)
	if s.w.distinct() < s.r.p.MinCountries {
		s.firing = false
	}
}

func (s *countriesState) empty() bool { return s.w.empty() }

func (r *riskyCountries) kql() string {
	return fmt.Sprintf(`SigninLogs
| where TimeGenerated > ago(%s)
| where RiskLevelDuringSignIn in %s or RiskLevelAggregated in %s
| where RiskState !in %s
| where NetworkLocationDetails !has "trustedNamedLocation"
| extend Country = tostring(LocationDetails.countryOrRegion)
| where isnotempty(Country)
| summarize Countries = dcount(Country), CountrySet = make_set(Country),
    Attempts = dcount(OriginalRequestId), Start = min(TimeGenerated),
    End = max(TimeGenerated) by UserPrincipalName
| where Countries >= %d`, kqlSpan(r.p.Window), kqlStrings(r.risk.Levels),
		kqlStrings(r.risk.Levels), kqlStrings(r.risk.ExcludeStates), r.p.MinCountries)
}

func (r *riskyCountries) sigma() []sigmaDoc {
	return []sigmaDoc{
		base("entra_at_risk_signin", "Sign-in at risk", signInLogs,
			sel("RiskLevelDuringSignIn", r.risk.Levels),
			filter("dismissed", sel("RiskState", r.risk.ExcludeStates))),
		correlate("", r.meta().Title, "value_count", []string{"entra_at_risk_signin"},
			[]string{"UserPrincipalName"}, sigmaSpan(r.p.Window),
			gte(r.p.MinCountries, "LocationDetails.countryOrRegion")),
	}
}

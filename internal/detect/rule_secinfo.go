package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// SecInfoParams configures ENTRA-SECINFO-NEW-COUNTRY: a user registering
// security info from a country none of their earlier successful sign-ins
// came from (once they have at least MinBaseline of them), or from an
// anonymizer. OnboardingSeverity applies when the account was created
// within Onboarding before (a new hire setting up, S-09).
type SecInfoParams struct {
	Common             `yaml:",inline"`
	MinBaseline        int      `yaml:"minBaseline"`
	Onboarding         Duration `yaml:"onboarding"`
	OnboardingSeverity string   `yaml:"onboardingSeverity"`
	Window             Duration `yaml:"window"`
}

// secInfo watches the persistence step of a takeover: adding the
// attacker's own MFA method.
type secInfo struct {
	p    SecInfoParams
	anon AnonymizerParams
}

func (r *secInfo) meta() Meta {
	return Meta{
		ID: "ENTRA-SECINFO-NEW-COUNTRY", Title: "Security info registered from a new " +
			"country or an anonymizer", Technique: "T1098.005",
		TechniqueName: "Account Manipulation: Device Registration", Tactic: "Persistence",
		Severity: r.p.Severity,
		Description: fmt.Sprintf("A user registered or changed security info (an MFA "+
			"method) from a country none of their earlier successful sign-ins came from "+
			"(once there are at least %d), or from an anonymizer. Severity %s when the "+
			"account was created within the %s before (onboarding).", r.p.MinBaseline,
			r.p.OnboardingSeverity, human(r.p.Onboarding)),
		FieldReports: []string{"BR-37", "S-09"},
	}
}

func (r *secInfo) enabled() bool           { return r.p.Enabled }
func (r *secInfo) scope() scope            { return scopeUser }
func (r *secInfo) mergeGap() time.Duration { return r.p.Window.D() }
func (r *secInfo) lag() time.Duration      { return r.p.Window.D() }

// fields: the anonymizer of the registration's address (its facts, or the
// user's sign-ins from it in the last hour), and its country against the
// countries of the user's earlier successful sign-ins.
func (r *secInfo) fields() entra.Fields { return fieldsAnonymizer | fieldsCountry }

func (r *secInfo) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("onboardingSeverity", r.p.OnboardingSeverity)
	c.positive("minBaseline", float64(r.p.MinBaseline))
	c.span("onboarding", r.p.Onboarding)
	c.span("window", r.p.Window)
	return c.err
}

func (r *secInfo) newState() ruleState { return &secInfoState{r: r} }

type secInfoState struct {
	r      *secInfo
	recent []*event // sign-ins of the last hour, for the address's anonymizer flag
}

// wants: sign-ins through an anonymizer, and security info the user
// registered.
func (r *secInfo) wants(g *group, ev *event) bool {
	if ev.kind == kindSignIn {
		return ev.anonymizer != "" && ev.ip != ""
	}
	return ev.ok && ev.aud().activity == entra.ActSecurityInfoAdded && ev.user == g.key
}

func (s *secInfoState) observe(c *evalCtx, ev *event) {
	s.advance(c, ev.t)
	if ev.kind == kindSignIn {
		s.recent = append(s.recent, ev)
		return
	}
	h := &c.g.hist
	country := h.countryOf(ev.ip)
	if country == "" {
		country = ev.country
	}
	anon := ev.anonymizer
	for _, e := range s.recent {
		if anon == "" && e.ip == ev.ip {
			anon = e.anonymizer
		}
	}
	var why string
	switch {
	case anon != "":
		why = fmt.Sprintf("from an anonymizer, %s (%s)", ev.ip, anon)
	case country != "" && h.signIns >= s.r.p.MinBaseline && !h.knowsCountry(country):
		why = fmt.Sprintf("from %s (%s), a country none of %s came from (%s)", ev.ip,
			country, plural(h.signIns, "earlier successful sign-in"), list(h.countries, 6))
	default:
		return
	}
	sev := s.r.p.Severity
	if !h.created.IsZero() && ev.t.Sub(h.created) <= s.r.p.Onboarding.D() {
		sev = s.r.p.OnboardingSeverity
		why += fmt.Sprintf("; the account was created %s before (onboarding)",
			span(ev.t.Sub(h.created)))
	}
	c.emit(hit{severity: sev, start: ev.t, end: ev.t, records: []*event{ev},
		reason: ev.aud().name + " " + why})
}

func (s *secInfoState) advance(_ *evalCtx, now time.Time) {
	n := 0
	for n < len(s.recent) && now.Sub(s.recent[n].t) > time.Hour {
		n++
	}
	s.recent = s.recent[n:]
}

func (s *secInfoState) empty() bool { return len(s.recent) == 0 }

func (r *secInfo) kql() string {
	return fmt.Sprintf(`let known = SigninLogs
| where TimeGenerated between (ago(30d) .. ago(1d)) and ResultType == "0"
| summarize Countries = make_set(tostring(LocationDetails.countryOrRegion)),
    Baseline = count() by UserPrincipalName;
let places = SigninLogs
| where TimeGenerated > ago(1d)
| summarize Country = take_any(tostring(LocationDetails.countryOrRegion)),
    Anonymous = max(toint(RiskEventTypes_V2 has_any %s)) by IPAddress;
AuditLogs
| where TimeGenerated > ago(1d)
| where OperationName in ("User registered security info",
    "User changed default security info") and Result == "success"
| extend UserPrincipalName = tostring(InitiatedBy.user.userPrincipalName),
    IPAddress = tostring(InitiatedBy.user.ipAddress)
| join kind=leftouter places on IPAddress
| join kind=leftouter known on UserPrincipalName
| where Anonymous == 1 or (Baseline >= %d and not(set_has_element(Countries, Country)))`,
		kqlStrings(r.anon.RiskEventTypes), r.p.MinBaseline)
}

func (r *secInfo) sigma() []sigmaDoc {
	// Sigma has no baseline of earlier countries: the export matches the
	// registration itself, for the SIEM to compare with its own baseline.
	return []sigmaDoc{base("", r.meta().Title, auditLogs, sel(
		"LoggedByService", "Authentication Methods",
		"OperationName", []string{"User registered security info",
			"User changed default security info"},
		"Result", "success"))}
}

package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// AnonAdminParams configures ENTRA-ANON-ADMIN: an attempt from an
// anonymizer (see the anonymizer section) to one of Resources, matched on
// the application or resource display name with case, spaces, hyphens and
// underscores ignored. SuccessSeverity applies when the attempt got a
// token.
type AnonAdminParams struct {
	Common          `yaml:",inline"`
	Resources       []string `yaml:"resources"`
	SuccessSeverity string   `yaml:"successSeverity"`
	Window          Duration `yaml:"window"`
}

// anonAdmin fires on anyone hiding their address while reaching for the
// tenant's or the account's controls.
type anonAdmin struct {
	p    AnonAdminParams
	anon AnonymizerParams
}

func (r *anonAdmin) meta() Meta {
	return Meta{
		ID: "ENTRA-ANON-ADMIN", Title: "Anonymizer reaching an administrative resource",
		Technique: "T1090.003", TechniqueName: "Proxy: Multi-hop Proxy",
		Tactic: "Command and Control", Severity: r.p.Severity,
		Description: fmt.Sprintf("An attempt, successful or not, from an anonymizer (risk "+
			"event %s, an IP-intelligence VPN or proxy score of %d or more, Tor, or a "+
			"hosting network) to an administrative resource: %s.",
			list(r.anon.RiskEventTypes, 4), r.anon.MinScore, list(r.p.Resources, 20)),
	}
}

func (r *anonAdmin) enabled() bool           { return r.p.Enabled }
func (r *anonAdmin) scope() scope            { return scopeUser }
func (r *anonAdmin) mergeGap() time.Duration { return r.p.Window.D() }
func (r *anonAdmin) lag() time.Duration      { return r.p.Window.D() }

// fields: the anonymizer, the administrative resource (application or
// resource name), the trusted networks it skips, and the country in the
// reason.
func (r *anonAdmin) fields() entra.Fields {
	return fieldsAnonymizer | entra.FieldApp | entra.FieldNetwork | fieldsCountry
}

func (r *anonAdmin) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("successSeverity", r.p.SuccessSeverity)
	if r.p.Enabled {
		c.nonEmpty("resources", len(r.p.Resources), offHint)
	}
	c.span("window", r.p.Window)
	return c.err
}

func (r *anonAdmin) newState() ruleState {
	return &anonAdminState{r: r, w: newWindow(r.p.Window.D())}
}

type anonAdminState struct {
	r *anonAdmin
	w *window
}

// wants: sign-ins through an anonymizer to an administrative resource,
// from no trusted or provider network.
func (r *anonAdmin) wants(_ *group, ev *event) bool {
	return ev.kind == kindSignIn && ev.anonymizer != "" && ev.admin != "" && !ev.trusted &&
		!ev.provider
}

func (s *anonAdminState) observe(c *evalCtx, ev *event) {
	s.w.expire(ev.t)
	s.w.push(ev, ev.key)
	sev := s.r.p.Severity
	if ev.success() {
		sev = s.r.p.SuccessSeverity
	}
	c.emit(hit{severity: sev, start: ev.t, end: ev.t, records: []*event{ev},
		reason: fmt.Sprintf("%s from anonymizers to administrative resources; latest "+
			"from %s (%s) to %s, code %d", plural(s.w.distinct(), "attempt"), where(ev),
			ev.anonymizer, ev.admin, ev.code)})
}

func (s *anonAdminState) advance(_ *evalCtx, now time.Time) { s.w.expire(now) }
func (s *anonAdminState) empty() bool                       { return s.w.empty() }

func (r *anonAdmin) kql() string {
	return fmt.Sprintf(`let admin = dynamic(%s);
SigninLogs
| where RiskEventTypes_V2 has_any %s
| where AppDisplayName in~ (admin) or ResourceDisplayName in~ (admin)
| project TimeGenerated, UserPrincipalName, IPAddress, AppDisplayName,
    ResourceDisplayName, ResultType, RiskEventTypes_V2, OriginalRequestId
// IP-intelligence scores are not in the logs: join your VPN/proxy feed on
// IPAddress to add addresses scoring %d or more.`, kqlList(r.p.Resources),
		kqlStrings(r.anon.RiskEventTypes), r.anon.MinScore)
}

func (r *anonAdmin) sigma() []sigmaDoc {
	return []sigmaDoc{base("", r.meta().Title, signInLogs, sel(
		"RiskEventTypes_V2|contains", r.anon.RiskEventTypes,
		"AppDisplayName", r.p.Resources))}
}

package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// LegacyParams configures ENTRA-LEGACY-AUTH-SUCCESS: a successful sign-in
// whose client app is one of ClientApps, whose protocol is one of
// Protocols, or whose user agent contains one of UserAgents. RiskySeverity
// applies when the sign-in was at risk or came from an anonymizer.
type LegacyParams struct {
	Common        `yaml:",inline"`
	ClientApps    []string `yaml:"clientApps"`
	Protocols     []string `yaml:"protocols"`
	UserAgents    []string `yaml:"userAgents"`
	RiskySeverity string   `yaml:"riskySeverity"`
	Window        Duration `yaml:"window"`
}

// legacyAuth fires when a password alone opened a session: legacy
// protocols and the resource-owner password flow cannot do MFA.
type legacyAuth struct{ p LegacyParams }

func (r *legacyAuth) meta() Meta {
	return Meta{
		ID: "ENTRA-LEGACY-AUTH-SUCCESS", Title: "Legacy or ROPC authentication succeeded",
		Technique: "T1078.004", TechniqueName: "Valid Accounts: Cloud Accounts",
		Tactic: "Defense Evasion", Severity: r.p.Severity,
		Description: fmt.Sprintf("A successful sign-in through a legacy client (%s), the "+
			"resource-owner password flow (%s) or a user agent naming it (%s): a password "+
			"alone opened a session that MFA could not guard. Severity %s when the sign-in "+
			"was at risk or came from an anonymizer.", list(r.p.ClientApps, 12),
			list(r.p.Protocols, 4), list(r.p.UserAgents, 4), r.p.RiskySeverity),
		FieldReports: []string{"BR-26"},
	}
}

func (r *legacyAuth) enabled() bool           { return r.p.Enabled }
func (r *legacyAuth) scope() scope            { return scopeUser }
func (r *legacyAuth) mergeGap() time.Duration { return r.p.Window.D() }
func (r *legacyAuth) lag() time.Duration      { return r.p.Window.D() }

// fields: the client app, protocol and user agent that make a sign-in
// legacy; risk and the anonymizer that raise the severity; the application
// and country the reason names.
func (r *legacyAuth) fields() entra.Fields {
	return fieldsLegacy | entra.FieldApp | entra.FieldRisk | fieldsAnonymizer | fieldsCountry
}

func (r *legacyAuth) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("riskySeverity", r.p.RiskySeverity)
	c.span("window", r.p.Window)
	c.knownOrNew("clientApps", "client app", r.p.ClientApps, legacyClients, entra.Fold)
	c.knownOrNew("protocols", "authentication protocol", r.p.Protocols, protocols, entra.Fold)
	if r.p.Enabled && len(r.p.ClientApps)+len(r.p.Protocols)+len(r.p.UserAgents) == 0 {
		c.fail("clientApps", fmt.Errorf("clientApps, protocols and userAgents are all empty, "+
			"so the rule could never fire; %s", offHint))
	}
	return c.err
}

func (r *legacyAuth) newState() ruleState {
	return &legacyState{r: r, w: newWindow(r.p.Window.D())}
}

type legacyState struct {
	r *legacyAuth
	w *window
}

// wants: successes through a legacy client or flow.
func (r *legacyAuth) wants(_ *group, ev *event) bool { return ev.success() && ev.legacy != "" }

func (s *legacyState) observe(c *evalCtx, ev *event) {
	s.w.expire(ev.t)
	s.w.push(ev, ev.key)
	sev := s.r.p.Severity
	if ev.atRisk || ev.anonymizer != "" {
		sev = s.r.p.RiskySeverity
	}
	evs := s.w.events()
	c.emit(hit{severity: sev, start: ev.t, end: ev.t, records: []*event{ev},
		reason: fmt.Sprintf("%s through %s from %s; latest from %s%s",
			plural(s.w.distinct(), "successful legacy sign-in"),
			list(distinctOf(evs, func(e *event) string { return e.legacy }), 4),
			plural(len(distinctOf(evs, addressOf)), "address"), where(ev), toApp(ev))})
}

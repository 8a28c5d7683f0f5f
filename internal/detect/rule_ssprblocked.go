package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// SSPRBlockedParams configures ENTRA-SSPR-BLOCKED; events within Window of
// each other make one alert.
type SSPRBlockedParams struct {
	Common `yaml:",inline"`
	Window Duration `yaml:"window"`
}

// ssprBlocked fires on "Blocked from self-service password reset": the
// service throttled the account for 24 hours after too many resets, gate
// uses or phone checks, which a user rarely provokes alone.
type ssprBlocked struct{ p SSPRBlockedParams }

func (r *ssprBlocked) meta() Meta {
	return Meta{
		ID: "ENTRA-SSPR-BLOCKED", Title: "Blocked from self-service password reset",
		Technique: "T1110", TechniqueName: "Brute Force", Tactic: "Credential Access",
		Severity: r.p.Severity,
		Description: "Any \"Blocked from self-service password reset\" audit event: the " +
			"service throttled recovery for 24 hours after too many resets, verification " +
			"attempts or phone checks.",
	}
}

func (r *ssprBlocked) enabled() bool           { return r.p.Enabled }
func (r *ssprBlocked) scope() scope            { return scopeUser }
func (r *ssprBlocked) mergeGap() time.Duration { return r.p.Window.D() }
func (r *ssprBlocked) lag() time.Duration      { return r.p.Window.D() }

// fields is the country: the rule reads audits only, but the country in
// its reason comes from the address facts, which sign-ins fill.
func (r *ssprBlocked) fields() entra.Fields { return fieldsCountry }

func (r *ssprBlocked) validate() error {
	var c check
	c.common(r.p.Common)
	c.span("window", r.p.Window)
	return c.err
}

func (r *ssprBlocked) newState() ruleState { return &ssprBlockedState{r: r} }

type ssprBlockedState struct{ r *ssprBlocked }

// wants: "Blocked from self-service password reset".
func (r *ssprBlocked) wants(_ *group, ev *event) bool {
	return ev.kind == kindAudit && ev.aud().activity == entra.ActSSPRBlocked
}

func (s *ssprBlockedState) observe(c *evalCtx, ev *event) {
	c.emit(hit{severity: s.r.p.Severity, start: ev.t, end: ev.t, records: []*event{ev},
		reason: fmt.Sprintf("self-service password reset blocked for the account (%s) "+
			"from %s", ev.aud().name, where(ev))})
}

func (s *ssprBlockedState) advance(*evalCtx, time.Time) {}
func (s *ssprBlockedState) empty() bool                 { return true }

func (r *ssprBlocked) kql() string {
	return `AuditLogs
| where OperationName == "Blocked from self-service password reset"
| extend UserPrincipalName = tostring(TargetResources[0].userPrincipalName),
    IP = tostring(InitiatedBy.user.ipAddress)
| project TimeGenerated, UserPrincipalName, IP, Result, ResultReason`
}

func (r *ssprBlocked) sigma() []sigmaDoc {
	return []sigmaDoc{base("", r.meta().Title, auditLogs,
		sel("OperationName", "Blocked from self-service password reset"))}
}

package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// SSPRRiskParams configures ENTRA-SSPR-DURING-RISK: a self-service unlock
// or reset that succeeded within Window of an at-risk sign-in of risk
// level RiskLevels from another address.
type SSPRRiskParams struct {
	Common     `yaml:",inline"`
	RiskLevels []string `yaml:"riskLevels"`
	Window     Duration `yaml:"window"`
}

// ssprDuringRisk reads the Self-service Password Management log, which no
// public rule set reads: recovery that succeeds while someone elsewhere is
// trying the account is either the attacker's own (a SIM swap, a phone
// they hold) or the user's, and an analyst must know which.
type ssprDuringRisk struct {
	p    SSPRRiskParams
	risk RiskParams
}

func (r *ssprDuringRisk) meta() Meta {
	return Meta{
		ID: "ENTRA-SSPR-DURING-RISK", Title: "Self-service recovery during risky sign-ins",
		Technique: "T1098", TechniqueName: "Account Manipulation", Tactic: "Persistence",
		Severity: r.p.Severity,
		Description: fmt.Sprintf("A self-service unlock or password reset that succeeded "+
			"within %s of an at-risk sign-in (risk level %s) from another address.",
			human(r.p.Window), list(r.p.RiskLevels, 3)),
		FieldReports: []string{"BR-33"},
	}
}

func (r *ssprDuringRisk) enabled() bool           { return r.p.Enabled }
func (r *ssprDuringRisk) scope() scope            { return scopeUser }
func (r *ssprDuringRisk) mergeGap() time.Duration { return r.p.Window.D() }
func (r *ssprDuringRisk) lag() time.Duration      { return r.p.Window.D() }

// fields: risk levels and state pick the risky sign-ins; the reason names
// their countries and the recovery's, which the address facts give.
func (r *ssprDuringRisk) fields() entra.Fields { return entra.FieldRisk | fieldsCountry }

func (r *ssprDuringRisk) validate() error {
	var c check
	c.common(r.p.Common)
	c.span("window", r.p.Window)
	c.oneOf("riskLevels", "risk level", r.p.RiskLevels, riskLevels)
	if r.p.Enabled {
		c.nonEmpty("riskLevels", len(r.p.RiskLevels), offHint)
	}
	return c.err
}

func (r *ssprDuringRisk) newState() ruleState {
	return &ssprRiskState{r: r, risky: newWindow(r.p.Window.D()),
		recov: newWindow(r.p.Window.D())}
}

type ssprRiskState struct {
	r     *ssprDuringRisk
	risky *window // at-risk sign-ins
	recov *window // successful self-service unlocks and resets
}

// recovery reports whether ev is a successful self-service unlock or reset.
func recovery(ev *event) bool {
	switch ev.aud().activity {
	case entra.ActSSPRUnlock, entra.ActSSPRReset, entra.ActSSPRChange:
		return ev.kind == kindAudit && ev.ok
	}
	return false
}

// wants: the user's presence at one of the rule's risk levels, and
// successful recoveries.
func (r *ssprDuringRisk) wants(_ *group, ev *event) bool {
	return ev.presence() && ev.atRisk && containsFold(r.p.RiskLevels, ev.riskLevel) ||
		recovery(ev)
}

func (s *ssprRiskState) observe(c *evalCtx, ev *event) {
	s.advance(c, ev.t)
	if recovery(ev) {
		s.recov.push(ev, ev.id)
		for _, rs := range s.risky.events() {
			s.judge(c, ev, rs)
		}
		return
	}
	s.risky.push(ev, ev.key)
	for _, rc := range s.recov.events() {
		s.judge(c, rc, ev)
	}
}

// judge emits when the recovery and the risky sign-in came from different
// addresses.
func (s *ssprRiskState) judge(c *evalCtx, rc, rs *event) {
	if rc.ip == rs.ip {
		return
	}
	others := 0
	for _, e := range s.risky.events() {
		if e.ip != rc.ip {
			others++
		}
	}
	c.emit(hit{severity: s.r.p.Severity, start: earliest(rc.t, rs.t), end: latest(rc.t, rs.t),
		records: []*event{rc, rs}, reason: fmt.Sprintf("%s succeeded from %s while %s at "+
			"risk came from other addresses (%s) within %s", rc.aud().name, where(rc),
			plural(others, "sign-in"), list(distinctOf(s.risky.events(), countryOf), 8),
			human(s.r.p.Window))})
}

func (s *ssprRiskState) advance(_ *evalCtx, now time.Time) {
	s.risky.expire(now)
	s.recov.expire(now)
}

func (s *ssprRiskState) empty() bool { return s.risky.empty() && s.recov.empty() }

func (r *ssprDuringRisk) kql() string {
	return fmt.Sprintf(`let risky = SigninLogs
| where TimeGenerated > ago(1d)
| where RiskLevelDuringSignIn in %s or RiskLevelAggregated in %s
| project UserPrincipalName, RiskyIP = IPAddress, RiskyTime = TimeGenerated;
AuditLogs
| where TimeGenerated > ago(1d)
| where LoggedByService == "Self-service Password Management" and Result == "success"
| where OperationName in ("Unlock user account (self-service)",
    "Reset password (self-service)", "Change password (self-service)")
| extend UserPrincipalName = tostring(TargetResources[0].userPrincipalName),
    IP = tostring(InitiatedBy.user.ipAddress)
| join kind=inner risky on UserPrincipalName
| where abs(datetime_diff("minute", TimeGenerated, RiskyTime)) <= %d and IP != RiskyIP
| summarize RiskyAddresses = make_set(RiskyIP) by TimeGenerated, UserPrincipalName,
    OperationName, IP`, kqlStrings(r.p.RiskLevels), kqlStrings(r.p.RiskLevels),
		int(r.p.Window.D().Minutes()))
}

func (r *ssprDuringRisk) sigma() []sigmaDoc {
	return []sigmaDoc{
		base("entra_risky_signin", "Risky sign-in", signInLogs,
			sel("RiskLevelDuringSignIn", r.p.RiskLevels)),
		base("entra_sspr_recovered", "Self-service unlock or reset succeeded", auditLogs,
			sel("LoggedByService", "Self-service Password Management",
				"OperationName", []string{"Unlock user account (self-service)",
					"Reset password (self-service)", "Change password (self-service)"},
				"Result", "success")),
		{Title: r.meta().Title, Correlation: &sigmaCorrelation{Type: "temporal",
			Rules: []string{"entra_risky_signin", "entra_sspr_recovered"},
			Aliases: yamlSlice("user", yamlSlice(
				"entra_risky_signin", "UserPrincipalName",
				"entra_sspr_recovered", "InitiatedBy.user.userPrincipalName")),
			GroupBy: []string{"user"}, Timespan: sigmaSpan(r.p.Window), Condition: gte(2)}},
	}
}

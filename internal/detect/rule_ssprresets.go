package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// SSPRResetParams configures ENTRA-SSPR-FAILED-RESETS: MinFailures failed
// self-service resets or changes of one user from one address within
// Window.
type SSPRResetParams struct {
	Common      `yaml:",inline"`
	MinFailures int      `yaml:"minFailures"`
	Window      Duration `yaml:"window"`
}

// ssprFailedResets catches someone who got through the recovery gates but
// cannot find a password the policy accepts: the reference case's four
// OnPremisesPolicyViolation and FuzzyPolicyViolation failures.
type ssprFailedResets struct{ p SSPRResetParams }

func (r *ssprFailedResets) meta() Meta {
	return Meta{
		ID: "ENTRA-SSPR-FAILED-RESETS", Title: "Repeated failed self-service resets",
		Technique: "T1098", TechniqueName: "Account Manipulation", Tactic: "Persistence",
		Severity: r.p.Severity,
		Description: fmt.Sprintf("%d or more failed self-service password resets or changes "+
			"of one user from one address within %s, policy violations included.",
			r.p.MinFailures, human(r.p.Window)),
	}
}

func (r *ssprFailedResets) enabled() bool           { return r.p.Enabled }
func (r *ssprFailedResets) scope() scope            { return scopeUser }
func (r *ssprFailedResets) mergeGap() time.Duration { return r.p.Window.D() }
func (r *ssprFailedResets) lag() time.Duration      { return r.p.Window.D() }

// fields is the country: the rule reads audits only, but the country in
// its reason comes from the address facts, which sign-ins fill.
func (r *ssprFailedResets) fields() entra.Fields { return fieldsCountry }

func (r *ssprFailedResets) validate() error {
	var c check
	c.common(r.p.Common)
	c.positive("minFailures", float64(r.p.MinFailures))
	c.span("window", r.p.Window)
	return c.err
}

func (r *ssprFailedResets) newState() ruleState {
	return &resetsState{r: r, by: map[string]*window{}}
}

type resetsState struct {
	r  *ssprFailedResets
	by map[string]*window // failed resets by address
}

// wants: failed self-service resets and changes.
func (r *ssprFailedResets) wants(_ *group, ev *event) bool {
	return ev.kind == kindAudit && !ev.ok &&
		(ev.aud().activity == entra.ActSSPRReset || ev.aud().activity == entra.ActSSPRChange)
}

func (s *resetsState) observe(c *evalCtx, ev *event) {
	s.advance(c, ev.t)
	w := s.by[ev.ip]
	if w == nil {
		w = newWindow(s.r.p.Window.D())
		s.by[ev.ip] = w
	}
	w.push(ev, ev.id)
	if w.distinct() < s.r.p.MinFailures {
		return
	}
	reasons := distinctOf(w.events(), func(e *event) string {
		if v := entra.PolicyViolation(e.aud().reason); v != "" {
			return v
		}
		return e.aud().reason
	})
	c.emit(hit{key: ev.ip, severity: s.r.p.Severity, start: w.first(), end: ev.t,
		records: w.events(), reason: fmt.Sprintf("%s from %s in %s: %s",
			plural(w.distinct(), "failed self-service reset"), where(ev),
			span(ev.t.Sub(w.first())), list(reasons, 4))})
}

func (s *resetsState) advance(_ *evalCtx, now time.Time) {
	for k, w := range s.by {
		if w.expire(now); w.empty() {
			delete(s.by, k)
		}
	}
}

func (s *resetsState) empty() bool { return len(s.by) == 0 }

func (r *ssprFailedResets) kql() string {
	return fmt.Sprintf(`AuditLogs
| where TimeGenerated > ago(%s)
| where LoggedByService == "Self-service Password Management" and Result == "failure"
| where OperationName in ("Reset password (self-service)", "Change password (self-service)")
| extend IP = tostring(InitiatedBy.user.ipAddress),
    UserPrincipalName = tostring(TargetResources[0].userPrincipalName)
| summarize Failures = count(), Reasons = make_set(ResultReason),
    Start = min(TimeGenerated), End = max(TimeGenerated) by UserPrincipalName, IP
| where Failures >= %d`, kqlSpan(r.p.Window), r.p.MinFailures)
}

func (r *ssprFailedResets) sigma() []sigmaDoc {
	return []sigmaDoc{
		base("entra_sspr_reset_failed", "Self-service password reset failed", auditLogs,
			sel("LoggedByService", "Self-service Password Management",
				"OperationName", []string{"Reset password (self-service)",
					"Change password (self-service)"}, "Result", "failure")),
		correlate("", r.meta().Title, "event_count", []string{"entra_sspr_reset_failed"},
			[]string{"InitiatedBy.user.userPrincipalName", "InitiatedBy.user.ipAddress"},
			sigmaSpan(r.p.Window), gte(r.p.MinFailures)),
	}
}

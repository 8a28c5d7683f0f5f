package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// UnlockFailParams configures ENTRA-SSPR-UNLOCK-THEN-FAIL: a successful
// self-service unlock followed within Window by a failed sign-in from a
// country other than the unlock's.
type UnlockFailParams struct {
	Common `yaml:",inline"`
	Window Duration `yaml:"window"`
}

// ssprUnlockFail pairs recovery in one country with the attack resuming
// from another: the unlock served the attacker, whoever ran it.
type ssprUnlockFail struct{ p UnlockFailParams }

func (r *ssprUnlockFail) meta() Meta {
	return Meta{
		ID: "ENTRA-SSPR-UNLOCK-THEN-FAIL", Title: "Unlock followed by failures from " +
			"another country", Technique: "T1098", TechniqueName: "Account Manipulation",
		Tactic: "Persistence", Severity: r.p.Severity,
		Description: fmt.Sprintf("A self-service unlock that succeeded, followed within %s "+
			"by a failed sign-in (wrong password, lockout, Conditional Access or MFA "+
			"refusal, not an interrupt) from a country other than the unlock's.",
			human(r.p.Window)),
		FieldReports: []string{"BR-13"},
	}
}

func (r *ssprUnlockFail) enabled() bool           { return r.p.Enabled }
func (r *ssprUnlockFail) scope() scope            { return scopeUser }
func (r *ssprUnlockFail) mergeGap() time.Duration { return r.p.Window.D() }
func (r *ssprUnlockFail) lag() time.Duration      { return r.p.Window.D() }

// fields is the country: the unlock's (where the user's recent sign-ins
// placed its address, else the address facts) against the failure's.
func (r *ssprUnlockFail) fields() entra.Fields { return fieldsCountry }

func (r *ssprUnlockFail) validate() error {
	var c check
	c.common(r.p.Common)
	c.span("window", r.p.Window)
	return c.err
}

func (r *ssprUnlockFail) newState() ruleState {
	return &unlockState{r: r, w: newWindow(r.p.Window.D())}
}

type unlockState struct {
	r *ssprUnlockFail
	w *window // unlocks, keyed by their country
}

// wants: successful self-service unlocks, and the user's refused sign-ins
// from a known country.
func (r *ssprUnlockFail) wants(_ *group, ev *event) bool {
	if ev.kind == kindAudit {
		return ev.ok && ev.aud().activity == entra.ActSSPRUnlock
	}
	return ev.presence() && ev.failed() && ev.country != ""
}

func (s *unlockState) observe(c *evalCtx, ev *event) {
	s.w.expire(ev.t)
	switch ev.kind {
	case kindAudit:
		country := c.g.hist.countryOf(ev.ip)
		if country == "" {
			country = ev.country
		}
		if country != "" {
			s.w.push(ev, country)
		}
	default:
		for _, it := range s.w.items.all() {
			if it.key() == ev.country {
				continue
			}
			u := it.ev
			c.emit(hit{severity: s.r.p.Severity, start: u.t, end: ev.t,
				records: []*event{u, ev}, reason: fmt.Sprintf("unlocked from %s (%s), then "+
					"a failed sign-in (%d) from %s %s later", u.ip, it.key(), ev.code,
					where(ev), span(ev.t.Sub(u.t)))})
		}
	}
}

func (s *unlockState) advance(_ *evalCtx, now time.Time) { s.w.expire(now) }
func (s *unlockState) empty() bool                       { return s.w.empty() }

func (r *ssprUnlockFail) kql() string {
	return fmt.Sprintf(`let unlocks = AuditLogs
| where TimeGenerated > ago(1d)
| where OperationName == "Unlock user account (self-service)" and Result == "success"
| extend UserPrincipalName = tostring(TargetResources[0].userPrincipalName),
    UnlockIP = tostring(InitiatedBy.user.ipAddress)
| project UnlockTime = TimeGenerated, UserPrincipalName, UnlockIP;
let places = SigninLogs
| where TimeGenerated > ago(30d)
| summarize UnlockCountry = take_any(tostring(LocationDetails.countryOrRegion))
    by UnlockIP = IPAddress;
SigninLogs
| where TimeGenerated > ago(1d)
| where ResultType !in ("0", "50074", "50076", "50140", "50125", "70043", "70044")
| extend Country = tostring(LocationDetails.countryOrRegion)
| join kind=inner (unlocks | join kind=leftouter places on UnlockIP) on UserPrincipalName
| where TimeGenerated between (UnlockTime .. UnlockTime + %s)
| where isnotempty(UnlockCountry) and Country != UnlockCountry
| project UnlockTime, TimeGenerated, UserPrincipalName, UnlockIP, UnlockCountry,
    IPAddress, Country, ResultType`, kqlSpan(r.p.Window))
}

func (r *ssprUnlockFail) sigma() []sigmaDoc {
	return []sigmaDoc{
		base("entra_sspr_unlocked", "Self-service unlock succeeded", auditLogs,
			sel("OperationName", "Unlock user account (self-service)", "Result", "success")),
		base("entra_signin_failed", "Sign-in refused", signInLogs,
			sel("ResultType", []string{"50126", "50053", "53003", "53004", "500121"})),
		{Title: r.meta().Title, Correlation: &sigmaCorrelation{Type: "temporal_ordered",
			Rules: []string{"entra_sspr_unlocked", "entra_signin_failed"},
			Aliases: yamlSlice("user", yamlSlice(
				"entra_sspr_unlocked", "InitiatedBy.user.userPrincipalName",
				"entra_signin_failed", "UserPrincipalName")),
			GroupBy: []string{"user"}, Timespan: sigmaSpan(r.p.Window), Condition: gte(2)}},
	}
}

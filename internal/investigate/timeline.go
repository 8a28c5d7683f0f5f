package investigate

import (
	"fmt"
	"sort"

	"github.com/idtriage/idtriage/internal/entra"
)

// timeline merges the user's sign-ins, audit events and risk detections on
// one time axis. Audit records that one action wrote twice (same
// correlationId, target and second; BR-37) appear once.
func timeline(ev *evidence) []Event {
	var out []Event
	for _, s := range ev.signIns {
		out = append(out, Event{
			Time: s.Time, Kind: "signin", ID: s.ID, Outcome: signInOutcome(s),
			Summary: signInSummary(s), IP: s.IPRaw, Country: ev.country(s),
			App: s.AppDisplayName, InWindow: ev.inWindow(s.Time),
			Suspicious: ev.suspicious[s.ID], Approx: s.TimeApprox,
		})
	}

	seen := map[string]bool{}
	for _, a := range ev.audits {
		key := a.CorrelationID + "|" + a.Time.Truncate(1e9).String() + "|" + targetOf(a)
		if a.CorrelationID != "" && seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Event{
			Time: a.Time, Kind: "audit", ID: a.ID, Outcome: auditOutcome(a),
			Summary: auditSummary(a), IP: auditIP(a), Country: ev.facts(auditIP(a)).Country,
			InWindow: ev.inWindow(a.Time), Suspicious: ev.attackerIPs[auditIP(a)],
			Approx: a.TimeApprox,
		})
	}
	for _, r := range ev.risks {
		out = append(out, Event{
			Time: r.Time(), Kind: "risk", ID: r.ID, Outcome: "info",
			Summary: fmt.Sprintf("Risk detection %s (%s, %s, %s)", r.EventType, r.RiskLevel,
				r.RiskState, r.TimingType),
			IP: r.IPRaw, Country: r.Location.Country, InWindow: ev.inWindow(r.Time()),
		})
	}

	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.Before(out[j].Time)
		}
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func targetOf(a *entra.Audit) string {
	if len(a.Targets) == 0 {
		return ""
	}
	t := a.Targets[0]
	return t.ID + t.UserPrincipalName
}

// signInOutcome maps a sign-in to the timeline's colours.
func signInOutcome(s *entra.SignIn) string {
	switch s.Class() {
	case entra.ClassSuccess:
		return "success"
	case entra.ClassCABlock, entra.ClassProofUpBlocked:
		return "blocked"
	case entra.ClassInterrupt:
		return "interrupt"
	}
	return "failed"
}

func signInSummary(s *entra.SignIn) string {
	name := "unknown code"
	if info, ok := entra.LookupCode(s.ErrorCode); ok {
		name = info.Name
	}
	if !s.HasCode {
		name = "no result code"
	}
	msg := fmt.Sprintf("Sign-in %d %s", s.ErrorCode, name)
	if s.AppDisplayName != "" {
		msg += " to " + s.AppDisplayName
	}
	if p := s.BlockingPolicies(); len(p) > 0 && s.Class() != entra.ClassSuccess {
		msg += fmt.Sprintf(" (policy: %s)", p[0])
	}
	if s.RiskLevelDuringSignIn != "" && s.RiskLevelDuringSignIn != "none" {
		msg += ", risk " + s.RiskLevelDuringSignIn
	}
	return msg
}

func auditOutcome(a *entra.Audit) string {
	if a.Succeeded() {
		return "success"
	}
	if a.Result == "failure" {
		return "failed"
	}
	return "info"
}

func auditSummary(a *entra.Audit) string {
	msg := a.Activity + ": " + a.Result
	if a.ResultReason != "" && a.ResultReason != "None" {
		msg += " (" + a.ResultReason + ")"
	}
	return msg
}

package investigate

import (
	"fmt"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// stepPriorTriage answers question 1: did anyone already triage this? Offline,
// the only trace of an earlier triage is in Identity Protection itself: an
// administrator who dismissed, confirmed or remediated the risk changes its
// state and detail. Earlier idtriage cases live in the case store, which the
// command line does not read.
func stepPriorTriage(ev *evidence) []Finding {
	f := Finding{Question: 1, Step: "prior-triage", Title: "Earlier triage of this user or alert",
		Source: "Identity Protection risky users and risk detections"}
	f.Read = len(ev.risks)
	if ev.riskyUser != nil {
		f.Read++
	}

	var touched []string
	var refs []Ref
	if r := ev.riskyUser; r != nil {
		refs = append(refs, Ref{Kind: "riskyUser", ID: r.ID, Time: r.LastUpdated,
			Note: fmt.Sprintf("%s, %s, %s", r.RiskLevel, r.RiskState, r.RiskDetail)})
		if d := adminAction(r.RiskState, r.RiskDetail); d != "" {
			touched = append(touched, "the risky-user record ("+d+")")
		}
	}
	for _, r := range ev.risks {
		if d := adminAction(r.RiskState, r.RiskDetail); d != "" {
			touched = append(touched, fmt.Sprintf("detection %s (%s)", r.ID, d))
			refs = append(refs, riskRef(r))
		}
	}

	closed := map[string]int{}
	for _, s := range ev.signIns {
		if d := adminAction(s.RiskState, s.RiskDetail); d != "" {
			closed[d]++
			f.Read++
			if len(refs) < maxRefs {
				refs = append(refs, signInRef(s))
			}
		}
	}
	if len(closed) > 0 {
		touched = append(touched, "the risk of sign-ins ("+topList(closed, 4)+")")
	}

	switch {
	case f.Read == 0:
		f.Kind = KindNegative
		f.Statement = "No Identity Protection record was supplied, so no earlier decision can " +
			"be seen; no case store is read from the command line."
	case len(touched) == 0:
		f.Kind = KindNegative
		f.Statement = "No earlier triage: no administrator has dismissed, confirmed or " +
			"remediated this risk (the risk state is still open), and no case store is read " +
			"from the command line."
	default:
		f.Kind = KindPivot
		f.Statement = "Someone already acted on this risk: " + strings.Join(touched, "; ") +
			". Read their decision before repeating the work."
	}
	f.Evidence = refs
	return []Finding{f}
}

// adminAction describes an administrator's or user's earlier decision
// visible in a risk state and detail, or "".
func adminAction(state, detail string) string {
	switch entra.Fold(state) {
	case "dismissed":
		return "dismissed"
	case "confirmedsafe":
		return "confirmed safe"
	case "confirmedcompromised":
		return "confirmed compromised"
	case "remediated":
		return "remediated: " + detail
	}
	switch entra.Fold(detail) {
	case "adminconfirmedsigninsafe", "adminconfirmedsignincompromised",
		"admindismissedallriskforuser", "admingeneratedtemporarypassword":
		return detail
	}
	return ""
}

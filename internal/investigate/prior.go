package investigate

import (
	"fmt"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// PriorCase is an earlier investigation of the same user as a case store
// keeps it: the machine's verdict and, beside it, what analysts decided.
type PriorCase struct {
	ID         string
	AlertID    string
	Opened     time.Time
	Label      string
	Confidence string
	Decisions  []PriorDecision // oldest first
}

// PriorDecision is one analyst's ruling on an earlier case: Action is
// "confirm" (the machine's verdict stands) or "overturn" (Label replaces it).
type PriorDecision struct {
	Analyst string
	Action  string
	Label   string
	Note    string
	Time    time.Time
}

// maxPriorNamed caps the earlier cases a statement names one by one; the
// count covers them all.
const maxPriorNamed = 3

// stepPriorTriage answers question 1: did anyone already triage this? Offline,
// the only trace of an earlier triage is in Identity Protection itself: an
// administrator who dismissed, confirmed or remediated the risk changes its
// state and detail. Earlier idtriage cases live in the case store, which the
// command line does not read; the server passes them in Config.Prior.
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
			refs = append(refs, signInRef(s))
		}
	}
	if len(closed) > 0 {
		touched = append(touched, "the risk of sign-ins ("+topList(closed, 4)+")")
	}

	if ev.cfg.PriorSource != "" {
		return []Finding{priorFromStore(ev.cfg, f, touched, refs)}
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

// priorFromStore finishes the question-1 finding when a case store was
// read: earlier cases of the user and analysts' decisions join what
// Identity Protection shows.
func priorFromStore(cfg Config, f Finding, touched []string, refs []Ref) Finding {
	f.Source += "; " + cfg.PriorSource
	f.Read += len(cfg.Prior)
	for _, p := range cfg.Prior {
		f.Read += len(p.Decisions)
	}
	if n := len(cfg.Prior); n > 0 {
		touched = append(touched, plural(n, "earlier case")+" in the case store ("+
			priorNames(cfg.Prior)+")")
	}
	for i := len(cfg.Prior) - 1; i >= 0 && len(refs) < maxRefs; i-- {
		p := cfg.Prior[i]
		refs = append(refs, Ref{Kind: "case", ID: p.ID, Time: p.Opened, Note: priorLine(p)})
	}

	f.Evidence = refs
	if len(touched) == 0 {
		f.Kind = KindNegative
		f.Statement = "No earlier triage: no administrator has acted on this risk in " +
			"Identity Protection, and the case store holds no earlier case for this user."
		return f
	}
	f.Kind = KindPivot
	if !reviewed(cfg.Prior) && len(touched) == 1 && len(cfg.Prior) > 0 {
		// Only the machine has looked: cases opened by other alerts (or by
		// the same post, one per detection) that no analyst has read yet.
		f.Statement = "No one has looked at this user yet: " + touched[0] +
			", none reviewed by an analyst, and no administrator has acted on this risk " +
			"in Identity Protection. This case may repeat one of them."
		return f
	}
	f.Statement = "Someone already looked at this user: " + strings.Join(touched, "; ") +
		". Read their decision before repeating the work."
	return f
}

// reviewed reports whether an analyst decided any of the cases.
func reviewed(prior []PriorCase) bool {
	for _, p := range prior {
		if len(p.Decisions) > 0 {
			return true
		}
	}
	return false
}

// priorNames describes the latest earlier cases, newest first.
func priorNames(prior []PriorCase) string {
	var parts []string
	for i := len(prior) - 1; i >= 0 && len(parts) < maxPriorNamed; i-- {
		parts = append(parts, priorLine(prior[i]))
	}
	if more := len(prior) - len(parts); more > 0 {
		parts = append(parts, fmt.Sprintf("and %d older", more))
	}
	return strings.Join(parts, "; ")
}

// priorLine is one earlier case in a phrase: when, the machine's verdict,
// and the last analyst decision, which stands beside it and never over it.
func priorLine(p PriorCase) string {
	s := fmt.Sprintf("%s: %s, confidence %s", clock(p.Opened), p.Label, p.Confidence)
	if len(p.Decisions) == 0 {
		return s + ", not reviewed by an analyst"
	}
	d := p.Decisions[len(p.Decisions)-1]
	switch d.Action {
	case "overturn":
		s += fmt.Sprintf(", overturned by %s to %s", d.Analyst, d.Label)
	default:
		s += ", confirmed by " + d.Analyst
	}
	if d.Note != "" {
		s += fmt.Sprintf(" (%q)", d.Note)
	}
	return s
}

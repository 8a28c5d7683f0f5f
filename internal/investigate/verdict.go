package investigate

import (
	"fmt"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// weigh collects the signals of the case. Each signal is a fact the steps
// established, pointing toward a true positive, against it, or at how much
// the data can say at all.
func weigh(ev *evidence, an *analysis) *scales {
	sc := &scales{}

	// Compromise: proof that someone other than the user got in or changed
	// the account. One is enough for the outcome.
	// The approval that ended a fatigue burst is that proof, not a second
	// one: only the other successes make a session.
	var sessions []*entra.SignIn
	for _, s := range an.successes {
		if s != an.mfa.approved {
			sessions = append(sessions, s)
		}
	}
	if len(sessions) > 0 {
		sc.compromise("session", fmt.Sprintf("%s outside the baseline got a token "+
			"(attacker session)", plural(len(sessions), "attempt")), refsOf(sessions))
	}
	if ch := changesFromAttacker(an); len(ch) > 0 {
		sc.compromise("change", fmt.Sprintf("%s of password or security info came from an "+
			"attacker address", plural(len(ch), "change")), auditRefs(ch))
	}
	if an.mfa.approved != nil {
		sc.compromise("fatigue", fmt.Sprintf("MFA fatigue ended in an approval: %d denied "+
			"prompts %s, then a success %s", len(an.mfa.fatigue), burstFrom(an.mfa.fatigue),
			approvalFrom(an.mfa.fatigue, an.mfa.approved)),
			refsOf(append(append([]*entra.SignIn{}, an.mfa.fatigue...), an.mfa.approved)))
	}
	if r := ev.riskyUser; r != nil && entra.Fold(r.RiskState) == "confirmedcompromised" {
		sc.compromise("admin", "an administrator confirmed the user compromised", nil)
	}
	if n := len(an.rec.ambiguous); n > 0 {
		sc.compromise("ambiguous", fmt.Sprintf("%s of password or security info succeeded "+
			"during the attack from an address the user also uses; until the user confirms "+
			"it, the attacker may hold the new credentials", plural(n, "change")),
			auditRefs(an.rec.ambiguous))
	}

	// Toward a true positive, short of compromise.
	if r := ev.riskyUser; r != nil && !riskClosed(r.RiskState) &&
		strings.EqualFold(r.RiskLevel, "high") {
		sc.toward("Identity Protection holds the user at high risk, still open",
			[]Ref{{Kind: "riskyUser", ID: r.ID, Time: r.LastUpdated}})
	}
	if n := len(an.risky); n > 0 {
		sc.toward(fmt.Sprintf("Identity Protection rated %s risky, risk still open",
			plural(n, "attempt")), refsOf(an.risky))
	}
	if n := len(an.anonymized); n > 0 {
		sc.toward(fmt.Sprintf("%s came through VPN, anonymizing or hosting infrastructure",
			plural(n, "attempt")), refsOf(an.anonymized))
	}
	if n := len(an.countries); n >= ev.cfg.CountryThreshold {
		sc.toward(fmt.Sprintf("%d distinct countries within %s (%s)", n, human(ev.cfg.CountryWindow),
			strings.Join(an.countries, ", ")), refsOf(an.countryRefs))
	}
	if n := len(an.travel); n > 0 {
		var hops []*entra.SignIn
		for _, h := range an.travel {
			hops = append(hops, h.from, h.to)
		}
		sc.toward(fmt.Sprintf("%s of impossible travel", plural(n, "move")),
			refsOf(dedupeSignIns(hops)))
	}
	if n := len(an.firstFactor); n > 0 && len(an.successes) == 0 {
		sc.toward(fmt.Sprintf("the password was accepted on %s outside the baseline "+
			"(Conditional Access only applies after the first factor)",
			plural(n, "attempt")), refsOf(an.firstFactor))
	}
	if n := len(an.proofUp); n > 0 {
		sc.toward(fmt.Sprintf("%s to register security info were blocked for risk (53004)",
			plural(n, "attempt")), refsOf(an.proofUp))
	}
	if n := len(an.spray.attempts); n > 0 {
		sc.toward(fmt.Sprintf("%s outside the baseline belonged to a password spray across "+
			"the tenant: %s", plural(n, "attempt"), an.spray.sources()),
			refsOf(an.spray.attempts))
	}
	if n := len(an.credFailures); n >= 3 {
		sc.toward(fmt.Sprintf("%s with a wrong password from outside the baseline",
			plural(n, "attempt")), refsOf(an.credFailures))
	}
	if len(an.adminReach) > 0 && !adminInScope(ev) {
		sc.toward("the attempts aimed at administrative or credential-management resources "+
			"outside the user's job", refsOf(an.adminReach))
	}
	if n := len(an.mfa.fraud); n > 0 {
		sc.toward(fmt.Sprintf("the user reported %s as fraud", plural(n, "MFA prompt")),
			refsOf(an.mfa.fraud))
		sc.userDenied = true
	}
	if n := len(an.mfa.declined); n > 0 && len(an.mfa.fraud) == 0 {
		sc.toward(fmt.Sprintf("the user declined %s: they did not start those sign-ins",
			plural(n, "MFA prompt")), refsOf(an.mfa.declined))
		sc.userDenied = true
	}
	if len(an.mfa.fatigue) > 0 && an.mfa.approved == nil && an.mfa.own == nil {
		sc.toward(fmt.Sprintf("%d denied MFA prompts %s within an hour",
			len(an.mfa.fatigue), burstFrom(an.mfa.fatigue)), refsOf(an.mfa.fatigue))
	}
	if n := len(an.rec.refused); n > 0 {
		sc.toward(fmt.Sprintf("%s of self-service recovery refused (a failed reset or an "+
			"SSPR block), %s: not an address of the user's", plural(n, "step"),
			sourcesOf(ev, an.rec.refused)), auditRefs(an.rec.refused))
	}
	if n := len(an.rec.concurrent); n > 0 {
		sc.toward(fmt.Sprintf("%s ran while attempts came from elsewhere",
			plural(n, "successful recovery step")), auditRefs(an.rec.concurrent))
	}

	// Two parties at once: an attacker success and the user's own sign-in
	// too far apart to be one person.
	for _, h := range an.travel {
		a, b := ev.suspicious[h.from.ID], ev.suspicious[h.to.ID]
		if a != b && h.from.Class() == entra.ClassSuccess && h.to.Class() == entra.ClassSuccess {
			sc.twoParties = true
		}
	}

	// Against: what argues for the user's own activity.
	if n := len(an.trustedHits); n > 0 {
		sc.against(fmt.Sprintf("%s came through trusted named networks (%s)",
			plural(n, "sign-in"), ev.networkNames(an.trustedHits)), refsOf(sample(an.trustedHits, 3)))
	}
	if n := len(an.knownDevice); n > 0 && len(an.suspicious) == 0 {
		sc.against(fmt.Sprintf("%s in the window used the user's own device",
			plural(n, "sign-in")), refsOf(sample(an.knownDevice, 3)))
	}
	if len(an.plausibleHop) > 0 && len(an.travel) == 0 {
		sc.against("the move to a new country happened at a plausible travel speed", nil)
		sc.plausibleTravel = true
	}
	if n := len(an.rec.fromHome); n > 0 {
		sc.against(fmt.Sprintf("%s came from the user's own network (%s)",
			plural(n, "recovery step"), sourcesOf(ev, an.rec.fromHome)),
			auditRefs(an.rec.fromHome))
	}
	if n := len(ev.riskyHome); n > 0 {
		sc.against(fmt.Sprintf("%s rated risky came from the user's own networks: the "+
			"user, flagged", plural(n, "sign-in")), refsOf(ev.riskyHome))
	}
	if own := an.mfa.own; own != nil {
		sc.against(fmt.Sprintf("the approval after %d denied MFA prompts came from the "+
			"user's own network or device", len(an.mfa.fatigue)),
			refsOf(append(append([]*entra.SignIn{}, an.mfa.fatigue...), own)))
	}
	if usualMFA(ev, an.successes) && an.mfa.approved == nil {
		sc.against("the successful attempts passed MFA with the user's usual method",
			refsOf(an.successes))
		sc.usualMFA = true
	}
	if created, ok := onboarding(ev); ok {
		sc.against(fmt.Sprintf("the account was created on %s, %s before the window: "+
			"a new hire registers methods and signs in from new places", day(created),
			human(ev.window.Start.Sub(created))), nil)
	}
	if r := ev.riskyUser; r != nil && riskClosed(r.RiskState) {
		sc.against(fmt.Sprintf("the user's risk is already %s (%s)", r.RiskState,
			r.RiskDetail), nil)
	}

	sc.coverage = coverage(ev)
	if an.travelUnassessed() {
		sc.coverage = append(sc.coverage, fmt.Sprintf("not covered: %s in the window "+
			"carry no coordinates, so impossible travel cannot be assessed",
			plural(len(an.unplaced), "attempt")))
	}
	return sc
}

// decide turns the signals into a verdict. The rules run in order and the
// first that matches decides; each says in its comment why it exists.
func decide(ev *evidence, an *analysis, sc *scales) Verdict {
	v := Verdict{}
	thin := len(ev.base.signIns) < ev.cfg.MinBaseline

	switch {
	// Compromise evidence wins over everything except a plausible,
	// MFA-backed trip: a new country at travel speed, with the user's usual
	// second factor and nothing else alarming, is the user travelling.
	case sc.onlySession() && sc.plausibleTravel && sc.usualMFA && len(an.anonymized) == 0 &&
		len(an.risky) == 0:
		v = verdict(BenignPositive, "", ConfMedium, "benign-travel")

	case len(sc.compromised) > 0:
		v = verdict(TruePositive, OutcomeCompromised, compromiseConfidence(sc),
			"account-compromised")

	// The time investigated is after the input's last sign-in and nothing
	// in the window is someone else's: no sign-in of that time was read, so
	// neither finding none nor the user's own earlier sign-ins clear it. A
	// later export, or a time within this one, is what answers it.
	case ev.beyondInput() && an.others() == 0:
		v = verdict(Undetermined, "", ConfLow, "window-not-covered")

	// A trusted named network or the user's own device explains the
	// activity: the tenant vouches for it even without a baseline.
	case an.others() == 0 && len(an.trustedHits) > 0:
		conf := ConfMedium
		if len(sc.againsts) >= 2 || len(an.trustedHits) >= 3 {
			conf = ConfHigh
		}
		v = verdict(BenignPositive, "", conf, "benign-explained")

	// A password spray across the tenant reached the user and nothing got
	// through: the tenant's sign-ins, not the user's baseline, say who
	// made those attempts, so neither a thin baseline nor a lone signal
	// leaves the case undetermined.
	case an.others() > 0 && len(an.spray.attempts) > 0:
		conf := ConfMedium
		if len(sc.towards) >= 3 {
			conf = ConfHigh
		}
		v = verdict(TruePositive, OutcomeBlocked, conf, "sprayed")

	// Too little to call: no baseline to compare with and fewer than three
	// signals, which on a handful of records often all rest on one record.
	// Guessing either way would be worse than saying so.
	case thin && len(sc.towards) < 3:
		v = verdict(Undetermined, "", ConfLow, "thin-evidence")

	// Attempts by someone else, all stopped. Two independent signals make a
	// true positive; three make it high. A recovery the user might have run
	// caps it at high: it could be the user's own, so it is not confirmed.
	case an.others() > 0 && len(sc.towards) >= 2:
		conf := ConfMedium
		if len(sc.towards) >= 3 {
			conf = ConfHigh
		}
		if sc.userDenied && len(an.rec.concurrent) == 0 && len(an.rec.fromHome) == 0 {
			conf = ConfConfirmed
		}
		v = verdict(TruePositive, OutcomeBlocked, conf, "blocked-takeover")

	// The alert's activity is real but something the tenant or the user
	// vouches for explains it: trusted network, own device, own recovery.
	case an.others() == 0 && len(sc.againsts) > 0:
		conf := ConfMedium
		if len(sc.againsts) >= 2 {
			conf = ConfHigh
		}
		v = verdict(BenignPositive, "", conf, "benign-explained")

	// Attempts outside the baseline with a single signal: worth a look,
	// not a verdict.
	case an.others() > 0:
		v = verdict(Undetermined, "", ConfLow, "weak-signal")

	// Denied prompts in a burst that nothing explains and no approval
	// ended: someone may hold the password, or the user missed the
	// prompts; the alert was not wrong, and only the user can say.
	case len(an.mfa.fatigue) > 0 && an.mfa.approved == nil && an.mfa.own == nil:
		v = verdict(Undetermined, "", ConfLow, "fatigue-unanswered")

	// Nothing outside the baseline, nothing to explain: the alert was wrong.
	default:
		v = verdict(FalsePositive, "", ConfMedium, "no-anomaly")
	}

	if thin && v.Disposition != Undetermined && v.Outcome != OutcomeCompromised {
		v.Confidence = lowerConfidence(v.Confidence)
		sc.coverage = append(sc.coverage, "thin baseline: fewer than "+
			fmt.Sprint(ev.cfg.MinBaseline)+" sign-ins before the window")
	}
	// A gap in the data lowers every verdict that rests on absence ("nothing
	// got through"), never one that rests on proof of compromise.
	if len(sc.coverage) > 0 && v.Outcome != OutcomeCompromised &&
		v.Disposition != Undetermined {
		v.Confidence = lowerConfidence(v.Confidence)
	}

	v.Signals = sc.numbered()
	v.Tensions = tensions(ev, an)
	v.Summary = summary(ev, an, v)
	return v
}

func verdict(disp, outcome, conf, rule string) Verdict {
	return Verdict{Disposition: disp, Outcome: outcome, Confidence: conf, Rule: rule,
		Label: label(disp, outcome)}
}

// label renders the analyst's wording: "True Positive - Blocked".
func label(disp, outcome string) string {
	switch disp {
	case TruePositive:
		if outcome == OutcomeCompromised {
			return "True Positive - Compromised"
		}
		return "True Positive - Blocked"
	case BenignPositive:
		return "Benign Positive"
	case FalsePositive:
		return "False Positive"
	}
	return "Undetermined"
}

// compromiseConfidence: confirmed needs a fact no benign story survives:
// an administrator's confirmation, the user denying a prompt, or two kinds
// of proof while the user was demonstrably elsewhere at the same time. Two
// kinds of proof, or one backed by another signal, are high: a VPN the user
// chose could still, in theory, explain a session and a change from one
// address.
func compromiseConfidence(sc *scales) string {
	switch {
	case sc.kinds["admin"]:
		return ConfConfirmed
	case len(sc.kinds) == 1 && sc.kinds["ambiguous"]:
		// The only "proof" is a change the user may have made: enough to act
		// on, not enough to be sure.
		return ConfMedium
	case len(sc.kinds) >= 2 && (sc.userDenied || sc.twoParties):
		return ConfConfirmed
	case len(sc.kinds) >= 2 || len(sc.towards) >= 1:
		return ConfHigh
	}
	return ConfMedium
}

func lowerConfidence(c string) string {
	switch c {
	case ConfConfirmed:
		return ConfHigh
	case ConfHigh:
		return ConfMedium
	}
	return ConfLow
}

// changesFromAttacker are the lasting changes (not unlocks) made from an
// address the window attributes to the attacker.
func changesFromAttacker(an *analysis) []*entra.Audit {
	var out []*entra.Audit
	for _, a := range an.rec.fromAttacker {
		if entra.ClassifyActivity(a.Activity).ChangesCredentials() {
			out = append(out, a)
		}
	}
	return out
}

// adminInScope reports whether administrative resources are part of the
// user's job: a technical title or such sign-ins in the baseline.
func adminInScope(ev *evidence) bool {
	if ev.profile != nil && isTechnical(ev.profile.JobTitle+" "+ev.profile.Department) {
		return true
	}
	for _, s := range ev.base.signIns {
		if adminResource(s) != "" {
			return true
		}
	}
	return false
}

// usualMFA reports whether every one of ss passed a second factor the
// baseline shows the user using.
func usualMFA(ev *evidence, ss []*entra.SignIn) bool {
	if len(ss) == 0 || len(ev.base.mfa) == 0 {
		return false
	}
	for _, s := range ss {
		ok := false
		for _, st := range s.AuthSteps {
			if st.Succeeded && isMFAStep(st) && ev.base.mfa[st.Method] > 0 {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// onboardingSpan is how recent an account's creation must be for its
// first sign-ins and registrations to read as onboarding (S-09).
const onboardingSpan = 14 * 24 * time.Hour

// onboarding returns when the account was created, from the profile or an
// "Add user" audit event, if that lies within onboardingSpan before the
// window.
func onboarding(ev *evidence) (time.Time, bool) {
	var created time.Time
	if ev.profile != nil {
		created = ev.profile.Created
	}
	for _, a := range ev.audits {
		if entra.ClassifyActivity(a.Activity) == entra.ActUserCreated && a.Succeeded() {
			created = a.Time
		}
	}
	if created.IsZero() || ev.window.Start.IsZero() || created.After(ev.window.End) {
		return time.Time{}, false
	}
	return created, ev.window.Start.Sub(created) <= onboardingSpan
}

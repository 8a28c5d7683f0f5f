package investigate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/geo"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// tensions states where the evidence pulls two ways, and what each tension
// changes in the response.
func tensions(ev *evidence, an *analysis) []string {
	var out []string
	blocks := len(an.blocked) + len(an.proofUp)
	if blocks > 0 && len(an.correctPwd) == 0 {
		out = append(out, fmt.Sprintf("No attempt shows a \"Correct password\" step, yet "+
			"%s ended in a Conditional Access block. Microsoft documents that Conditional "+
			"Access is enforced only after the first factor succeeds, so the password was "+
			"very likely accepted. Treat the password as known: reset it, revoke sessions "+
			"and re-register MFA.", plural(blocks, "attempt")))
	}
	if len(an.proofUp) > 0 {
		out = append(out, fmt.Sprintf("53004 (ProofUpBlockedDueToRisk) on %s means someone "+
			"tried to register security info and was stopped: the aim was persistence, "+
			"not a single session.", plural(len(an.proofUp), "attempt")))
	}
	r := an.rec
	if len(r.concurrent) > 0 && len(r.fromHome) > 0 {
		out = append(out, fmt.Sprintf("The recovery (%s) came from the user's own network "+
			"and could be the user's own, but it ran during attempts from other countries. "+
			"If it was not the user, the attacker holds the user's second factor (%s): "+
			"confirm with the user out of band, and check the phone number for a SIM swap.",
			sourcesOf(ev, r.fromHome), names(r.methods)))
	}
	if len(an.successes) > 0 && len(an.trustedHits) > 0 {
		out = append(out, "Some sign-ins came through trusted named networks while others "+
			"outside the baseline succeeded: the trusted ones are not proof of the user's "+
			"presence for the rest.")
	}
	return out
}

// summary writes the one paragraph a reader needs before the details.
func summary(ev *evidence, an *analysis, v Verdict) string {
	var b strings.Builder
	who := ev.user
	if ev.profile != nil && ev.profile.JobTitle != "" {
		who += " (" + ev.profile.JobTitle
		if ev.homeCountry != "" {
			who += ", " + geo.CountryName(ev.homeCountry)
		}
		who += ")"
	}
	fmt.Fprintf(&b, "%s, confidence %s, for %s. ", v.Label, v.Confidence, who)

	switch {
	case an.attempts > 0:
		first, last := span(an.suspicious)
		fmt.Fprintf(&b, "%s outside the user's baseline from %s between %s and %s",
			plural(an.attempts, "attempt"), countryNames(countriesOf(ev, an.suspicious)),
			clock(first), clock(last))
		if blocks := an.blockedAttempts(); blocks > 0 {
			fmt.Fprintf(&b, "; Conditional Access blocked %d of them", blocks)
		}
		if n := len(an.spray.attempts); n > 0 {
			who := fmt.Sprintf("%d of them were", n)
			switch {
			case n == an.attempts && n == 1:
				who = "it was"
			case n == an.attempts:
				who = "all were"
			}
			reach := "across the tenant"
			if n := an.spray.widest(); n > 0 {
				reach = "that reached " + plural(n, "user") + " across the tenant"
			}
			fmt.Fprintf(&b, "; %s part of a password spray %s", who, reach)
		}
		if f := an.mfa.fatigue; len(f) > 0 && ev.suspicious[f[0].ID] {
			fmt.Fprintf(&b, "; among them %s from %s %s denied or left unanswered within "+
				"an hour", plural(len(f), "MFA prompt"), addressesOf(f), wereWas(len(f)))
		}
		b.WriteString(". ")
	case len(an.mfa.fatigue) > 0:
		// The burst came from the user's own /24s, a trusted network or the
		// user's device, or the baseline is too thin to say (markFatigue),
		// which is why no attempt is outside the baseline; the denials still
		// say someone else may hold the password.
		lead := "Every sign-in in the window comes from the user's usual networks or a " +
			"trusted one, but"
		if len(ev.base.signIns) < ev.cfg.MinBaseline {
			lead = "The baseline is too thin to tell the user's networks from others;"
		}
		fmt.Fprintf(&b, "%s %s from %s %s denied or left unanswered within an hour. ",
			lead, plural(len(an.mfa.fatigue), "MFA prompt"), addressesOf(an.mfa.fatigue),
			wereWas(len(an.mfa.fatigue)))
	case len(an.rec.refused) > 0:
		fmt.Fprintf(&b, "Every sign-in in the window matches the user's baseline or a "+
			"trusted network, but %s of self-service recovery %s refused %s, not an "+
			"address of the user's. ", plural(len(an.rec.refused), "step"),
			wereWas(len(an.rec.refused)), sourcesOf(ev, an.rec.refused))
	case len(an.window) == 0:
		b.WriteString("The input holds no sign-in of this user in the window. ")
	default:
		b.WriteString("Every sign-in in the window matches the user's baseline or a " +
			"trusted network. ")
	}

	switch v.Outcome {
	case OutcomeCompromised:
		b.WriteString(compromiseSentence(an))
	case OutcomeBlocked:
		b.WriteString("No attacker session and no lasting change to the password or " +
			"authentication methods. ")
	}

	if n := len(an.rec.unlocks); n > 0 {
		fmt.Fprintf(&b, "Self-service recovery passed MFA (%s) and unlocked the account "+
			"%s; ", names(an.rec.methods), plural(n, "time"))
		if len(an.rec.concurrent) > 0 {
			b.WriteString("the attacker passed MFA during recovery unless that was the " +
				"user, ")
		}
		if n := len(an.rec.resetsFailed); n > 0 {
			fmt.Fprintf(&b, "and %s failed on password policy. ", plural(n, "reset"))
		} else {
			b.WriteString("no reset failed. ")
		}
	}
	ownRecovery := len(an.rec.concurrent) > 0 && len(an.rec.fromHome) > 0
	if v.Confidence != ConfConfirmed && v.Disposition == TruePositive && ownRecovery {
		b.WriteString("Not confirmed, because the recovery from the user's own network " +
			"could in theory be the user's own.")
	}
	return strings.TrimSpace(b.String())
}

// addressesOf names the distinct addresses of sign-ins, in order.
func addressesOf(ss []*entra.SignIn) string {
	var out []string
	for _, s := range ss {
		if k := ipintel.Key(s.IPRaw); k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return "an unknown address"
	}
	return strings.Join(out, ", ")
}

// compromiseSentence says how the attacker got through, naming each kind of
// proof the case holds.
func compromiseSentence(an *analysis) string {
	var parts []string
	if len(an.successes) > 0 {
		parts = append(parts, fmt.Sprintf("%s outside the baseline succeeded",
			plural(len(an.successes), "attempt")))
	}
	if ch := changesFromAttacker(an); len(ch) > 0 {
		parts = append(parts, fmt.Sprintf("%s of password or security info came from an "+
			"address foreign to the user", plural(len(ch), "change")))
	}
	if len(an.rec.ambiguous) > 0 {
		parts = append(parts, fmt.Sprintf("%s of password or security info succeeded "+
			"during the attack and may not be the user's", plural(len(an.rec.ambiguous),
			"change")))
	}
	if an.mfa.approved != nil {
		parts = append(parts, "an MFA prompt was approved after repeated denials")
	}
	switch {
	case len(parts) == 0:
		return "An administrator confirmed the compromise. "
	case len(parts) == 1 && len(an.rec.ambiguous) > 0:
		return "The attacker may have got through: " + parts[0] + ". "
	}
	return "The attacker got through: " + strings.Join(parts, "; ") + ". "
}

func wereWas(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

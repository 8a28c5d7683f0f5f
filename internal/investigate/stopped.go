package investigate

import (
	"fmt"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/geo"
)

// stepRecovery reads the account-recovery activity of the window from the
// audit log: SSPR progress, unlocks, resets and their failure reasons,
// security-info registrations, and what changed on the account.
func stepRecovery(ev *evidence, an *analysis) []Finding {
	r := an.rec
	f := Finding{Question: 4, Step: "account-recovery", Title: "Self-service recovery and " +
		"credential changes", Source: "directory audit logs", Read: len(ev.audits)}

	if len(r.events) == 0 {
		f.Kind = KindNegative
		f.Statement = "No directory audit event concerns the user in the window: no password " +
			"reset, unlock or security-info change."
		if ev.ten.audits == 0 {
			f.Statement = "No directory audit log was supplied, so password resets and " +
				"security-info changes cannot be assessed."
		}
		return []Finding{f}
	}

	var parts []string
	if n := len(r.progress); n > 0 {
		parts = append(parts, fmt.Sprintf("%s of the SSPR flow", plural(n, "step")))
	}
	if n := len(r.unlocks); n > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(n, "successful self-service "+
			"unlock"), sourcesOf(ev, r.unlocks)))
	}
	if n := len(r.resetsFailed); n > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s; %s)", plural(n, "failed password reset"),
			topList(r.violations, 4), sourcesOf(ev, r.resetsFailed)))
	}
	if n := len(r.resetsOK); n > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(n, "successful password "+
			"reset or change"), sourcesOf(ev, r.resetsOK)))
	}
	if n := len(r.secInfo); n > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(n, "security-info "+
			"registration"), sourcesOf(ev, r.secInfo)))
	}
	if n := len(r.blockedSSPR); n > 0 {
		parts = append(parts, plural(n, "SSPR throttle block"))
	}
	if len(parts) == 0 {
		parts = append(parts, plural(len(r.events), "other audit event"))
	}
	f.Statement = "In the window: " + strings.Join(parts, "; ") + "."

	if len(r.methods) > 0 {
		f.Statement += fmt.Sprintf(" Verification passed with %s: whoever ran the recovery "+
			"held the user's second factor.", names(r.methods))
	}

	switch {
	case len(r.fromAttacker) > 0:
		f.Kind = KindConfirmed
		f.Statement += fmt.Sprintf(" %s came from an address that also made attempts "+
			"outside the baseline.", plural(len(r.fromAttacker), "successful change"))
	case len(r.concurrent) > 0:
		f.Kind = KindPivot
		f.Statement += fmt.Sprintf(" The recovery ran while attempts came from other "+
			"countries (%s within %s of it). From the user's own network it could be the "+
			"user; during an attack it is more likely the attacker, who then passed MFA "+
			"during recovery.", plural(len(r.concurrent), "event"), concurrency)
	case len(r.fromHome) > 0:
		f.Kind = KindRuledOut
		f.Statement += " It came from the user's own network with no attempt from " +
			"elsewhere around it: the user's own recovery."
	default:
		f.Kind = KindPivot
	}

	evid := append(append(append([]*entra.Audit{}, r.unlocks...), r.resetsFailed...),
		r.resetsOK...)
	evid = append(evid, r.secInfo...)
	if len(evid) == 0 {
		evid = r.events
	}
	f.Evidence = auditRefs(evid)
	return []Finding{f}
}

// sourcesOf renders the addresses and countries audit events came from.
func sourcesOf(ev *evidence, as []*entra.Audit) string {
	seen := map[string]bool{}
	var out []string
	for _, a := range as {
		ip := auditIP(a)
		if ip == "" || seen[ip] {
			continue
		}
		seen[ip] = true
		s := "from " + ip
		if c := ev.facts(ip).Country; c != "" {
			s += " (" + geo.CountryName(c) + ")"
		}
		if ev.base.networks[networkOf(ip)] > 0 {
			s += ", a baseline network"
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "no address recorded"
	}
	return strings.Join(out, ", ")
}

// stepBlocked answers question 4: did anything actually stop it? It lists
// what Conditional Access and password policy blocked, and above all what
// was not blocked. A high block rate is never taken for containment.
func stepBlocked(ev *evidence, an *analysis) []Finding {
	blocked := Finding{Question: 4, Step: "blocked", Title: "What was blocked",
		Source: "sign-in and directory audit logs", Read: len(an.window) + len(an.rec.events)}
	notBlocked := Finding{Question: 4, Step: "not-blocked", Title: "What was NOT blocked",
		Source: blocked.Source, Read: blocked.Read}

	// What was blocked.
	nb := len(an.blocked) + len(an.proofUp)
	var parts []string
	if nb > 0 {
		parts = append(parts, fmt.Sprintf("Conditional Access stopped %s (%d with 53003, "+
			"%d with 53004 ProofUpBlockedDueToRisk, an attempt to register security info) "+
			"through %s; the block worked (access denied)", plural(an.blockedAttempts(), "attempt"),
			len(an.blocked), len(an.proofUp), topList(an.policies, 4)))
	}
	if n := len(an.rec.resetsFailed); n > 0 {
		parts = append(parts, fmt.Sprintf("password policy rejected %s (%s)",
			plural(n, "reset"), topList(an.rec.violations, 4)))
	}
	if n := len(an.lockouts); n > 0 {
		parts = append(parts, fmt.Sprintf("smart lockout locked the account %s (50053)",
			plural(n, "time")))
	}
	if len(parts) == 0 {
		blocked.Kind = KindNegative
		blocked.Statement = "Nothing in the window was blocked by Conditional Access, " +
			"password policy or lockout."
	} else {
		blocked.Kind = KindConfirmed
		blocked.Statement = capitalise(strings.Join(parts, "; ")) + "."
		blocked.Evidence = refsOf(append(append([]*entra.SignIn{}, an.blocked...),
			an.proofUp...))
		blocked.Evidence = append(blocked.Evidence, auditRefs(an.rec.resetsFailed)...)
	}

	// What was not blocked: the part that decides the outcome.
	var open []string
	var refs []Ref
	if n := len(an.successes); n > 0 {
		open = append(open, fmt.Sprintf("%s outside the baseline got a token",
			plural(n, "attempt")))
		refs = append(refs, refsOf(an.successes)...)
	}
	if n := len(an.rec.unlocks); n > 0 {
		open = append(open, fmt.Sprintf("%s succeeded, passing MFA, and returned the "+
			"account to whoever holds the password", plural(n, "self-service unlock")))
		refs = append(refs, auditRefs(an.rec.unlocks)...)
	}
	if n := len(an.rec.lastingChanges()); n > 0 {
		open = append(open, fmt.Sprintf("%s of password or security info succeeded",
			plural(n, "change")))
		refs = append(refs, auditRefs(an.rec.lastingChanges())...)
	}
	if len(an.firstFactor) > 0 && len(an.successes) == 0 {
		open = append(open, fmt.Sprintf("the first factor was passed on %s, so the "+
			"password itself is not protected by any of the blocks",
			plural(len(an.firstFactor), "attempt")))
	}
	switch {
	case len(open) > 0:
		notBlocked.Kind = KindConfirmed
		notBlocked.Statement = capitalise(strings.Join(open, "; ")) + "."
		if nb > 0 {
			notBlocked.Statement += fmt.Sprintf(" Conditional Access stopped %d of the %s "+
				"outside the baseline and the rest failed on the password or lockout, but a "+
				"high block rate is not containment.", an.blockedAttempts(),
				plural(an.attempts, "attempt"))
		}
	case len(an.window) == 0:
		notBlocked.Kind = KindNegative
		notBlocked.Statement = "The input holds no sign-in of the user in the window, so " +
			"whether a token was issued cannot be said; no unlock, reset or security-info " +
			"change of the user succeeded."
	default:
		notBlocked.Kind = KindNegative
		notBlocked.Statement = "Nothing got through: no token was issued to an attempt " +
			"outside the baseline, no unlock, reset or security-info change succeeded."
	}
	notBlocked.Evidence = refs
	return []Finding{blocked, notBlocked}
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

package investigate

import "fmt"

// containment lists the response steps the verdict calls for, most urgent
// first. Tensions change them: a Conditional Access block after the first
// factor means the password is known, whatever the block rate.
func containment(ev *evidence, an *analysis, v Verdict) []string {
	var out []string
	pwdKnown := len(an.firstFactor) > 0 || len(an.correctPwd) > 0

	switch {
	case v.Outcome == OutcomeCompromised:
		out = append(out,
			"Revoke all sessions and refresh tokens of the user now (revokeSignInSessions).",
			"Reset the password and require a change at next sign-in; disable the account "+
				"until the user is reached if the attacker still holds a session.",
			"Remove every authentication method registered in the window and have the user "+
				"re-register MFA in person or through a verified channel.",
			"Block the attacker addresses and networks in a Conditional Access named "+
				"location; search the tenant for them (see the pivots).",
			"Review mailbox rules, OAuth consents, app registrations and role assignments "+
				"made since the first attacker success.")
	case v.Outcome == OutcomeBlocked && pwdKnown:
		out = append(out,
			"Treat the password as known: reset it and revoke sessions, even though every "+
				"attempt was blocked.",
			"Have the user re-register MFA, and confirm the phone number on file; check the "+
				"carrier for a SIM swap if recovery passed SMS verification.",
			"Confirm with the user, out of band, whether the self-service recovery was "+
				"theirs.",
			"Keep the blocking policies; add the attacker addresses to a blocked named "+
				"location and search the tenant for them.")
	case v.Outcome == OutcomeBlocked:
		out = append(out,
			"Confirm with the user whether any attempt was theirs; reset the password if "+
				"in doubt.",
			"Keep the blocking policies; search the tenant for the attacker addresses.")
	case v.Disposition == BenignPositive:
		out = append(out,
			"No containment needed. Record the explanation on the alert and, where the "+
				"user confirms it, mark the sign-ins safe in Identity Protection.")
	case v.Disposition == FalsePositive:
		out = append(out, "No containment needed. Dismiss the user's risk with a note.")
	default:
		out = append(out,
			"Collect what is missing before deciding (see coverage): non-interactive "+
				"sign-ins, the directory audit log, at least 30 days of baseline.",
			"Contact the user to confirm the unfamiliar activity.")
	}
	if n := len(an.rec.secInfo); n > 0 && v.Outcome != OutcomeCompromised {
		out = append(out, fmt.Sprintf("Verify the %s registered in the window with the "+
			"user.", plural(n, "security-info method")))
	}
	return out
}

// lessons lists what the case teaches the detection and response teams.
func lessons(ev *evidence, an *analysis) []string {
	var out []string
	if len(an.blocked)+len(an.proofUp) > 0 {
		out = append(out, "A blocked sign-in is not a failed one: Conditional Access only "+
			"runs after the first factor, so blocks are evidence the password works.")
	}
	if len(an.rec.unlocks) > 0 {
		out = append(out, "Self-service unlock returns an account to whoever holds the "+
			"password; SMS as the only recovery factor makes that the phone's holder. "+
			"Prefer phishing-resistant methods for recovery.")
	}
	if len(an.travel) > 0 {
		out = append(out, "Impossible travel must read failed and blocked attempts too; "+
			"rules that only read successes miss attacks Conditional Access stopped.")
	}
	if len(an.proofUp) > 0 {
		out = append(out, "No public rule set reads 53004; alert on it, it marks a try at "+
			"persistence.")
	}
	if len(an.trustedHits) > 0 {
		out = append(out, "Keep the trusted named locations current: they are what tells "+
			"a VPN egress from an attacker.")
	}
	if len(an.mfa.fatigue) > 0 {
		out = append(out, "Number matching and fraud reporting turn push fatigue into a "+
			"signal; count denials by request, not by row.")
	}
	if len(out) == 0 && len(an.window) == 0 {
		out = append(out, "The input held too little of this user to draw a lesson; "+
			"export the user's sign-ins, interactive and non-interactive, for 30 days.")
	}
	if len(out) == 0 {
		out = append(out, "Nothing new: the existing controls and detections covered this "+
			"case.")
	}
	return out
}

package investigate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/geo"
)

// stepWindow answers the second half of question 2: does the window look
// like the user's normal work? Each finding tests one anomaly.
func stepWindow(ev *evidence, an *analysis) []Finding {
	return []Finding{
		findRisky(ev, an),
		findOutsideBaseline(ev, an),
		findFirstFactor(ev, an),
		findTravel(ev, an),
		findCountries(ev, an),
		findAnonymizer(ev, an),
		findMFA(ev, an),
	}
}

func windowFinding(ev *evidence, an *analysis, step, title string) Finding {
	return Finding{Question: 2, Step: step, Title: title, Source: "sign-in logs",
		Read: len(an.window)}
}

func findRisky(ev *evidence, an *analysis) Finding {
	f := windowFinding(ev, an, "risky-signins", "Risky sign-ins")
	if len(an.risky) == 0 {
		f.Kind = KindNegative
		f.Statement = "No sign-in in the window carries an open risk level or risk event type."
		return f
	}

	levels, states, types := map[string]int{}, map[string]int{}, map[string]int{}
	for _, s := range an.risky {
		levels[s.RiskLevelDuringSignIn]++
		states[s.RiskState]++
		for _, t := range s.RiskEventTypes {
			types[t]++
		}
	}
	first, last := span(an.risky)
	f.Kind = KindConfirmed
	f.Statement = fmt.Sprintf("%s from %s between %s and %s (%s). Risk level during sign-in: "+
		"%s; risk state: %s; risk event types: %s.",
		plural(len(an.risky), "risky sign-in"), countryNames(countriesOf(ev, an.risky)),
		clock(first), clock(last), hoursBetween(first, last),
		topList(levels, 3), topList(states, 3), topList(types, 5))
	f.Evidence = refsOf(an.risky)
	return f
}

func findOutsideBaseline(ev *evidence, an *analysis) Finding {
	f := windowFinding(ev, an, "outside-baseline", "Attempts outside the baseline")
	if len(an.window) == 0 {
		f.Kind = KindNegative
		f.Statement = "The input holds no sign-in of this user in the window, so nothing " +
			"can be compared with the baseline."
		return f
	}
	if len(an.suspicious) == 0 {
		f.Kind = KindRuledOut
		f.Statement = fmt.Sprintf("All %s in the window match the baseline (network, "+
			"country or device) or a trusted named network.", plural(len(an.window), "sign-in"))
		if len(an.trustedHits) > 0 {
			f.Statement += fmt.Sprintf(" %s came through trusted named networks (%s).",
				plural(len(an.trustedHits), "sign-in"), ev.networkNames(an.trustedHits))
		}
		f.Evidence = refsOf(sample(an.window, 3))
		return f
	}

	first, last := span(an.suspicious)
	f.Kind = KindPivot
	f.Statement = fmt.Sprintf("%s (%s) from %s, none in the baseline, between %s and %s, "+
		"aimed at %s. Outcomes: %s, %s (53004), %s, %s, %s.",
		plural(len(an.suspicious), "row"), plural(an.attempts, "distinct attempt"),
		countryNames(countriesOf(ev, an.suspicious)), clock(first), clock(last),
		strings.Join(appsOf(an.suspicious), ", "),
		plural(len(an.blocked), "Conditional Access block"),
		plural(len(an.proofUp), "blocked security-info registration"),
		plural(len(an.credFailures), "wrong password"), plural(countLockouts(an), "lockout"),
		plural(len(an.successes), "success"))
	if len(an.unknownCodes) > 0 {
		f.Statement += fmt.Sprintf(" %s carry an error code the table does not know; they "+
			"are reported, not guessed.", plural(len(an.unknownCodes), "attempt"))
	}
	f.Evidence = refsOf(an.suspicious)
	return f
}

func countLockouts(an *analysis) int {
	n := 0
	for _, s := range an.suspicious {
		if s.Class() == entra.ClassLockout {
			n++
		}
	}
	return n
}

func findFirstFactor(ev *evidence, an *analysis) Finding {
	f := windowFinding(ev, an, "authentication-steps", "Authentication steps of the attempts")
	if len(an.suspicious) == 0 {
		f.Kind = KindNegative
		f.Statement = "No attempt outside the baseline, so no authentication step to weigh."
		return f
	}

	blocks := len(an.blocked) + len(an.proofUp)
	switch {
	case len(an.correctPwd) > 0:
		f.Kind = KindConfirmed
		f.Statement = fmt.Sprintf("%s outside the baseline show a \"Correct password\" "+
			"step: the password is known to whoever made them.",
			plural(len(an.correctPwd), "attempt"))
		f.Evidence = refsOf(an.correctPwd)
	case blocks > 0:
		f.Kind = KindPivot
		f.Statement = fmt.Sprintf("No attempt outside the baseline shows a \"Correct "+
			"password\" step, yet %s ended in a Conditional Access block (53003 or 53004). "+
			"Microsoft documents that Conditional Access is enforced only after first-factor "+
			"authentication completes, so the password was very likely accepted on those "+
			"attempts.", plural(blocks, "attempt"))
		f.Evidence = refsOf(append(append([]*entra.SignIn{}, an.blocked...), an.proofUp...))
	default:
		f.Kind = KindNegative
		f.Statement = "No attempt outside the baseline passed the first factor: no " +
			"\"Correct password\" step and no code that is only returned after it."
	}
	if len(an.credFailures) > 0 {
		f.Statement += fmt.Sprintf(" %s failed on the password (50126).",
			plural(len(an.credFailures), "attempt"))
	}
	return f
}

func findTravel(ev *evidence, an *analysis) Finding {
	f := windowFinding(ev, an, "impossible-travel", "Impossible travel")
	if an.travelUnassessed() {
		f.Kind = KindNotAssessed
		which := fmt.Sprintf("%d of the %d attempts", len(an.unplaced),
			len(an.unplaced)+an.placed)
		if an.placed == 0 {
			which = fmt.Sprintf("None of the %d attempts", len(an.unplaced))
		}
		f.Statement = which + " in the window carry coordinates (the export gives " +
			"none), so no move between them can be measured; the countries they name " +
			"are weighed under distinct countries."
		switch {
		case an.placed >= 2:
			f.Statement = which + " in the window carry no coordinates, among them " +
				"every attempt attributed to someone else, whose moves therefore cannot " +
				"be measured; the countries they name are weighed under distinct countries."
		case an.placed > 0:
			f.Statement = which + " in the window carry no coordinates, too few are " +
				"left to measure a move; the countries they name are weighed under " +
				"distinct countries."
		}
		f.Evidence = refsOf(sample(an.unplaced, 3))
		return f
	}
	if len(an.travel) == 0 {
		f.Kind = KindNegative
		f.Statement = fmt.Sprintf("No move of %.0f km or more faster than %.0f km/h between "+
			"consecutive attempts (trusted networks and records without coordinates are "+
			"skipped; city-level places are approximate).",
			ev.cfg.MinDistanceKm, ev.cfg.MaxSpeedKmh)
		if n := len(an.unplaced); n > 0 {
			f.Statement += fmt.Sprintf(" %s in the window carry no coordinates and were "+
				"not assessed.", plural(n, "attempt"))
		}
		if len(an.plausibleHop) > 0 {
			h := an.plausibleHop[0]
			f.Statement += fmt.Sprintf(" The move into %s (%.0f km in %s, %.0f km/h) is "+
				"plausible travel.", geo.CountryName(ev.country(h.to)), h.km,
				human(h.to.Time.Sub(h.from.Time)), h.kmh)
			f.Kind = KindRuledOut
		}
		return f
	}

	fastest := an.travel[0]
	var refs []*entra.SignIn
	for _, h := range an.travel {
		if h.kmh > fastest.kmh {
			fastest = h
		}
		refs = append(refs, h.from, h.to)
	}
	f.Kind = KindConfirmed
	f.Statement = fmt.Sprintf("%s faster than %.0f km/h between consecutive attempts. The "+
		"largest: %s (%s) to %s (%s), %.0f km in %s.", plural(len(an.travel), "move"),
		ev.cfg.MaxSpeedKmh, placeOf(ev, fastest.from), clock(fastest.from.Time),
		placeOf(ev, fastest.to), clock(fastest.to.Time), fastest.km,
		human(fastest.to.Time.Sub(fastest.from.Time)))
	f.Evidence = refsOf(dedupeSignIns(refs))
	return f
}

func placeOf(ev *evidence, s *entra.SignIn) string {
	c := geo.CountryName(ev.country(s))
	if s.Location.City != "" {
		return s.Location.City + ", " + c
	}
	return c
}

func findCountries(ev *evidence, an *analysis) Finding {
	f := windowFinding(ev, an, "distinct-countries", "Distinct countries within 24 hours")
	n := len(an.countries)
	if n < ev.cfg.CountryThreshold {
		f.Kind = KindNegative
		f.Statement = fmt.Sprintf("Attempts outside the baseline came from %d distinct "+
			"countries within %s (threshold %d).", n, human(ev.cfg.CountryWindow),
			ev.cfg.CountryThreshold)
		return f
	}
	first, last := span(an.countryRefs)
	f.Kind = KindConfirmed
	f.Statement = fmt.Sprintf("%d distinct countries within %s: %s. No person travels "+
		"like that; several operators or proxies do.", n, hoursBetween(first, last),
		countryNames(an.countries))
	f.Evidence = refsOf(an.countryRefs)
	return f
}

func findAnonymizer(ev *evidence, an *analysis) Finding {
	f := windowFinding(ev, an, "anonymizer", "VPN, proxy or hosting infrastructure")
	f.Source = "sign-in logs and IP intelligence"
	if len(an.anonymized) == 0 {
		f.Kind = KindNegative
		f.Statement = "No attempt outside the baseline carries an anonymizer risk event, " +
			"an IP-intelligence VPN or proxy score of 90 or more, or a hosting network."
		if !ev.haveIntel(an.suspicious) && len(an.suspicious) > 0 {
			f.Statement += " No IP intelligence was supplied for those addresses, so this " +
				"rests on the risk event types alone."
		}
		return f
	}

	var parts []string
	seen := map[string]bool{}
	for _, s := range an.anonymized {
		if seen[s.IPRaw] {
			continue
		}
		seen[s.IPRaw] = true
		parts = append(parts, describeIP(ev, s.IPRaw))
	}
	f.Kind = KindConfirmed
	f.Statement = fmt.Sprintf("%s came through anonymizing or hosting infrastructure: %s.",
		plural(len(an.anonymized), "attempt"), strings.Join(parts, "; "))
	f.Evidence = refsOf(an.anonymized)
	return f
}

func (ev *evidence) haveIntel(ss []*entra.SignIn) bool {
	for _, s := range ss {
		if ev.ips.HasIntel(s.IPRaw) {
			return true
		}
	}
	return false
}

// describeIP renders what is known of an address with its sources.
func describeIP(ev *evidence, raw string) string {
	f := ev.facts(raw)
	parts := []string{raw}
	for _, s := range []string{f.Place(), f.Network()} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	switch {
	case f.ScoreSource != "":
		parts = append(parts, fmt.Sprintf("VPN score %d (%s)", f.VPNScore, f.ScoreSource))
	case f.LikelyVPN:
		parts = append(parts, "VPN exit network ("+f.HostingSource+")")
	case f.IsHosting:
		parts = append(parts, "hosting network ("+f.HostingSource+")")
	}
	return strings.Join(parts, ", ")
}

func findMFA(ev *evidence, an *analysis) Finding {
	f := windowFinding(ev, an, "mfa-prompts", "Second-factor prompts")
	m := an.mfa
	switch {
	case len(m.fraud) > 0:
		f.Kind = KindConfirmed
		f.Statement = fmt.Sprintf("The user reported %s as fraud: they did not start "+
			"that sign-in.", plural(len(m.fraud), "MFA prompt"))
		f.Evidence = refsOf(m.fraud)
	case len(m.fatigue) > 0 && m.approved != nil:
		f.Kind = KindConfirmed
		f.Statement = fmt.Sprintf("%d denied or unanswered MFA prompts %s within an "+
			"hour, then an approval at %s %s: push fatigue that worked.",
			len(m.fatigue), burstFrom(m.fatigue), clock(m.approved.Time),
			approvalFrom(m.fatigue, m.approved))
		f.Evidence = refsOf(append(append([]*entra.SignIn{}, m.fatigue...), m.approved))
	case len(m.fatigue) > 0 && m.own != nil:
		f.Kind = KindPivot
		f.Statement = fmt.Sprintf("%d denied or unanswered MFA prompts %s within an "+
			"hour, then an approval at %s from the user's own network or device: most "+
			"likely the user answering late; ask them.", len(m.fatigue), burstFrom(m.fatigue),
			clock(m.own.Time))
		f.Evidence = refsOf(append(append([]*entra.SignIn{}, m.fatigue...), m.own))
	case len(m.fatigue) > 0:
		f.Kind = KindPivot
		f.Statement = fmt.Sprintf("%d denied or unanswered MFA prompts %s within an "+
			"hour, with no approval after them.", len(m.fatigue), burstFrom(m.fatigue))
		f.Evidence = refsOf(m.fatigue)
	case len(m.denied) > 0:
		f.Kind = KindRuledOut
		f.Statement = fmt.Sprintf("%s had a denied or unanswered prompt, fewer than the %d "+
			"that make a push-fatigue pattern (attempts are counted by request, not by row).",
			plural(len(m.denied), "attempt"), fatigueThreshold)
		f.Evidence = refsOf(m.denied)
	default:
		f.Kind = KindNegative
		f.Statement = "No denied, unanswered or fraud-reported MFA prompt in the window."
	}
	return f
}

// networkNames lists the tenant's names for the networks of ss: named
// locations in the records and rows of the known-networks file.
func (ev *evidence) networkNames(ss []*entra.SignIn) string {
	seen := map[string]bool{}
	for _, s := range ss {
		for _, n := range s.NetworkNames {
			seen[n] = true
		}
		if n := ev.facts(s.IPRaw).Tenant; n != "" {
			seen[n] = true
		}
	}
	names := sortedKeys(seen)
	if len(names) == 0 {
		return "unnamed"
	}
	return strings.Join(names, ", ")
}

func dedupeSignIns(ss []*entra.SignIn) []*entra.SignIn {
	seen := map[string]bool{}
	var out []*entra.SignIn
	for _, s := range ss {
		if !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

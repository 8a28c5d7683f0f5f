package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// readme writes examples/sspr-takeover/README.md. The counts and the
// timeline are computed from the records, so the text cannot disagree with
// the files beside it.
func (r *refCase) readme(blocked []signIn, alert riskyUser) []byte {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	w("# Reference case: SSPR takeover attempt, blocked\n\n")
	w("This folder is the worked example of `shared/DESIGN.md`. Entra ID Protection\n")
	w("flags **%s** (%s) as high risk. She is a Customer Experience\n", r.ana.name, r.ana.upn)
	w("Agent who works from home in Tegucigalpa, Honduras. Within 21 hours on 2026-11-17\n")
	w("(UTC), five risky attempts from Bangladesh, Malaysia, Spain, the Philippines and\n")
	w("Mexico go for the Azure Portal and the My Sign-ins security-info page; Conditional\n")
	w("Access blocks all five and none records a correct password. Two bursts of wrong\n")
	w("passwords lock the account. From her own residential address someone passes SMS\n")
	w("verification, unlocks the account twice through self-service password reset, then\n")
	w("fails four password resets on password policy. No password changed and no\n")
	w("authentication method was added, so nothing lasting happened.\n\n")
	w("Expected verdict: **True Positive - Blocked, confidence High**. Not Confirmed,\n")
	w("because the SSPR activity from Honduras could be the user's own.\n\n")

	w("## Files\n\n")
	w("| file | what | shape | records |\n|---|---|---|---|\n")
	w("| `alert.json` | the riskyUser that starts the case | Graph v1.0 page `identityProtection/riskyUsers` | 1 |\n")
	w("| `user.json` | her directory profile | Graph v1.0 `user` with `$select` | 1 |\n")
	w("| `signins.json` | her sign-ins, newest first | Graph beta page `auditLogs/signIns` | %d |\n", len(r.signIns))
	w("| `audits.json` | directory audit events about her | Graph v1.0 page `auditLogs/directoryAudits` | %d |\n", len(r.audits))
	w("| `risk-detections.json` | Identity Protection detections | Graph v1.0 page `identityProtection/riskDetections` | %d |\n", len(r.detections))
	w("| `ipdata.ndjson` | one IPData API answer per address | NDJSON | %d |\n\n", len(refIPData()))

	w("Sign-ins by kind: %s.\n\n", r.signInMix())

	w("## Timeline (UTC)\n\n")
	w("Her baseline: weekdays from 2026-10-27 to 2026-11-16, about 13:00 to 23:00 UTC\n")
	w("(07:00 to 17:00 in Honduras), from 186.2.128.14 and 186.2.128.77 (AS27884), on the\n")
	w("compliant, hybrid-joined laptop CX-LAPTOP-117, with password and Authenticator push.\n\n")
	w("| time | address | what | record |\n|---|---|---|---|\n")
	for _, e := range r.timeline(alert) {
		w("| %s | %s | %s | `%s` |\n", e.at.Format("01-02 15:04:05"), e.ip, e.what, e.id)
	}

	w("\n## Run it\n\n")
	w("```\ngo run ./cmd/idtriage investigate examples/sspr-takeover\n")
	w("go run ./cmd/idtriage investigate --format json examples/sspr-takeover\n```\n\n")
	w("Every file is written by `go run ./tools/casegen`; edit the generator, not the\n")
	w("files (a test fails when they differ). Names are on example.com and example.net;\n")
	w("the attacker networks carry documentation AS numbers (64500-64504), and the\n")
	w("autonomous-system names in `ipdata.ndjson` are invented.\n")
	return []byte(b.String())
}

// signInMix summarises the sign-ins by error code.
func (r *refCase) signInMix() string {
	count := map[int]int{}
	for _, s := range r.signIns {
		count[s.Status.ErrorCode]++
	}
	names := map[int]string{0: "success", 50140: "keep-me-signed-in interrupt", 50074: "MFA required interrupt",
		50126: "wrong password", 50053: "locked", 53003: "blocked by Conditional Access",
		53004: "security-info registration blocked"}
	codes := make([]int, 0, len(count))
	for c := range count {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d × %d (%s)", count[c], c, names[c]))
	}
	return strings.Join(parts, ", ")
}

type moment struct {
	at       time.Time
	ip, what string
	id       string
}

// timeline picks the events an analyst would put in the report.
func (r *refCase) timeline(alert riskyUser) []moment {
	var out []moment
	incident := at("2026-11-17 00:00:00")
	var burstStart *signIn
	fails := 0
	for i := len(r.signIns) - 1; i >= 0; i-- { // oldest first
		s := r.signIns[i]
		if s.at.Before(incident) {
			continue
		}
		switch s.Status.ErrorCode {
		case 53003, 53004:
			out = append(out, moment{s.at, s.IPAddress, fmt.Sprintf("%s, %s, to %s: %d, blocked by %s; sign-in risk %s (%s)",
				s.Location.City, s.Location.CountryOrRegion, s.AppDisplayName, s.Status.ErrorCode,
				blockingPolicy(s), s.RiskLevelDuringSignIn, strings.Join(s.RiskEventTypesV2, ", ")), s.ID})
		case 50126:
			if fails == 0 {
				burstStart = &r.signIns[i]
			}
			fails++
		case 50053:
			out = append(out, moment{burstStart.at, s.IPAddress, fmt.Sprintf("%s, %s: %d × 50126 wrong password from %s",
				s.Location.City, s.Location.CountryOrRegion, fails, burstStart.at.Format("15:04")), burstStart.ID})
			out = append(out, moment{s.at, s.IPAddress, "50053 account locked", s.ID})
			fails = 0
		case 0:
			if s.HasPassword() && s.at.Hour() >= 13 && !r.firstSuccessNoted(out) {
				out = append(out, moment{s.at, s.IPAddress, "her first sign-in of the day: password and push, success", s.ID})
			}
		}
	}
	for _, a := range r.audits {
		if a.ActivityDisplayName == actProgress || a.at.Before(incident) {
			continue
		}
		what := "SSPR unlock, success: " + a.ResultReason
		if a.ActivityDisplayName == actReset {
			what = "SSPR reset, " + a.Result + ": " + a.ResultReason
		}
		out = append(out, moment{a.at, a.InitiatedBy.User.IPAddress, what, a.ID})
	}
	updated, _ := time.Parse(layoutGraph, alert.RiskLastUpdatedDateTime)
	out = append(out, moment{updated, "", "user risk high, atRisk (the alert)", alert.ID})
	slices.SortStableFunc(out, func(a, b moment) int { return a.at.Compare(b.at) })
	return out
}

func (r *refCase) firstSuccessNoted(ms []moment) bool {
	for _, m := range ms {
		if strings.HasPrefix(m.what, "her first sign-in") {
			return true
		}
	}
	return false
}

// HasPassword reports whether the sign-in shows a correct password step.
func (s signIn) HasPassword() bool {
	for _, d := range s.AuthenticationDetails {
		if d.ResultDetail == "Correct password" {
			return true
		}
	}
	return false
}

// blockingPolicy names the policy whose failure stopped s.
func blockingPolicy(s signIn) string {
	for _, p := range s.AppliedConditionalAccessPolicies {
		if p.Result == "failure" {
			return p.DisplayName
		}
	}
	return "no policy"
}

package detect

import (
	"fmt"
	"slices"
	"strings"

	"github.com/idtriage/idtriage/internal/spell"
)

// riskLevels are the members of Microsoft Graph's riskLevel enumeration,
// which riskLevelDuringSignIn, riskLevelAggregated and a detection's
// riskLevel take: a closed set, so a value outside it can match no record.
var riskLevels = []string{"low", "medium", "high", "hidden", "none", "unknownFutureValue"}

// riskStates are the members of Microsoft Graph's riskState enumeration
// (riskState of a sign-in, a risky user or a detection): a closed set.
var riskStates = []string{"none", "confirmedSafe", "remediated", "dismissed", "atRisk",
	"confirmedCompromised", "unknownFutureValue"}

// riskEventTypes are the risk detection types Microsoft Graph documents
// (riskEventType of a detection, riskEventTypes_v2 of a sign-in). The set
// is open: Microsoft adds detections, so a name outside it is accepted,
// and only a near miss of a known name is refused (knownOrNew).
var riskEventTypes = []string{
	"adminConfirmedUserCompromised", "anomalousToken", "anomalousUserActivity",
	"anonymizedIPAddress", "attackerinTheMiddle", "attemptedPrtAccess", "generic",
	"impossibleTravel", "investigationsThreatIntelligence",
	"investigationsThreatIntelligenceSigninLinked", "leakedCredentials",
	"maliciousIPAddress", "maliciousIPAddressValidCredentialsBlockedIP",
	"malwareInfectedIPAddress", "mcasFinSuspiciousFileAccess", "mcasImpossibleTravel",
	"mcasSuspiciousInboxManipulationRules", "nationStateIP", "newCountry", "passwordSpray",
	"riskyIPAddress", "suspiciousAPITraffic", "suspiciousBrowser",
	"suspiciousInboxForwarding", "suspiciousIPAddress", "suspiciousSendingPatterns",
	"tokenIssuerAnomaly", "unfamiliarFeatures", "unlikelyTravel",
	"userReportedSuspiciousActivity",
}

// legacyClients are the clientAppUsed values Microsoft documents for
// sign-ins, and protocols the authenticationProtocol values: both open
// sets (knownOrNew), compared as the rule compares them (entra.Fold).
var (
	legacyClients = []string{"Browser", "Mobile Apps and Desktop clients",
		"Exchange ActiveSync", "Exchange Web Services", "Exchange Online PowerShell", "IMAP4",
		"POP3", "SMTP", "Authenticated SMTP", "AutoDiscover", "MAPI Over HTTP",
		"Offline Address Book", "Outlook Anywhere (RPC over HTTP)", "Reporting Web Services",
		"Other clients"}
	protocols = []string{"none", "oAuth2", "ropc", "wsFederation", "saml20", "deviceCode",
		"authenticationTransfer", "nativeAuth", "unknownFutureValue"}
)

// nearMiss is the largest edit distance at which an unknown name of an
// open set reads as a slip for a known one rather than a newer
// name: the known names of each set are further apart (TestOpenSetsApart),
// so a slip of a key or two still points at the name meant.
const nearMiss = 2

// oneOf checks that every entry of list, a parameter that takes values
// of the closed set known (what names one of them: "risk level"), is one
// of them, ignoring case as the rules compare. An unknown entry is
// refused with the nearest known value.
func (c *check) oneOf(name, what string, list, known []string) {
	for i, v := range list {
		if containsFold(known, v) {
			continue
		}
		c.fail(fmt.Sprintf("%s[%d]", name, i), fmt.Errorf("%s: %q is not a %s%s (the %ss: %s)",
			name, v, what, suggest(v, known), what, strings.Join(known, ", ")))
		return
	}
}

// knownOrNew checks the entries of an open set such as risk event types:
// a known value or one far from every known value (a detection newer than
// this list) passes; one within nearMiss edits of a known value is a typo
// that would match no record, and is refused with that value. fold is how
// the rule compares names (strings.ToLower, entra.Fold).
func (c *check) knownOrNew(name, what string, list, known []string,
	fold func(string) string) {
	for i, v := range list {
		if slices.ContainsFunc(known, func(k string) bool { return fold(k) == fold(v) }) {
			continue
		}
		for _, k := range known {
			if spell.Distance(fold(v), fold(k)) <= nearMiss {
				c.fail(fmt.Sprintf("%s[%d]", name, i), fmt.Errorf("%s: %q is no %s Microsoft "+
					"documents; did you mean %s? (a name far from every known one is taken "+
					"as a newer one)", name, v, what, k))
				return
			}
		}
	}
}

// nonEmpty refuses an empty list that would leave a rule nothing to match,
// so that it could never fire; fix says what to write instead.
func (c *check) nonEmpty(name string, n int, fix string) {
	if n == 0 {
		c.fail(name, fmt.Errorf("%s is empty, so the rule could never fire; %s", name, fix))
	}
}

// offHint is what to write to turn a rule off, rather than emptying a
// list it needs.
const offHint = "to turn the rule off, write enabled: false"

// validate checks the at-risk section: levels and states of their closed
// sets, and at least one level, as with none no sign-in is at risk and the
// rules that read risk could never fire. An empty excludeStates is
// meaningful: no decided state is passed over.
func (r RiskParams) validate() error {
	var c check
	c.oneOf("levels", "risk level", r.Levels, riskLevels)
	if len(r.Levels) == 0 {
		c.fail("levels", fmt.Errorf("levels is empty, so no sign-in would count as at risk "+
			"and the rules that read risk could never fire; give the levels that count "+
			"(such as [medium, high]), or turn those rules off with enabled: false"))
	}
	c.oneOf("excludeStates", "risk state", r.ExcludeStates, riskStates)
	return c.err
}

// validate checks the anonymizer section's risk event types, an open set
// (knownOrNew). An empty list is meaningful: addresses are then judged by
// IP intelligence alone.
func (a AnonymizerParams) validate() error {
	var c check
	if a.MinScore <= 0 || a.MinScore > 100 {
		c.fail("minScore", fmt.Errorf("minScore %d: want 1 to 100", a.MinScore))
	}
	c.knownOrNew("riskEventTypes", "risk event type", a.RiskEventTypes, riskEventTypes,
		strings.ToLower)
	return c.err
}

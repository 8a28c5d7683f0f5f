package investigate

import "strings"

// opportunity is a detection that would have caught part of this case:
// the rule in words, the technique it maps to, and the query to run it in
// Microsoft Sentinel.
type opportunity struct {
	id, title, technique, name, tactic, rule, kql string
	fired                                         func(ev *evidence, an *analysis) []Ref
}

// attackURL links a technique id (T1556.006) to its ATT&CK page.
func attackURL(id string) string {
	return "https://attack.mitre.org/techniques/" + strings.ReplaceAll(id, ".", "/") + "/"
}

var opportunities = []opportunity{
	{
		id: "ENTRA-CA-BLOCK-BURST", title: "Conditional Access blocks across locations",
		technique: "T1078.004", name: "Valid Accounts: Cloud Accounts", tactic: "Initial Access",
		rule: "Five or more Conditional Access blocks (53003, 53004) for one user within " +
			"24 hours, counted across locations and distinct attempts, not per location.",
		kql: `SigninLogs
| where TimeGenerated > ago(1d) and ResultType in ("53003", "53004")
| summarize Attempts = dcount(OriginalRequestId), Countries = make_set(Location),
    Apps = make_set(AppDisplayName) by UserPrincipalName
| where Attempts >= 5`,
		fired: func(ev *evidence, an *analysis) []Ref {
			if len(an.blocked)+len(an.proofUp) >= 5 {
				return refsOf(append(append(an.blocked[:0:0], an.blocked...), an.proofUp...))
			}
			return nil
		},
	},
	{
		id: "ENTRA-PROOFUP-BLOCKED", title: "Security-info registration blocked for risk",
		technique: "T1556.006", name: "Modify Authentication Process: Multi-Factor " +
			"Authentication", tactic: "Persistence",
		rule: "Any sign-in that ends in 53004 (ProofUpBlockedDueToRisk): someone tried to " +
			"register MFA methods for a risky user.",
		kql: `SigninLogs
| where ResultType == "53004"
| project TimeGenerated, UserPrincipalName, IPAddress, Location, AppDisplayName,
    RiskLevelDuringSignIn, OriginalRequestId`,
		fired: func(ev *evidence, an *analysis) []Ref { return refsOf(an.proofUp) },
	},
	{
		id: "ENTRA-RISKY-COUNTRIES", title: "Risky attempts from many countries",
		technique: "T1078.004", name: "Valid Accounts: Cloud Accounts", tactic: "Initial Access",
		rule: "Three or more distinct countries among one user's risky or unfamiliar attempts " +
			"within 24 hours, successful or not.",
		kql: `SigninLogs
| where TimeGenerated > ago(1d) and RiskLevelDuringSignIn in ("medium", "high")
| summarize Countries = dcount(tostring(LocationDetails.countryOrRegion)),
    Set = make_set(tostring(LocationDetails.countryOrRegion)) by UserPrincipalName
| where Countries >= 3`,
		fired: func(ev *evidence, an *analysis) []Ref {
			if len(an.countries) >= ev.cfg.CountryThreshold {
				return refsOf(an.countryRefs)
			}
			return nil
		},
	},
	{
		id: "ENTRA-IMPOSSIBLE-TRAVEL", title: "Impossible travel over every attempt",
		technique: "T1078.004", name: "Valid Accounts: Cloud Accounts", tactic: "Initial Access",
		rule: "Consecutive attempts of one user, successful or not, at least 500 km apart " +
			"and faster than 1,000 km/h, skipping trusted named networks.",
		kql: `SigninLogs
| where TimeGenerated > ago(1d)
| where NetworkLocationDetails !has "trustedNamedLocation"
| extend Lat = toreal(LocationDetails.geoCoordinates.latitude),
    Lon = toreal(LocationDetails.geoCoordinates.longitude)
| where isnotnull(Lat)
| sort by UserPrincipalName asc, TimeGenerated asc
| extend PLat = prev(Lat), PLon = prev(Lon), PT = prev(TimeGenerated),
    PUser = prev(UserPrincipalName)
| where UserPrincipalName == PUser
| extend Km = geo_distance_2points(Lon, Lat, PLon, PLat) / 1000.0,
    Hours = (TimeGenerated - PT) / 1h
| where Km >= 500 and Km / max_of(Hours, 1.0/3600) > 1000`,
		fired: func(ev *evidence, an *analysis) []Ref {
			var refs []Ref
			for _, h := range an.travel {
				refs = append(refs, signInRef(h.to))
			}
			return capRefs(refs)
		},
	},
	{
		id: "ENTRA-ANON-ADMIN", title: "Anonymizer reaching an administrative resource",
		technique: "T1090.003", name: "Proxy: Multi-hop Proxy", tactic: "Command and Control",
		rule: "A sign-in from an anonymizer (risk event anonymizedIPAddress, or an " +
			"IP-intelligence VPN or proxy score of 90 or more) to the Azure Portal, Azure " +
			"management, My Sign-ins, the Entra admin center, Graph Explorer or PowerShell.",
		kql: `SigninLogs
| where RiskEventTypes_V2 has "anonymizedIPAddress"
| where AppDisplayName in ("Azure Portal", "My Signins", "Microsoft Azure PowerShell",
    "Graph Explorer", "Microsoft Graph Command Line Tools",
    "Windows Azure Service Management API")`,
		fired: func(ev *evidence, an *analysis) []Ref {
			var refs []Ref
			for _, s := range an.anonymized {
				if adminResource(s) != "" {
					refs = append(refs, signInRef(s))
				}
			}
			return capRefs(refs)
		},
	},
	{
		id: "ENTRA-LOCKOUT-BURST", title: "Password guessing ending in lockout",
		technique: "T1110.001", name: "Brute Force: Password Guessing",
		tactic: "Credential Access",
		rule: "Three or more wrong-password attempts (50126) for one user from addresses " +
			"outside the baseline, ending in smart lockout (50053). Only credential codes " +
			"count; interrupts such as 50074 and 50140 do not.",
		kql: `SigninLogs
| where TimeGenerated > ago(1d) and ResultType in ("50126", "50053")
| summarize Failures = countif(ResultType == "50126"), Lockouts = countif(ResultType == "50053"),
    IPs = make_set(IPAddress) by UserPrincipalName, bin(TimeGenerated, 1h)
| where Failures >= 3 and Lockouts >= 1`,
		fired: func(ev *evidence, an *analysis) []Ref {
			if len(an.credFailures) >= 3 && countLockouts(an) > 0 {
				return refsOf(an.credFailures)
			}
			return nil
		},
	},
	{
		id: "ENTRA-SSPR-DURING-RISK", title: "Self-service recovery during risky sign-ins",
		technique: "T1098", name: "Account Manipulation", tactic: "Persistence",
		rule: "A self-service unlock or reset that succeeded while risky sign-ins came from " +
			"other addresses within 12 hours.",
		kql: `let risky = SigninLogs
| where RiskLevelDuringSignIn in ("medium", "high")
| project UserPrincipalName, RiskyIP = IPAddress, RiskyTime = TimeGenerated;
AuditLogs
| where LoggedByService == "Self-service Password Management" and Result == "success"
| where OperationName in ("Unlock user account (self-service)",
    "Reset password (self-service)")
| extend UserPrincipalName = tostring(TargetResources[0].userPrincipalName),
    IP = tostring(InitiatedBy.user.ipAddress)
| join kind=inner risky on UserPrincipalName
| where abs(datetime_diff("hour", TimeGenerated, RiskyTime)) <= 12 and IP != RiskyIP`,
		fired: func(ev *evidence, an *analysis) []Ref { return auditRefs(an.rec.concurrent) },
	},
	{
		id: "ENTRA-SSPR-FAILED-RESETS", title: "Repeated failed self-service resets",
		technique: "T1098", name: "Account Manipulation", tactic: "Persistence",
		rule: "Four or more failed self-service password resets from one address within " +
			"24 hours (policy violations included).",
		kql: `AuditLogs
| where TimeGenerated > ago(1d)
| where OperationName == "Reset password (self-service)" and Result == "failure"
| extend IP = tostring(InitiatedBy.user.ipAddress)
| summarize Failures = count(), Reasons = make_set(ResultReason) by IP,
    UserPrincipalName = tostring(TargetResources[0].userPrincipalName)
| where Failures >= 4`,
		fired: func(ev *evidence, an *analysis) []Ref {
			byIP := map[string]int{}
			for _, a := range an.rec.resetsFailed {
				byIP[auditIP(a)]++
			}
			for _, n := range byIP {
				if n >= 4 {
					return auditRefs(an.rec.resetsFailed)
				}
			}
			return nil
		},
	},
	{
		id: "ENTRA-MFA-FATIGUE", title: "Repeated MFA denials, then an approval",
		technique: "T1621", name: "Multi-Factor Authentication Request Generation",
		tactic: "Credential Access",
		rule: "Three or more distinct attempts (by originalRequestId) with a denied or " +
			"unanswered MFA prompt from one address within an hour; critical when an " +
			"approval follows or the user reports fraud.",
		kql: `SigninLogs
| where ResultType == "500121"
| summarize Denied = dcount(OriginalRequestId) by UserPrincipalName, IPAddress,
    bin(TimeGenerated, 1h)
| where Denied >= 3`,
		fired: func(ev *evidence, an *analysis) []Ref {
			return refsOf(append(append(an.mfa.fatigue[:0:0], an.mfa.fatigue...),
				an.mfa.fraud...))
		},
	},
	{
		id: "ENTRA-SECINFO-SUSPICIOUS", title: "Security info registered from an attacker " +
			"address", technique: "T1556.006", name: "Modify Authentication Process: " +
			"Multi-Factor Authentication", tactic: "Persistence",
		rule: "A security-info registration or password change that succeeded from an " +
			"address that also made risky or unfamiliar attempts.",
		kql: `let suspicious = SigninLogs
| where RiskLevelDuringSignIn in ("medium", "high")
| distinct IPAddress;
AuditLogs
| where OperationName in ("User registered security info", "Reset password (self-service)")
    and Result == "success"
| where tostring(InitiatedBy.user.ipAddress) in (suspicious)`,
		fired: func(ev *evidence, an *analysis) []Ref {
			return auditRefs(changesFromAttacker(an))
		},
	},
	{
		id: "ENTRA-UNFAMILIAR-SUCCESS", title: "Successful sign-in outside the baseline",
		technique: "T1078.004", name: "Valid Accounts: Cloud Accounts", tactic: "Initial Access",
		rule: "A successful sign-in from a country, network and device the user's last 30 " +
			"days never show, with no trusted named network.",
		kql: `let known = SigninLogs
| where TimeGenerated between (ago(30d) .. ago(1d)) and ResultType == "0"
| summarize Countries = make_set(tostring(LocationDetails.countryOrRegion))
    by UserPrincipalName;
SigninLogs
| where TimeGenerated > ago(1d) and ResultType == "0"
| join kind=inner known on UserPrincipalName
| where not(set_has_element(Countries, tostring(LocationDetails.countryOrRegion)))`,
		fired: func(ev *evidence, an *analysis) []Ref { return refsOf(an.successes) },
	},
}

func capRefs(refs []Ref) []Ref {
	if len(refs) > maxRefs {
		return refs[:maxRefs]
	}
	return refs
}

// detections returns the opportunities this case would have fired, in the
// table's order.
func detections(ev *evidence, an *analysis) []Detection {
	var out []Detection
	for _, o := range opportunities {
		refs := o.fired(ev, an)
		if len(refs) == 0 {
			continue
		}
		out = append(out, Detection{
			ID: o.id, Title: o.title, Technique: o.technique, Name: o.name, Tactic: o.tactic,
			URL: attackURL(o.technique), Rule: o.rule, KQL: o.kql, Fired: true, Evidence: refs,
		})
	}
	return out
}

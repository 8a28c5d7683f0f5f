package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The reference case of DESIGN.md: Ana Reyes, a Customer Experience Agent
// in Tegucigalpa, is flagged high-risk. On 2026-11-17 five risky attempts
// from Bangladesh, Malaysia, Spain, the Philippines and Mexico are blocked by
// Conditional Access; two bursts of wrong passwords lock her account; from
// her residential address someone passes SMS verification, unlocks the
// account twice and fails four password resets on policy. Nothing lasting
// changes. Expected verdict: True Positive - Blocked, confidence High.

const refDir = "examples/sspr-takeover"

// Counts the design fixes; the generator refuses to write anything else.
const (
	refSignIns = 82
	refAudits  = 44
)

var (
	placeTegucigalpa = place{"Tegucigalpa", "Francisco Morazan", "HN", 14.0818, -87.2068}
	placeDhaka       = place{"Dhaka", "Dhaka", "BD", 23.8103, 90.4125}
	placeKualaLumpur = place{"Kuala Lumpur", "Kuala Lumpur", "MY", 3.1390, 101.6869}
	placeMadrid      = place{"Madrid", "Madrid", "ES", 40.4168, -3.7038}
	placeManila      = place{"Manila", "Metro Manila", "PH", 14.5995, 120.9842}
	placeMexicoCity  = place{"Mexico City", "Ciudad de Mexico", "MX", 19.4326, -99.1332}
)

// Her residential ISP is AS27884. The attacker networks use documentation
// AS numbers (RFC 5398), so that no real operator is named as hostile.
var (
	netHome14 = network{"186.2.128.14", 27884, placeTegucigalpa}
	netHome77 = network{"186.2.128.77", 27884, placeTegucigalpa}
	netBD     = network{"103.106.24.57", 64500, placeDhaka}
	netMY     = network{"175.139.201.33", 64501, placeKualaLumpur}
	netES     = network{"88.26.241.112", 64502, placeMadrid}
	netPH     = network{"112.198.71.4", 64503, placeManila}
	netPH2    = network{"112.198.71.90", 64503, placeManila}
	netMX     = network{"187.189.34.210", 64504, placeMexicoCity}
)

const (
	uaChrome       = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"
	uaEdge         = uaChrome + " Edg/142.0.0.0"
	uaLinuxFirefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	uaHeadless     = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/141.0.0.0 Safari/537.36"
)

var (
	clientLinuxFirefox = client{uaLinuxFirefox, deviceDetail{OperatingSystem: "Linux", Browser: "Firefox 128.0"}}
	clientHeadless     = client{uaHeadless, deviceDetail{OperatingSystem: "Linux", Browser: "Chrome 141.0.0"}}
)

const (
	policyBlockRisk  = "CA001 - Block high-risk sign-ins"
	policyRegistrate = "CA002 - Require MFA registration from trusted locations"
	policyMFA        = "CA003 - Require MFA for all users"
)

// refCase holds the state of the reference case while it is built.
type refCase struct {
	ids    ids
	j      *jitter
	tenant string
	ana    person
	device string

	chrome, edge client
	zendesk      app
	ca           [3]string // policy ids: CA001, CA002, CA003
	aadConnect   string    // service principal of the sync app

	signIns    []signIn
	audits     []directoryAudit
	detections []riskDetection
}

func newRefCase() *refCase {
	r := &refCase{ids: newIDs(1), j: newJitter(20261117)}
	r.tenant = r.ids.entity.next()
	r.ana = person{id: r.ids.entity.next(), upn: "ana.reyes@example.com", name: "Ana Reyes"}
	r.device = r.ids.entity.next()
	laptop := deviceDetail{DeviceID: r.device, DisplayName: "CX-LAPTOP-117", OperatingSystem: "Windows 10",
		IsCompliant: true, IsManaged: true, TrustType: "Hybrid Azure AD joined"}
	r.chrome = client{uaChrome, laptop}
	r.chrome.device.Browser = "Chrome 142.0.0"
	r.edge = client{uaEdge, laptop}
	r.edge.device.Browser = "Edge 142.0.0"
	zendesk := r.ids.entity.next()
	r.zendesk = app{id: zendesk, name: "Zendesk", resourceID: zendesk, resourceName: "Zendesk",
		protocol: "saml20", clientAppUsed: "Browser"}
	for i := range r.ca {
		r.ca[i] = r.ids.entity.next()
	}
	r.aadConnect = r.ids.entity.next()
	return r
}

// policies lists the tenant's three policies with their results for one
// sign-in. Grant controls are listed only where a policy applied.
func (r *refCase) policies(blockRisk, registration, mfa string) []appliedPolicy {
	p := func(id, name, result string, grant ...string) appliedPolicy {
		if result != "success" && result != "failure" {
			grant = nil
		}
		return appliedPolicy{ID: id, DisplayName: name, Result: result,
			EnforcedGrantControls: append([]string{}, grant...), EnforcedSessionControls: []string{}}
	}
	return []appliedPolicy{
		p(r.ca[0], policyBlockRisk, blockRisk, "Block"),
		p(r.ca[1], policyRegistrate, registration, "Block"),
		p(r.ca[2], policyMFA, mfa, "Mfa"),
	}
}

// Her sign-ins are written as a small schedule: a day line names the date,
// the address and the browser, then one "HH:MM kind app" entry per record.
//
//	mfa     password and Authenticator push, success
//	sso     both factors satisfied by the session token, success
//	token   a desktop client refreshing its token, non-interactive, success
//	kmsi    password and push done, then the "Keep me signed in" prompt (50140)
//	mfareq  password correct, MFA still required (50074)
//
// An entry after kmsi or mfareq continues the same attempt (same correlation).
var anaBaseline = []string{
	"2026-10-27 .14 chrome | 13:06 mfa OH | 13:07 token EXO | 15:40 sso ZD | 19:22 sso TM",
	"2026-10-28 .14 chrome | 13:02 mfa TM | 16:15 token EXO | 20:31 sso ZD",
	"2026-10-29 .14 edge   | 13:11 kmsi OH | 13:11 sso OH | 17:03 sso ZD | 21:40 token EXO",
	"2026-10-30 .14 chrome | 13:05 mfa OH | 14:48 sso ZD | 18:20 sso TM",
	"2026-11-02 .14 chrome | 12:58 mfareq OH | 12:59 mfa OH | 15:30 token EXO | 19:10 sso ZD",
	"2026-11-03 .14 chrome | 13:09 mfa TM | 16:44 sso ZD | 21:05 token EXO",
	"2026-11-04 .14 edge   | 13:01 mfa OH | 13:02 token EXO | 17:25 sso ZD | 20:12 sso TM",
	"2026-11-05 .14 chrome | 13:14 kmsi OH | 13:14 sso OH | 18:02 sso ZD",
	"2026-11-06 .14 chrome | 13:04 mfa OH | 14:35 sso ZD | 16:20 token EXO | 22:15 sso TM",
	"2026-11-09 .77 chrome | 13:00 mfareq OH | 13:01 mfa OH | 17:48 sso ZD",
	"2026-11-10 .77 chrome | 13:07 mfa TM | 15:02 token EXO | 18:30 sso ZD | 21:55 sso OH",
	"2026-11-11 .77 edge   | 13:03 mfa OH | 16:10 sso ZD | 20:40 token EXO",
	"2026-11-12 .77 chrome | 13:10 kmsi OH | 13:10 sso OH | 17:15 sso ZD | 22:02 sso TM",
	"2026-11-13 .77 chrome | 13:05 mfa OH | 15:50 token EXO | 19:35 sso ZD",
	"2026-11-16 .77 chrome | 13:02 mfa OH | 16:25 sso ZD | 21:18 sso TM",
}

// anaIncidentDay is her own work on 2026-11-17, after each unlock.
var anaIncidentDay = []string{
	"2026-11-17 .77 chrome | 13:03 mfa OH | 13:04 token EXO | 13:20 sso TM | 14:05 sso ZD | 15:12 token EXO | 16:02 sso ZD" +
		" | 18:10 mfa OH | 19:30 sso TM | 20:45 sso ZD | 21:30 token EXO | 22:10 sso TM",
}

func (r *refCase) ownSchedule(days []string) {
	apps := map[string]app{"OH": appOfficeHome, "EXO": appExchange, "TM": appTeams, "ZD": r.zendesk}
	for _, line := range days {
		parts := strings.Split(line, "|")
		var date, addr, browser string
		fmt.Sscan(parts[0], &date, &addr, &browser)
		n := map[string]network{".14": netHome14, ".77": netHome77}[addr]
		c := map[string]client{"chrome": r.chrome, "edge": r.edge}[browser]

		var prev *signIn
		for _, entry := range parts[1:] {
			var hm, kind, code string
			fmt.Sscan(entry, &hm, &kind, &code)
			t := r.j.subsecond(at(date + " " + hm + ":00").Add(time.Duration(r.j.between(3, 50)) * time.Second))
			corr := ""
			if prev != nil && (prev.Status.ErrorCode == 50140 || prev.Status.ErrorCode == 50074) {
				t = r.j.subsecond(prev.at.Add(time.Duration(r.j.between(18, 40)) * time.Second))
				corr = prev.CorrelationID
			}
			if corr == "" {
				corr = r.ids.corr.next()
			}
			s := r.own(t, corr, kind, apps[code], n, c)
			r.signIns = append(r.signIns, s)
			prev = &r.signIns[len(r.signIns)-1]
		}
	}
}

// own builds one of her sign-ins.
func (r *refCase) own(t time.Time, corr, kind string, a app, n network, c client) signIn {
	s := newSignIn(r.ids.signIn.next(), corr, t, r.tenant, r.ana, a, n, c)
	s.ProcessingTimeInMilliseconds = r.j.between(90, 420)
	s.AuthenticationRequirementPolicies = mfaByCA
	s.AppliedConditionalAccessPolicies = r.policies("notApplied", "notApplied", "success")
	push := "Mobile app notification"
	pwd := stepPassword(t, "Password Hash Sync", true)
	mfaAt := t.Add(time.Duration(r.j.between(9, 24)) * time.Second)
	switch kind {
	case "mfa":
		s.steps(pwd, stepMFA(mfaAt, push, nil, true, "MFA successfully completed"))
	case "sso":
		s.steps(stepsPrevious(t)...)
		s.IncomingTokenType = "primaryRefreshToken"
	case "token":
		s.steps(stepsPrevious(t)...)
		s.IsInteractive = false
		s.SignInEventTypes = []string{"nonInteractiveUser"}
		s.IncomingTokenType = "refreshToken"
		s.ClientAppUsed = "Mobile Apps and Desktop clients"
	case "kmsi":
		s.fail(50140, reasonKMSI)
		s.steps(pwd, stepMFA(mfaAt, push, nil, true, "MFA successfully completed"))
	case "mfareq":
		s.fail(50074, reasonMFARequired)
		s.ConditionalAccessStatus = "notApplied"
		s.AppliedConditionalAccessPolicies = r.policies("notApplied", "notApplied", "notApplied")
		s.steps(pwd, stepMFA(t, push, nil, false, "MFA required in Azure AD"))
	default:
		panic("unknown sign-in kind " + kind)
	}
	return s
}

// blockedAttempt is one of the five risky attempts of the design.
type blockedAttempt struct {
	when   string
	net    network
	app    app
	code   int
	client client
	level  string // riskLevelDuringSignIn
	types  []string
}

var refBlocked = []blockedAttempt{
	{"2026-11-17 02:10:14", netBD, appAzurePortal, 53003, clientLinuxFirefox, "high", []string{"anonymizedIPAddress", "unfamiliarFeatures"}},
	{"2026-11-17 05:40:37", netMY, appMySignins, 53004, clientHeadless, "high", []string{"unfamiliarFeatures"}},
	{"2026-11-17 09:15:02", netES, appAzurePortal, 53003, clientLinuxFirefox, "high", []string{"unfamiliarFeatures", "unlikelyTravel"}},
	{"2026-11-17 14:30:48", netPH, appMySignins, 53004, clientHeadless, "medium", []string{"unfamiliarFeatures"}},
	{"2026-11-17 22:55:19", netMX, appAzurePortal, 53003, clientLinuxFirefox, "high", []string{"unfamiliarFeatures"}},
}

// blocked builds a risky attempt stopped by Conditional Access. No
// authentication step is recorded, so none shows "Correct password".
func (r *refCase) blocked(b blockedAttempt) signIn {
	t := r.j.subsecond(at(b.when))
	s := newSignIn(r.ids.signIn.next(), r.ids.corr.next(), t, r.tenant, r.ana, b.app, b.net, b.client)
	s.ProcessingTimeInMilliseconds = r.j.between(120, 380)
	s.AuthenticationRequirement = "singleFactorAuthentication"
	s.ConditionalAccessStatus = "failure"
	s.risk(b.level, "high", "atRisk", b.types...)
	if b.code == 53003 {
		s.fail(53003, reasonCABlock)
		s.AppliedConditionalAccessPolicies = r.policies("failure", "notApplied", "notApplied")
	} else {
		s.fail(53004, reasonProofUp)
		s.AppliedConditionalAccessPolicies = r.policies("notApplied", "failure", "notApplied")
	}
	return s
}

// burst is six wrong passwords about a minute apart and the lockout that
// follows them.
func (r *refCase) burst(start string, n network, a app, c client) {
	t := at(start)
	for i := 0; i < 7; i++ {
		ts := r.j.subsecond(t)
		s := newSignIn(r.ids.signIn.next(), r.ids.corr.next(), ts, r.tenant, r.ana, a, n, c)
		s.ProcessingTimeInMilliseconds = r.j.between(60, 200)
		s.AuthenticationRequirement = "singleFactorAuthentication"
		s.ConditionalAccessStatus = "notApplied"
		s.AppliedConditionalAccessPolicies = r.policies("notApplied", "notApplied", "notApplied")
		if i < 6 {
			s.fail(50126, reasonBadPassword)
			s.steps(stepPassword(ts, "Password Hash Sync", false))
		} else {
			// The lockout record carries no steps (field report BR-15).
			s.fail(50053, reasonLocked)
		}
		r.signIns = append(r.signIns, s)
		t = t.Add(time.Duration(r.j.between(48, 75)) * time.Second)
	}
}

// ssprEvent is one step of a self-service password reset session, at an
// offset in seconds from the session's start.
type ssprEvent struct {
	after    int
	activity string
	result   string
	reason   string
}

const (
	actProgress = "Self-service password reset flow activity progress"
	actUnlock   = "Unlock user account (self-service)"
	actReset    = "Reset password (self-service)"
)

// SSPR progress reasons. The exact wording of current reports is not
// documented (research/data-notes.md, section 4); these follow the
// documented vocabulary and idtriage matches them by keyword.
const (
	stepSubmittedID   = "User submitted their user ID"
	stepChoice        = "User was presented with the choice to reset their password or unlock their account"
	stepChoseUnlock   = "User chose to unlock their account"
	stepChoseReset    = "User chose to reset their password"
	stepOptions       = "User was presented with verification options"
	stepStartedSMS    = "User started the mobile SMS verification option"
	stepCompletedSMS  = "User completed the mobile SMS verification option"
	stepVerifiedSMS   = "User verified their identity with SMS"
	stepNewPassword   = "User submitted a new password"
	reasonUnlockedSMS = "User unlocked their account after completing the mobile SMS verification option"
	reasonOnPrem      = "User's password reset failed: OnPremisesPolicyViolation"
	reasonFuzzy       = "User's password reset failed: FuzzyPolicyViolationInvalidPassword"
)

var unlockSession = []ssprEvent{
	{0, actProgress, "success", stepSubmittedID},
	{9, actProgress, "success", stepChoice},
	{21, actProgress, "success", stepChoseUnlock},
	{24, actProgress, "success", stepOptions},
	{38, actProgress, "success", stepStartedSMS},
	{95, actProgress, "success", stepCompletedSMS},
	{96, actProgress, "success", stepVerifiedSMS},
	{110, actUnlock, "success", reasonUnlockedSMS},
}

func resetSession(first, second string) []ssprEvent {
	return []ssprEvent{
		{0, actProgress, "success", stepSubmittedID},
		{8, actProgress, "success", stepChoice},
		{17, actProgress, "success", stepChoseReset},
		{20, actProgress, "success", stepOptions},
		{31, actProgress, "success", stepStartedSMS},
		{88, actProgress, "success", stepCompletedSMS},
		{89, actProgress, "success", stepVerifiedSMS},
		{150, actProgress, "success", stepNewPassword},
		{153, actReset, "failure", first},
		{410, actProgress, "success", stepNewPassword},
		{414, actReset, "failure", second},
	}
}

// ssprSession writes one session's audit events, all from ip with ua;
// method is the verification method the service records on the unlock and
// reset events.
func ssprSession(p person, corr string, start time.Time, ip, ua, method string, j *jitter,
	events []ssprEvent) []directoryAudit {
	var out []directoryAudit
	for i, e := range events {
		t := j.subsecond(start.Add(time.Duration(e.after) * time.Second))
		details := []keyValue{}
		if e.activity != actProgress {
			details = append(details, keyValue{"AuthenticationMethod", method})
		}
		details = append(details, keyValue{"User-Agent", ua})
		out = append(out, directoryAudit{
			ID:                  auditID(svcSSPR, corr, i),
			Category:            "UserManagement",
			CorrelationID:       corr,
			Result:              e.result,
			ResultReason:        e.reason,
			ActivityDisplayName: e.activity,
			ActivityDateTime:    stamp(t, layoutGraph),
			LoggedByService:     svcSSPR,
			OperationType:       "Update",
			InitiatedBy:         userActor(p, ip),
			TargetResources:     userTarget(p),
			AdditionalDetails:   details,
			at:                  t,
		})
	}
	return out
}

// baselineAudits are directory sync updates and a group membership from
// the weeks before; none touches a credential or an authentication method.
func (r *refCase) baselineAudits() {
	syncs := []string{"2026-10-20 04:12:31", "2026-10-27 04:15:02", "2026-11-03 04:11:47",
		"2026-11-10 04:14:09", "2026-11-14 04:13:26"}
	prev := at("2026-10-13 04:12:55")
	actor := appActor("Microsoft Azure AD Connect", r.aadConnect)
	for _, s := range syncs {
		t := r.j.subsecond(at(s))
		corr := r.ids.audit.next()
		r.audits = append(r.audits, directoryAudit{
			ID: auditID(svcCore, corr, 0), Category: "UserManagement", CorrelationID: corr,
			Result: "success", ResultReason: "", ActivityDisplayName: "Update user",
			ActivityDateTime: stamp(t, layoutGraph), LoggedByService: svcCore, OperationType: "Update",
			InitiatedBy: actor,
			TargetResources: userTarget(r.ana,
				modifiedProperty{"LastDirSyncTime", ptr(compact([]string{stamp(prev, layoutSeconds)})),
					ptr(compact([]string{stamp(t, layoutSeconds)}))},
				modifiedProperty{"Included Updated Properties", nil, ptr(compact("LastDirSyncTime"))}),
			AdditionalDetails: []keyValue{},
			at:                t,
		})
		prev = t
	}

	t := r.j.subsecond(at("2026-10-29 15:40:18"))
	corr := r.ids.audit.next()
	group := r.ids.entity.next()
	r.audits = append(r.audits, directoryAudit{
		ID: auditID(svcCore, corr, 0), Category: "GroupManagement", CorrelationID: corr,
		Result: "success", ResultReason: "", ActivityDisplayName: "Add member to group",
		ActivityDateTime: stamp(t, layoutGraph), LoggedByService: svcCore, OperationType: "Assign",
		InitiatedBy: actor,
		TargetResources: userTarget(r.ana,
			modifiedProperty{"Group.ObjectID", nil, ptr(compact(group))},
			modifiedProperty{"Group.DisplayName", nil, ptr(compact("CX Agents - Tegucigalpa"))}),
		AdditionalDetails: []keyValue{},
		at:                t,
	})
}

func referenceCase() []file {
	r := newRefCase()

	// a) Three weeks of ordinary work from home.
	r.ownSchedule(anaBaseline)

	// b, c) The attacker's day, and d) hers.
	var blocked []signIn
	for _, b := range refBlocked {
		s := r.blocked(b)
		blocked = append(blocked, s)
		r.signIns = append(r.signIns, s)
	}
	r.burst("2026-11-17 12:31:05", netBD, appAzurePortal, clientLinuxFirefox)
	r.burst("2026-11-17 16:40:12", netPH2, appMySignins, clientHeadless)
	r.ownSchedule(anaIncidentDay)

	// The SSPR sessions, all from her residential address and browser.
	r.baselineAudits()
	sessions := []struct {
		start  string
		events []ssprEvent
	}{
		{"2026-11-17 12:56:50", unlockSession},
		{"2026-11-17 16:58:41", unlockSession},
		{"2026-11-17 17:06:12", resetSession(reasonOnPrem, reasonFuzzy)},
		{"2026-11-17 17:38:02", resetSession(reasonOnPrem, reasonFuzzy)},
	}
	for _, s := range sessions {
		corr := r.ids.audit.next()
		r.audits = append(r.audits, ssprSession(r.ana, corr, at(s.start), netHome77.ip, uaChrome, "SMS", r.j, s.events)...)
	}

	// Identity Protection: one detection per risk event type of each
	// blocked attempt, the unlikely-travel one found offline hours later.
	for _, s := range blocked {
		for _, kind := range s.RiskEventTypesV2 {
			r.detections = append(r.detections, r.detection(s, kind, blocked))
		}
	}

	checkCount("reference sign-ins", len(r.signIns), refSignIns)
	checkCount("reference audits", len(r.audits), refAudits)
	byTimeDesc(r.signIns, func(s signIn) time.Time { return s.at })
	byTimeDesc(r.audits, func(a directoryAudit) time.Time { return a.at })
	byTimeDesc(r.detections, func(d riskDetection) time.Time { return d.detected })

	last := blocked[len(blocked)-1]
	alert := riskyUser{ID: r.ana.id, RiskLastUpdatedDateTime: stamp(last.at.Add(46*time.Second), layoutGraph),
		RiskLevel: "high", RiskState: "atRisk", RiskDetail: "none",
		UserDisplayName: r.ana.name, UserPrincipalName: r.ana.upn}

	const v1, beta = "https://graph.microsoft.com/v1.0/$metadata#", "https://graph.microsoft.com/beta/$metadata#"
	return []file{
		{refDir + "/user.json", indented(r.user())},
		{refDir + "/alert.json", graphPage(v1+"identityProtection/riskyUsers", []riskyUser{alert})},
		{refDir + "/risk-detections.json", graphPage(v1+"identityProtection/riskDetections", r.detections)},
		{refDir + "/signins.json", graphPage(beta+"auditLogs/signIns", renderAll(r.signIns, styleGraph))},
		{refDir + "/audits.json", graphPage(v1+"auditLogs/directoryAudits", r.audits)},
		{refDir + "/ipdata.ndjson", ndjson(refIPData())},
		{refDir + "/README.md", r.readme(blocked, alert)},
	}
}

// detection builds the Identity Protection detection of kind for s.
func (r *refCase) detection(s signIn, kind string, blocked []signIn) riskDetection {
	level, timing, after := s.RiskLevelDuringSignIn, "realtime", time.Duration(r.j.between(2, 9))*time.Second
	info := []obj{infoPair("userAgent", s.UserAgent)}
	switch kind {
	case "anonymizedIPAddress":
		info = append(info, infoPair("mitreTechniques", "T1090.003"))
	case "unfamiliarFeatures":
		if kind != s.RiskEventTypesV2[0] {
			level = "medium" // the second detection of the same attempt
		}
		info = []obj{
			infoPair("riskReasons", []string{"UnfamiliarASN", "UnfamiliarBrowser", "UnfamiliarDevice", "UnfamiliarIP", "UnfamiliarLocation"}),
			infoPair("userAgent", s.UserAgent),
			infoPair("mitreTechniques", "T1078.004"),
		}
	case "unlikelyTravel":
		// Found offline by comparing with the Kuala Lumpur attempt before it.
		level, timing, after = "medium", "offline", 4*time.Hour+33*time.Minute+12*time.Second
		prev := blocked[1]
		info = []obj{
			infoPair("userAgent", s.UserAgent),
			infoPair("relatedEventTimeInUtc", stamp(prev.at, layoutGraph)),
			infoPair("relatedUserAgent", prev.UserAgent),
			infoPair("relatedLocation", obj{
				{"clientIP", prev.IPAddress}, {"latitude", prev.Location.GeoCoordinates.Latitude},
				{"longitude", prev.Location.GeoCoordinates.Longitude}, {"asn", prev.AutonomousSystemNumber},
				{"countryCode", prev.Location.CountryOrRegion}, {"countryName", "Malaysia"},
				{"state", prev.Location.State}, {"city", prev.Location.City},
			}),
			infoPair("mitreTechniques", "T1078"),
		}
	}
	return detectionFor(s, kind, level, timing, after, info)
}

// user is her directory profile as GET /users/{id}?$select=... returns it.
func (r *refCase) user() obj {
	return obj{
		{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users(" +
			"id,displayName,userPrincipalName,mail,jobTitle,department,companyName,officeLocation," +
			"city,country,usageLocation,accountEnabled,createdDateTime,onPremisesSyncEnabled)/$entity"},
		{"id", r.ana.id},
		{"displayName", r.ana.name},
		{"userPrincipalName", r.ana.upn},
		{"mail", r.ana.upn},
		{"jobTitle", "Customer Experience Agent"},
		{"department", "Customer Experience"},
		{"companyName", "Example Contact Center"},
		{"officeLocation", "Tegucigalpa"},
		{"city", "Tegucigalpa"},
		{"country", "Honduras"},
		{"usageLocation", "HN"},
		{"accountEnabled", true},
		{"createdDateTime", "2024-11-04T15:22:41Z"},
		{"onPremisesSyncEnabled", true},
	}
}

// checkCount panics when the story no longer adds up to the design's count.
func checkCount(what string, got, want int) {
	if got != want {
		panic(fmt.Sprintf("casegen: %s: %d records, the design needs %d", what, got, want))
	}
}

// byTimeDesc sorts newest first, as Graph returns records; ties keep their
// build order.
func byTimeDesc[T any](s []T, when func(T) time.Time) {
	slices.SortStableFunc(s, func(a, b T) int { return when(b).Compare(when(a)) })
}

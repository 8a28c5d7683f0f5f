package main

import (
	"time"
)

// The fixture cases: small folders, each in a different export shape, each
// with an expect.json naming the verdict idtriage should reach. They use
// documentation address ranges (192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24) and documentation AS numbers.

const casesDir = "internal/investigate/testdata/cases"

// kit holds what every fixture needs while it is built.
type kit struct {
	ids    ids
	j      *jitter
	tenant string
	user   person
}

func newKit(caseNo int, upn, name string) *kit {
	k := &kit{ids: newIDs(caseNo), j: newJitter(uint64(caseNo) * 7919)}
	k.tenant = k.ids.entity.next()
	k.user = person{id: k.ids.entity.next(), upn: upn, name: name}
	return k
}

// signIn starts a successful sign-in at t plus a random fraction of a
// second. An empty corr gets a fresh correlation id.
func (k *kit) signIn(t time.Time, corr string, a app, n network, c client) signIn {
	if corr == "" {
		corr = k.ids.corr.next()
	}
	s := newSignIn(k.ids.signIn.next(), corr, k.j.subsecond(t), k.tenant, k.user, a, n, c)
	s.ProcessingTimeInMilliseconds = k.j.between(80, 400)
	return s
}

// mfa gives s a correct password followed by a successful second factor.
func (k *kit) mfa(s *signIn, method string, detail *string) {
	s.AuthenticationRequirementPolicies = mfaByCA
	s.steps(stepPassword(s.at, "Password Hash Sync", true),
		stepMFA(s.at.Add(time.Duration(k.j.between(8, 30))*time.Second), method, detail, true, "MFA successfully completed"))
}

// sso gives s both factors from the session token.
func sso(s *signIn) {
	s.AuthenticationRequirementPolicies = mfaByCA
	s.IncomingTokenType = "primaryRefreshToken"
	s.steps(stepsPrevious(s.at)...)
}

func policy(id, name, result string, grant ...string) appliedPolicy {
	return appliedPolicy{ID: id, DisplayName: name, Result: result,
		EnforcedGrantControls: append([]string{}, grant...), EnforcedSessionControls: []string{}}
}

func expectFile(dir string, e expectation) file {
	return file{dir + "/expect.json", indented(e)}
}

// days returns the weekdays from first to last inclusive.
func days(first, last string) []time.Time {
	var out []time.Time
	for d := at(first + " 00:00:00"); !d.After(at(last + " 00:00:00")); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			out = append(out, d)
		}
	}
	return out
}

func hm(day time.Time, h, m, s int) time.Time {
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
}

// compromisedSSPRCase: Event Hub NDJSON and a {"records":[...]} message.
// From an anonymizing hosting address the attacker passes the password and
// SMS MFA, registers an Authenticator app, resets the password by SSPR and
// uses the mailbox. The user's old password then fails at home.
func compromisedSSPRCase() []file {
	const dir = casesDir + "/compromised-sspr-mfa-registered"
	k := newKit(2, "jonas.berg@example.org", "Jonas Berg")
	home := network{"198.51.100.23", 64510, place{"Stockholm", "Stockholm", "SE", 59.3293, 18.0686}}
	evil := network{"203.0.113.45", 64511, place{"Amsterdam", "North Holland", "NL", 52.3676, 4.9041}}
	laptop := client{uaEdge, deviceDetail{DeviceID: k.ids.entity.next(), DisplayName: "JB-LAPTOP-22",
		OperatingSystem: "Windows 10", Browser: "Edge 142.0.0", IsCompliant: true, IsManaged: true, TrustType: "Azure AD joined"}}
	mfaPolicy := k.ids.entity.next()
	caOK := []appliedPolicy{policy(mfaPolicy, "Require MFA for all users", "success", "Mfa")}
	caNone := []appliedPolicy{policy(mfaPolicy, "Require MFA for all users", "notApplied")}
	smsDetail := ptr("+46 XXXXXXX89")

	var signIns []signIn
	for _, d := range days("2026-08-10", "2026-08-14") {
		s := k.signIn(hm(d, 7, 40, k.j.between(0, 59)), "", appOfficeHome, home, laptop)
		k.mfa(&s, "Text message", smsDetail)
		s.AppliedConditionalAccessPolicies = caOK
		t := k.signIn(hm(d, 12, 15, k.j.between(0, 59)), "", appExchange, home, laptop)
		sso(&t)
		t.AppliedConditionalAccessPolicies = caOK
		signIns = append(signIns, s, t)
	}

	// The attack, early on Tuesday 2026-08-18.
	attackCorr := k.ids.corr.next()
	first := k.signIn(at("2026-08-18 02:13:27"), attackCorr, appMySignins, evil, clientLinuxFirefox)
	k.mfa(&first, "Text message", smsDetail)
	first.AppliedConditionalAccessPolicies = caOK
	first.risk("medium", "medium", "atRisk", "anonymizedIPAddress")

	mail := k.signIn(at("2026-08-18 02:23:40"), "", appExchange, evil, clientLinuxFirefox)
	k.mfa(&mail, "Mobile app notification", nil)
	mail.AppliedConditionalAccessPolicies = caOK
	mail.risk("medium", "medium", "atRisk", "anonymizedIPAddress")

	portal := k.signIn(at("2026-08-18 02:24:55"), mail.CorrelationID, appOfficeHome, evil, clientLinuxFirefox)
	sso(&portal)
	portal.AppliedConditionalAccessPolicies = caOK
	portal.risk("medium", "medium", "atRisk", "anonymizedIPAddress")
	signIns = append(signIns, first, mail, portal)

	// His old password no longer works.
	for _, when := range []string{"2026-08-18 07:02:11", "2026-08-18 07:02:58"} {
		s := k.signIn(at(when), "", appOfficeHome, home, laptop)
		s.fail(50126, reasonBadPassword)
		s.AuthenticationRequirement = "singleFactorAuthentication"
		s.ConditionalAccessStatus = "notApplied"
		s.AppliedConditionalAccessPolicies = caNone
		s.steps(stepPassword(s.at, "Password Hash Sync", false))
		signIns = append(signIns, s)
	}

	// Audits: security info registration, then SSPR, all from the attacker.
	var audits []directoryAudit
	regCorr := k.ids.audit.next()
	method := []keyValue{{"AuthenticationMethod", "Authenticator App with Notification"}}
	for i, e := range []struct {
		when, activity, reason string
	}{
		{"2026-08-18 02:15:02", "User started security info registration", "User began adding Authenticator App with Notification"},
		{"2026-08-18 02:16:10", "User registered security info", "User added Authenticator App with Notification as a sign-in method"},
		{"2026-08-18 02:16:41", "User changed default security info", "User made Authenticator App with Notification the default sign-in method"},
	} {
		t := k.j.subsecond(at(e.when))
		audits = append(audits, directoryAudit{
			ID: auditID(svcAuthMethods, regCorr, i), Category: "UserManagement", CorrelationID: regCorr,
			Result: "success", ResultReason: e.reason, ActivityDisplayName: e.activity,
			ActivityDateTime: stamp(t, layoutGraph), LoggedByService: svcAuthMethods, OperationType: "Add",
			InitiatedBy: userActor(k.user, evil.ip), TargetResources: userTarget(k.user),
			AdditionalDetails: method, at: t,
		})
	}
	reset := []ssprEvent{
		{0, actProgress, "success", stepSubmittedID},
		{7, actProgress, "success", stepOptions},
		{19, actProgress, "success", "User started the mobile app notification verification option"},
		{41, actProgress, "success", "User completed the mobile app notification verification option"},
		{98, actProgress, "success", stepNewPassword},
		{101, actReset, "success", "User successfully reset password"},
	}
	sspr := ssprSession(k.user, k.ids.audit.next(), at("2026-08-18 02:18:05"), evil.ip, uaLinuxFirefox,
		"Authenticator App with Notification", k.j, reset)
	audits = append(audits, sspr...)
	resetAt := sspr[len(sspr)-1].at
	coreCorr := k.ids.audit.next()
	audits = append(audits, directoryAudit{
		ID: auditID(svcCore, coreCorr, 0), Category: "UserManagement", CorrelationID: coreCorr,
		Result: "success", ActivityDisplayName: "Reset user password",
		ActivityDateTime: stamp(resetAt, layoutGraph), LoggedByService: svcCore, OperationType: "Update",
		InitiatedBy:       appActor("Microsoft password reset service", k.ids.entity.next()),
		TargetResources:   userTarget(k.user),
		AdditionalDetails: []keyValue{}, at: resetAt,
	})

	// The stream: sign-ins and Identity Protection records in time order.
	type timed struct {
		at  time.Time
		rec obj
	}
	var stream []timed
	for i, s := range signIns {
		stream = append(stream, timed{s.at, eventHubSignIn(s, k.tenant, time.Duration(40+7*i)*time.Second)})
	}
	det := detectionFor(first, "anonymizedIPAddress", "medium", "realtime", 6*time.Second,
		[]obj{infoPair("userAgent", first.UserAgent), infoPair("mitreTechniques", "T1090.003")})
	stream = append(stream, timed{det.updated, eventHubRisk(det, k.tenant)})
	risky := riskyUser{ID: k.user.id, RiskLastUpdatedDateTime: stamp(portal.at.Add(52*time.Second), layoutGraph),
		RiskLevel: "medium", RiskState: "atRisk", RiskDetail: "none",
		UserDisplayName: k.user.name, UserPrincipalName: k.user.upn}
	stream = append(stream, timed{portal.at.Add(52 * time.Second), eventHubRiskyUser(risky, k.tenant)})
	byTimeDesc(stream, func(t timed) time.Time { return t.at })
	lines := make([]obj, len(stream))
	for i, t := range stream {
		lines[len(stream)-1-i] = t.rec // oldest first, as a stream delivers
	}

	byTimeDesc(audits, func(a directoryAudit) time.Time { return a.at })
	var records []obj
	for i := len(audits) - 1; i >= 0; i-- {
		records = append(records, eventHubAudit(audits[i], k.tenant, time.Duration(25+3*i)*time.Second))
	}

	return []file{
		{dir + "/eventhub-signins-and-risk.ndjson", ndjson(lines)},
		{dir + "/eventhub-auditlogs.json", eventHubMessage(records)},
		expectFile(dir, expectation{
			User: k.user.upn, Disposition: "true_positive", Outcome: "compromised", Confidence: "high",
			Why: "From an anonymizing hosting address the attacker signed in with the correct password and SMS MFA, " +
				"registered an Authenticator app, reset the password by self-service and then read mail; " +
				"high rather than confirmed because nobody has confirmed the compromise and the risk is still atRisk.",
		}),
	}
}

// eventHubRisk wraps a detection as a UserRiskEvents record; beta's
// riskType travels beside v1.0's riskEventType.
func eventHubRisk(d riskDetection, tenant string) obj {
	return obj{
		{"time", stamp(d.updated, layoutGraph)},
		{"resourceId", aadiam(tenant)},
		{"operationName", "User Risk Detection"},
		{"operationVersion", "1.0"},
		{"category", "UserRiskEvents"},
		{"tenantId", tenant},
		{"resultSignature", "None"},
		{"durationMs", 0},
		{"callerIpAddress", d.IPAddress},
		{"correlationId", d.ID},
		{"identity", d.UserDisplayName},
		{"Level", 4},
		{"location", d.Location.CountryOrRegion},
		{"properties", struct {
			riskDetection
			RiskType string `json:"riskType"`
		}{d, d.RiskEventType}},
	}
}

// eventHubRiskyUser wraps a riskyUser as a RiskyUsers record; its location
// is an Azure region, not a country.
func eventHubRiskyUser(u riskyUser, tenant string) obj {
	updated, _ := time.Parse(layoutGraph, u.RiskLastUpdatedDateTime)
	return obj{
		{"time", stamp(updated, layoutGraph)},
		{"resourceId", aadiam(tenant)},
		{"operationName", "Risky user"},
		{"operationVersion", "1.0"},
		{"category", "RiskyUsers"},
		{"tenantId", tenant},
		{"resultSignature", "None"},
		{"durationMs", 0},
		{"correlationId", u.ID},
		{"identity", u.UserDisplayName},
		{"Level", 4},
		{"location", "neu"},
		{"properties", u},
	}
}

// mfaFatigueCase: a Log Analytics CSV export. From one Romanian address,
// seven attempts in twenty minutes pass the password and are denied or
// ignored at the push; the eighth is approved.
func mfaFatigueCase() []file {
	const dir = casesDir + "/mfa-fatigue-approved"
	k := newKit(3, "daniel.okafor@example.net", "Daniel Okafor")
	home := network{"192.0.2.44", 64497, place{"Toronto", "Ontario", "CA", 43.6532, -79.3832}}
	evil := network{"203.0.113.77", 64498, place{"Bucharest", "Bucuresti", "RO", 44.4268, 26.1025}}
	surface := client{uaEdge, deviceDetail{DeviceID: k.ids.entity.next(), DisplayName: "DO-SURFACE-04",
		OperatingSystem: "Windows 10", Browser: "Edge 142.0.0", IsCompliant: true, IsManaged: true, TrustType: "Azure AD joined"}}
	attacker := client{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36",
		deviceDetail{OperatingSystem: "Windows 10", Browser: "Chrome 139.0.0"}}
	mfaPolicy := k.ids.entity.next()
	ca := func(result string) []appliedPolicy {
		if result == "notApplied" {
			return []appliedPolicy{policy(mfaPolicy, "Require MFA for all users", result)}
		}
		return []appliedPolicy{policy(mfaPolicy, "Require MFA for all users", result, "Mfa")}
	}
	push := "Mobile app notification"

	var signIns []signIn
	for _, d := range days("2026-09-08", "2026-09-11") {
		s := k.signIn(hm(d, 13, 20, k.j.between(0, 59)), "", appOfficeHome, home, surface)
		k.mfa(&s, push, nil)
		s.AppliedConditionalAccessPolicies = ca("success")
		t := k.signIn(hm(d, 18, 45, k.j.between(0, 59)), "", appExchange, home, surface)
		sso(&t)
		t.AppliedConditionalAccessPolicies = ca("success")
		signIns = append(signIns, s, t)
	}

	session := k.ids.corr.next()
	start := at("2026-09-15 02:10:05")
	offsets := []int{0, 166, 335, 497, 664, 865, 1063}
	denials := []string{
		"MFA denied; user declined the authentication",
		"MFA denied; user did not respond to mobile app notification",
	}
	risky := func(s *signIn) { s.risk("medium", "medium", "atRisk", "unfamiliarFeatures") }
	for i, off := range offsets {
		t := start.Add(time.Duration(off) * time.Second)
		attempt := ""
		if i == 0 || i == 4 {
			// Some attempts first log the MFA-required interrupt (BR-11).
			pre := k.signIn(t, session, appOfficeHome, evil, attacker)
			pre.fail(50074, reasonMFARequired)
			pre.ConditionalAccessStatus = "notApplied"
			pre.AppliedConditionalAccessPolicies = ca("notApplied")
			pre.steps(stepPassword(pre.at, "Password Hash Sync", true),
				stepMFA(pre.at, push, nil, false, "MFA required in Azure AD"))
			risky(&pre)
			signIns = append(signIns, pre)
			attempt = pre.ID
		}
		s := k.signIn(t.Add(time.Duration(k.j.between(25, 35))*time.Second), session, appOfficeHome, evil, attacker)
		if attempt != "" {
			s.OriginalRequestID = attempt
		}
		detail := denials[i%2]
		s.fail(500121, reasonMFAFailed)
		s.Status.AdditionalDetails = ptr(detail)
		s.ConditionalAccessStatus = "failure"
		s.AppliedConditionalAccessPolicies = ca("failure")
		s.AuthenticationRequirementPolicies = mfaByCA
		s.steps(stepPassword(s.at, "Password Hash Sync", true),
			stepMFA(s.at.Add(time.Duration(k.j.between(20, 60))*time.Second), push, nil, false, detail))
		risky(&s)
		signIns = append(signIns, s)
	}

	approved := k.signIn(at("2026-09-15 02:29:55"), session, appOfficeHome, evil, attacker)
	k.mfa(&approved, push, nil)
	approved.AppliedConditionalAccessPolicies = ca("success")
	risky(&approved)
	signIns = append(signIns, approved)
	for _, a := range []struct {
		when string
		app  app
	}{{"2026-09-15 02:31:10", appExchange}, {"2026-09-15 02:33:42", appSharePoint}} {
		s := k.signIn(at(a.when), session, a.app, evil, attacker)
		sso(&s)
		s.AppliedConditionalAccessPolicies = ca("success")
		risky(&s)
		signIns = append(signIns, s)
	}

	byTimeDesc(signIns, func(s signIn) time.Time { return s.at })
	rows := make([]obj, len(signIns))
	for i, s := range signIns {
		rows[i] = laSignInRow(s, k.tenant, time.Duration(95+11*i)*time.Second)
	}
	return []file{
		{dir + "/signinlogs.csv", laCSV(rows)},
		expectFile(dir, expectation{
			User: k.user.upn, Disposition: "true_positive", Outcome: "compromised", Confidence: "confirmed",
			Why: "Seven pushes from an unfamiliar Romanian address were denied or ignored within twenty minutes, " +
				"each after a correct password, and the eighth from the same address was approved and followed by mail and SharePoint access; " +
				"confirmed because the user declined some of those prompts, denying the sign-ins the approval then let through.",
		}),
	}
}

// travelVPNCase: a Log Analytics JSON export mixing the interactive and
// non-interactive tables. Split tunnelling sends Teams and Outlook out of
// her Lisbon ISP and everything else through the corporate VPN in
// Frankfurt, so consecutive sign-ins alternate between PT and DE.
func travelVPNCase() []file {
	const dir = casesDir + "/travel-corporate-vpn"
	k := newKit(4, "ines.carvalho@example.com", "Inês Carvalho")
	lisbon := network{"192.0.2.60", 64499, place{"Lisbon", "Lisboa", "PT", 38.7223, -9.1393}}
	egress := network{"198.51.100.10", 64500, place{"Frankfurt am Main", "Hesse", "DE", 50.1109, 8.6821}}
	laptop := client{uaEdge, deviceDetail{DeviceID: k.ids.entity.next(), DisplayName: "IC-LAPTOP-08",
		OperatingSystem: "Windows 10", Browser: "Edge 142.0.0", IsCompliant: true, IsManaged: true, TrustType: "Azure AD joined"}}
	intranetID := k.ids.entity.next()
	intranet := app{id: intranetID, name: "Example Intranet", resourceID: intranetID, resourceName: "Example Intranet",
		protocol: "oAuth2", clientAppUsed: "Browser"}
	mfaPolicy, devicePolicy := k.ids.entity.next(), k.ids.entity.next()
	ca := []appliedPolicy{
		policy(mfaPolicy, "Require MFA for all users", "success", "Mfa"),
		policy(devicePolicy, "Require compliant device", "success", "RequireCompliantDevice"),
	}
	vpnName := []networkLocation{{NetworkType: "trustedNamedLocation", NetworkNames: []string{"Corporate VPN egress Frankfurt"}}}
	direct := []app{appTeams, appExchange}
	tunnelled := []app{appSharePoint, intranet}

	// The week before: the same split every morning.
	var signIns []signIn
	for _, d := range days("2026-06-15", "2026-06-19") {
		s := k.signIn(hm(d, 8, 5, k.j.between(0, 59)), "", appOfficeHome, lisbon, laptop)
		k.mfa(&s, "Mobile app notification", nil)
		s.AppliedConditionalAccessPolicies = ca
		t := k.signIn(hm(d, 8, 9, k.j.between(0, 59)), "", appSharePoint, egress, laptop)
		sso(&t)
		t.AppliedConditionalAccessPolicies = ca
		t.NetworkLocationDetails = vpnName
		t.IsInteractive, t.SignInEventTypes, t.IncomingTokenType = false, []string{"nonInteractiveUser"}, "refreshToken"
		signIns = append(signIns, s, t)
	}
	before := len(signIns)

	day := at("2026-06-23 07:31:00")
	for i := 0; i < 24; i++ {
		t := day.Add(time.Duration(i/2)*21*time.Minute + time.Duration(i%2)*3*time.Minute +
			time.Duration(k.j.between(0, 50))*time.Second)
		n, a := lisbon, direct[(i/2)%2]
		if i%2 == 1 {
			n, a = egress, tunnelled[(i/2)%2]
		}
		s := k.signIn(t, "", a, n, laptop)
		s.AppliedConditionalAccessPolicies = ca
		if n == egress {
			s.NetworkLocationDetails = vpnName
		}
		switch {
		case i == 0:
			s.AppID, s.AppDisplayName = appOfficeHome.id, appOfficeHome.name
			s.ResourceID, s.ResourceDisplayName = appOfficeHome.resourceID, appOfficeHome.resourceName
			k.mfa(&s, "Mobile app notification", nil)
		case i%6 <= 1:
			sso(&s)
		default:
			sso(&s)
			s.IsInteractive = false
			s.SignInEventTypes = []string{"nonInteractiveUser"}
			s.IncomingTokenType = "refreshToken"
		}
		signIns = append(signIns, s)
	}

	// Identity Protection paired the first Lisbon sign-in with the VPN one
	// three minutes later and flagged unlikely travel, offline.
	flagged := &signIns[before+1]
	flagged.RiskLevelAggregated, flagged.RiskState = "medium", "atRisk"
	flagged.RiskEventTypesV2 = []string{"unlikelyTravel"}
	prev := signIns[before]
	det := detectionFor(*flagged, "unlikelyTravel", "medium", "offline", 4*time.Hour+18*time.Minute, []obj{
		infoPair("userAgent", flagged.UserAgent),
		infoPair("relatedEventTimeInUtc", stamp(prev.at, layoutGraph)),
		infoPair("relatedLocation", obj{{"clientIP", prev.IPAddress}, {"countryCode", "PT"}, {"city", "Lisbon"}}),
		infoPair("mitreTechniques", "T1078"),
	})

	byTimeDesc(signIns, func(s signIn) time.Time { return s.at })
	rows := make([]obj, len(signIns))
	for i, s := range signIns {
		rows[i] = laSignInRow(s, k.tenant, time.Duration(70+9*i)*time.Second)
	}
	risk := []obj{
		{
			{"TenantId", k.tenant}, {"TimeGenerated", det.updated.Add(3 * time.Minute)},
			{"Id", det.ID}, {"RequestId", det.RequestID}, {"CorrelationId", det.CorrelationID},
			{"RiskEventType", det.RiskEventType}, {"RiskLevel", det.RiskLevel}, {"RiskState", det.RiskState},
			{"RiskDetail", det.RiskDetail}, {"Source", det.Source}, {"DetectionTimingType", det.DetectionTimingType},
			{"Activity", det.Activity}, {"TokenIssuerType", det.TokenIssuerType}, {"IpAddress", det.IPAddress},
			{"Location", det.Location}, {"ActivityDateTime", det.at}, {"DetectedDateTime", det.detected},
			{"LastUpdatedDateTime", det.updated}, {"UserId", det.UserID}, {"UserDisplayName", det.UserDisplayName},
			{"UserPrincipalName", det.UserPrincipalName}, {"AdditionalInfo", rawJSON(det.AdditionalInfo)},
			{"Type", "AADUserRiskEvents"},
		},
		{
			{"TenantId", k.tenant}, {"TimeGenerated", det.updated.Add(4 * time.Minute)},
			{"Id", k.user.id}, {"IsDeleted", false}, {"IsProcessing", false}, {"RiskDetail", "none"},
			{"RiskLastUpdatedDateTime", det.updated}, {"RiskLevel", "medium"}, {"RiskState", "atRisk"},
			{"UserDisplayName", k.user.name}, {"UserPrincipalName", k.user.upn}, {"Type", "AADRiskyUsers"},
		},
	}
	return []file{
		{dir + "/signinlogs.json", laJSON(rows)},
		{dir + "/identity-protection.json", laJSON(risk)},
		{dir + "/auditlogs.json", laJSON(travelAudits(k))},
		expectFile(dir, expectation{
			User: k.user.upn, Disposition: "benign_positive", Outcome: "", Confidence: "high",
			Why: "The unlikely-travel alert pairs her Lisbon ISP with the corporate VPN egress in Frankfurt, a trusted named location, " +
				"on the same compliant device with MFA satisfied throughout, the same split as in the week before, " +
				"and the audit log shows no change to her credentials or methods.",
		}),
	}
}

// travelAudits are the AuditLogs rows of the same workspace for her:
// ordinary directory changes, none to a credential or an authentication
// method.
func travelAudits(k *kit) []obj {
	admin := person{id: k.ids.entity.next(), upn: "it.admin@example.com", name: "IT Admin"}
	group, hrSync := k.ids.entity.next(), k.ids.entity.next()
	row := func(t time.Time, service, category, activity, opType string, by initiatedBy,
		props ...modifiedProperty) obj {
		corr := k.ids.audit.next()
		return obj{
			{"TenantId", k.tenant}, {"TimeGenerated", t.Add(41 * time.Second)},
			{"Id", auditID(service, corr, 0)}, {"Category", category}, {"CorrelationId", corr},
			{"Result", "success"}, {"ResultReason", ""}, {"OperationName", activity},
			{"ActivityDisplayName", activity}, {"ActivityDateTime", t}, {"LoggedByService", service},
			{"AADOperationType", opType}, {"InitiatedBy", by}, {"TargetResources", userTarget(k.user, props...)},
			{"AdditionalDetails", []keyValue{}}, {"Type", "AuditLogs"},
		}
	}
	return []obj{
		row(k.j.subsecond(at("2026-06-22 13:47:09")), svcCore, "UserManagement", "Update user", "Update",
			appActor("Example HR Sync", hrSync),
			modifiedProperty{"Department", ptr(compact([]string{"Finance"})), ptr(compact([]string{"Finance Operations"}))},
			modifiedProperty{"Included Updated Properties", nil, ptr(compact("Department"))}),
		row(k.j.subsecond(at("2026-06-16 10:12:33")), svcCore, "GroupManagement", "Add member to group", "Assign",
			userActor(admin, "192.0.2.200"),
			modifiedProperty{"Group.ObjectID", nil, ptr(compact(group))},
			modifiedProperty{"Group.DisplayName", nil, ptr(compact("Lisbon Office"))}),
	}
}

// rawJSON embeds already-encoded JSON as a value.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// ownSSPRCase: PowerShell exports (UTF-16LE sign-ins, UTF-8 BOM audits and
// risk files). She forgets her password on a Monday, fails three times at
// home, resets it by SMS from the same address and device, and carries on.
func ownSSPRCase() []file {
	const dir = casesDir + "/own-sspr-from-home"
	k := newKit(5, "valentina.rojas@example.net", "Valentina Rojas")
	home := network{"192.0.2.15", 64502, place{"Santiago", "Region Metropolitana", "CL", -33.4489, -70.6693}}
	device := deviceDetail{DeviceID: k.ids.entity.next(), DisplayName: "VR-NOTEBOOK-3", OperatingSystem: "Windows 10",
		Browser: "Chrome 145.0.0", IsCompliant: true, IsManaged: true, TrustType: "Azure AD joined"}
	chrome := client{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36", device}
	firefox := client{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:148.0) Gecko/20100101 Firefox/148.0", device}
	firefox.device.Browser = "Firefox 148.0"
	mfaPolicy := k.ids.entity.next()
	caOK := []appliedPolicy{policy(mfaPolicy, "Require MFA for all users", "success", "Mfa")}
	sms := ptr("+56 XXXXXXX07")

	var signIns []signIn
	for _, d := range days("2026-03-02", "2026-03-06") {
		s := k.signIn(hm(d, 11, 35, k.j.between(0, 59)), "", appOfficeHome, home, chrome)
		k.mfa(&s, "Text message", sms)
		s.AppliedConditionalAccessPolicies = caOK
		t := k.signIn(hm(d, 15, 10, k.j.between(0, 59)), "", appExchange, home, chrome)
		sso(&t)
		t.AppliedConditionalAccessPolicies = caOK
		signIns = append(signIns, s, t)
	}

	// Friday evening, Firefox on the same laptop: a low unfamiliar-features
	// detection, remediated by Monday's reset (the export was taken after).
	odd := k.signIn(at("2026-03-06 21:40:12"), "", appOfficeHome, home, firefox)
	k.mfa(&odd, "Text message", sms)
	odd.AppliedConditionalAccessPolicies = caOK
	odd.risk("low", "low", "remediated", "unfamiliarFeatures")
	odd.RiskDetail = "userPerformedSecuredPasswordReset"
	signIns = append(signIns, odd)

	for _, when := range []string{"2026-03-09 11:02:14", "2026-03-09 11:03:01", "2026-03-09 11:03:40"} {
		s := k.signIn(at(when), "", appOfficeHome, home, chrome)
		s.fail(50126, reasonBadPassword)
		s.AuthenticationRequirement = "singleFactorAuthentication"
		s.ConditionalAccessStatus = "notApplied"
		s.AppliedConditionalAccessPolicies = []appliedPolicy{policy(mfaPolicy, "Require MFA for all users", "notApplied")}
		s.steps(stepPassword(s.at, "Password Hash Sync", false))
		signIns = append(signIns, s)
	}

	reset := []ssprEvent{
		{0, actProgress, "success", stepSubmittedID},
		{11, actProgress, "success", stepOptions},
		{20, actProgress, "success", stepStartedSMS},
		{74, actProgress, "success", stepCompletedSMS},
		{75, actProgress, "success", stepVerifiedSMS},
		{168, actProgress, "success", stepNewPassword},
		{171, actReset, "success", "User successfully reset password"},
	}
	audits := ssprSession(k.user, k.ids.audit.next(), at("2026-03-09 11:05:20"), home.ip, chrome.userAgent,
		"SMS", k.j, reset)
	resetAt := audits[len(audits)-1].at
	coreCorr := k.ids.audit.next()
	audits = append(audits, directoryAudit{
		ID: auditID(svcCore, coreCorr, 0), Category: "UserManagement", CorrelationID: coreCorr,
		Result: "success", ActivityDisplayName: "Reset user password",
		ActivityDateTime: stamp(resetAt, layoutGraph), LoggedByService: svcCore, OperationType: "Update",
		InitiatedBy:       appActor("Microsoft password reset service", k.ids.entity.next()),
		TargetResources:   userTarget(k.user),
		AdditionalDetails: []keyValue{}, at: resetAt,
	})

	after := []struct {
		when string
		app  app
		mfa  bool
	}{
		{"2026-03-09 11:10:30", appOfficeHome, true}, {"2026-03-09 11:11:05", appExchange, false},
		{"2026-03-09 14:20:44", appTeams, false}, {"2026-03-09 17:45:09", appSharePoint, false},
	}
	for _, a := range after {
		s := k.signIn(at(a.when), "", a.app, home, chrome)
		if a.mfa {
			k.mfa(&s, "Text message", sms)
		} else {
			sso(&s)
		}
		s.AppliedConditionalAccessPolicies = caOK
		signIns = append(signIns, s)
	}

	det := detectionFor(odd, "unfamiliarFeatures", "low", "realtime", 5*time.Second, []obj{
		infoPair("riskReasons", []string{"UnfamiliarBrowser"}),
		infoPair("userAgent", odd.UserAgent),
		infoPair("mitreTechniques", "T1078.004"),
	})
	det.RiskState, det.RiskDetail = "remediated", "userPerformedSecuredPasswordReset"
	det.LastUpdatedDateTime = stamp(resetAt.Add(2*time.Second), layoutGraph)
	risky := riskyUser{ID: k.user.id, RiskLastUpdatedDateTime: det.LastUpdatedDateTime,
		RiskLevel: "low", RiskState: "remediated", RiskDetail: "userPerformedSecuredPasswordReset",
		UserDisplayName: k.user.name, UserPrincipalName: k.user.upn}

	byTimeDesc(signIns, func(s signIn) time.Time { return s.at })
	byTimeDesc(audits, func(a directoryAudit) time.Time { return a.at })
	return []file{
		{dir + "/signins.json", utf16LE(psJSON(renderAll(signIns, stylePowerShell)))},
		{dir + "/audits.json", utf8BOM(psJSON(audits))},
		{dir + "/riskyusers.json", utf8BOM(psJSON([]riskyUser{risky}))},
		{dir + "/riskdetections.json", utf8BOM(psJSON([]riskDetection{det}))},
		{dir + "/user.json", utf8BOM(psJSON(obj{
			{"id", k.user.id}, {"displayName", k.user.name}, {"userPrincipalName", k.user.upn},
			{"mail", k.user.upn}, {"jobTitle", "Accounts Payable Analyst"}, {"department", "Finance"},
			{"companyName", "Example Andes"}, {"officeLocation", "Santiago"}, {"city", "Santiago"},
			{"country", "Chile"}, {"usageLocation", "CL"}, {"accountEnabled", true},
			{"createdDateTime", "2023-05-15T13:04:51Z"},
		}))},
		expectFile(dir, expectation{
			User: k.user.upn, Disposition: "benign_positive", Outcome: "", Confidence: "medium",
			Why: "The failed passwords, the SMS-verified self-service reset and the sign-ins after it all came from her usual home address, " +
				"city and compliant device, and the reset remediated a low unfamiliar-features risk raised by a new browser; " +
				"medium, not high, because the PowerShell export holds interactive sign-ins only (field report BR-32).",
		}),
	}
}

// thinEvidenceCase: a portal download (bare Graph array) with four
// sign-ins and one low detection; no history, profile, audits or IP
// intelligence to judge by.
func thinEvidenceCase() []file {
	const dir = casesDir + "/thin-evidence"
	k := newKit(6, "kenji.watanabe@example.org", "Kenji Watanabe")
	seattle := network{"198.51.100.140", 64505, place{"Seattle", "Washington", "US", 47.6062, -122.3321}}
	saoPaulo := network{"203.0.113.200", 64506, place{"Sao Paulo", "Sao Paulo", "BR", -23.5505, -46.6333}}
	phone := client{"Outlook-iOS/2.0", deviceDetail{OperatingSystem: "Ios 18.6", Browser: ""}}
	mfaPolicy := k.ids.entity.next()
	caOK := []appliedPolicy{policy(mfaPolicy, "Require MFA for all users", "success", "Mfa")}

	var signIns []signIn
	for i, when := range []string{"2026-10-06 00:31:48", "2026-10-06 01:12:07", "2026-10-06 01:55:31"} {
		s := k.signIn(at(when), "", appOutlookMobile, seattle, phone)
		if i == 0 {
			k.mfa(&s, "Mobile app notification", nil)
		} else {
			sso(&s)
		}
		s.AppliedConditionalAccessPolicies = caOK
		signIns = append(signIns, s)
	}
	br := k.signIn(at("2026-10-06 19:20:16"), "", appOutlookMobile, saoPaulo, phone)
	k.mfa(&br, "Mobile app notification", nil)
	br.AppliedConditionalAccessPolicies = caOK
	br.risk("low", "low", "atRisk", "unfamiliarFeatures")
	signIns = append(signIns, br)

	det := detectionFor(br, "unfamiliarFeatures", "low", "realtime", 4*time.Second, []obj{
		infoPair("riskReasons", []string{"UnfamiliarIP", "UnfamiliarLocation"}),
		infoPair("userAgent", br.UserAgent),
	})
	byTimeDesc(signIns, func(s signIn) time.Time { return s.at })
	return []file{
		{dir + "/signins.json", indented(renderAll(signIns, styleGraph))},
		{dir + "/riskdetections.json", indented([]riskDetection{det})},
		expectFile(dir, expectation{
			User: k.user.upn, Disposition: "undetermined", Outcome: "", Confidence: "low",
			Why: "Four sign-ins and nothing else: one success from Brazil with MFA and a low unfamiliar-features detection " +
				"cannot be told apart from travel without a baseline, profile, audit trail or IP intelligence.",
		}),
	}
}

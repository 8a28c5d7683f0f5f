package simulate

import (
	"math/rand/v2"
	"slices"
	"time"
)

// mfa says how a sign-in met the MFA requirement.
type mfa uint8

const (
	mfaClaim     mfa = iota // satisfied by a claim in the token (refreshes, SSO)
	mfaCompleted            // password, then an approved push
	mfaDenied               // password, then a denied push (500121)
	mfaPassword             // password only (legacy, ROPC, a blocked attempt)
	mfaWrong                // a wrong password (50126)
	mfaNone                 // no step recorded
)

// signIn is one sign-in the generator writes.
type signIn struct {
	t           time.Time
	u           *user
	app         app
	ip          string
	at          place
	asn         int
	network     string // named location matched, "" for none
	trusted     bool
	code        int
	interactive bool
	client      string // clientAppUsed
	protocol    string
	ua          string
	dev         device
	mfa         mfa
	// block is the index of the Conditional Access policy that blocked the
	// attempt, or -1.
	block      int
	riskDuring string
	riskAgg    string
	riskState  string
	riskTypes  []string
	id, corr   string
	// typo marks the first Monday's expired password, typed once; it is
	// not written, and only picks which sign-ins get a benign detection.
	typo bool
}

// newSignIn fills the parts every sign-in has from rng.
func newSignIn(rng *rand.Rand, t time.Time, u *user, a app) *signIn {
	id := uuid(rng)
	return &signIn{t: t, u: u, app: a, id: id, corr: uuid(rng), block: -1,
		client: "Browser", protocol: "none", riskDuring: "none", riskAgg: "none",
		riskState: "none"}
}

// from sets the address, place and network of the sign-in.
func (s *signIn) from(ip string, at place, asn int, network string, trusted bool) *signIn {
	s.ip, s.at, s.asn, s.network, s.trusted = ip, at, asn, network, trusted
	return s
}

// failureReasons are the texts Entra writes for the codes the generator
// uses.
var failureReasons = map[int]string{
	0:      "Other.",
	16000:  "Either multiple user identities are available for the current request or selected account is not supported for the scenario.",
	50053:  "Your account is locked because user tried to sign in too many times with an incorrect user ID or password.",
	50074:  "Strong Authentication is required.",
	50126:  "Error validating credentials due to invalid username or password.",
	50140:  "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
	53000:  "Device is not in required device state: compliant. Conditional Access policy requires a compliant device, and the device is not compliant.",
	53003:  "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
	53004:  "Proof up required due to risk; the user cannot register security info at this time.",
	500121: "Authentication failed during strong authentication request.",
}

// scopes is the Oauth Scope Info that Graph-based clients carry.
const scopes = `["AuditLog.Read.All","Calendars.ReadWrite","Contacts.ReadWrite",` +
	`"Files.ReadWrite.All","Mail.ReadWrite","openid","profile","User.Read","email",` +
	`"offline_access","Sites.ReadWrite.All"]`

// write appends the sign-in as one Graph beta signIn object.
func (s *signIn) write(w *jw) {
	w.open('{')
	w.str("id", s.id)
	w.time("createdDateTime", s.t)
	w.str("userDisplayName", s.u.name)
	w.str("userPrincipalName", s.u.upn)
	w.str("userId", s.u.id)
	w.str("appId", s.app.id)
	w.str("appDisplayName", s.app.name)
	w.str("ipAddress", s.ip)
	w.null("ipAddressFromResourceProvider")
	w.str("clientAppUsed", s.client)
	w.str("userAgent", s.ua)
	w.str("correlationId", s.corr)
	w.str("conditionalAccessStatus", s.caStatus())
	w.str("originalRequestId", s.id)
	w.boolean("isInteractive", s.interactive)
	w.str("tokenIssuerName", "")
	w.str("tokenIssuerType", "AzureAD")
	w.num("processingTimeInMilliseconds", 60+int(s.t.UnixNano()%240))
	w.str("riskDetail", "none")
	w.str("riskLevelAggregated", s.riskAgg)
	w.str("riskLevelDuringSignIn", s.riskDuring)
	w.str("riskState", s.riskState)
	w.strs("riskEventTypes", s.riskTypes...)
	w.strs("riskEventTypes_v2", s.riskTypes...)
	w.str("resourceDisplayName", s.app.resource)
	w.str("resourceId", s.app.resourceID)
	w.str("resourceTenantId", tenantID)
	w.str("homeTenantId", tenantID)
	w.str("homeTenantName", "")
	w.strs("authenticationMethodsUsed")
	w.str("authenticationRequirement", s.requirement())
	w.str("signInIdentifier", s.u.upn)
	w.null("signInIdentifierType")
	w.str("servicePrincipalName", "")
	if s.interactive {
		w.strs("signInEventTypes", "interactiveUser")
	} else {
		w.strs("signInEventTypes", "nonInteractiveUser")
	}
	w.str("servicePrincipalId", "")
	w.str("federatedCredentialId", "")
	w.str("userType", "Member")
	w.boolean("flaggedForReview", false)
	w.boolean("isTenantRestricted", false)
	w.num("autonomousSystemNumber", s.asn)
	w.str("crossTenantAccessType", "none")
	w.str("servicePrincipalCredentialKeyId", "")
	w.str("servicePrincipalCredentialThumbprint", "")
	w.str("uniqueTokenIdentifier", s.corr[:8]+s.id[24:])
	w.str("incomingTokenType", s.tokenType())
	w.str("authenticationProtocol", s.protocol)
	w.str("resourceServicePrincipalId", s.app.resourceID)
	w.boolean("isThroughGlobalSecureAccess", false)
	w.str("globalSecureAccessIpAddress", "")
	w.null("mfaDetail")
	s.writeStatus(w)
	s.writeDevice(w)
	s.writeLocation(w)
	s.writePolicies(w)
	w.strs("appliedEventListeners")
	s.writeProcessing(w)
	s.writeNetwork(w)
	s.writeSteps(w)
	s.writeRequirementPolicies(w)
	w.strs("sessionLifetimePolicies")
	w.obj("privateLinkDetails")
	w.str("policyId", "")
	w.str("policyName", "")
	w.str("resourceId", "")
	w.str("policyTenantId", "")
	w.close('}')
	w.obj("tokenProtectionStatusDetails")
	w.str("signInSessionStatus", "unbound")
	w.num("signInSessionStatusCode", 1002)
	w.close('}')
	w.close('}')
}

func (s *signIn) caStatus() string {
	switch {
	case s.block >= 0:
		return "failure"
	case s.code == 50126 || s.code == 50053:
		return "notApplied"
	}
	return "success"
}

func (s *signIn) requirement() string {
	if s.mfa == mfaCompleted || s.mfa == mfaDenied || s.interactive && s.mfa == mfaClaim {
		return "multiFactorAuthentication"
	}
	return "singleFactorAuthentication"
}

func (s *signIn) tokenType() string {
	if s.interactive {
		return "none"
	}
	return "refreshToken"
}

func (s *signIn) writeStatus(w *jw) {
	w.obj("status")
	w.num("errorCode", s.code)
	w.str("failureReason", failureReasons[s.code])
	if s.mfa == mfaDenied {
		w.str("additionalDetails", "MFA denied; user declined the authentication")
	} else {
		w.null("additionalDetails")
	}
	w.close('}')
}

func (s *signIn) writeDevice(w *jw) {
	d := s.dev
	w.obj("deviceDetail")
	w.str("deviceId", d.id)
	w.str("displayName", d.name)
	w.str("operatingSystem", d.os)
	w.str("browser", d.browser)
	w.boolean("isCompliant", d.compliant)
	w.boolean("isManaged", d.managed)
	w.str("trustType", d.trust)
	w.close('}')
}

func (s *signIn) writeLocation(w *jw) {
	w.obj("location")
	w.str("city", s.at.city)
	w.str("state", s.at.state)
	w.str("countryOrRegion", s.at.country)
	w.obj("geoCoordinates")
	w.null("altitude")
	w.float("latitude", s.at.lat)
	w.float("longitude", s.at.lon)
	w.close('}')
	w.close('}')
}

// listed returns the policies a sign-in lists: those whose conditions
// (application, client, user) the sign-in is in scope of, and the one that
// blocked it.
func (s *signIn) listed() []int {
	l := []int{0, 4}
	if s.interactive {
		l = append(l, 2, 6)
	}
	if s.client != "Browser" {
		l = append(l, 1)
	}
	if s.app.admin {
		l = append(l, 3, 7)
	}
	if s.app == appMySignins {
		l = append(l, 5)
	}
	if s.block >= 0 && !slices.Contains(l, s.block) {
		l = append(l, s.block)
	}
	slices.Sort(l)
	return l
}

// writePolicies lists the policies in scope with their results.
func (s *signIn) writePolicies(w *jw) {
	w.arr("appliedConditionalAccessPolicies")
	evaluated := s.code != 50126 && s.code != 50053 && s.mfa != mfaWrong
	for _, i := range s.listed() {
		p := policies[i]
		result := "notApplied"
		switch {
		case !evaluated:
		case i == s.block:
			result = "failure"
		case s.block >= 0:
			result = "notApplied"
		case p.report:
			result = "reportOnlyNotApplied"
		case p.grant == "Mfa" || p.session != "":
			result = "success"
		case p.grant == "RequireCompliantDevice" && s.app.admin:
			result = "success"
		}
		w.open('{')
		w.str("id", p.id)
		w.str("displayName", p.name)
		applied := result == "success" || result == "failure"
		if applied && p.grant != "" {
			w.strs("enforcedGrantControls", p.grant)
		} else {
			w.strs("enforcedGrantControls")
		}
		if applied && p.session != "" {
			w.strs("enforcedSessionControls", p.session)
		} else {
			w.strs("enforcedSessionControls")
		}
		w.strs("sessionControlsNotSatisfied")
		w.str("result", result)
		if applied || result == "reportOnlyNotApplied" {
			w.str("conditionsSatisfied", "application,users")
			w.str("conditionsNotSatisfied", "none")
			w.arr("includeRulesSatisfied")
			w.open('{')
			w.str("conditionalAccessCondition", "application")
			w.str("ruleSatisfied", "allApps")
			w.close('}')
			w.open('{')
			w.str("conditionalAccessCondition", "users")
			w.str("ruleSatisfied", "allUsers")
			w.close('}')
			w.close(']')
		} else {
			w.str("conditionsSatisfied", "none")
			w.str("conditionsNotSatisfied", "none")
			w.strs("includeRulesSatisfied")
		}
		w.strs("excludeRulesSatisfied")
		w.null("authenticationStrength")
		w.close('}')
	}
	w.close(']')
}

func (s *signIn) writeProcessing(w *jw) {
	w.arr("authenticationProcessingDetails")
	kv := func(k, v string) {
		w.open('{')
		w.str("key", k)
		w.str("value", v)
		w.close('}')
	}
	kv("Legacy TLS (TLS 1.0, 1.1, 3DES)", "False")
	kv("Is CAE Token", "True")
	if s.app.resourceID == appGraphPS.resourceID {
		kv("Oauth Scope Info", scopes)
	}
	w.close(']')
}

func (s *signIn) writeNetwork(w *jw) {
	w.arr("networkLocationDetails")
	if s.network != "" {
		w.open('{')
		if s.trusted {
			w.str("networkType", "trustedNamedLocation")
		} else {
			w.str("networkType", "namedNetwork")
		}
		w.strs("networkNames", s.network)
		w.close('}')
	}
	w.close(']')
}

// writeSteps writes authenticationDetails for how the sign-in went.
func (s *signIn) writeSteps(w *jw) {
	w.arr("authenticationDetails")
	step := func(method, detail string, ok bool, result, req string) {
		w.open('{')
		w.time("authenticationStepDateTime", s.t)
		w.str("authenticationMethod", method)
		w.str("authenticationMethodDetail", detail)
		w.boolean("succeeded", ok)
		w.str("authenticationStepResultDetail", result)
		w.str("authenticationStepRequirement", req)
		w.close('}')
	}
	switch s.mfa {
	case mfaClaim:
		step("Previously satisfied", "", true,
			"First factor requirement satisfied by claim in the token", "Primary authentication")
		if s.interactive {
			step("Previously satisfied", "", true,
				"MFA requirement satisfied by claim in the token", "Multi-factor authentication")
		}
	case mfaCompleted:
		step("Password", "Password Hash Sync", true, "Correct password", "Primary authentication")
		step("Mobile app notification", "", true, "MFA successfully completed",
			"Multi-factor authentication")
	case mfaDenied:
		step("Password", "Password Hash Sync", true, "Correct password", "Primary authentication")
		step("Mobile app notification", "", false, "MFA denied; user declined the authentication",
			"Multi-factor authentication")
	case mfaPassword:
		step("Password", "Password Hash Sync", true, "Correct password", "Primary authentication")
	case mfaWrong:
		step("Password", "Password Hash Sync", false,
			"Invalid username or password or Invalid on-premise username or password.",
			"Primary authentication")
	}
	w.close(']')
}

func (s *signIn) writeRequirementPolicies(w *jw) {
	w.arr("authenticationRequirementPolicies")
	if s.requirement() == "multiFactorAuthentication" {
		w.open('{')
		w.str("requirementProvider", "multiConditionalAccess")
		w.str("detail", "Conditional Access")
		w.close('}')
	}
	w.close(']')
}

package main

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"
)

// The types below follow the Microsoft Graph beta signIn, v1.0
// directoryAudit, riskDetection and riskyUser resources, field for field
// and in the order Graph writes them. Other shapes (Event Hub, Log
// Analytics, PowerShell) are rendered from them in shapes.go.

type geoCoordinates struct {
	Altitude  *float64 `json:"altitude"`
	Latitude  float64  `json:"latitude"`
	Longitude float64  `json:"longitude"`
}

type signInLocation struct {
	City            string         `json:"city"`
	State           string         `json:"state"`
	CountryOrRegion string         `json:"countryOrRegion"`
	GeoCoordinates  geoCoordinates `json:"geoCoordinates"`
}

type signInStatus struct {
	ErrorCode         int     `json:"errorCode"`
	FailureReason     *string `json:"failureReason"`
	AdditionalDetails *string `json:"additionalDetails"`
}

type deviceDetail struct {
	DeviceID        string `json:"deviceId"`
	DisplayName     string `json:"displayName"`
	OperatingSystem string `json:"operatingSystem"`
	Browser         string `json:"browser"`
	IsCompliant     bool   `json:"isCompliant"`
	IsManaged       bool   `json:"isManaged"`
	TrustType       string `json:"trustType"`
}

type appliedPolicy struct {
	ID                      string   `json:"id"`
	DisplayName             string   `json:"displayName"`
	EnforcedGrantControls   []string `json:"enforcedGrantControls"`
	EnforcedSessionControls []string `json:"enforcedSessionControls"`
	Result                  string   `json:"result"`
}

// authDetail is one authenticationDetails step. The sequence numbers exist
// only in Event Hub and Log Analytics records.
type authDetail struct {
	StepDateTime    string  `json:"authenticationStepDateTime"`
	Method          string  `json:"authenticationMethod"`
	MethodDetail    *string `json:"authenticationMethodDetail"`
	Succeeded       bool    `json:"succeeded"`
	ResultDetail    string  `json:"authenticationStepResultDetail"`
	Requirement     string  `json:"authenticationStepRequirement"`
	StatusSequence  *int    `json:"StatusSequence,omitempty"`
	RequestSequence *int    `json:"RequestSequence,omitempty"`

	at time.Time
}

type keyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type networkLocation struct {
	NetworkType  string   `json:"networkType"`
	NetworkNames []string `json:"networkNames"`
}

type requirementPolicy struct {
	RequirementProvider string `json:"requirementProvider"`
	Detail              string `json:"detail"`
}

// signIn is one Graph beta signIn. Times are kept in the unexported fields
// and formatted when a shape is rendered (see render).
type signIn struct {
	ID                                string              `json:"id"`
	CreatedDateTime                   string              `json:"createdDateTime"`
	UserDisplayName                   string              `json:"userDisplayName"`
	UserPrincipalName                 string              `json:"userPrincipalName"`
	UserID                            string              `json:"userId"`
	AppID                             string              `json:"appId"`
	AppDisplayName                    string              `json:"appDisplayName"`
	IPAddress                         string              `json:"ipAddress"`
	ClientAppUsed                     string              `json:"clientAppUsed"`
	UserAgent                         string              `json:"userAgent"`
	CorrelationID                     string              `json:"correlationId"`
	ConditionalAccessStatus           string              `json:"conditionalAccessStatus"`
	OriginalRequestID                 string              `json:"originalRequestId"`
	AuthenticationProtocol            string              `json:"authenticationProtocol"`
	IncomingTokenType                 string              `json:"incomingTokenType"`
	IsInteractive                     bool                `json:"isInteractive"`
	TokenIssuerName                   string              `json:"tokenIssuerName"`
	TokenIssuerType                   string              `json:"tokenIssuerType"`
	ProcessingTimeInMilliseconds      int                 `json:"processingTimeInMilliseconds"`
	RiskDetail                        string              `json:"riskDetail"`
	RiskLevelAggregated               string              `json:"riskLevelAggregated"`
	RiskLevelDuringSignIn             string              `json:"riskLevelDuringSignIn"`
	RiskState                         string              `json:"riskState"`
	RiskEventTypesV2                  []string            `json:"riskEventTypes_v2"`
	ResourceDisplayName               string              `json:"resourceDisplayName"`
	ResourceID                        string              `json:"resourceId"`
	ResourceTenantID                  string              `json:"resourceTenantId"`
	HomeTenantID                      string              `json:"homeTenantId"`
	AuthenticationMethodsUsed         []string            `json:"authenticationMethodsUsed"`
	AuthenticationRequirement         string              `json:"authenticationRequirement"`
	SignInIdentifier                  string              `json:"signInIdentifier"`
	SignInEventTypes                  []string            `json:"signInEventTypes"`
	ServicePrincipalID                string              `json:"servicePrincipalId"`
	UserType                          string              `json:"userType"`
	FlaggedForReview                  bool                `json:"flaggedForReview"`
	IsTenantRestricted                bool                `json:"isTenantRestricted"`
	AutonomousSystemNumber            int                 `json:"autonomousSystemNumber"`
	CrossTenantAccessType             string              `json:"crossTenantAccessType"`
	UniqueTokenIdentifier             string              `json:"uniqueTokenIdentifier"`
	Status                            signInStatus        `json:"status"`
	DeviceDetail                      deviceDetail        `json:"deviceDetail"`
	Location                          signInLocation      `json:"location"`
	AppliedConditionalAccessPolicies  []appliedPolicy     `json:"appliedConditionalAccessPolicies"`
	AuthenticationProcessingDetails   []keyValue          `json:"authenticationProcessingDetails"`
	NetworkLocationDetails            []networkLocation   `json:"networkLocationDetails"`
	AuthenticationDetails             []authDetail        `json:"authenticationDetails"`
	AuthenticationRequirementPolicies []requirementPolicy `json:"authenticationRequirementPolicies"`
	SessionLifetimePolicies           []keyValue          `json:"sessionLifetimePolicies"`

	at time.Time
}

// person is the account a case is about.
type person struct {
	id, upn, name string
}

// app is a client application and the resource it asked a token for.
type app struct {
	id, name      string
	resourceID    string
	resourceName  string
	protocol      string // authenticationProtocol
	clientAppUsed string
}

// place is where an address sits, as Entra and the IP-intelligence service
// describe it.
type place struct {
	city, state, country string
	lat, lon             float64
}

// network is one client address with its autonomous system and place.
type network struct {
	ip    string
	asn   int
	place place
}

// client is the user agent and device a sign-in came from.
type client struct {
	userAgent string
	device    deviceDetail
}

// Microsoft first-party application ids are public constants; keeping them
// real lets a reader (or the tool) recognise the apps.
var (
	appAzurePortal = app{id: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", name: "Azure Portal",
		resourceID: "797f4846-ba00-4fd7-ba43-dac1f8f63013", resourceName: "Windows Azure Service Management API",
		protocol: "oAuth2", clientAppUsed: "Browser"}
	appMySignins = app{id: "19db86c3-b2b9-44cc-b339-36da233a3be2", name: "My Signins",
		resourceID: "00000003-0000-0000-c000-000000000000", resourceName: "Microsoft Graph",
		protocol: "oAuth2", clientAppUsed: "Browser"}
	appOfficeHome = app{id: "4765445b-32c6-49b0-83e6-1d93765276ca", name: "OfficeHome",
		resourceID: "4765445b-32c6-49b0-83e6-1d93765276ca", resourceName: "OfficeHome",
		protocol: "oAuth2", clientAppUsed: "Browser"}
	appExchange = app{id: "00000002-0000-0ff1-ce00-000000000000", name: "Office 365 Exchange Online",
		resourceID: "00000002-0000-0ff1-ce00-000000000000", resourceName: "Office 365 Exchange Online",
		protocol: "oAuth2", clientAppUsed: "Browser"}
	appTeams = app{id: "1fec8e78-bce4-4aaf-ab1b-5451cc387264", name: "Microsoft Teams",
		resourceID: "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", resourceName: "Microsoft Teams Services",
		protocol: "oAuth2", clientAppUsed: "Browser"}
	appSharePoint = app{id: "00000003-0000-0ff1-ce00-000000000000", name: "Office 365 SharePoint Online",
		resourceID: "00000003-0000-0ff1-ce00-000000000000", resourceName: "Office 365 SharePoint Online",
		protocol: "oAuth2", clientAppUsed: "Browser"}
	appOutlookMobile = app{id: "27922004-5251-4030-b22d-91ecd9a37ea4", name: "Outlook Mobile",
		resourceID: "00000002-0000-0ff1-ce00-000000000000", resourceName: "Office 365 Exchange Online",
		protocol: "oAuth2", clientAppUsed: "Mobile Apps and Desktop clients"}
)

// Failure texts, in our own words where Microsoft's vary; logic in idtriage
// keys on the numbers (research/data-notes.md, section 5).
const (
	reasonBadPassword = "Invalid username or password or Invalid on-premise username or password."
	reasonLocked      = "Account is locked because the user tried to sign in too many times with an incorrect user ID or password."
	reasonCABlock     = "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance."
	reasonProofUp     = "Proof up is blocked due to risk: the user must register security info from a trusted location before access."
	reasonMFARequired = "Strong Authentication is required."
	reasonKMSI        = "This error occurred due to 'Keep me signed in' interrupt when the user was signing in."
	reasonMFAFailed   = "Authentication failed during strong authentication request."
)

// newSignIn fills a successful interactive sign-in with the defaults every
// case shares; callers then change outcome, steps, risk and policies.
func newSignIn(id, corr string, t time.Time, tenant string, p person, a app, n network, c client) signIn {
	return signIn{
		ID:                                id,
		UserDisplayName:                   p.name,
		UserPrincipalName:                 p.upn,
		UserID:                            p.id,
		AppID:                             a.id,
		AppDisplayName:                    a.name,
		IPAddress:                         n.ip,
		ClientAppUsed:                     a.clientAppUsed,
		UserAgent:                         c.userAgent,
		CorrelationID:                     corr,
		ConditionalAccessStatus:           "success",
		OriginalRequestID:                 id,
		AuthenticationProtocol:            a.protocol,
		IncomingTokenType:                 "none",
		IsInteractive:                     true,
		TokenIssuerType:                   "AzureAD",
		RiskDetail:                        "none",
		RiskLevelAggregated:               "none",
		RiskLevelDuringSignIn:             "none",
		RiskState:                         "none",
		RiskEventTypesV2:                  []string{},
		ResourceDisplayName:               a.resourceName,
		ResourceID:                        a.resourceID,
		ResourceTenantID:                  tenant,
		HomeTenantID:                      tenant,
		AuthenticationMethodsUsed:         []string{},
		AuthenticationRequirement:         "multiFactorAuthentication",
		SignInIdentifier:                  p.upn,
		SignInEventTypes:                  []string{"interactiveUser"},
		UserType:                          "Member",
		AutonomousSystemNumber:            n.asn,
		CrossTenantAccessType:             "none",
		UniqueTokenIdentifier:             tokenIdentifier(id),
		Status:                            signInStatus{ErrorCode: 0, FailureReason: ptr("Other.")},
		DeviceDetail:                      c.device,
		Location:                          n.place.location(),
		AppliedConditionalAccessPolicies:  []appliedPolicy{},
		AuthenticationProcessingDetails:   []keyValue{{Key: "Is CAE Token", Value: "False"}},
		NetworkLocationDetails:            []networkLocation{},
		AuthenticationDetails:             []authDetail{},
		AuthenticationRequirementPolicies: []requirementPolicy{},
		SessionLifetimePolicies:           []keyValue{},
		at:                                t,
	}
}

// tokenIdentifier makes the base64 uniqueTokenIdentifier Entra writes.
func tokenIdentifier(id string) string {
	sum := sha256.Sum256([]byte("uti:" + id))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

func (p place) location() signInLocation {
	return signInLocation{
		City: p.city, State: p.state, CountryOrRegion: p.country,
		GeoCoordinates: geoCoordinates{Latitude: p.lat, Longitude: p.lon},
	}
}

// fail sets a failed outcome.
func (s *signIn) fail(code int, reason string) {
	s.Status = signInStatus{ErrorCode: code, FailureReason: ptr(reason)}
}

// steps replaces the authentication steps.
func (s *signIn) steps(steps ...authDetail) {
	s.AuthenticationDetails = append([]authDetail{}, steps...)
}

// risk sets the sign-in risk fields.
func (s *signIn) risk(during, aggregated, state string, types ...string) {
	s.RiskLevelDuringSignIn = during
	s.RiskLevelAggregated = aggregated
	s.RiskState = state
	s.RiskEventTypesV2 = append([]string{}, types...)
}

// Authentication steps as Entra writes them.

func stepPassword(t time.Time, detail string, ok bool) authDetail {
	st := authDetail{at: t, Method: "Password", MethodDetail: ptr(detail), Succeeded: ok,
		Requirement: "Primary authentication", ResultDetail: "Correct password"}
	if !ok {
		st.ResultDetail = reasonBadPassword
	}
	return st
}

func stepMFA(t time.Time, method string, detail *string, ok bool, result string) authDetail {
	return authDetail{at: t, Method: method, MethodDetail: detail, Succeeded: ok,
		ResultDetail: result, Requirement: "Multi-factor authentication"}
}

func stepsPrevious(t time.Time) []authDetail {
	return []authDetail{
		{at: t, Method: "Previously satisfied", Succeeded: true,
			ResultDetail: "First factor requirement satisfied by claim in the token", Requirement: "Primary authentication"},
		{at: t, Method: "Previously satisfied", Succeeded: true,
			ResultDetail: "MFA requirement satisfied by claim in the token", Requirement: "Multi-factor authentication"},
	}
}

// mfaByCA is the requirement policy list of a sign-in whose MFA a
// Conditional Access policy asked for.
var mfaByCA = []requirementPolicy{{RequirementProvider: "multiConditionalAccess", Detail: "Conditional Access"}}

// Directory audits.

type auditUser struct {
	ID                *string `json:"id"`
	DisplayName       *string `json:"displayName"`
	UserPrincipalName string  `json:"userPrincipalName"`
	IPAddress         string  `json:"ipAddress"`
	UserType          *string `json:"userType"`
	HomeTenantID      *string `json:"homeTenantId"`
	HomeTenantName    *string `json:"homeTenantName"`
}

type auditApp struct {
	AppID                *string `json:"appId"`
	DisplayName          string  `json:"displayName"`
	ServicePrincipalID   string  `json:"servicePrincipalId"`
	ServicePrincipalName *string `json:"servicePrincipalName"`
}

type initiatedBy struct {
	App  *auditApp  `json:"app"`
	User *auditUser `json:"user"`
}

type modifiedProperty struct {
	DisplayName string  `json:"displayName"`
	OldValue    *string `json:"oldValue"`
	NewValue    *string `json:"newValue"`
}

type targetResource struct {
	ID                 string             `json:"id"`
	DisplayName        *string            `json:"displayName"`
	Type               string             `json:"type"`
	UserPrincipalName  *string            `json:"userPrincipalName"`
	GroupType          *string            `json:"groupType"`
	ModifiedProperties []modifiedProperty `json:"modifiedProperties"`
}

type directoryAudit struct {
	ID                  string           `json:"id"`
	Category            string           `json:"category"`
	CorrelationID       string           `json:"correlationId"`
	Result              string           `json:"result"`
	ResultReason        string           `json:"resultReason"`
	ActivityDisplayName string           `json:"activityDisplayName"`
	ActivityDateTime    string           `json:"activityDateTime"`
	LoggedByService     string           `json:"loggedByService"`
	OperationType       string           `json:"operationType"`
	InitiatedBy         initiatedBy      `json:"initiatedBy"`
	TargetResources     []targetResource `json:"targetResources"`
	AdditionalDetails   []keyValue       `json:"additionalDetails"`

	at time.Time
}

// Audit services and their id prefixes.
const (
	svcSSPR        = "Self-service Password Management"
	svcCore        = "Core Directory"
	svcAuthMethods = "Authentication Methods"
)

var auditPrefix = map[string]string{
	svcSSPR:        "SSPR",
	svcCore:        "Directory",
	svcAuthMethods: "Authentication Methods",
}

// auditID builds "<prefix>_<correlationId>_<5 chars>_<number>", the shape
// of real directory audit ids.
func auditID(service, corr string, n int) string {
	key := service + corr + string(rune('a'+n))
	return auditPrefix[service] + "_" + corr + "_" + token(key, 5) + "_" + strconv.Itoa(int(number(key)))
}

// userActor is initiatedBy for an action the user took from ip.
func userActor(p person, ip string) initiatedBy {
	return initiatedBy{User: &auditUser{ID: ptr(p.id), UserPrincipalName: p.upn, IPAddress: ip}}
}

// appActor is initiatedBy for an action a service principal took.
func appActor(name, spID string) initiatedBy {
	return initiatedBy{App: &auditApp{DisplayName: name, ServicePrincipalID: spID}}
}

// userTarget names p as the target of an audit event.
func userTarget(p person, props ...modifiedProperty) []targetResource {
	if props == nil {
		props = []modifiedProperty{}
	}
	return []targetResource{{ID: p.id, DisplayName: ptr(p.name), Type: "User",
		UserPrincipalName: ptr(p.upn), ModifiedProperties: props}}
}

// Identity Protection.

type riskDetection struct {
	ID                  string         `json:"id"`
	RequestID           string         `json:"requestId"`
	CorrelationID       string         `json:"correlationId"`
	RiskEventType       string         `json:"riskEventType"`
	RiskState           string         `json:"riskState"`
	RiskLevel           string         `json:"riskLevel"`
	RiskDetail          string         `json:"riskDetail"`
	Source              string         `json:"source"`
	DetectionTimingType string         `json:"detectionTimingType"`
	Activity            string         `json:"activity"`
	TokenIssuerType     string         `json:"tokenIssuerType"`
	IPAddress           string         `json:"ipAddress"`
	Location            signInLocation `json:"location"`
	ActivityDateTime    string         `json:"activityDateTime"`
	DetectedDateTime    string         `json:"detectedDateTime"`
	LastUpdatedDateTime string         `json:"lastUpdatedDateTime"`
	UserID              string         `json:"userId"`
	UserDisplayName     string         `json:"userDisplayName"`
	UserPrincipalName   string         `json:"userPrincipalName"`
	AdditionalInfo      string         `json:"additionalInfo"`

	at, detected, updated time.Time
}

// detectionFor builds a detection of one sign-in. detectedAfter is how long
// after the sign-in the service raised it (seconds for realtime, hours for
// offline detections).
func detectionFor(s signIn, kind, level, timing string, detectedAfter time.Duration, info []obj) riskDetection {
	d := riskDetection{
		ID:                  hexID("detection:" + s.ID + kind),
		RequestID:           s.ID,
		CorrelationID:       s.CorrelationID,
		RiskEventType:       kind,
		RiskState:           "atRisk",
		RiskLevel:           level,
		RiskDetail:          "none",
		Source:              "IdentityProtection",
		DetectionTimingType: timing,
		Activity:            "signin",
		TokenIssuerType:     "AzureAD",
		IPAddress:           s.IPAddress,
		Location:            s.Location,
		UserID:              s.UserID,
		UserDisplayName:     s.UserDisplayName,
		UserPrincipalName:   s.UserPrincipalName,
		AdditionalInfo:      compact(info),
		at:                  s.at,
		detected:            s.at.Add(detectedAfter),
		updated:             s.at.Add(detectedAfter + 2*time.Minute + 11*time.Second),
	}
	d.ActivityDateTime = stamp(d.at, layoutGraph)
	d.DetectedDateTime = stamp(d.detected, layoutGraph)
	d.LastUpdatedDateTime = stamp(d.updated, layoutGraph)
	return d
}

// infoPair is one {"Key","Value"} entry of additionalInfo.
func infoPair(k string, v any) obj { return obj{{"Key", k}, {"Value", v}} }

type riskyUser struct {
	ID                      string `json:"id"`
	IsDeleted               bool   `json:"isDeleted"`
	IsProcessing            bool   `json:"isProcessing"`
	RiskLastUpdatedDateTime string `json:"riskLastUpdatedDateTime"`
	RiskLevel               string `json:"riskLevel"`
	RiskState               string `json:"riskState"`
	RiskDetail              string `json:"riskDetail"`
	UserDisplayName         string `json:"userDisplayName"`
	UserPrincipalName       string `json:"userPrincipalName"`
}

// expectation is a fixture's expect.json: the verdict idtriage should reach.
type expectation struct {
	User        string `json:"user"`
	Disposition string `json:"disposition"`
	Outcome     string `json:"outcome"`
	Confidence  string `json:"confidence"`
	Why         string `json:"why"`
}

package entra

import (
	"net/netip"
	"time"
)

// Pos says where a record came from, so that a finding can cite it and an
// error can point at it. Line is 1-based; Index is the record's 1-based
// ordinal within its file.
type Pos struct {
	File  string `json:"file"`
	Line  int    `json:"line"`
	Index int    `json:"index"`
}

// Source tags the log a sign-in came from. The zero value means the export
// did not say (a Graph page, for example, mixes nothing and names nothing).
type Source string

// Sign-in sources, from the Event Hub category, the Log Analytics table
// name or the record's signInEventTypes.
const (
	SourceUnknown          Source = ""
	SourceInteractive      Source = "interactive"
	SourceNonInteractive   Source = "nonInteractive"
	SourceServicePrincipal Source = "servicePrincipal"
	SourceManagedIdentity  Source = "managedIdentity"
	SourceADFS             Source = "adfs"
)

// Location is where Entra placed an address. Country is an ISO 3166 alpha-2
// code in real data; City is approximate (often off by hundreds of km).
type Location struct {
	City    string  `json:"city,omitempty"`
	State   string  `json:"state,omitempty"`
	Country string  `json:"country,omitempty"`
	Lat     float64 `json:"lat,omitempty"`
	Lon     float64 `json:"lon,omitempty"`
	// HasCoords is false when the coordinates were missing, null, empty or
	// 0/0, which real exports all produce.
	HasCoords bool `json:"hasCoords,omitempty"`
}

// Device is the client device as the sign-in describes it.
type Device struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	OS          string `json:"os,omitempty"`
	Browser     string `json:"browser,omitempty"`
	IsCompliant bool   `json:"isCompliant,omitempty"`
	IsManaged   bool   `json:"isManaged,omitempty"`
	TrustType   string `json:"trustType,omitempty"`
}

// CAPolicy is one entry of appliedConditionalAccessPolicies. Result keeps the
// service's value ("success", "failure", "notApplied", ...): "failure" on a
// policy whose grant control is Block means the block worked.
type CAPolicy struct {
	ID            string   `json:"id,omitempty"`
	DisplayName   string   `json:"displayName,omitempty"`
	Result        string   `json:"result,omitempty"`
	GrantControls []string `json:"grantControls,omitempty"`
}

// AuthStep is one entry of authenticationDetails.
type AuthStep struct {
	Time         time.Time `json:"time,omitzero"`
	Method       string    `json:"method,omitempty"`
	MethodDetail string    `json:"methodDetail,omitempty"`
	Succeeded    bool      `json:"succeeded"`
	ResultDetail string    `json:"resultDetail,omitempty"`
	Requirement  string    `json:"requirement,omitempty"`
}

// SignIn is one sign-in attempt, merged from every row the export split it
// into (rows sharing id and createdDateTime).
type SignIn struct {
	ID                string `json:"id"`
	OriginalRequestID string `json:"originalRequestId,omitempty"`
	CorrelationID     string `json:"correlationId,omitempty"`

	// Time is createdDateTime. TimeApprox is set when it had to come from a
	// fallback (the Event Hub processing time, TimeGenerated) or from a
	// layout with no zone or an ambiguous day and month.
	Time       time.Time `json:"time"`
	TimeApprox bool      `json:"timeApprox,omitempty"`

	UserID               string `json:"userId,omitempty"`
	UserPrincipalName    string `json:"userPrincipalName,omitempty"`
	UserDisplayName      string `json:"userDisplayName,omitempty"`
	UserType             string `json:"userType,omitempty"`
	ServicePrincipalID   string `json:"servicePrincipalId,omitempty"`
	ServicePrincipalName string `json:"servicePrincipalName,omitempty"`

	AppID               string `json:"appId,omitempty"`
	AppDisplayName      string `json:"appDisplayName,omitempty"`
	ResourceID          string `json:"resourceId,omitempty"`
	ResourceDisplayName string `json:"resourceDisplayName,omitempty"`
	ClientAppUsed       string `json:"clientAppUsed,omitempty"`
	UserAgent           string `json:"userAgent,omitempty"`

	// IP is the parsed, canonical address (IPv4-mapped IPv6 unmapped); it is
	// invalid when IPRaw is empty or not an address ("<Redacted VPN IP>").
	IP    netip.Addr `json:"-"`
	IPRaw string     `json:"ipAddress,omitempty"`
	ASN   int        `json:"asn,omitempty"`

	Location Location `json:"location,omitzero"`
	Device   Device   `json:"device,omitzero"`

	// NetworkNames are the named locations the address matched;
	// TrustedNetwork is set when one of them is a trusted named location.
	NetworkNames   []string `json:"networkNames,omitempty"`
	TrustedNetwork bool     `json:"trustedNetwork,omitempty"`

	// ErrorCode is status.errorCode (or resultType / ResultType). HasCode
	// is false when the record carried no code at all (status:{}).
	ErrorCode         int    `json:"errorCode"`
	HasCode           bool   `json:"-"`
	FailureReason     string `json:"failureReason,omitempty"`
	AdditionalDetails string `json:"additionalDetails,omitempty"`

	ConditionalAccessStatus string     `json:"conditionalAccessStatus,omitempty"`
	Policies                []CAPolicy `json:"policies,omitempty"`

	AuthRequirement string     `json:"authenticationRequirement,omitempty"`
	AuthSteps       []AuthStep `json:"authenticationDetails,omitempty"`
	// AuthRequirementPolicies is authenticationRequirementPolicies: what
	// asked for the authentication requirement (BR-01).
	AuthRequirementPolicies []RequirementPolicy `json:"authenticationRequirementPolicies,omitempty"`
	// AuthProtocol is folded (BR-26): "devicecode", "ropc",
	// "authenticationtransfer"; AuthProtocolRaw keeps the export's spelling.
	AuthProtocol    string `json:"authenticationProtocol,omitempty"`
	AuthProtocolRaw string `json:"-"`

	IsInteractive bool     `json:"isInteractive"`
	EventTypes    []string `json:"signInEventTypes,omitempty"`
	Source        Source   `json:"source,omitempty"`

	RiskLevelDuringSignIn string   `json:"riskLevelDuringSignIn,omitempty"`
	RiskLevelAggregated   string   `json:"riskLevelAggregated,omitempty"`
	RiskState             string   `json:"riskState,omitempty"`
	RiskDetail            string   `json:"riskDetail,omitempty"`
	RiskEventTypes        []string `json:"riskEventTypes,omitempty"`

	// DurationMs is the Event Hub durationMs; HasDuration is false when the
	// record carried none, which means unknown, not zero.
	DurationMs  float64 `json:"durationMs,omitempty"`
	HasDuration bool    `json:"-"`

	// Raw keeps, by field name, the JSON of optional fields that arrived
	// with an unexpected type, or JSON text that did not parse (BR-01, BR-04).
	Raw map[string]string `json:"raw,omitempty"`

	// Rows is how many export rows were merged into this sign-in (1 unless
	// the service split it, see field report BR-12).
	Rows int `json:"rows,omitempty"`
	Pos  Pos `json:"pos"`
}

// IsServicePrincipal reports whether the sign-in is by an application or a
// managed identity rather than a person; such records stay in the timeline but
// never feed user-centred detections.
func (s *SignIn) IsServicePrincipal() bool {
	if s.Source == SourceServicePrincipal || s.Source == SourceManagedIdentity {
		return true
	}
	return s.UserPrincipalName == "" && s.UserID == "" && s.ServicePrincipalID != ""
}

// AttemptKey is what makes one attempt distinct: the originalRequestId, else
// the id. Never correlationId, which can span several attempts (BR-11).
func (s *SignIn) AttemptKey() string {
	if s.OriginalRequestID != "" {
		return s.OriginalRequestID
	}
	return s.ID
}

// Class is the meaning of the sign-in's error code.
func (s *SignIn) Class() CodeClass {
	if !s.HasCode {
		return ClassUnknown
	}
	return ClassifyCode(s.ErrorCode)
}

// HasStep reports whether any authentication step's result detail equals
// detail, ignoring case ("Correct password", "MFA successfully completed").
func (s *SignIn) HasStep(detail string) bool {
	for _, st := range s.AuthSteps {
		if equalFold(st.ResultDetail, detail) {
			return true
		}
	}
	return false
}

// BlockingPolicies returns the names of the policies that blocked the
// attempt: result "failure" on a policy whose grant controls include Block,
// or any failed policy when the code is a Conditional Access block.
func (s *SignIn) BlockingPolicies() []string {
	var out []string
	for _, p := range s.Policies {
		if !equalFold(p.Result, "failure") {
			continue
		}
		name := p.DisplayName
		if name == "" {
			name = p.ID
		}
		out = append(out, name)
	}
	return out
}

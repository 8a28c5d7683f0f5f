package ingest

import (
	"net/netip"
	"strings"
	"unicode"

	"github.com/idtriage/idtriage/internal/entra"
)

// fastBody holds the fields of a sign-in that entra.SignIn keeps, as Graph
// names them (the Event Hub payload under "properties" uses the same
// names). Keys match without regard to case. Fields the records carry but
// idtriage does not keep (about thirty: token details, session ids, mfaDetail,
// privateLinkDetails, ...) are skipped unread.
type fastBody struct {
	ID                   string `json:"id"`
	CreatedDateTime      string `json:"createdDateTime"`
	OriginalRequestID    string `json:"originalRequestId"`
	CorrelationID        string `json:"correlationId"`
	UserID               string `json:"userId"`
	UserPrincipalName    string `json:"userPrincipalName"`
	UserDisplayName      string `json:"userDisplayName"`
	UserType             string `json:"userType"`
	ServicePrincipalID   string `json:"servicePrincipalId"`
	ServicePrincipalName string `json:"servicePrincipalName"`

	AppID               string `json:"appId"`
	AppDisplayName      string `json:"appDisplayName"`
	ResourceIdentity    string `json:"resourceIdentity"`
	ResourceID          string `json:"resourceId"`
	ResourceDisplayName string `json:"resourceDisplayName"`
	ClientAppUsed       string `json:"clientAppUsed"`
	UserAgent           string `json:"userAgent"`

	IPAddress       string       `json:"ipAddress"`
	ASN             jnum         `json:"autonomousSystemNumber"`
	Location        fastLocation `json:"location"`
	LocationDetails present      `json:"locationDetails"`
	Device          fastDevice   `json:"deviceDetail"`
	Network         []fastNet    `json:"networkLocationDetails"`

	Status            fastStatus `json:"status"`
	ResultType        jcode      `json:"resultType"`
	ResultDescription string     `json:"resultDescription"`

	CAStatus      string       `json:"conditionalAccessStatus"`
	Policies      []fastPolicy `json:"appliedConditionalAccessPolicies"`
	OtherPolicies present      `json:"conditionalAccessPolicies"`

	AuthRequirement string          `json:"authenticationRequirement"`
	Steps           []fastStep      `json:"authenticationDetails"`
	ReqPolicies     []fastReqPolicy `json:"authenticationRequirementPolicies"`
	AuthProtocol    string          `json:"authenticationProtocol"`

	IsInteractive jflag    `json:"isInteractive"`
	EventTypes    []string `json:"signInEventTypes"`

	RiskDuring     string   `json:"riskLevelDuringSignIn"`
	RiskAggregated string   `json:"riskLevelAggregated"`
	RiskState      string   `json:"riskState"`
	RiskDetail     string   `json:"riskDetail"`
	RiskTypesV2    []string `json:"riskEventTypes_v2"`
	RiskTypes      []string `json:"riskEventTypes"`

	DurationMs jnum `json:"durationMs"`
}

type fastLocation struct {
	City     string  `json:"city"`
	State    string  `json:"state"`
	Country  string  `json:"countryOrRegion"`
	Country2 string  `json:"country"`
	Geo      fastGeo `json:"geoCoordinates"`
}

type fastGeo struct {
	Lat jnum `json:"latitude"`
	Lon jnum `json:"longitude"`
}

type fastDevice struct {
	ID          string `json:"deviceId"`
	DisplayName string `json:"displayName"`
	OS          string `json:"operatingSystem"`
	Browser     string `json:"browser"`
	IsCompliant bool   `json:"isCompliant"`
	IsManaged   bool   `json:"isManaged"`
	TrustType   string `json:"trustType"`
}

type fastNet struct {
	Type  string   `json:"networkType"`
	Names []string `json:"networkNames"`
}

type fastStatus struct {
	Code    jnum   `json:"errorCode"`
	Reason  string `json:"failureReason"`
	Details string `json:"additionalDetails"`
}

type fastPolicy struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName"`
	Result      string   `json:"result"`
	Grants      []string `json:"enforcedGrantControls"`
}

type fastStep struct {
	Time         string `json:"authenticationStepDateTime"`
	Method       string `json:"authenticationMethod"`
	MethodDetail string `json:"authenticationMethodDetail"`
	Succeeded    bool   `json:"succeeded"`
	ResultDetail string `json:"authenticationStepResultDetail"`
	Requirement  string `json:"authenticationStepRequirement"`
}

type fastReqPolicy struct {
	Provider string `json:"requirementProvider"`
	Detail   string `json:"detail"`
}

// fastFlat is a sign-in as Graph writes it: the fields at the top. The
// other members are keys that make the general decoder read the record as
// something else (an Event Hub envelope, a log category, an audit, a risk
// detection, an IP record, a page wrapper); any of them sends the record
// there.
type fastFlat struct {
	fastBody
	foreignKeys
}

// foreignKeys are the keys that send a flat record to the general decoder:
// a wrapper, another kind of record, or a container. The full and the lean
// fast paths share them, so both turn away the same records.
type foreignKeys struct {
	Properties          present   `json:"properties"`
	Type                present   `json:"type"`
	Category            present   `json:"category"`
	ODataType           present   `json:"@odata.type"`
	IP                  present   `json:"ip"`
	RiskLastUpdated     present   `json:"riskLastUpdatedDateTime"`
	IsProcessing        present   `json:"isProcessing"`
	RiskEventType       present   `json:"riskEventType"`
	RiskType            present   `json:"riskType"`
	DetectedDateTime    present   `json:"detectedDateTime"`
	ActivityDisplayName present   `json:"activityDisplayName"`
	InitiatedBy         present   `json:"initiatedBy"`
	TargetResources     present   `json:"targetResources"`
	LoggedByService     present   `json:"loggedByService"`
	Value               arrayFlag `json:"value"`
	Records             arrayFlag `json:"records"`
}

// foreign reports whether a key sends the record to the general decoder.
func (f *foreignKeys) foreign() bool {
	return bool(f.Properties || f.Type || f.Category || f.ODataType || f.IP ||
		f.RiskLastUpdated || f.IsProcessing || f.RiskEventType || f.RiskType ||
		f.DetectedDateTime || f.ActivityDisplayName || f.InitiatedBy ||
		f.TargetResources || f.LoggedByService) || bool(f.Value || f.Records)
}

// fastEnvelope is an Event Hub or storage record: the log category and a
// few fields at the top, the sign-in under "properties".
type fastEnvelope struct {
	Category          string    `json:"category"`
	Type              present   `json:"type"`
	Properties        fastBody  `json:"properties"`
	ResultType        jcode     `json:"resultType"`
	ResultDescription string    `json:"resultDescription"`
	CorrelationID     string    `json:"correlationId"`
	DurationMs        jnum      `json:"durationMs"`
	Location          string    `json:"location"`
	Value             arrayFlag `json:"value"`
	Records           arrayFlag `json:"records"`
}

// signIn builds the sign-in exactly as rec.signIn would from the same
// record, or reports false when the record holds anything the general
// decoder would warn about, keep raw or read another way. env is the
// Event Hub envelope, nil for a flat record; src is the source its
// category gave.
func (b *fastBody) signIn(env *fastEnvelope, src entra.Source, pos entra.Pos) (entra.SignIn, bool) {
	s := entra.SignIn{Rows: 1, Pos: pos}
	if b.LocationDetails || b.OtherPolicies || strings.TrimSpace(b.CreatedDateTime) == "" {
		return s, false
	}
	t, approx, err := parseTime(b.CreatedDateTime, false)
	if err != nil {
		return s, false
	}
	s.Time, s.TimeApprox = t, approx

	s.ID, s.OriginalRequestID = b.ID, b.OriginalRequestID
	s.CorrelationID = firstSet(b.CorrelationID, envField(env, func(e *fastEnvelope) string {
		return e.CorrelationID
	}))
	s.UserID, s.UserPrincipalName = b.UserID, b.UserPrincipalName
	s.UserDisplayName, s.UserType = b.UserDisplayName, b.UserType
	s.ServicePrincipalID, s.ServicePrincipalName = b.ServicePrincipalID, b.ServicePrincipalName
	s.AppID, s.AppDisplayName = b.AppID, b.AppDisplayName
	s.ResourceID = b.ResourceIdentity
	if s.ResourceID == "" && !strings.HasPrefix(b.ResourceID, "/") {
		s.ResourceID = b.ResourceID
	}
	s.ResourceDisplayName, s.ClientAppUsed, s.UserAgent = b.ResourceDisplayName, b.ClientAppUsed, b.UserAgent

	if !b.address(&s, env) || !b.outcome(&s, env) || !b.lists(&s) {
		return s, false
	}
	s.ConditionalAccessStatus = b.CAStatus
	s.AuthRequirement = b.AuthRequirement
	s.AuthProtocolRaw = b.AuthProtocol
	s.AuthProtocol = foldEnum(b.AuthProtocol)
	b.kind(&s, src)
	s.RiskLevelDuringSignIn, s.RiskLevelAggregated = b.RiskDuring, b.RiskAggregated
	s.RiskState, s.RiskDetail = b.RiskState, b.RiskDetail
	if s.RiskEventTypes = nonEmpty(b.RiskTypesV2); s.RiskEventTypes == nil {
		s.RiskEventTypes = nonEmpty(b.RiskTypes)
	}
	dur := b.DurationMs
	if !dur.set && env != nil {
		dur = env.DurationMs
	}
	s.DurationMs, s.HasDuration = dur.v, dur.set
	return s, true
}

// firstSet is the general decoder's anyStr over body then envelope: the
// first value that is not blank, else "".
func firstSet(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func envField(env *fastEnvelope, get func(*fastEnvelope) string) string {
	if env == nil {
		return ""
	}
	return get(env)
}

// address reads the client address, AS number, device and location. The
// record must carry an address that parses: an empty or unparsable one is
// counted by the general decoder.
func (b *fastBody) address(s *entra.SignIn, env *fastEnvelope) bool {
	raw := b.IPAddress
	t := strings.TrimSpace(raw)
	if t == "" {
		return false
	}
	core := strings.TrimSuffix(strings.TrimPrefix(t, "["), "]")
	a, err := netip.ParseAddr(core)
	if err != nil {
		return false
	}
	if s.IP = a.Unmap(); s.IP.Is4() && !a.Is4In6() && core == raw {
		s.IPRaw = raw // an IPv4 address parses only from its canonical text
	} else {
		s.IPRaw = s.IP.String()
	}
	asn, ok, decline := b.ASN.whole()
	if decline {
		return false
	}
	if ok {
		s.ASN = asn
	}

	l := &b.Location
	s.Location = entra.Location{City: strings.TrimSpace(l.City),
		State: strings.TrimSpace(l.State), Country: strings.TrimSpace(l.Country)}
	if s.Location.Country == "" {
		s.Location.Country = strings.TrimSpace(l.Country2)
	}
	lat, lon := l.Geo.Lat, l.Geo.Lon
	switch {
	case !lat.set || !lon.set || lat.v == 0 && lon.v == 0:
	case lat.v < -90 || lat.v > 90 || lon.v < -180 || lon.v > 180:
		return false
	default:
		s.Location.Lat, s.Location.Lon, s.Location.HasCoords = lat.v, lon.v, true
	}
	if s.Location.Country == "" && env != nil && isCountryCode(strings.TrimSpace(env.Location)) {
		s.Location.Country = strings.ToUpper(strings.TrimSpace(env.Location))
	}

	d := &b.Device
	s.Device = entra.Device{ID: d.ID, DisplayName: d.DisplayName, OS: d.OS,
		Browser: d.Browser, IsCompliant: d.IsCompliant, IsManaged: d.IsManaged,
		TrustType: d.TrustType}
	for i := range b.Network {
		n := &b.Network[i]
		s.NetworkNames = append(s.NetworkNames, nonEmpty(n.Names)...)
		if foldIs(n.Type, "trustednamedlocation") {
			s.TrustedNetwork = true
		}
	}
	return true
}

// outcome reads the error code as rec.outcome does: status.errorCode, else
// resultType from the body, then the envelope. A disagreement between the
// two, or a word instead of a code, goes to the general decoder.
func (b *fastBody) outcome(s *entra.SignIn, env *fastEnvelope) bool {
	code, hasStatus, decline := b.Status.Code.whole()
	if decline {
		return false
	}
	s.FailureReason, s.AdditionalDetails = b.Status.Reason, b.Status.Details
	result := b.ResultType
	if !result.set && env != nil {
		result = env.ResultType
	}
	switch {
	case hasStatus:
		if result.set && result.v != code {
			return false
		}
		s.ErrorCode, s.HasCode = code, true
	case result.set:
		s.ErrorCode, s.HasCode = result.v, true
	}
	if s.FailureReason == "" {
		s.FailureReason = firstSet(b.ResultDescription, envField(env, func(e *fastEnvelope) string {
			return e.ResultDescription
		}))
	}
	return true
}

// lists reads the policies, authentication steps and requirement policies.
// An element that decoded empty may have been null, which the general
// decoder skips, or {}, which it keeps; such a record goes there.
func (b *fastBody) lists(s *entra.SignIn) bool {
	if n := len(b.Policies); n > 0 {
		s.Policies = make([]entra.CAPolicy, n)
		for i := range b.Policies {
			p := &b.Policies[i]
			if p.ID == "" && p.DisplayName == "" && p.Result == "" && p.Grants == nil {
				return false
			}
			s.Policies[i] = entra.CAPolicy{ID: p.ID, DisplayName: p.DisplayName,
				Result: p.Result, GrantControls: nonEmpty(p.Grants)}
		}
	}
	if n := len(b.Steps); n > 0 {
		s.AuthSteps = make([]entra.AuthStep, n)
		for i := range b.Steps {
			st, ok := b.Steps[i].step()
			if !ok {
				return false
			}
			s.AuthSteps[i] = st
		}
	}
	if n := len(b.ReqPolicies); n > 0 {
		s.AuthRequirementPolicies = make([]entra.RequirementPolicy, n)
		for i, p := range b.ReqPolicies {
			if p == (fastReqPolicy{}) {
				return false
			}
			s.AuthRequirementPolicies[i] = entra.RequirementPolicy{Provider: p.Provider, Detail: p.Detail}
		}
	}
	return true
}

func (f *fastStep) step() (entra.AuthStep, bool) {
	if *f == (fastStep{}) {
		return entra.AuthStep{}, false
	}
	st := entra.AuthStep{Method: f.Method, MethodDetail: f.MethodDetail,
		Succeeded: f.Succeeded, ResultDetail: f.ResultDetail, Requirement: f.Requirement}
	if strings.TrimSpace(f.Time) != "" {
		t, _, err := parseTime(f.Time, false)
		if err != nil {
			return st, false
		}
		st.Time = t
	}
	return st, true
}

// kind sets the event types, the source and IsInteractive as
// rec.signInKind does.
func (b *fastBody) kind(s *entra.SignIn, src entra.Source) {
	s.EventTypes = nonEmpty(b.EventTypes)
	if src == entra.SourceUnknown {
		src = b.sourceFromFields(s.EventTypes)
	}
	s.Source = src
	s.IsInteractive = b.IsInteractive.v
	if !b.IsInteractive.set {
		s.IsInteractive = src == entra.SourceInteractive
	}
}

func (b *fastBody) sourceFromFields(types []string) entra.Source {
	for _, t := range types {
		switch {
		case foldIs(t, "interactiveuser"):
			return entra.SourceInteractive
		case foldIs(t, "noninteractiveuser"):
			return entra.SourceNonInteractive
		case foldIs(t, "serviceprincipal"):
			return entra.SourceServicePrincipal
		case foldIs(t, "managedidentity"):
			return entra.SourceManagedIdentity
		}
	}
	if b.IsInteractive.set {
		if b.IsInteractive.v {
			return entra.SourceInteractive
		}
		return entra.SourceNonInteractive
	}
	return entra.SourceUnknown
}

// nonEmpty drops empty strings (a null element decodes as one) and returns
// nil for an empty result, as the general decoder's strs does.
func nonEmpty(in []string) []string {
	n := 0
	for _, s := range in {
		if s != "" {
			n++
		}
	}
	if n == len(in) {
		if n == 0 {
			return nil
		}
		return in
	}
	out := make([]string, 0, n)
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// foldIs reports whether entra.Fold(s) == want, without building the folded
// string. want is lower case with no spaces, underscores or hyphens.
func foldIs(s, want string) bool {
	if len(s) < len(want) {
		return false
	}
	j := 0
	for _, r := range s {
		if r == ' ' || r == '_' || r == '-' {
			continue
		}
		if r = unicode.ToLower(r); j >= len(want) || r >= 0x80 || byte(r) != want[j] {
			return false
		}
		j++
	}
	return j == len(want)
}

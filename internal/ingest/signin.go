package ingest

import (
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// signIn normalises a sign-in from any shape: Graph, Event Hub (payload
// under properties), Log Analytics (PascalCase, JSON text columns) or a
// portal CSV row. It rejects the record only when no time can be read.
func (r *rec) signIn(src entra.Source) (entra.SignIn, bool) {
	b := r.body
	s := entra.SignIn{Rows: 1, Pos: r.pos()}
	t, approx, ok := r.eventTime("createdDateTime")
	if !ok {
		r.fail("createdDateTime", "no readable time in createdDateTime, TimeGenerated or time")
		return s, false
	}
	s.Time, s.TimeApprox = t, approx

	s.ID = r.str(b, "id")
	s.OriginalRequestID = r.str(b, "originalRequestId")
	s.CorrelationID = r.anyStr("correlationId")
	s.UserID = r.str(b, "userId")
	s.UserPrincipalName = r.str(b, "userPrincipalName")
	s.UserDisplayName = r.str(b, "userDisplayName")
	s.UserType = r.str(b, "userType")
	s.ServicePrincipalID = r.str(b, "servicePrincipalId")
	s.ServicePrincipalName = r.str(b, "servicePrincipalName")

	s.AppID = r.str(b, "appId")
	s.AppDisplayName = r.str(b, "appDisplayName")
	s.ResourceID = r.resourceID()
	s.ResourceDisplayName = r.str(b, "resourceDisplayName")
	s.ClientAppUsed = r.str(b, "clientAppUsed")
	s.UserAgent = r.str(b, "userAgent")

	r.signInAddress(&s)
	s.Device = r.device(r.object(b, "deviceDetail"))
	r.network(&s)
	r.outcome(&s)

	s.ConditionalAccessStatus = r.str(b, "conditionalAccessStatus")
	s.Policies = r.policies()
	s.AuthRequirement = r.str(b, "authenticationRequirement")
	s.AuthSteps = r.authSteps()
	s.AuthRequirementPolicies = r.requirementPolicies()
	s.AuthProtocolRaw = r.str(b, "authenticationProtocol")
	s.AuthProtocol = foldEnum(s.AuthProtocolRaw)

	r.signInKind(&s, src)
	r.signInRisk(&s)
	s.DurationMs, s.HasDuration = r.duration()
	s.Raw = r.raw
	return s, true
}

// resourceID is the resource app's id. Log Analytics calls it
// ResourceIdentity and uses ResourceId for an ARM path, which is skipped.
func (r *rec) resourceID() string {
	if s := r.str(r.body, "resourceIdentity"); s != "" {
		return s
	}
	if s := r.str(r.body, "resourceId"); !strings.HasPrefix(s, "/") {
		return s
	}
	return ""
}

// signInAddress reads the client address (ipAddress, else the Event Hub
// callerIpAddress), the AS number and the location.
func (r *rec) signInAddress(s *entra.SignIn) {
	if _, present := r.body.get("ipAddress"); present {
		s.IP, s.IPRaw = r.ip("ipAddress", r.str(r.body, "ipAddress"))
	} else if raw := r.anyStr("callerIpAddress"); raw != "" {
		s.IP, s.IPRaw = r.ip("callerIpAddress", raw)
	}
	if n, ok := r.integer(r.body, "autonomousSystemNumber"); ok {
		s.ASN = n
	}

	// Log Analytics has LocationDetails; Graph and Event Hub properties
	// have a location object; a portal CSV has "City, State, CC" text.
	if o := r.object(r.body, "locationDetails"); o != nil {
		s.Location = r.location(o)
	} else if o, text := r.objectOr(r.body, "location"); o != nil {
		s.Location = r.location(o)
	} else if text != "" {
		s.Location = placeText(text)
	}
	if s.Location.Country == "" {
		s.Location.Country = r.countryHint()
	}
}

// device reads deviceDetail.
func (r *rec) device(o *obj) entra.Device {
	if o == nil {
		return entra.Device{}
	}
	compliant, _ := r.flag(o, "isCompliant")
	managed, _ := r.flag(o, "isManaged")
	return entra.Device{
		ID:          r.str(o, "deviceId"),
		DisplayName: r.str(o, "displayName"),
		OS:          r.str(o, "operatingSystem"),
		Browser:     r.str(o, "browser"),
		IsCompliant: compliant,
		IsManaged:   managed,
		TrustType:   r.str(o, "trustType"),
	}
}

// network reads networkLocationDetails: the named locations matched, and
// whether one is a trusted named location.
func (r *rec) network(s *entra.SignIn) {
	for _, o := range r.objects(r.body, "networkLocationDetails") {
		s.NetworkNames = append(s.NetworkNames, r.strs(o, "networkNames")...)
		if entra.Fold(r.str(o, "networkType")) == "trustednamedlocation" {
			s.TrustedNetwork = true
		}
	}
}

// signInKind sets IsInteractive, the event types and the source tag: from
// the log category when there is one, else signInEventTypes, else
// isInteractive.
func (r *rec) signInKind(s *entra.SignIn, src entra.Source) {
	s.EventTypes = r.strs(r.body, "signInEventTypes")
	interactive, hasFlag := r.flag(r.body, "isInteractive")
	if src == entra.SourceUnknown {
		src = r.sourceFromFields()
	}
	s.Source = src
	s.IsInteractive = interactive
	if !hasFlag {
		s.IsInteractive = src == entra.SourceInteractive
	}
}

// sourceFromFields derives the source of a record that names no log.
func (r *rec) sourceFromFields() entra.Source {
	for _, t := range r.strs(r.body, "signInEventTypes") {
		switch entra.Fold(t) {
		case "interactiveuser":
			return entra.SourceInteractive
		case "noninteractiveuser":
			return entra.SourceNonInteractive
		case "serviceprincipal":
			return entra.SourceServicePrincipal
		case "managedidentity":
			return entra.SourceManagedIdentity
		}
	}
	if v, ok := r.flag(r.body, "isInteractive"); ok {
		if v {
			return entra.SourceInteractive
		}
		return entra.SourceNonInteractive
	}
	return entra.SourceUnknown
}

// signInRisk reads the risk fields. riskEventTypes_v2 is preferred to the
// older riskEventTypes.
func (r *rec) signInRisk(s *entra.SignIn) {
	b := r.body
	s.RiskLevelDuringSignIn = r.str(b, "riskLevelDuringSignIn")
	s.RiskLevelAggregated = r.str(b, "riskLevelAggregated")
	s.RiskState = r.str(b, "riskState")
	s.RiskDetail = r.str(b, "riskDetail")
	s.RiskEventTypes = r.strs(b, "riskEventTypes_v2")
	if len(s.RiskEventTypes) == 0 {
		s.RiskEventTypes = r.strs(b, "riskEventTypes")
	}
}

// duration reads the Event Hub durationMs: a number, a numeric string or a
// float; missing means unknown (BR-07, BR-08).
func (r *rec) duration() (float64, bool) {
	for _, o := range r.scopes() {
		if o.has("durationMs") {
			return r.num(o, "durationMs")
		}
	}
	return 0, false
}

// foldEnum folds an enum-like value for lookup (BR-26). A raw value that
// folds to nothing ("--") is kept as written, so that a non-empty value
// never becomes empty.
func foldEnum(raw string) string {
	t := strings.TrimSpace(raw)
	if f := entra.Fold(t); f != "" {
		return f
	}
	return t
}

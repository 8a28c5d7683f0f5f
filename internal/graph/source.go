package graph

import (
	"net/url"
	"strconv"
	"time"
)

// Source is one thing a pull reads; each becomes one file of the export.
type Source string

// Sources, in the order a pull reads them. The user's profile comes first
// because the others filter on the user's object id. Non-interactive
// sign-ins come last: they are by far the most numerous (every token
// refresh), so a budget that runs out cuts them first.
const (
	SourceUser                  Source = "user"
	SourceRiskyUsers            Source = "risky-users"
	SourceRiskDetections        Source = "risk-detections"
	SourceSignInsInteractive    Source = "signins-interactive"
	SourceAuditsInitiated       Source = "audits-initiated-by-user"
	SourceAuditsTargeted        Source = "audits-targeting-user"
	SourceSignInsNonInteractive Source = "signins-noninteractive"
)

// File is the name of the source's file in an export.
func (s Source) File() string { return string(s) + ".json" }

func (s Source) noun() string {
	switch s {
	case SourceSignInsInteractive, SourceSignInsNonInteractive:
		return "sign-in logs"
	case SourceAuditsInitiated, SourceAuditsTargeted:
		return "directory audit logs"
	case SourceRiskDetections:
		return "risk detections"
	}
	return string(s)
}

// Application permissions, one per family of endpoints.
const (
	PermAuditLog    = "AuditLog.Read.All"
	PermRiskyUser   = "IdentityRiskyUser.Read.All"
	PermRiskEvent   = "IdentityRiskEvent.Read.All"
	PermUserReadAll = "User.Read.All"
)

// The profile's fields and its manager's.
const (
	profileSelect = "id,displayName,userPrincipalName,mail,jobTitle,department,companyName," +
		"officeLocation,city,country,usageLocation,accountEnabled,createdDateTime," +
		"onPremisesSyncEnabled"
	managerExpand = "manager($select=id,displayName,userPrincipalName)"
	// riskyUserSelect are the fields of the at-risk list.
	riskyUserSelect = "id,userPrincipalName,userDisplayName,riskLevel,riskState,riskDetail," +
		"riskLastUpdatedDateTime"
)

// query is one list request and everything needed to page through it.
type query struct {
	source     Source
	version    string // "v1.0" or "beta"
	path       string
	params     url.Values
	permission string
	// dedupe names the set of ids the source shares with others: the two
	// audit queries overlap wherever the user acted on their own account.
	dedupe string
	// window is the span the source's filter asks for; zero for sources
	// that are not filtered on time.
	window Window
}

// url is the first page's address on host.
func (q query) url(host string) string {
	u := host + "/" + q.version + "/" + q.path
	if len(q.params) > 0 {
		u += "?" + encodeQuery(q.params)
	}
	return u
}

// userQueries are the list requests of one user's pull, in reading order,
// for the user's object id. signIns and risk are the windows the
// retention of each allows.
func userQueries(id string, signIns, risk Window, top int) []query {
	t := strconv.Itoa(top)
	list := func(filter string) url.Values {
		return url.Values{"$filter": {filter}, "$top": {t}}
	}
	uid := odataString(id)
	signInsOf := func(kind string) string {
		return and(between("createdDateTime", signIns), "userId eq "+uid,
			"signInEventTypes/any(t: t eq "+odataString(kind)+")")
	}
	return []query{
		{source: SourceRiskyUsers, version: "v1.0", path: "identityProtection/riskyUsers",
			params: list("id eq " + uid), permission: PermRiskyUser},
		{source: SourceRiskDetections, version: "v1.0", path: "identityProtection/riskDetections",
			params:     list(and("userId eq "+uid, between("detectedDateTime", risk))),
			permission: PermRiskEvent, window: risk},
		{source: SourceSignInsInteractive, version: "beta", path: "auditLogs/signIns",
			params: list(signInsOf("interactiveUser")), permission: PermAuditLog, window: signIns},
		{source: SourceAuditsInitiated, version: "v1.0", path: "auditLogs/directoryAudits",
			params: list(and(between("activityDateTime", signIns),
				"initiatedBy/user/id eq "+uid)),
			permission: PermAuditLog, dedupe: "audits", window: signIns},
		{source: SourceAuditsTargeted, version: "v1.0", path: "auditLogs/directoryAudits",
			params: list(and(between("activityDateTime", signIns),
				"targetResources/any(t: t/id eq "+uid+")")),
			permission: PermAuditLog, dedupe: "audits", window: signIns},
		{source: SourceSignInsNonInteractive, version: "beta", path: "auditLogs/signIns",
			params: list(signInsOf("nonInteractiveUser")), permission: PermAuditLog,
			window: signIns},
	}
}

// profileURL is the address of the user's profile with the fields the
// investigation reads and the manager. Graph returns only a handful of
// fields without $select, not the department or the country.
func profileURL(host, upn string) string {
	return host + "/v1.0/users/" + url.PathEscape(upn) + "?" +
		encodeQuery(url.Values{"$select": {profileSelect}, "$expand": {managerExpand}})
}

// atRiskQuery lists the users Identity Protection holds at risk, with the
// fields RiskyUser reads; a non-zero since keeps those whose risk changed
// at or after it.
func atRiskQuery(top int, since time.Time) query {
	filter := "riskState eq 'atRisk'"
	if !since.IsZero() {
		filter = and(filter, "riskLastUpdatedDateTime ge "+odataTime(since))
	}
	return query{source: SourceRiskyUsers, version: "v1.0", path: "identityProtection/riskyUsers",
		params: url.Values{"$filter": {filter}, "$top": {strconv.Itoa(top)},
			"$select": {riskyUserSelect}},
		permission: PermRiskyUser}
}

package ingest

import (
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// logCategory is what an Event Hub category or a Log Analytics table name
// says a record holds.
type logCategory struct {
	kind   Kind
	source entra.Source
}

// logCategories is keyed by the folded name with any "aad" prefix removed,
// so the Event Hub category "NonInteractiveUserSignInLogs" and the table
// "AADNonInteractiveUserSignInLogs" meet on one entry.
var logCategories = map[string]logCategory{
	"signinlogs":                          {KindSignIn, entra.SourceInteractive},
	"noninteractiveusersigninlogs":        {KindSignIn, entra.SourceNonInteractive},
	"serviceprincipalsigninlogs":          {KindSignIn, entra.SourceServicePrincipal},
	"microsoftserviceprincipalsigninlogs": {KindSignIn, entra.SourceServicePrincipal},
	"managedidentitysigninlogs":           {KindSignIn, entra.SourceManagedIdentity},
	"adfssigninlogs":                      {KindSignIn, entra.SourceADFS},
	"auditlogs":                           {KindAudit, ""},
	"audit":                               {KindAudit, ""}, // the 2018 schema
	"userriskevents":                      {KindRisk, ""},
	"serviceprincipalriskevents":          {KindRisk, ""},
	"riskyusers":                          {KindRiskyUser, ""},
}

// lookupCategory returns what a category or table name holds. Any other
// name ending in "SignInLogs" is a sign-in log of a kind not listed yet.
func lookupCategory(name string) (logCategory, bool) {
	f := strings.TrimPrefix(entra.Fold(name), "aad")
	if c, ok := logCategories[f]; ok {
		return c, true
	}
	if strings.HasSuffix(f, "signinlogs") {
		return logCategory{KindSignIn, entra.SourceUnknown}, true
	}
	return logCategory{}, false
}

// classify decides what the record is. The log category (Log Analytics
// "Type", the Event Hub "category") decides when there is one; otherwise the
// fields do. unknownCategory is set when a category was given but is not
// one idtriage reads.
func (r *rec) classify() (k Kind, src entra.Source, unknownCategory string) {
	name := r.categoryName()
	if name == "" {
		k, src = r.sniff()
		return k, src, ""
	}
	if c, ok := lookupCategory(name); ok {
		if c.kind == KindSignIn && c.source == entra.SourceUnknown {
			r.f.warn("signin.category: unlisted sign-in category " + clip(name))
		}
		return c.kind, c.source, ""
	}
	// Hand-made events put the audit's own category ("Policy") where the
	// log category belongs; the body still says what the record is.
	if k, _ = r.sniff(); k == KindAudit {
		r.f.warn("audit.category: directory category in the log category field")
		return KindAudit, "", ""
	}
	return KindUnknown, "", name
}

// categoryName returns the log category the record carries: the Log
// Analytics "Type" column, else the Event Hub "category", else a flat
// record's "category" when it names a log (a Graph audit's own category,
// such as "UserManagement", is not one).
func (r *rec) categoryName() string {
	if s, ok := r.plain(r.env, "type"); ok {
		return s
	}
	s, ok := r.plain(r.env, "category")
	if !ok {
		return ""
	}
	if r.env != r.body {
		return s
	}
	if _, known := lookupCategory(s); known {
		return s
	}
	return ""
}

// plain returns a non-empty string value at key without counting anything.
func (r *rec) plain(o *obj, key string) (string, bool) {
	v, _ := o.get(key)
	s, ok := v.(string)
	s = strings.TrimSpace(s)
	return s, ok && s != ""
}

// sniff classifies a record that names no log by the fields it has.
func (r *rec) sniff() (Kind, entra.Source) {
	b := r.body
	if t, ok := r.plain(b, "@odata.type"); ok {
		if k, ok := odataKinds[strings.ToLower(t)]; ok {
			return k, r.sourceFromFields()
		}
	}
	switch {
	case b.has("ip") && (b.has("asn") || b.has("threat") || b.has("country_code")):
		return KindIPInfo, ""
	case b.has("riskLastUpdatedDateTime") || b.has("isProcessing") && b.has("riskState"):
		return KindRiskyUser, ""
	case b.has("riskEventType") || b.has("riskType") || b.has("detectedDateTime"):
		return KindRisk, ""
	case hasAny(b, "activityDisplayName", "initiatedBy", "targetResources", "loggedByService"):
		return KindAudit, ""
	case isUserProfile(b):
		return KindUser, ""
	case hasAny(b, signInFields...):
		return KindSignIn, r.sourceFromFields()
	}
	return KindUnknown, ""
}

var odataKinds = map[string]Kind{
	"#microsoft.graph.signin":         KindSignIn,
	"#microsoft.graph.directoryaudit": KindAudit,
	"#microsoft.graph.riskdetection":  KindRisk,
	"#microsoft.graph.riskyuser":      KindRiskyUser,
	"#microsoft.graph.user":           KindUser,
}

// signInFields are fields only sign-ins carry, in any of the shapes.
var signInFields = []string{"createdDateTime", "status", "resultType", "conditionalAccessStatus",
	"appliedConditionalAccessPolicies", "conditionalAccessPolicies", "isInteractive",
	"signInEventTypes", "authenticationDetails", "clientAppUsed", "originalRequestId"}

// isUserProfile recognises a Graph user object: a principal name with
// directory attributes, or with only its object id (a users export
// selected down to id and userPrincipalName, which hunt reads as its
// directory), and none of the sign-in fields.
func isUserProfile(b *obj) bool {
	if !b.has("userPrincipalName") {
		return false
	}
	if hasAny(b, "status", "resultType", "appId", "ipAddress", "conditionalAccessStatus",
		"isInteractive", "signInEventTypes", "userId") {
		return false
	}
	if hasAny(b, "jobTitle", "department", "accountEnabled", "officeLocation", "givenName",
		"surname", "businessPhones", "usageLocation", "companyName") {
		return true
	}
	return b.has("id") && !hasAny(b, signInFields...)
}

func hasAny(o *obj, keys ...string) bool {
	for _, k := range keys {
		if o.has(k) {
			return true
		}
	}
	return false
}

// clip shortens a string from a log for use in a warning key or message.
func clip(s string) string {
	const n = 60
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

package ingest

import (
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// audit normalises a directory audit event: Graph directoryAudit, the
// Event Hub AuditLogs record, a Log Analytics AuditLogs row, or the 2018
// Event Hub "Audit" schema. It rejects the record only when no time can be
// read.
func (r *rec) audit() (entra.Audit, bool) {
	b := r.body
	a := entra.Audit{Pos: r.pos()}
	t, approx, ok := r.eventTime("activityDateTime")
	if !ok {
		r.fail("activityDateTime", "no readable time in activityDateTime, TimeGenerated or time")
		return a, false
	}
	a.Time, a.TimeApprox = t, approx

	a.ID = r.str(b, "id")
	a.CorrelationID = r.anyStr("correlationId")
	a.Activity = strings.TrimSpace(r.anyStr("activityDisplayName", "operationName"))
	a.Category = r.auditCategory()
	a.LoggedByService = r.str(b, "loggedByService")
	a.OperationType = r.anyStr("operationType", "aadOperationType")
	a.Result = r.auditResult()
	a.ResultReason = r.anyStr("resultReason")
	if a.ResultReason == "" {
		a.ResultReason = r.anyStr("resultDescription")
	}

	a.Actor = r.actor()
	a.Targets = r.targets()
	if len(a.Targets) == 0 {
		a.Targets = r.legacyTarget()
	}
	a.AdditionalDetails = r.details()
	a.DurationMs, a.HasDuration = r.duration()
	a.Raw = r.raw
	return a, true
}

// auditCategory is the directory category ("UserManagement"): the body's
// category, the 2018 schema's auditEventCategory, or a flat record's
// category, skipping values that name a log ("AuditLogs").
func (r *rec) auditCategory() string {
	for _, o := range r.scopes() {
		for _, k := range []string{"category", "auditEventCategory"} {
			if s, ok := r.plain(o, k); ok {
				if _, isLog := lookupCategory(s); !isLog {
					return s
				}
			}
		}
	}
	return ""
}

// auditResult folds result (Graph), Result (Log Analytics) or the 2018
// schema's resultType into success, failure, timeout or unknown. A numeric
// result is the enum's index: 0 success, 1 failure, 2 timeout.
func (r *rec) auditResult() string {
	o, key, ok := r.first("result", "resultType")
	if !ok {
		return "unknown"
	}
	v, _ := o.get(key)
	switch x := v.(type) {
	case float64:
		switch x {
		case 0:
			return "success"
		case 1:
			return "failure"
		case 2:
			return "timeout"
		}
	case string:
		if w := outcomeWord(x); w != "" {
			return w
		}
		switch entra.Fold(x) {
		case "timeout", "2":
			return "timeout"
		case "0":
			return "success"
		case "1":
			return "failure"
		case "unknownfuturevalue", "unknown":
			return "unknown"
		}
	case bool:
		if x {
			return "success"
		}
		return "failure"
	}
	r.warn(o.child(key), "unknown result kept as unknown")
	return "unknown"
}

// actor resolves initiatedBy from whichever side, user or app, names
// someone; the other side is usually null (BR-02). The 2018 schema has no
// initiatedBy and names the initiator in the envelope's identity.
func (r *rec) actor() entra.Actor {
	ib := r.object(r.body, "initiatedBy")
	user, app := r.object(ib, "user"), r.object(ib, "app")
	var a entra.Actor
	switch {
	case hasAny(user, "id", "userPrincipalName", "displayName", "ipAddress"):
		a = entra.Actor{Type: entra.ActorUser,
			ID:                r.str(user, "id"),
			UserPrincipalName: r.str(user, "userPrincipalName"),
			DisplayName:       r.str(user, "displayName"),
		}
		if raw := r.str(user, "ipAddress"); raw != "" {
			_, a.IPRaw = r.ip("initiatedBy.user.ipAddress", raw)
		}
	case hasAny(app, "appId", "displayName", "servicePrincipalId", "servicePrincipalName"):
		a = entra.Actor{Type: entra.ActorApp,
			AppID:              r.str(app, "appId"),
			DisplayName:        r.str(app, "displayName"),
			ServicePrincipalID: r.str(app, "servicePrincipalId"),
		}
		if a.DisplayName == "" {
			a.DisplayName = r.str(app, "servicePrincipalName")
		}
	default:
		a = r.legacyActor()
	}
	if a.IPRaw == "" {
		if raw := r.anyStr("callerIpAddress"); !isNone(raw) {
			_, a.IPRaw = r.ip("callerIpAddress", raw)
		}
	}
	return a
}

// legacyActor reads the envelope's identity: a principal name when the
// 2018 schema says identityType UPN (or the name has an @), else a service
// name kept as the display name of an unknown actor.
func (r *rec) legacyActor() entra.Actor {
	a := entra.Actor{Type: entra.ActorUnknown}
	id := strings.TrimSpace(r.str(r.env, "identity"))
	if isNone(id) || strings.EqualFold(id, "NA") {
		return a
	}
	if strings.EqualFold(r.str(r.body, "identityType"), "UPN") || strings.Contains(id, "@") {
		a.Type, a.UserPrincipalName = entra.ActorUser, id
		return a
	}
	a.DisplayName = id
	return a
}

// details reads additionalDetails as key/value pairs.
func (r *rec) details() []entra.KeyValue {
	var out []entra.KeyValue
	for _, o := range r.objects(r.body, "additionalDetails") {
		out = append(out, entra.KeyValue{Key: r.str(o, "key"), Value: r.str(o, "value")})
	}
	return out
}

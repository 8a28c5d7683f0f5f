package ingest

import (
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/jsonx"
)

// riskDetection normalises an Identity Protection detection: Graph
// riskDetection (v1.0 or beta), the Event Hub UserRiskEvents and
// ServicePrincipalRiskEvents records, or a PowerShell CSV row (US dates,
// flattened location). It rejects the record only when no time can be
// read.
func (r *rec) riskDetection() (entra.RiskDetection, bool) {
	b := r.body
	d := entra.RiskDetection{Pos: r.pos()}
	if !r.riskTimes(&d) {
		r.fail("activityDateTime", "no readable time in activityDateTime, detectedDateTime, "+
			"lastUpdatedDateTime, TimeGenerated or time")
		return d, false
	}
	d.ID = r.str(b, "id")
	d.RequestID = r.str(b, "requestId")
	// The Event Hub envelope's correlationId is the detection id; the
	// body's is the sign-in's.
	d.CorrelationID = r.str(b, "correlationId")
	d.EventType = riskType(r.str(b, "riskEventType"), r.str(b, "riskType"))
	d.RiskLevel = r.str(b, "riskLevel")
	d.RiskState = r.str(b, "riskState")
	d.RiskDetail = r.str(b, "riskDetail")
	d.Source = r.str(b, "source")
	d.TimingType = r.str(b, "detectionTimingType")
	d.Activity = r.str(b, "activity")

	if raw := r.anyStr("ipAddress", "callerIpAddress"); raw != "" {
		d.IP, d.IPRaw = r.ip("ipAddress", raw)
	}
	if o := r.object(b, "location"); o != nil {
		d.Location = r.location(o)
	} else {
		// PowerShell flattens the location into columns.
		d.Location = r.location(b)
	}
	d.UserID = r.str(b, "userId")
	d.UserPrincipalName = r.str(b, "userPrincipalName")
	d.UserDisplayName = r.str(b, "userDisplayName")
	d.ServicePrincipalID = r.str(b, "servicePrincipalId")
	d.AdditionalInfo = r.additionalInfo()
	return d, true
}

// riskTimes reads the three detection times. With none, the Log
// Analytics or Event Hub record time stands in as the last update,
// approximately.
func (r *rec) riskTimes(d *entra.RiskDetection) bool {
	var approx [3]bool
	d.ActivityTime, approx[0], _, _ = r.timeAt(r.body, "activityDateTime")
	d.DetectedTime, approx[1], _, _ = r.timeAt(r.body, "detectedDateTime")
	d.LastUpdated, approx[2], _, _ = r.timeAt(r.body, "lastUpdatedDateTime")
	d.TimeApprox = approx[0] || approx[1] || approx[2]
	if !d.Time().IsZero() {
		return true
	}
	t, _, ok := r.eventTime("lastUpdatedDateTime")
	d.LastUpdated, d.TimeApprox = t, true
	return ok
}

// riskType picks the more specific of riskEventType (v1.0) and riskType
// (beta): the Event Hub record has both, and riskType may be the catch-all
// "generic" where riskEventType says "passwordSpray".
func riskType(eventType, typ string) string {
	for _, s := range []string{eventType, typ} {
		if s != "" && !strings.EqualFold(s, "generic") {
			return s
		}
	}
	if eventType != "" {
		return eventType
	}
	return typ
}

// additionalInfo keeps the raw text of additionalInfo, which is JSON
// inside a string; an exporter that decoded it gets it re-encoded.
func (r *rec) additionalInfo() string {
	v, ok := r.body.get("additionalInfo")
	if !ok || v == nil {
		return ""
	}
	if s, isStr := v.(string); isStr {
		return s
	}
	b, _ := jsonx.Marshal(v)
	return string(b)
}

// riskyUser normalises a riskyUser (Graph, Event Hub RiskyUsers, CSV).
// Its booleans may be "True"/"False" text or the docs placeholder
// "Boolean"; an unreadable time leaves LastUpdated zero.
func (r *rec) riskyUser() entra.RiskyUser {
	b := r.body
	u := entra.RiskyUser{
		ID:                r.str(b, "id"),
		UserPrincipalName: r.str(b, "userPrincipalName"),
		UserDisplayName:   r.str(b, "userDisplayName"),
		RiskLevel:         r.str(b, "riskLevel"),
		RiskState:         r.str(b, "riskState"),
		RiskDetail:        r.str(b, "riskDetail"),
		Pos:               r.pos(),
	}
	if u.ID == "" {
		u.ID = r.str(b, "userId")
	}
	t, _, present, ok := r.timeAt(b, "riskLastUpdatedDateTime")
	if !present {
		t, _, ok = r.eventTime("riskLastUpdatedDateTime")
	}
	if ok {
		u.LastUpdated = t
	}
	u.IsDeleted, _ = r.flag(b, "isDeleted")
	u.IsProcessing, _ = r.flag(b, "isProcessing")
	return u
}

package simulate

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// audit is one directory audit event the generator writes.
type audit struct {
	t        time.Time
	activity string
	category string
	service  string
	opType   string
	ok       bool
	reason   string
	// actor initiated the event from ip; with no actor, app did.
	actor  *user
	app    string
	ip     string
	target *user
	method string // the AuthenticationMethod detail, "" for none
	ua     string
	id     string
	corr   string
}

// Services that log the events.
const (
	svcSSPR     = "Self-service Password Management"
	svcMethods  = "Authentication Methods"
	svcCore     = "Core Directory"
	svcPIM      = "PIM"
	actProgress = "Self-service password reset flow activity progress"
	actReset    = "Reset password (self-service)"
	actUnlock   = "Unlock user account (self-service)"
	actBlocked  = "Blocked from self-service password reset"
	actRegister = "User registered security info"
	actStarted  = "User started security info registration"
	actAddUser  = "Add user"
	actUpdate   = "Update user"
	actGroup    = "Add member to group"
	actRole     = "Add member to role"
)

// newAudit returns an event of u's own doing from ip.
func newAudit(rng *rand.Rand, t time.Time, u *user, activity, service string, ok bool,
	reason, ip string) *audit {
	a := &audit{t: t, activity: activity, category: "UserManagement", service: service,
		opType: "Update", ok: ok, reason: reason, actor: u, ip: ip, target: u,
		corr: uuid(rng), ua: u.laptop.ua}
	prefix := "Directory"
	switch service {
	case svcSSPR:
		prefix = "SSPR"
	case svcMethods:
		prefix = "Authentication Methods"
	}
	a.id = prefix + "_" + a.corr + "_" + strconv.Itoa(rng.IntN(90000)+10000) + "_" +
		strconv.Itoa(rng.IntN(1e8))
	return a
}

// write appends the event as one Graph directoryAudit object.
func (a *audit) write(w *jw) {
	w.open('{')
	w.str("id", a.id)
	w.str("category", a.category)
	w.str("correlationId", a.corr)
	if a.ok {
		w.str("result", "success")
	} else {
		w.str("result", "failure")
	}
	w.str("resultReason", a.reason)
	w.str("activityDisplayName", a.activity)
	w.time("activityDateTime", a.t)
	w.str("loggedByService", a.service)
	w.str("operationType", a.opType)
	w.obj("initiatedBy")
	if a.actor != nil {
		w.null("app")
		w.obj("user")
		w.str("id", a.actor.id)
		w.null("displayName")
		w.str("userPrincipalName", a.actor.upn)
		w.str("ipAddress", a.ip)
		w.null("userType")
		w.null("homeTenantId")
		w.null("homeTenantName")
		w.close('}')
	} else {
		w.obj("app")
		w.str("appId", appSync.id)
		w.str("displayName", a.app)
		w.str("servicePrincipalId", "3b0c4a55-7d2e-4f61-9a8b-1c2d3e4f5a6b")
		w.str("servicePrincipalName", a.app)
		w.close('}')
		w.null("user")
	}
	w.close('}')
	w.arr("targetResources")
	if t := a.target; t != nil {
		w.open('{')
		w.str("id", t.id)
		w.str("displayName", t.name)
		w.str("type", "User")
		w.str("userPrincipalName", t.upn)
		w.null("groupType")
		w.strs("modifiedProperties")
		w.close('}')
	}
	w.close(']')
	w.arr("additionalDetails")
	if a.method != "" {
		w.open('{')
		w.str("key", "AuthenticationMethod")
		w.str("value", a.method)
		w.close('}')
	}
	if a.ua != "" {
		w.open('{')
		w.str("key", "User-Agent")
		w.str("value", a.ua)
		w.close('}')
	}
	w.close(']')
	w.close('}')
}

package detect

import "github.com/idtriage/idtriage/internal/entra"

// auditFacts is what the rules read of a directory audit event beyond its
// time, user, address and outcome (event.ok).
type auditFacts struct {
	activity entra.ActivityKind
	name     string // activity display name
	reason   string
	actor    string // UserKey of the initiating user
}

// noAudit is the audit fields of an event that is no audit: all empty.
var noAudit = &auditFacts{}

// aud returns the event's audit fields, empty ones for another kind.
func (e *event) aud() *auditFacts {
	if e.audit == nil {
		return noAudit
	}
	return e.audit
}

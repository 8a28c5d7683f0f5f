package investigate

import (
	"cmp"
	"slices"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
)

// redactionRecords keeps, of the tenant's sign-ins and audit events, what
// redaction learns names from (report.Redact reads the whole Set): per
// distinct set of names, the copy that comes first in Set order, with only
// those names. Redaction lets the first record to name a value claim it,
// and a record that names again what an earlier one named claims nothing,
// so learning from these copies, in Set order, learns what learning from
// every record does.
type redactionRecords struct {
	signIns map[string]*entra.SignIn
	audits  map[string]*entra.Audit
}

func newRedactionRecords() *redactionRecords {
	return &redactionRecords{signIns: map[string]*entra.SignIn{}, audits: map[string]*entra.Audit{}}
}

// signIn keeps the names of one merged sign-in.
func (r *redactionRecords) signIn(s *entra.SignIn) {
	c := &entra.SignIn{ID: s.ID, Time: s.Time, Pos: s.Pos, Source: s.Source,
		UserPrincipalName: s.UserPrincipalName, UserID: s.UserID,
		UserDisplayName: s.UserDisplayName, ServicePrincipalID: s.ServicePrincipalID,
		ServicePrincipalName: s.ServicePrincipalName, AppID: s.AppID,
		AppDisplayName: s.AppDisplayName, ResourceID: s.ResourceID,
		ResourceDisplayName: s.ResourceDisplayName, IPRaw: s.IPRaw,
		Location:     entra.Location{City: s.Location.City},
		Device:       entra.Device{ID: s.Device.ID, DisplayName: s.Device.DisplayName},
		NetworkNames: slices.Clone(s.NetworkNames)}
	names := []string{string(c.Source), c.UserPrincipalName, c.UserID, c.UserDisplayName,
		c.ServicePrincipalID, c.ServicePrincipalName, c.AppID, c.AppDisplayName, c.ResourceID,
		c.ResourceDisplayName, c.IPRaw, c.Location.City, c.Device.ID, c.Device.DisplayName}
	for _, p := range s.Policies {
		c.Policies = append(c.Policies, entra.CAPolicy{ID: p.ID, DisplayName: p.DisplayName})
		names = append(names, "policy", p.ID, p.DisplayName)
	}
	names = append(names, "networks")
	names = append(names, c.NetworkNames...)
	k := strings.Join(names, "\x00")
	if kept := r.signIns[k]; kept == nil || cmpSignIn(c, kept) < 0 {
		r.signIns[k] = c
	}
}

// audit keeps the names of one audit event.
func (r *redactionRecords) audit(a *entra.Audit) {
	c := &entra.Audit{ID: a.ID, Time: a.Time, Pos: a.Pos, Actor: a.Actor}
	c.Actor.IPRaw = ""
	names := []string{string(c.Actor.Type), c.Actor.ID, c.Actor.UserPrincipalName,
		c.Actor.DisplayName, c.Actor.AppID, c.Actor.ServicePrincipalID}
	for _, t := range a.Targets {
		c.Targets = append(c.Targets, entra.Target{ID: t.ID, DisplayName: t.DisplayName,
			Type: t.Type, UserPrincipalName: t.UserPrincipalName})
		names = append(names, "target", t.ID, t.DisplayName, t.Type, t.UserPrincipalName)
	}
	k := strings.Join(names, "\x00")
	if kept := r.audits[k]; kept == nil || cmpAudit(c, kept) < 0 {
		r.audits[k] = c
	}
}

func cmpAudit(a, b *entra.Audit) int {
	return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.ID, b.ID),
		cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Index, b.Pos.Index))
}

// set returns the copies in Set order, beside the directory records of
// held, which the streamed read keeps whole.
func (r *redactionRecords) set(held *ingest.Set) *ingest.Set {
	out := &ingest.Set{Users: held.Users, RiskyUsers: held.RiskyUsers, Risks: held.Risks}
	for _, s := range r.signIns {
		out.SignIns = append(out.SignIns, *s)
	}
	slices.SortFunc(out.SignIns, func(a, b entra.SignIn) int { return cmpSignIn(&a, &b) })
	for _, a := range r.audits {
		out.Audits = append(out.Audits, *a)
	}
	slices.SortFunc(out.Audits, func(a, b entra.Audit) int { return cmpAudit(&a, &b) })
	return out
}

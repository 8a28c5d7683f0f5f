package investigate

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
)

// redactionRecords keeps, of the tenant's sign-ins and audit events, what
// redaction learns names from (report.Redact reads the whole Set). A
// sign-in is cut into parts that redaction learns from one after another
// (the person or service, the application, the resource, the device, the
// policies, the named networks, and, in a later step, the city of the
// address); per distinct part, the copy that comes first in Set order is
// kept, with only that part's names. Redaction lets the first record to
// name a value claim it, and a part that names again what an earlier one
// named claims nothing, so learning from these copies, in Set order and
// part order, learns what learning from every record does.
type redactionRecords struct {
	signIns map[string]*signInPart
	audits  map[string]*entra.Audit
}

// signInPart is one part of a sign-in: part orders the parts of one
// sign-in as redaction reads them.
type signInPart struct {
	s    entra.SignIn
	part int
}

func newRedactionRecords() *redactionRecords {
	return &redactionRecords{signIns: map[string]*signInPart{},
		audits: map[string]*entra.Audit{}}
}

// signIn keeps the parts of one merged sign-in.
func (r *redactionRecords) signIn(s *entra.SignIn) {
	at := entra.SignIn{ID: s.ID, Time: s.Time, Pos: s.Pos}
	parts := make([]entra.SignIn, 7)
	for i := range parts {
		parts[i] = at
	}
	who := &parts[0]
	who.Source, who.UserPrincipalName, who.UserID = s.Source, s.UserPrincipalName, s.UserID
	who.UserDisplayName = s.UserDisplayName
	who.ServicePrincipalID, who.ServicePrincipalName = s.ServicePrincipalID,
		s.ServicePrincipalName
	parts[1].AppID, parts[1].AppDisplayName = s.AppID, s.AppDisplayName
	parts[2].ResourceID, parts[2].ResourceDisplayName = s.ResourceID, s.ResourceDisplayName
	parts[3].Device = entra.Device{ID: s.Device.ID, DisplayName: s.Device.DisplayName}
	for _, p := range s.Policies {
		parts[4].Policies = append(parts[4].Policies,
			entra.CAPolicy{ID: p.ID, DisplayName: p.DisplayName})
	}
	parts[5].NetworkNames = slices.Clone(s.NetworkNames)
	parts[6].Location.City, parts[6].IPRaw = s.Location.City, s.IPRaw

	for i := range parts {
		c := &parts[i]
		names := []string{strconv.Itoa(i), string(c.Source), c.UserPrincipalName, c.UserID,
			c.UserDisplayName, c.ServicePrincipalID, c.ServicePrincipalName, c.AppID,
			c.AppDisplayName, c.ResourceID, c.ResourceDisplayName, c.Device.ID,
			c.Device.DisplayName, c.Location.City, c.IPRaw}
		for _, p := range c.Policies {
			names = append(names, "policy", p.ID, p.DisplayName)
		}
		names = append(names, "networks")
		names = append(names, c.NetworkNames...)
		k := strings.Join(names, "\x00")
		if kept := r.signIns[k]; kept == nil || cmpSignIn(c, &kept.s) < 0 {
			r.signIns[k] = &signInPart{s: *c, part: i}
		}
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
	parts := make([]*signInPart, 0, len(r.signIns))
	for _, p := range r.signIns {
		parts = append(parts, p)
	}
	slices.SortFunc(parts, func(a, b *signInPart) int {
		return cmp.Or(cmpSignIn(&a.s, &b.s), cmp.Compare(a.part, b.part))
	})
	for _, p := range parts {
		out.SignIns = append(out.SignIns, p.s)
	}
	for _, a := range r.audits {
		out.Audits = append(out.Audits, *a)
	}
	slices.SortFunc(out.Audits, func(a, b entra.Audit) int { return cmpAudit(&a, &b) })
	return out
}

package investigate

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
)

// idPrefix starts a user key that is an object id (see entra.UserKey).
const idPrefix = "id:"

// guid matches an object id written bare, as an analyst may paste it from
// the portal.
var guid = regexp.MustCompile(`^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$`)

// identity is the person a case is about, in the terms idtriage hunt uses:
// key is a user key as entra.UserKey writes it (the principal name
// case-folded, else "id:" and the object id), and upns and ids are the
// principal names and object ids that the input's records tie to that key.
//
// The ties go one step from the key. A principal name's identity holds every
// object id that records carry beside that name; an object id's identity
// holds every principal name carried beside that id. A user renamed in the
// window is therefore one identity under the object id but two under the
// principal names.
type identity struct {
	key  string
	upns map[string]bool
	ids  map[string]bool
}

// owns reports whether a record with this object id and principal name is
// the user's: a record that carries a principal name is matched by it, one
// that carries only an object id by the id, as entra.UserKey keys them.
func (p identity) owns(userID, upn string) bool {
	if n := entra.NormalizeUPN(upn); n != "" {
		return p.upns[n]
	}
	id := objectID(userID)
	return id != "" && p.ids[id]
}

// names reports whether an audit target is the user: by its principal name
// or by its object id, whichever it carries.
func (p identity) names(t entra.Target) bool {
	if n := entra.NormalizeUPN(t.UserPrincipalName); n != "" && p.upns[n] {
		return true
	}
	id := objectID(t.ID)
	return id != "" && p.ids[id]
}

// concerns reports whether the user did an audit event (initiated) or is
// one of its targets.
func (p identity) concerns(a *entra.Audit) bool {
	return p.initiated(a) || slices.ContainsFunc(a.Targets, p.names)
}

// initiated reports whether the user did an audit event.
func (p identity) initiated(a *entra.Audit) bool {
	return a.Actor.Type == entra.ActorUser && p.owns(a.Actor.ID, a.Actor.UserPrincipalName)
}

// keyed reports whether a user key (a detection alert's User) is one of the
// identity's names.
func (p identity) keyed(key string) bool {
	if id, ok := strings.CutPrefix(key, idPrefix); ok {
		return p.ids[id]
	}
	return p.upns[key]
}

// directory ties the principal names and object ids that records carry
// together: every record that names a user by both joins the two.
type directory struct {
	idsOf  map[string]map[string]bool // principal name to object ids
	upnsOf map[string]map[string]bool // object id to principal names
}

// newDirectory reads the ties from every kind of record in set.
func newDirectory(set *ingest.Set) *directory {
	d := &directory{idsOf: map[string]map[string]bool{}, upnsOf: map[string]map[string]bool{}}
	for i := range set.SignIns {
		d.tie(set.SignIns[i].UserID, set.SignIns[i].UserPrincipalName)
	}
	for i := range set.Audits {
		a := &set.Audits[i]
		if a.Actor.Type == entra.ActorUser {
			d.tie(a.Actor.ID, a.Actor.UserPrincipalName)
		}
		for _, t := range a.Targets {
			d.tie(t.ID, t.UserPrincipalName)
		}
	}
	for _, r := range set.Risks {
		d.tie(r.UserID, r.UserPrincipalName)
	}
	for _, r := range set.RiskyUsers {
		d.tie(r.ID, r.UserPrincipalName)
	}
	for _, u := range set.Users {
		d.tie(u.ID, u.UserPrincipalName)
	}
	return d
}

func (d *directory) tie(userID, upn string) {
	n, id := entra.NormalizeUPN(upn), objectID(userID)
	if n == "" || id == "" {
		return
	}
	if d.idsOf[n] == nil {
		d.idsOf[n] = map[string]bool{}
	}
	if d.upnsOf[id] == nil {
		d.upnsOf[id] = map[string]bool{}
	}
	d.idsOf[n][id], d.upnsOf[id][n] = true, true
}

// identity returns the person key names, with the names tied to it.
func (d *directory) identity(key string) identity {
	p := identity{key: key, upns: map[string]bool{}, ids: map[string]bool{}}
	if id, ok := strings.CutPrefix(key, idPrefix); ok {
		p.ids[id] = true
		maps.Copy(p.upns, d.upnsOf[id])
	} else {
		p.upns[key] = true
		maps.Copy(p.ids, d.idsOf[key])
	}
	return p
}

// canonical is the one key a person is listed under: an object id tied to
// a person's principal name is listed as that name (the first in order when
// the id carries several), anything else as itself.
func (d *directory) canonical(key string) string {
	id, ok := strings.CutPrefix(key, idPrefix)
	if !ok {
		return key
	}
	var names []string
	for n := range d.upnsOf[id] {
		if isPerson(n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return key
	}
	return slices.Min(names)
}

// names returns the directory as detect.Options.Directory reads it: each
// object id tied to a person's name, with the name canonical lists it
// under.
func (d *directory) names() map[string]string {
	out := make(map[string]string, len(d.upnsOf))
	for id := range d.upnsOf {
		if n := d.canonical(idPrefix + id); !strings.HasPrefix(n, idPrefix) {
			out[id] = n
		}
	}
	return out
}

// add puts the canonical key of a record that names a person into seen; a
// record naming no usable identity, or an application's principal name,
// adds nothing.
func (d *directory) add(seen map[string]bool, userID, upn string) {
	if k := d.canonical(entra.UserKey(userID, upn)); isPerson(k) {
		seen[k] = true
	}
}

// isPerson reports whether a user key can name a person: an object id, or a
// principal name with a domain (applications' names have none).
func isPerson(key string) bool {
	return strings.HasPrefix(key, idPrefix) || strings.Contains(key, "@")
}

// keyOf turns what --user says into a user key: "id:" and an object id, a
// bare object id in GUID form, or else a principal name.
func keyOf(want string) string {
	s := strings.TrimSpace(want)
	if len(s) > len(idPrefix) && strings.EqualFold(s[:len(idPrefix)], idPrefix) {
		return entra.UserKey(s[len(idPrefix):], "")
	}
	if guid.MatchString(s) {
		return entra.UserKey(s, "")
	}
	return entra.NormalizeUPN(s)
}

// objectID is a record's object id as user keys carry it, or "" when the
// record has no usable one.
func objectID(userID string) string {
	id, _ := strings.CutPrefix(entra.UserKey(userID, ""), idPrefix)
	return id
}

package report

import (
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/geo"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// vocabulary is what redaction learned from the records: each value to
// hide, folded to lower case, and the entity it names. Several values can
// name one entity (a principal name, a display name and an object id are
// one person) and then share its placeholder.
type vocabulary struct {
	entity   map[string]string // folded value -> entity key
	class    map[string]class  // entity key -> class
	internal map[string]bool   // the tenant's domains, folded
}

// minValue is the shortest value learned: shorter ones ("IT", "HR") would
// hide ordinary words.
const minValue = 3

// add records values as names of the entity (cl, key). The first entity
// to claim a value keeps it.
func (v *vocabulary) add(cl class, key string, values ...string) {
	key = strings.ToLower(strings.TrimSpace(key))
	if key == "" || entra.NormalizeUPN(key) == "" {
		return
	}
	ek := string(cl) + ":" + key
	if _, ok := v.class[ek]; !ok {
		v.class[ek] = cl
	}
	for _, val := range values {
		for _, form := range []string{val, Clean(val)} {
			f := strings.ToLower(strings.TrimSpace(form))
			if len(f) < minValue || entra.NormalizeUPN(f) == "" {
				continue
			}
			if _, taken := v.entity[f]; !taken {
				v.entity[f] = ek
			}
		}
	}
}

// user records a person by principal name (else object id) with every
// other name they go by, and the domain of each principal name as the
// tenant's.
func (v *vocabulary) user(upn, id string, names ...string) {
	key := entra.UserKey(id, upn)
	for _, n := range names {
		if key == "" && entra.NormalizeUPN(n) != "" {
			key = "name:" + n
		}
	}
	if key == "" {
		return
	}
	v.add(classUser, key, append([]string{upn, id}, names...)...)
	for _, n := range append([]string{upn}, names...) {
		if at := strings.LastIndexByte(n, '@'); at >= 0 && at < len(n)-1 {
			d := strings.ToLower(strings.TrimSpace(n[at+1:]))
			v.internal[d] = true
		}
	}
}

// app records an application unless it is Microsoft's own.
func (v *vocabulary) app(id, name string) {
	if (id == "" && name == "") || isFirstParty(id, name) {
		return
	}
	key := id
	if key == "" {
		key = name
	}
	v.add(classApp, key, name, id)
}

// learn builds the vocabulary of one case from its records.
func learn(c *investigate.Case, set *ingest.Set) *vocabulary {
	v := &vocabulary{entity: map[string]string{}, class: map[string]class{},
		internal: map[string]bool{}}
	v.user(c.User, "", c.DisplayName)
	learnUsers(v, set)
	learnSignIns(v, set)
	learnAudits(v, set)
	learnCities(v, c, set)
	for i := range set.Users {
		u := &set.Users[i]
		v.add(classSite, u.OfficeLocation, u.OfficeLocation)
		v.add(classOrg, u.CompanyName, u.CompanyName)
	}
	// Domains last: a principal name claims its whole text first.
	for d := range v.internal {
		v.add(classDomain, d, d)
	}
	return v
}

func learnUsers(v *vocabulary, set *ingest.Set) {
	for i := range set.Users {
		u := &set.Users[i]
		v.user(u.UserPrincipalName, u.ID, u.DisplayName, u.Mail)
		if u.Manager != "" {
			v.user(u.Manager, "", u.Manager)
		}
	}
	for i := range set.RiskyUsers {
		r := &set.RiskyUsers[i]
		v.user(r.UserPrincipalName, r.ID, r.UserDisplayName)
	}
	for i := range set.Risks {
		r := &set.Risks[i]
		v.user(r.UserPrincipalName, r.UserID, r.UserDisplayName)
	}
}

func learnSignIns(v *vocabulary, set *ingest.Set) {
	for i := range set.SignIns {
		s := &set.SignIns[i]
		if s.IsServicePrincipal() {
			v.app(s.ServicePrincipalID, s.ServicePrincipalName)
		} else {
			v.user(s.UserPrincipalName, s.UserID, s.UserDisplayName)
		}
		v.app(s.AppID, s.AppDisplayName)
		v.app(s.ResourceID, s.ResourceDisplayName)
		v.add(classDevice, firstOf(s.Device.ID, s.Device.DisplayName), s.Device.DisplayName,
			s.Device.ID)
		for _, p := range s.Policies {
			v.add(classPolicy, firstOf(p.ID, p.DisplayName), p.DisplayName, p.ID)
		}
		for _, n := range s.NetworkNames {
			v.add(classSite, n, n)
		}
	}
}

func learnAudits(v *vocabulary, set *ingest.Set) {
	for i := range set.Audits {
		a := &set.Audits[i]
		switch a.Actor.Type {
		case entra.ActorUser:
			v.user(a.Actor.UserPrincipalName, a.Actor.ID, a.Actor.DisplayName)
		case entra.ActorApp:
			v.app(firstOf(a.Actor.AppID, a.Actor.ServicePrincipalID), a.Actor.DisplayName)
		}
		for _, t := range a.Targets {
			learnTarget(v, t)
		}
	}
}

// learnTarget records an audit target by its type; targetResources[].type
// is "User", "Device", "Group", "Policy", "Application", "ServicePrincipal"
// and a few more that name nothing of the tenant's people or places.
func learnTarget(v *vocabulary, t entra.Target) {
	switch strings.ToLower(t.Type) {
	case "user":
		v.user(t.UserPrincipalName, t.ID, t.DisplayName)
	case "device":
		v.add(classDevice, firstOf(t.ID, t.DisplayName), t.DisplayName, t.ID)
	case "group":
		v.add(classGroup, firstOf(t.ID, t.DisplayName), t.DisplayName, t.ID)
	case "policy":
		v.add(classPolicy, firstOf(t.ID, t.DisplayName), t.DisplayName, t.ID)
	case "application", "serviceprincipal":
		v.app(t.ID, t.DisplayName)
	default:
		if t.UserPrincipalName != "" {
			v.user(t.UserPrincipalName, "", t.DisplayName)
		}
	}
}

// learnCities hides the cities of every address that is not the
// attacker's, and the user's own city; a city that is also a country's name
// stays, since countries do.
func learnCities(v *vocabulary, c *investigate.Case, set *ingest.Set) {
	attacker := map[string]bool{}
	for _, ip := range c.IPs {
		if ip.Role == "suspicious" {
			attacker[ipintel.Key(ip.IP)] = true
		}
	}
	hide := func(city, ip string) {
		if city != "" && !attacker[ipintel.Key(ip)] && geo.CountryCode(city) == "" {
			v.add(classCity, city, city)
		}
	}
	for _, ip := range c.IPs {
		hide(ip.City, ip.IP)
	}
	for i := range set.SignIns {
		hide(set.SignIns[i].Location.City, set.SignIns[i].IPRaw)
	}
	for i := range set.Risks {
		hide(set.Risks[i].Location.City, set.Risks[i].IPRaw)
	}
	for i := range set.Users {
		hide(set.Users[i].City, "")
	}
}

func firstOf(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

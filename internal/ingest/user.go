package ingest

import "github.com/idtriage/idtriage/internal/entra"

// user normalises a Graph user object, the directory profile. manager may
// be a principal name or, with $expand=manager, an object.
func (r *rec) user() entra.User {
	b := r.body
	u := entra.User{
		ID:                r.str(b, "id"),
		UserPrincipalName: r.str(b, "userPrincipalName"),
		DisplayName:       r.str(b, "displayName"),
		Mail:              r.str(b, "mail"),
		JobTitle:          r.str(b, "jobTitle"),
		Department:        r.str(b, "department"),
		CompanyName:       r.str(b, "companyName"),
		OfficeLocation:    r.str(b, "officeLocation"),
		City:              r.str(b, "city"),
		Country:           r.str(b, "country"),
		UsageLocation:     r.str(b, "usageLocation"),
		Pos:               r.pos(),
	}
	if v, ok := r.flag(b, "accountEnabled"); ok {
		u.AccountEnabled = &v
	}
	if t, _, _, ok := r.timeAt(b, "createdDateTime"); ok {
		u.Created = t
	}
	if m, name := r.objectOr(b, "manager"); m != nil {
		u.Manager = r.str(m, "userPrincipalName")
		if u.Manager == "" {
			u.Manager = r.str(m, "displayName")
		}
	} else {
		u.Manager = name
	}
	return u
}

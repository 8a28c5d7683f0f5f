package graphtest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// serveUser answers users/{id or principal name}, with $select and the
// manager when $expand asks for it.
func (s *Server) serveUser(w http.ResponseWriter, r *http.Request, version, key string) {
	key, _ = url.PathUnescape(key)
	u, _ := s.profile(key)
	if u == nil {
		graphError(w, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+key+
			"' does not exist or one of its queried reference-property objects are not present.")
		return
	}
	q := r.URL.Query()
	raw := u.raw
	_, hasManager := u.obj["manager"]
	expand := strings.HasPrefix(q.Get("$expand"), "manager")
	if sel := q.Get("$select"); sel != "" || (hasManager && !expand) {
		view := obj{}
		for k, v := range u.obj {
			keep := sel == "" || k == "id" || slices.Contains(strings.Split(sel, ","), k)
			if keep || (k == "manager" && expand) {
				view[k] = v
			}
		}
		if !expand {
			delete(view, "manager")
		}
		raw, _ = encode(view)
	}
	b := []byte(`{"@odata.context":"` + s.graph.URL + "/" + version + `/$metadata#users/$entity",`)
	b = append(b, raw[1:]...)
	s.count(func(st *Stats) { st.Pages++; st.Records++ })
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// profile finds the user whose id or principal name is key. A user that
// the records name but that has no profile among them gets one made up of
// what the records say, as every user in a tenant has a profile; made is
// then true.
func (s *Server) profile(key string) (u *record, made bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := func(r *record) bool {
		return strings.EqualFold(r.id, key) || strings.EqualFold(r.upn, key) ||
			(r.kind != kindUser && strings.EqualFold(r.userID, key))
	}
	for _, r := range s.records[kindUser] {
		if is(r) {
			return r, false
		}
	}
	for _, k := range []kind{kindRiskyUser, kindSignIn, kindRisk} {
		for _, r := range s.records[k] {
			if !is(r) || r.upn == "" || r.userID == "" {
				continue
			}
			name, _ := r.obj["userDisplayName"].(string)
			o := obj{"id": r.userID, "userPrincipalName": r.upn, "displayName": name}
			raw, _ := encode(o)
			return &record{kind: kindUser, obj: o, raw: raw, id: r.userID, upn: r.upn,
				userID: r.userID}, true
		}
	}
	return nil, false
}

// MadeUpProfile returns the profile the fake serves for a user its files
// give no profile of, and false when the files hold the user's profile
// or do not name the user. A test comparing a pull with its source files
// adds it to the source, since the pull holds it.
func (s *Server) MadeUpProfile(upn string) ([]byte, bool) {
	u, made := s.profile(upn)
	if u == nil || !made {
		return nil, false
	}
	return u.raw, true
}

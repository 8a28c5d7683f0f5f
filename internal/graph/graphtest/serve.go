package graphtest

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// routes maps a collection path to its records and the application
// permission Graph asks for it.
var routes = map[string]struct {
	kind kind
	perm string
}{
	"auditLogs/signIns":                 {kindSignIn, "AuditLog.Read.All"},
	"auditLogs/directoryAudits":         {kindAudit, "AuditLog.Read.All"},
	"identityProtection/riskDetections": {kindRisk, "IdentityRiskEvent.Read.All"},
	"identityProtection/riskyUsers":     {kindRiskyUser, "IdentityRiskyUser.Read.All"},
	"users":                             {kindUser, "User.Read.All"},
}

// serveGraph answers one Graph request: the token first, then the
// permission, then a random fault, then the page.
func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request) {
	s.count(func(st *Stats) { st.Requests++ })
	if s.opts.Latency > 0 {
		time.Sleep(s.opts.Latency)
	}
	version, path, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	coll, key := path, ""
	if strings.HasPrefix(path, "users/") {
		coll, key = "users", strings.TrimPrefix(path, "users/")
	}
	route, known := routes[coll]
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	authorised := s.tokens[tok]
	denied := slices.Contains(s.opts.Deny, route.perm)
	s.mu.Unlock()

	switch {
	case !authorised:
		s.count(func(st *Stats) { st.Unauthorized++ })
		graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken",
			"Access token is empty or invalid.")
	case !known || (version != "v1.0" && version != "beta") || r.Method != http.MethodGet ||
		(coll == "users" && key == ""):
		s.count(func(st *Stats) { st.Unexpected++ })
		graphError(w, http.StatusNotFound, "UnknownError", "no such endpoint in the fake")
	case denied:
		s.count(func(st *Stats) { st.Forbidden++ })
		graphError(w, http.StatusForbidden, "Authorization_RequestDenied",
			"Insufficient privileges to complete the operation.")
	case s.fault(w):
	case key != "":
		s.serveUser(w, r, version, key)
	default:
		s.serveList(w, r, version, coll, route.kind)
	}
}

// fault answers a random 429, 503 or 500, and reports whether it did.
func (s *Server) fault(w http.ResponseWriter) bool {
	s.mu.Lock()
	p := s.rnd.Float64()
	o := s.opts
	s.mu.Unlock()
	after := strconv.Itoa(o.RetryAfter)
	switch {
	case p < o.Throttle:
		s.count(func(st *Stats) { st.Throttled++ })
		w.Header().Set("Retry-After", after)
		graphError(w, http.StatusTooManyRequests, "TooManyRequests",
			"Too many requests, retry after "+after+" seconds.")
	case p < o.Throttle+o.Unavailable:
		s.count(func(st *Stats) { st.Unavailable++ })
		w.Header().Set("Retry-After", after)
		graphError(w, http.StatusServiceUnavailable, "ServiceUnavailable",
			"The service is temporarily unavailable.")
	case p < o.Throttle+o.Unavailable+o.ServerError:
		s.count(func(st *Stats) { st.ServerErrors++ })
		graphError(w, http.StatusInternalServerError, "UnknownError", "")
	default:
		return false
	}
	return true
}

// serveList answers one page of a collection, newest first, with a
// nextLink when more remain.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request, version, coll string, k kind) {
	q := r.URL.Query()
	filter := q.Get("$filter")
	s.mu.Lock()
	s.filters = append(s.filters, filter)
	s.mu.Unlock()
	cs, err := parseFilter(k, filter)
	if err == nil {
		err = s.checkRetention(cs)
	}
	off, okOff := skipOffset(q.Get("$skiptoken"))
	if err != nil || !okOff {
		s.count(func(st *Stats) { st.BadRequests++ })
		graphError(w, http.StatusBadRequest, "BadRequest", "Invalid filter clause")
		return
	}
	recs := s.matching(k, cs)
	size := s.opts.PageSize
	if top, err := strconv.Atoi(q.Get("$top")); err == nil && top > 0 {
		size = min(size, top)
	}

	start := min(off, len(recs))
	s.mu.Lock()
	if start > 0 && s.rnd.Float64() < s.opts.Overlap {
		start--
		s.stats.Overlaps++
	}
	s.stats.Pages++
	end := min(start+size, len(recs))
	s.stats.Records += end - start
	s.mu.Unlock()

	var b bytes.Buffer
	b.WriteString(`{"@odata.context":"` + s.graph.URL + "/" + version + "/$metadata#" + coll +
		`","value":[`)
	for i, rec := range recs[start:end] {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(project(rec, q.Get("$select")))
	}
	b.WriteByte(']')
	if end < len(recs) {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("$skiptoken", skipToken(end))
		link, _ := encode(s.graph.URL + r.URL.Path + "?" + next.Encode())
		b.WriteString(`,"@odata.nextLink":`)
		b.Write(link)
	}
	b.WriteString("}")
	w.Header().Set("Content-Type", "application/json")
	w.Write(b.Bytes())
}

// matching returns the records of k that pass cs, newest first. Without a
// signInEventTypes clause, sign-ins are the interactive ones only, as in
// Graph beta.
func (s *Server) matching(k kind, cs []clause) []*record {
	s.mu.Lock()
	all := s.records[k]
	s.mu.Unlock()
	byType := slices.ContainsFunc(cs, func(c clause) bool { return c.field == "signInEventTypes" })
	var out []*record
	for _, r := range all {
		if r.matches(cs) && (k != kindSignIn || byType || !r.nonInteractive) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b *record) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}

// checkRetention refuses a filter that reaches before the retention.
func (s *Server) checkRetention(cs []clause) error {
	s.mu.Lock()
	now, keep := s.opts.Now, s.opts.Retention
	s.mu.Unlock()
	for _, c := range cs {
		if keep > 0 && c.isAt && c.op == "ge" && c.at.Before(now.Add(-keep)) {
			return errFilter
		}
	}
	return nil
}

// project keeps the $select fields of a record, and its id.
func project(r *record, sel string) []byte {
	if sel == "" {
		return r.raw
	}
	out := obj{}
	for _, f := range append(strings.Split(sel, ","), "id") {
		if v, ok := r.obj[strings.TrimSpace(f)]; ok {
			out[strings.TrimSpace(f)] = v
		}
	}
	b, _ := encode(out)
	return b
}

func graphError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg,
		"innerError": map[string]string{"request-id": "00000000-0000-4000-8000-00000000f00d"}}})
}

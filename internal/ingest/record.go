package ingest

import (
	"fmt"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// handle classifies one decoded record, normalises it into the set, or
// rejects it with an Error. off is its byte offset in the decoded text,
// index its ordinal in the file; utc names the fields whose column header
// declared UTC.
func (f *fileState) handle(m map[string]any, off, index int, utc map[string]bool) {
	env := newObj(m, "")
	r := &rec{f: f, env: env, body: env, off: off, index: index, utc: utc}
	if p, ok := env.get("properties"); ok && isEnvelope(env) {
		r.body = r.properties(p)
	}
	if f.firstKeys == nil {
		f.firstKeys = firstKeys(env)
	}
	kind, src, category := r.classify()
	switch kind {
	case KindUnknown:
		if category != "" {
			f.warn("unknown category: " + clip(category))
			r.fail("category", fmt.Sprintf("unknown category %q: record not read", clip(category)))
			break
		}
		line, col := f.lines.pos(off)
		msg := "not a sign-in, audit, risk, user or IP record: keys " +
			strings.Join(firstKeys(env), ", ")
		f.unknown = append(f.unknown, &Error{File: f.name, Line: line, Column: col,
			Record: index, Msg: msg})
		return
	case KindSignIn:
		r.kind = "signin"
		if s, ok := r.signIn(src); ok {
			f.set.SignIns = append(f.set.SignIns, s)
		}
	case KindAudit:
		r.kind = "audit"
		if a, ok := r.audit(); ok {
			f.set.Audits = append(f.set.Audits, a)
		}
	case KindRisk:
		r.kind = "risk"
		if d, ok := r.riskDetection(); ok {
			f.set.Risks = append(f.set.Risks, d)
		}
	case KindRiskyUser:
		r.kind = "riskyUser"
		f.set.RiskyUsers = append(f.set.RiskyUsers, r.riskyUser())
	case KindUser:
		r.kind = "user"
		f.set.Users = append(f.set.Users, r.user())
	case KindIPInfo:
		r.kind = "ipIntel"
		f.set.IPs = append(f.set.IPs, r.ipInfo())
	}
	if r.reject != nil {
		f.problems = append(f.problems, r.reject)
		f.rep.Rejected++
		return
	}
	f.kept(kind)
}

// properties returns the payload of an Event Hub record: an object, or
// JSON text holding one (decoded once, as any nested field).
func (r *rec) properties(p any) *obj {
	switch x := p.(type) {
	case map[string]any:
		return newObj(x, "")
	case string:
		r.kind = "record" // the kind is not known yet
		if m, ok := r.jsonText("properties", strings.TrimSpace(x)).(map[string]any); ok {
			return newObj(m, "")
		}
	}
	return r.env
}

// isEnvelope reports whether the object is an Event Hub / storage record,
// whose payload sits under "properties".
func isEnvelope(o *obj) bool {
	return hasAny(o, "category", "time", "operationName", "resourceId", "tenantId")
}

// pos is where the record came from, for citing it.
func (r *rec) pos() entra.Pos {
	line, _ := r.f.lines.pos(r.off)
	return entra.Pos{File: r.f.name, Line: line, Index: r.index}
}

// firstKeys lists up to eight keys of a record, clipped, for a reason or
// an error message.
func firstKeys(o *obj) []string {
	ks := o.keys()
	out := make([]string, 0, 9)
	for i, k := range ks {
		if i == 8 {
			out = append(out, fmt.Sprintf("... (%d keys)", len(ks)))
			break
		}
		out = append(out, clip(k))
	}
	if len(out) == 0 {
		out = append(out, "(none)")
	}
	return out
}

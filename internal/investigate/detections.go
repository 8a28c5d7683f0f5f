package investigate

import (
	"slices"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/entra"
)

// runRules runs the detection rules of package detect (the ones idtriage
// hunt runs over a tenant) and keeps the alerts about the user, in
// detect's order, before the window is chosen: the alerts are anchors of
// the window (see chooseWindow), so what a hunt flags for the user lies
// inside it and the baseline is learnt before it.
//
// The rules about one user read the user's records, keyed with every tie
// of object ids and names the input holds (directoryOf). The rules about a
// source address or an application (password spray) read the tenant's
// sign-ins around the user's (see aroundUser), as a hunt would, and an
// alert of theirs is the user's when it names the user: a success after
// the spray, or the user among those the spray touched.
//
// The travel and anonymizer thresholds follow the investigation's Config,
// so one report never judges the same hop two ways; every other parameter
// is detect's default.
func runRules(ev *evidence) error {
	p := detectParams(ev.cfg)
	opts := detect.Options{ProviderNetworks: ev.cfg.ProviderNetworks, Facts: ev.facts,
		BreakGlass: ev.cfg.BreakGlass, Directory: directoryOf(ev), Scopes: []string{"user"}}
	en := detect.NewEngine(p, opts)
	for _, s := range ev.signIns {
		en.SignIn(s)
	}
	for _, a := range ev.audits {
		en.Audit(a)
	}
	for _, r := range ev.risks {
		en.Risk(r)
	}
	alerts := en.Close()

	opts.Scopes = []string{"address", "application"}
	around, err := aroundAlerts(ev, p, opts)
	if err != nil {
		return err
	}
	alerts = append(alerts, around...)
	detect.SortAlerts(alerts)

	for _, a := range alerts {
		if ev.who.keyed(a.User) || a.User == "" && slices.ContainsFunc(a.Users, ev.who.keyed) {
			ev.alerts = append(ev.alerts, a)
		}
	}
	return sharedSprays(ev)
}

// directoryOf gives the rules every tie of object ids and names in the
// input, so that rows giving only an id count with the rows naming the
// person; the user's own ids take the name the case is about, whatever
// other names (a rename) they carry.
func directoryOf(ev *evidence) map[string]string {
	dir := ev.ten.dir.names()
	if !strings.HasPrefix(ev.user, idPrefix) {
		for id := range ev.who.ids {
			dir[id] = ev.user
		}
	}
	return dir
}

// aroundSpan is how far before the user's first sign-in and after the
// last one the tenant's sign-ins are read for the spray rules: more than
// their longest window and follow-up (an hour each by default).
const aroundSpan = 24 * time.Hour

// aroundUser returns the tenant's sign-ins, the user's among them, that
// came from an address the user's sign-ins came from or reached an
// application the user's reached, from aroundSpan before the user's first
// sign-in to aroundSpan after the last: what the spray rules must see to
// judge the addresses and applications of the case as a hunt would.
func aroundUser(ev *evidence) []*entra.SignIn {
	r := aroundReach(ev)
	var out []*entra.SignIn
	for i := range ev.set.SignIns {
		if s := &ev.set.SignIns[i]; r.holds(s) {
			out = append(out, s)
		}
	}
	return out
}

// aroundAlerts runs the rules opts enables over the sign-ins aroundUser
// picks. When the Set holds only the user's records, the sign-ins are read
// again from the input (Tenant.around), oldest first, and the engine, told
// so (detect.Options.Ordered), forgets what no rule can look at again; if
// the input is not in time order after all (a Graph pull runs newest
// first), they are read once more in any order, which the engine then
// holds until it closes, as it holds a whole read's.
func aroundAlerts(ev *evidence, p detect.Params, opts detect.Options) ([]detect.Alert, error) {
	if ev.ten.files == nil {
		en := detect.NewEngine(p, opts)
		for _, s := range aroundUser(ev) {
			en.SignIn(s)
		}
		return en.Close(), nil
	}
	r := aroundReach(ev)
	ordered := opts
	ordered.Ordered = true
	en := detect.NewEngine(p, ordered)
	if err := ev.ten.around(r, true, en.SignIn); err != nil {
		return nil, err
	}
	alerts := en.Close()
	if en.Stats().Late == 0 {
		return alerts, nil
	}
	en = detect.NewEngine(p, opts)
	if err := ev.ten.around(r, false, en.SignIn); err != nil {
		return nil, err
	}
	return en.Close(), nil
}

// eachAround gives fn the sign-ins aroundUser picks: from the Set when it
// holds the whole input, else from the input again (Tenant.around).
func eachAround(ev *evidence, fn func(*entra.SignIn)) error {
	if ev.ten.files == nil {
		for _, s := range aroundUser(ev) {
			fn(s)
		}
		return nil
	}
	return ev.ten.around(aroundReach(ev), false, fn)
}

// aroundReach is where and when the user's sign-ins are, widened by
// aroundSpan; nil when the user has none.
func aroundReach(ev *evidence) *reach {
	if len(ev.signIns) == 0 {
		return nil
	}
	r := &reach{addrs: map[string]bool{}, apps: map[string]bool{},
		from: ev.signIns[0].Time, to: ev.signIns[0].Time}
	for _, s := range ev.signIns {
		r.add(s)
	}
	r.from, r.to = r.from.Add(-aroundSpan), r.to.Add(aroundSpan)
	return r
}

// appKey names a sign-in's application by id, else by display name.
func appKey(s *entra.SignIn) string {
	if s.AppID != "" {
		return "id " + strings.ToLower(s.AppID)
	}
	return "name " + entra.Fold(s.AppDisplayName)
}

// detections reports each rule that fired on the case as a detection
// opportunity: the rule in words with the numbers that crossed its
// threshold, its Sentinel query, and the records behind it. Rules are in
// detect's order; an alert that ended before the suspicious window belongs
// to another story and is left out.
func detections(ev *evidence, _ *analysis) []Detection {
	p := detectParams(ev.cfg)
	fired := map[string][]detect.Alert{}
	for _, a := range ev.alerts {
		if ev.inWindow(a.End) {
			fired[a.Rule] = append(fired[a.Rule], a)
		}
	}
	var out []Detection
	for _, m := range detect.Rules(p) {
		alerts := fired[m.ID]
		if len(alerts) == 0 {
			continue
		}
		kql, _ := detect.KQL(p, m.ID)
		out = append(out, Detection{
			ID: m.ID, Title: m.Title, Technique: m.Technique, Name: m.TechniqueName,
			Tactic: m.Tactic, URL: m.URL(), Rule: ruleText(m, alerts), KQL: kql, Fired: true,
			Evidence: alertRefs(ev, alerts),
		})
	}
	return out
}

// detectParams maps the investigation's thresholds onto the rules', over
// the case's rule parameters or detect's defaults.
func detectParams(cfg Config) detect.Params {
	p := detect.DefaultParams()
	if cfg.Rules != nil {
		p = *cfg.Rules
	}
	if cfg.MaxSpeedKmh > 0 {
		p.ImpossibleTravel.MinSpeedKmh = cfg.MaxSpeedKmh
	}
	if cfg.MinDistanceKm > 0 {
		p.ImpossibleTravel.MinDistanceKm = cfg.MinDistanceKm
	}
	if cfg.AnonymizerScore > 0 {
		p.Anonymizer.MinScore = cfg.AnonymizerScore
	}
	return p
}

// ruleText is the rule in words followed by what made it fire here.
func ruleText(m detect.Meta, alerts []detect.Alert) string {
	reasons := make([]string, len(alerts))
	for i, a := range alerts {
		reasons[i] = a.Reason
	}
	return m.Description + " Here: " + strings.Join(reasons, "; ") + "."
}

// alertRefs cites the records behind the alerts, at most maxRefs of them,
// each once.
func alertRefs(ev *evidence, alerts []detect.Alert) []Ref {
	var refs []Ref
	seen := map[string]bool{}
	for _, a := range alerts {
		for _, id := range a.Records {
			if seen[id] || len(refs) == maxRefs {
				continue
			}
			seen[id] = true
			if r, ok := ev.ref(id); ok {
				refs = append(refs, r)
			}
		}
	}
	return refs
}

// ref finds the user's sign-in or audit event with id.
func (ev *evidence) ref(id string) (Ref, bool) {
	for _, s := range ev.signIns {
		if s.ID == id {
			return signInRef(s), true
		}
	}
	for _, a := range ev.audits {
		if a.ID == id {
			return auditRef(a), true
		}
	}
	return Ref{}, false
}

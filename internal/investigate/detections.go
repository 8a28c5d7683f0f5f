package investigate

import (
	"strings"

	"github.com/idtriage/idtriage/internal/detect"
)

// runRules runs the detection rules of package detect (the ones idtriage
// hunt runs over a tenant) over the user's records and keeps the user's
// alerts, in detect's order, before the window is chosen: the alerts are
// anchors of the window (see chooseWindow), so what a hunt flags for the
// user lies inside it and the baseline is learnt before it.
//
// The travel and anonymizer thresholds follow the investigation's Config,
// so one report never judges the same hop two ways; every other parameter
// is detect's default. Rules about a source address or an application
// (password spray) see only the user's records here, not the tenant's.
func runRules(ev *evidence) {
	en := detect.NewEngine(detectParams(ev.cfg), detect.Options{
		ProviderNetworks: ev.cfg.ProviderNetworks, Facts: ev.facts})
	for _, s := range ev.signIns {
		en.SignIn(s)
	}
	for _, a := range ev.audits {
		en.Audit(a)
	}
	for _, a := range en.Close() {
		if ev.who.keyed(a.User) {
			ev.alerts = append(ev.alerts, a)
		}
	}
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

// detectParams maps the investigation's thresholds onto the rules'.
func detectParams(cfg Config) detect.Params {
	p := detect.DefaultParams()
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

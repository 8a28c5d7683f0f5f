package investigate

import (
	"fmt"
	"slices"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// Run investigates one user's case over everything read into set. It
// returns AmbiguousUserError, UnknownUserError or ErrNoUser when it cannot
// tell whose case it is; every other problem of the input is already in set.
//
// The same set and config give the same case, byte for byte once rendered,
// except Cost.WallTime.
func Run(set *ingest.Set, cfg Config) (*Case, error) {
	start := time.Now()

	ten := cfg.Tenant
	if ten == nil {
		ten = tenantOf(set)
	}
	var user string
	var err error
	if cfg.User != "" {
		user, err = chooseKey(ten.dir, ten.present, cfg.User)
		if unknown, ok := err.(*UnknownUserError); ok && len(ten.present) == 0 {
			unknown.Files = set.Files
		}
	} else {
		user, err = selectUser(set, "")
	}
	if err != nil {
		return nil, err
	}
	model, err := DefaultCostModel()
	if err != nil {
		return nil, err
	}

	// Order matters: the window needs the records and the rules' alerts,
	// the baseline needs the window, and classification needs both.
	ev := gather(set, ten, user, cfg)
	if err := runRules(ev); err != nil {
		return nil, err
	}
	chooseWindow(ev)
	buildBaseline(ev)
	classify(ev)
	an := analyse(ev)

	c := &Case{User: user, Window: ev.window}
	if p := ev.profile; p != nil {
		c.DisplayName, c.JobTitle = p.DisplayName, p.JobTitle
	}
	c.Alert = alertLine(ev)

	c.Findings = append(c.Findings, stepPriorTriage(ev)...)
	c.Findings = append(c.Findings, stepBaseline(ev)...)
	c.Findings = append(c.Findings, stepWindow(ev, an)...)
	c.Findings = append(c.Findings, stepScope(ev, an)...)
	c.Findings = append(c.Findings, stepRecovery(ev, an)...)
	c.Findings = append(c.Findings, stepBlocked(ev, an)...)

	sc := weigh(ev, an)
	c.Verdict = decide(ev, an, sc)
	c.Coverage = append(slices.Clip(sc.coverage), ev.intelGaps...)
	c.InputNotes = inputNotes(ev)
	c.Findings = append(c.Findings, verdictFinding(ev, c.Verdict))

	c.Detections = detections(ev, an)
	c.Timeline = timeline(ev)
	c.IPs = ipSummaries(ev)
	c.Hops = caseHops(ev, an.travel)
	c.Pivots = pivots(ev, an)
	c.Containment = containment(ev, an, c.Verdict)
	c.Lessons = lessons(ev, an)
	c.Sources = sources(ev)
	c.Files = set.Files
	for _, p := range set.Problems {
		c.Problems = append(c.Problems, p.Error())
	}

	c.Cost = estimate(model, c, c.Sources.used(), time.Since(start))
	c.fillEmpty()
	return c, nil
}

// fillEmpty turns nil lists into empty ones, so JSON readers always see an
// array where the contract promises one.
func (c *Case) fillEmpty() {
	for i := range c.Findings {
		c.Findings[i].Evidence = nonNil(c.Findings[i].Evidence)
	}
	for i := range c.Verdict.Signals {
		c.Verdict.Signals[i].Evidence = nonNil(c.Verdict.Signals[i].Evidence)
	}
	c.Verdict.Tensions = nonNil(c.Verdict.Tensions)
	c.Detections = nonNil(c.Detections)
	c.Timeline = nonNil(c.Timeline)
	c.Pivots = nonNil(c.Pivots)
	c.IPs = nonNil(c.IPs)
	c.Lessons = nonNil(c.Lessons)
	c.Containment = nonNil(c.Containment)
	c.Coverage = nonNil(c.Coverage)
	c.InputNotes = nonNil(c.InputNotes)
	c.Files = nonNil(c.Files)
	c.Problems = nonNil(c.Problems)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// verdictFinding answers question 5 as a finding of its own.
func verdictFinding(ev *evidence, v Verdict) Finding {
	kind := KindConfirmed
	if v.Disposition == Undetermined {
		kind = KindNegative
	}
	return Finding{
		Question: 5, Step: "verdict", Kind: kind, Title: "Verdict",
		Statement: fmt.Sprintf("%s, confidence %s (rule %s, %s).", v.Label, v.Confidence,
			v.Rule, plural(len(v.Signals), "signal")),
		Source: "all of the above", Read: len(ev.signIns) + len(ev.audits) + len(ev.risks),
	}
}

// alertLine describes the alert that started the case: the risk record,
// else the rules' alert that anchored the window (what idtriage hunt
// reported), else none.
func alertLine(ev *evidence) string {
	if r := ev.riskyUser; r != nil {
		return fmt.Sprintf("Identity Protection risky user: risk level %s, state %s, "+
			"detail %s, updated %s", r.RiskLevel, r.RiskState, r.RiskDetail,
			clock(r.LastUpdated))
	}
	detection := func(r *entra.RiskDetection) string {
		return fmt.Sprintf("Identity Protection risk detection %s (%s, %s) at %s",
			r.EventType, r.RiskLevel, r.RiskState, clock(r.Time()))
	}
	for i := len(ev.risks) - 1; i >= 0; i-- {
		if leadingRisk(ev, ev.risks[i]) {
			return detection(ev.risks[i])
		}
	}
	if a, ok := leadAlert(ev.alerts); ok {
		supplied := "no alert record supplied"
		if len(ev.risks) > 0 {
			supplied = "the risk detections supplied are low, from the user's usual networks"
		}
		return fmt.Sprintf("%s; the detection rules' most severe alert about the user: "+
			"%s (%s), %s to %s", supplied, a.Rule, a.Severity, clock(a.Start), clock(a.End))
	}
	if len(ev.risks) > 0 {
		return detection(ev.risks[len(ev.risks)-1])
	}
	return "no alert record supplied; the case was opened on the user"
}

func sources(ev *evidence) Sources {
	s := Sources{
		SignIns: len(ev.signIns), Audits: len(ev.audits), RiskDetections: len(ev.risks),
		TenantSignIns: ev.ten.signIns, TenantAudits: ev.ten.audits,
		Rejected: len(ev.set.RecordProblems()),
	}
	if ev.riskyUser != nil {
		s.RiskyUsers = 1
	}
	if ev.profile != nil {
		s.Users = 1
	}
	attempts, intel := map[string]bool{}, map[string]bool{}
	for _, sn := range ev.signIns {
		attempts[sn.AttemptKey()] = true
		if ev.ips.HasIntel(sn.IPRaw) {
			intel[ipintel.Key(sn.IPRaw)] = true
		}
	}
	for _, a := range ev.audits {
		if ip := auditIP(a); ip != "" && ev.ips.HasIntel(ip) {
			intel[ip] = true
		}
	}
	s.Attempts, s.IPIntel = len(attempts), len(intel)
	for _, f := range ev.set.Files {
		if f.Skipped {
			s.Skipped++
		}
	}
	return s
}

// used counts the data sources that held at least one record of the case.
func (s Sources) used() int {
	n := 0
	for _, v := range []int{s.SignIns, s.Audits, s.RiskDetections, s.RiskyUsers, s.Users,
		s.IPIntel} {
		if v > 0 {
			n++
		}
	}
	return n
}

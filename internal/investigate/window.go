package investigate

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// chooseWindow settles the suspicious window. Its anchors are what the alert
// is about, strongest first: the time the analyst gave (Config.At); else
// risky sign-ins and open risk detections; else the most severe of the
// detection rules' alerts about the user (the latest among equals), which
// is what idtriage hunt reported; else the latest burst of failures or
// recovery; else the last day of activity. Failures and recovery close to
// the anchors are pulled in, so that a lockout burst an hour before the
// first risky attempt belongs to the case.
func chooseWindow(ev *evidence) {
	anchors, basis := primaryAnchors(ev)
	secondary := secondaryAnchors(ev)
	if len(anchors) == 0 && len(secondary) > 0 {
		// The latest burst: secondary anchors chained backwards from the last.
		anchors = append(anchors, secondary[len(secondary)-1])
		basis = "the latest failures or account-recovery activity"
	}
	if len(anchors) == 0 {
		if end := ev.lastActivity(); !end.IsZero() {
			ev.window = Window{Start: end.Add(-24 * time.Hour), End: end,
				Basis: "no risk or failure anchor: the last day of activity"}
			return
		}
		ev.window = Window{Basis: "none: the input holds no sign-in, audit event or " +
			"detection of the user to anchor one"}
		return
	}

	sort.Slice(anchors, func(i, j int) bool { return anchors[i].Before(anchors[j]) })
	start := anchors[0].Add(-ev.cfg.WindowPad)
	end := anchors[len(anchors)-1].Add(ev.cfg.WindowPad)

	// Pull in related activity that chains onto either edge. Other alerts
	// are not chained: a travel alert starts at the user's own last
	// sign-in, which belongs to the baseline.
	for changed := true; changed; {
		changed = false
		for _, t := range secondary {
			if t.Before(start) && start.Sub(t) <= ev.cfg.WindowChain {
				start, changed = t.Add(-ev.cfg.WindowPad), true
			}
			if t.After(end) && t.Sub(end) <= ev.cfg.WindowChain {
				end, changed = t.Add(ev.cfg.WindowPad), true
			}
		}
	}
	ev.window = Window{Start: start, End: end, Basis: basis}
}

// primaryAnchors returns the anchors that outrank failures and recovery,
// and the window's basis in words; none when there are none.
func primaryAnchors(ev *evidence) ([]time.Time, string) {
	if !ev.cfg.At.IsZero() {
		return []time.Time{ev.cfg.At}, "the time asked for: " + clock(ev.cfg.At)
	}

	var anchors, low []time.Time
	for _, s := range ev.signIns {
		if isRisky(s) {
			anchors = append(anchors, s.Time)
		}
	}
	for _, r := range ev.risks {
		switch t := r.Time(); {
		case t.IsZero() || riskClosed(r.RiskState):
		case leadingRisk(ev, r):
			anchors = append(anchors, t)
		default:
			low = append(low, t)
		}
	}
	if len(anchors) > 0 {
		return anchors, "risky sign-ins and risk detections"
	}

	if a, ok := leadAlert(ev.alerts); ok {
		basis := fmt.Sprintf("the %s alert %s, %s to %s", a.Severity, a.Rule, clock(a.Start),
			clock(a.End))
		anchors := []time.Time{a.Start, a.End}
		if earlier := earlierSprays(ev.alerts, a); len(earlier) > 0 {
			anchors = append(anchors, earlier...)
			basis += fmt.Sprintf(", and the same address's %s before it",
				plural(len(earlier), "earlier spray"))
		}
		return anchors, basis
	}
	if len(low) > 0 {
		return low, "low-risk detections"
	}
	return nil, ""
}

// leadingRisk reports whether an open risk detection outranks the rules'
// alerts as the case's anchor: a level of medium or high, or hidden (a
// tenant without P2 sees every level so), or a low one from an address
// outside the networks the user usually signs in from. A low detection on
// the user's own network is noise beside a rule's alert (an unfamiliar
// browser at home a week after a password spray would otherwise move the
// window away from the spray) and anchors the case only when nothing else
// does; one on an address the user never uses may be the attack itself.
func leadingRisk(ev *evidence, r *entra.RiskDetection) bool {
	switch strings.ToLower(r.RiskLevel) {
	case "medium", "high", "hidden":
		return true
	}
	return !ev.usualNetwork(r.IPRaw, r.Time())
}

// usualNetwork reports whether at least one in twenty of the user's
// sign-ins more than a day away from at came from the /24 (or /48) of an
// address: the sign-ins around a detection may be the attacker's own, and
// more of them must not make the address look usual. An empty address is
// taken as usual: nothing says otherwise.
func (ev *evidence) usualNetwork(ip string, at time.Time) bool {
	n := ipintel.Network(ip)
	if n == "" {
		return true
	}
	count, all := 0, 0
	for _, s := range ev.signIns {
		if d := s.Time.Sub(at); d > -24*time.Hour && d < 24*time.Hour {
			continue
		}
		all++
		if ipintel.Network(s.IPRaw) == n {
			count++
		}
	}
	return count > 0 && count*20 >= all
}

// leadAlert is the most severe alert, the latest to end among equals.
func leadAlert(alerts []detect.Alert) (detect.Alert, bool) {
	var lead detect.Alert
	for _, a := range alerts {
		r, lr := severityRank(a.Severity), severityRank(lead.Severity)
		if lead.Rule == "" || r > lr || r == lr && a.End.After(lead.End) {
			lead = a
		}
	}
	return lead, lead.Rule != ""
}

// earlierSprays returns the starts of the sprays that the lead alert's
// address made on the user before it: a sprayer that got in and came back
// to spray again is one case, and its session between the sprays must not
// become the baseline the later spray is judged against.
func earlierSprays(alerts []detect.Alert, lead detect.Alert) []time.Time {
	ip := ipintel.Key(lead.Subject)
	if ip == "" || lead.User != "" || !slices.Contains(sprayRules, lead.Rule) {
		return nil
	}
	var out []time.Time
	for _, a := range alerts {
		if a.User == "" && slices.Contains(sprayRules, a.Rule) && ipintel.Key(a.Subject) == ip &&
			a.Start.Before(lead.Start) {
			out = append(out, a.Start)
		}
	}
	return out
}

// severityRank orders detect's severities; an unknown one ranks lowest.
func severityRank(s string) int {
	return slices.Index([]string{detect.SeverityLow, detect.SeverityMedium,
		detect.SeverityHigh, detect.SeverityCritical}, s)
}

// secondaryAnchors are times of failed attempts and account-recovery or
// credential events, sorted.
func secondaryAnchors(ev *evidence) []time.Time {
	var out []time.Time
	for _, s := range ev.signIns {
		switch s.Class() {
		case entra.ClassCredentialFailure, entra.ClassLockout, entra.ClassCABlock,
			entra.ClassProofUpBlocked, entra.ClassMFAFailed:
			out = append(out, s.Time)
		}
	}
	for _, a := range ev.audits {
		k := entra.ClassifyActivity(a.Activity)
		if k.IsSSPR() || k.ChangesCredentials() || k == entra.ActSecurityInfoStarted {
			out = append(out, a.Time)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func (ev *evidence) lastActivity() time.Time {
	var last time.Time
	for _, s := range ev.signIns {
		if s.Time.After(last) {
			last = s.Time
		}
	}
	for _, a := range ev.audits {
		if a.Time.After(last) {
			last = a.Time
		}
	}
	return last
}

// inWindow reports whether t lies in the suspicious window or after it: what
// happens after the window still belongs to the case.
func (ev *evidence) inWindow(t time.Time) bool {
	return !ev.window.Start.IsZero() && !t.Before(ev.window.Start)
}

// isRisky reports whether Identity Protection judged the sign-in risky at
// medium or high and nobody has closed that risk since (BR-33: dismissed,
// remediated and confirmed-safe records stay in the timeline but anchor
// nothing). Risk event types count on their own only when the level is
// hidden or absent (tenants without the licence); a low level with an
// event type is routine noise.
func isRisky(s *entra.SignIn) bool {
	if riskClosed(s.RiskState) {
		return false
	}
	switch strings.ToLower(s.RiskLevelDuringSignIn) {
	case "medium", "high":
		return true
	case "", "hidden":
		for _, t := range s.RiskEventTypes {
			if t != "" && !strings.EqualFold(t, "none") {
				return true
			}
		}
	}
	return false
}

// detectedWithin is how far from an open risk detection's activity time a
// sign-in from its address is taken to be what it detected, as the hunt's
// ENTRA-RISK-DETECTION-SUCCESS ties them.
const detectedWithin = time.Hour

// detected reports whether an open Identity Protection detection of the
// user, of level medium or above (or hidden, with a type), names the
// sign-in: by request id, else by address within detectedWithin. Offline
// detections (a stolen token found hours later) never change the sign-in's
// own risk fields, so without this a sign-in they flag reads as clean and,
// with a thin baseline, as the user's.
func (ev *evidence) detected(s *entra.SignIn) bool {
	ip := ipintel.Key(s.IPRaw)
	for _, r := range ev.risks {
		if riskClosed(r.RiskState) || !openLevel(r) {
			continue
		}
		if req := strings.TrimSpace(r.RequestID); req != "" &&
			(strings.EqualFold(req, s.ID) || strings.EqualFold(req, s.OriginalRequestID)) {
			return true
		}
		d := s.Time.Sub(r.Time())
		if ip != "" && ipintel.Key(r.IPRaw) == ip && d <= detectedWithin && d >= -detectedWithin {
			return true
		}
	}
	return false
}

// openLevel reports whether a detection's level makes it worth a look:
// medium or high, or hidden or missing with a detection type.
func openLevel(r *entra.RiskDetection) bool {
	switch strings.ToLower(r.RiskLevel) {
	case "medium", "high":
		return true
	case "", "hidden":
		return r.EventType != "" && !strings.EqualFold(r.EventType, "none")
	}
	return false
}

func riskClosed(state string) bool {
	switch entra.Fold(state) {
	case "dismissed", "remediated", "confirmedsafe":
		return true
	}
	return false
}

// familiarity is how much of a sign-in matches the user's normal.
type familiarity struct {
	country, network, asn, device, trusted bool
}

func (ev *evidence) familiar(s *entra.SignIn) familiarity {
	c := ev.country(s)
	return familiarity{
		country: c != "" && (ev.base.countries[c] > 0 || c == ev.homeCountry),
		network: ev.base.networks[ipintel.Network(s.IPRaw)] > 0,
		asn:     ev.asn(s) > 0 && ev.base.asns[ev.asn(s)] > 0,
		device:  deviceKey(s) != "" && ev.base.devices[deviceKey(s)] > 0,
		trusted: ev.trusted(s),
	}
}

// explained reports whether something the tenant or the user vouches for
// covers the sign-in: a trusted named network or the user's own managed
// device.
func (f familiarity) explained() bool { return f.trusted || f.device }

// classify marks the in-window sign-ins that someone other than the user
// made. An anonymizer always counts. A sign-in from the user's own networks
// (a baseline /24 or autonomous system) never does, even when Identity
// Protection rated it risky: that is the user, flagged. Elsewhere a risky
// sign-in, one from a country the baseline never saw, or a failure from a
// network it never saw counts, unless a trusted named network or the user's
// own device explains it; so does a wrong password behind a tenant-wide
// spray alert that lists the user (no typo the user's own success followed
// at once), and any later sign-in from that sprayer's /24, which need no
// baseline. A security-info registration blocked for risk
// (53004) counts unless it came from one of the user's own /24s: an
// autonomous system is a whole ISP, the residential proxies of the
// reference case included, and registering a method on an account at
// risk is how an attacker who holds the password tries to stay. Without a
// baseline nothing is "outside" it, so then only risk and anonymizers mark
// an attempt.
func classify(ev *evidence) {
	thin := len(ev.base.signIns) < ev.cfg.MinBaseline
	for _, s := range ev.signIns {
		if !ev.inWindow(s.Time) {
			continue
		}
		fam := ev.familiar(s)
		if fam.explained() || ev.provider(s) {
			continue
		}
		home := fam.network || fam.asn
		if s.Class() == entra.ClassProofUpBlocked && !thin {
			home = fam.network
		}

		var mark bool
		switch {
		case ev.anonymizer(s):
			mark = true
		case home:
			if isRisky(s) {
				ev.riskyHome = append(ev.riskyHome, s)
			}
		case isRisky(s), ev.detected(s), ev.sprayedFailure(s), ev.fromSprayer(s):
			mark = true
		case thin:
		case !fam.country:
			mark = true
		default:
			mark = isFailure(s)
		}
		if mark {
			ev.markSuspicious(s)
		}
	}
	if !thin {
		markFatigue(ev)
	}
}

// markSuspicious attributes an in-window sign-in to someone other than the
// user, and its address to the attacker.
func (ev *evidence) markSuspicious(s *entra.SignIn) {
	ev.suspicious[s.ID] = true
	if k := ipintel.Key(s.IPRaw); k != "" {
		ev.attackerIPs[k] = true
	}
}

// markFatigue marks a push-fatigue burst that ended in an approval from
// outside the user's side (see analyseMFA), the approval, and the later
// sign-ins in the window from the burst's address that the user's side
// does not explain. classify lets the user's autonomous system vouch for
// a sign-in, but an attacker who holds the password and bombs the user
// with prompts often signs in through a residential address of the same
// ISP; the burst that worked is the pattern itself. A burst that got no
// approval proves less (a user whose home address changed may miss three
// prompts) and is not marked. Without a baseline nothing is marked, as in
// classify.
func markFatigue(ev *evidence) {
	var window []*entra.SignIn
	for _, s := range ev.signIns {
		if ev.inWindow(s.Time) {
			window = append(window, s)
		}
	}
	m := analyseMFA(ev, window)
	if m.approved == nil {
		return
	}
	for _, s := range m.fatigue {
		ev.markSuspicious(s)
	}
	ip := ipintel.Key(m.approved.IPRaw)
	for _, s := range window {
		if ipintel.Key(s.IPRaw) == ip && !s.Time.Before(m.approved.Time) && !ownSide(ev, s) {
			ev.markSuspicious(s)
		}
	}
}

// isFailure reports whether the attempt failed on credentials, was locked
// out, blocked by Conditional Access or failed its second factor.
func isFailure(s *entra.SignIn) bool {
	switch s.Class() {
	case entra.ClassCredentialFailure, entra.ClassLockout, entra.ClassCABlock,
		entra.ClassProofUpBlocked, entra.ClassMFAFailed:
		return true
	}
	return false
}

// unfamiliarAddr reports whether an address that made an audited change is
// foreign to the user: an attacker address, or one outside every baseline
// network and autonomous system and never seen on a trusted named network.
// With a thin baseline only attacker addresses count.
func (ev *evidence) unfamiliarAddr(ip string) bool {
	if ip == "" {
		return false
	}
	if ev.attackerIPs[ip] {
		return true
	}
	if len(ev.base.signIns) < ev.cfg.MinBaseline || ev.trustedIPs[ip] ||
		ev.facts(ip).TenantTrusted {
		return false
	}
	f := ev.facts(ip)
	if ev.base.networks[ipintel.Network(ip)] > 0 || (f.ASN > 0 && ev.base.asns[f.ASN] > 0) {
		return false
	}
	return true
}

// anonymizer reports whether a sign-in came through an anonymizer as the
// detection rules count one under the case's rule parameters (risk event
// types, Tor, VPN or proxy scores and flags, hosting networks when the
// parameters say so), so that a case and a hunt never count one address
// two ways.
func (ev *evidence) anonymizer(s *entra.SignIn) bool {
	if ev.anon == nil {
		a := detectParams(ev.cfg).Anonymizer
		ev.anon = &a
	}
	return ev.anon.Reason(s.RiskEventTypes, ev.facts(s.IPRaw)) != ""
}

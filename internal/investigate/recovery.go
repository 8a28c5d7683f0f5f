package investigate

import (
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// concurrency is how close account recovery must be to a suspicious attempt
// from another address to count as happening during the attack.
const concurrency = 12 * time.Hour

// recovery is the account-recovery and credential activity of the window.
type recovery struct {
	events       []*entra.Audit // every in-window audit of the user
	progress     []*entra.Audit
	unlocks      []*entra.Audit // successful self-service unlocks
	resetsOK     []*entra.Audit // successful resets and changes
	resetsFailed []*entra.Audit
	violations   map[string]int // policy violation -> failed resets
	blockedSSPR  []*entra.Audit
	secInfo      []*entra.Audit // security info registered or changed
	secStarted   []*entra.Audit
	methods      map[string]int // verification methods that passed

	// fromAttacker are successful credential or recovery events from an
	// attacker address or one foreign to the baseline; fromHome those from
	// a network of the baseline; concurrent those that fell within
	// `concurrency` of a suspicious attempt from another address.
	fromAttacker []*entra.Audit
	fromHome     []*entra.Audit
	concurrent   []*entra.Audit
	// ambiguous are lasting changes made during the attack from an address
	// that could be the user's: either the user's remedy or the attacker's
	// success, and nothing in the logs tells which.
	ambiguous []*entra.Audit
	// refused are failed self-service resets and SSPR blocks from an
	// address that is not the user's (see strangerAddr): recovery someone
	// else tried and the service refused.
	refused []*entra.Audit
}

func analyseRecovery(ev *evidence, an *analysis) recovery {
	r := recovery{violations: map[string]int{}, methods: map[string]int{}}
	for _, a := range ev.audits {
		if !ev.inWindow(a.Time) || !ev.targetsUser(a) {
			continue
		}
		r.events = append(r.events, a)
		r.add(a)

		if !a.Succeeded() {
			if refusal(a) && ev.strangerAddr(auditIP(a)) {
				r.refused = append(r.refused, a)
			}
			continue
		}
		k := entra.ClassifyActivity(a.Activity)
		if k != entra.ActSSPRUnlock && !k.ChangesCredentials() {
			continue
		}
		ip := auditIP(a)
		concurrent := concurrentAttack(an, a, ip)
		switch {
		case ev.unfamiliarAddr(ip):
			r.fromAttacker = append(r.fromAttacker, a)
		case ev.base.networks[ipintel.Network(ip)] > 0:
			r.fromHome = append(r.fromHome, a)
		}
		if concurrent {
			r.concurrent = append(r.concurrent, a)
			if k.ChangesCredentials() && !ev.unfamiliarAddr(ip) {
				r.ambiguous = append(r.ambiguous, a)
			}
		}
	}
	return r
}

func (r *recovery) add(a *entra.Audit) {
	k := entra.ClassifyActivity(a.Activity)
	ok := a.Succeeded()
	if m := entra.SSPRMethod(a.ResultReason + " " + a.Detail("AuthenticationMethod")); ok &&
		m != "" && (k == entra.ActSSPRUnlock || k == entra.ActSSPRReset ||
		k == entra.ActSSPRProgress) {
		r.methods[m]++
	}

	switch {
	case k == entra.ActSSPRProgress:
		r.progress = append(r.progress, a)
	case k == entra.ActSSPRUnlock && ok:
		r.unlocks = append(r.unlocks, a)
	case (k == entra.ActSSPRReset || k == entra.ActSSPRChange || k == entra.ActAdminReset ||
		k == entra.ActPasswordChanged) && ok:
		r.resetsOK = append(r.resetsOK, a)
	case k == entra.ActSSPRReset || k == entra.ActSSPRChange:
		r.resetsFailed = append(r.resetsFailed, a)
		if v := entra.PolicyViolation(a.ResultReason); v != "" {
			r.violations[v]++
		}
	case k == entra.ActSSPRBlocked:
		r.blockedSSPR = append(r.blockedSSPR, a)
	case (k == entra.ActSecurityInfoAdded || k == entra.ActAdminSecurityInfo) && ok:
		r.secInfo = append(r.secInfo, a)
	case k == entra.ActSecurityInfoStarted:
		r.secStarted = append(r.secStarted, a)
	}
}

// refusal reports whether a failed audit event is the service refusing
// self-service recovery: a reset or change that failed (policy violations
// included) or the account blocked from SSPR.
func refusal(a *entra.Audit) bool {
	switch entra.ClassifyActivity(a.Activity) {
	case entra.ActSSPRReset, entra.ActSSPRChange, entra.ActSSPRBlocked:
		return true
	}
	return false
}

// strangerAddr reports whether an address that ran recovery is not the
// user's: an attacker address, or, with a baseline, one outside the
// baseline's /24s, never seen on a trusted named network and never used by
// a sign-in of the user that the window did not attribute to someone else.
// Unlike unfamiliarAddr it does not accept the user's autonomous system: a
// residential ISP's system holds the user's home line and the attacker's
// residential proxy alike, and a refused recovery changes nothing, so
// calling it someone else's costs no more than a question to the user.
func (ev *evidence) strangerAddr(ip string) bool {
	switch {
	case ip == "":
		return false
	case ev.attackerIPs[ip]:
		return true
	case len(ev.base.signIns) < ev.cfg.MinBaseline, ev.trustedIPs[ip],
		ev.facts(ip).TenantTrusted, ev.base.networks[ipintel.Network(ip)] > 0:
		return false
	}
	for _, s := range ev.signIns {
		if ipintel.Key(s.IPRaw) == ip && !ev.suspicious[s.ID] {
			return false
		}
	}
	return true
}

// concurrentAttack reports whether a suspicious attempt from another address
// fell within `concurrency` of the event.
func concurrentAttack(an *analysis, a *entra.Audit, ip string) bool {
	for _, s := range an.suspicious {
		if ipintel.Key(s.IPRaw) == ip {
			continue
		}
		d := s.Time.Sub(a.Time)
		if d < 0 {
			d = -d
		}
		if d <= concurrency {
			return true
		}
	}
	return false
}

// lastingChanges are the successful credential changes of the window (not
// unlocks, which change nothing that lasts).
func (r *recovery) lastingChanges() []*entra.Audit {
	out := append([]*entra.Audit{}, r.resetsOK...)
	return append(out, r.secInfo...)
}

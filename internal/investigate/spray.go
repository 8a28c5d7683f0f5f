package investigate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// spray is what the tenant's spray alerts say of the case: the user's
// attempts outside the baseline that belong to a password spray across
// the tenant, and the alerts that found it. A single wrong password from
// abroad says little about one user; the same address trying one password
// on fifteen users in a quarter of an hour says who made it.
type spray struct {
	attempts []*entra.SignIn
	alerts   []detect.Alert
}

// sprayRules are the rules whose alerts say an address or an application
// sprayed passwords across the tenant.
var sprayRules = []string{"ENTRA-PASSWORD-SPRAY", "ENTRA-SPRAY-DISTRIBUTED"}

// sprayOf collects, among the suspicious attempts, those a spray explains
// (sprayedFailure, fromSprayer), and the alerts behind them.
func sprayOf(ev *evidence, an *analysis) spray {
	var sp spray
	for _, s := range an.suspicious {
		if ev.sprayedFailure(s) || ev.fromSprayer(s) {
			sp.attempts = append(sp.attempts, s)
		}
	}
	for _, a := range ev.alerts {
		net := ipintel.Network(sprayerOf(ev, a))
		if slices.ContainsFunc(sp.attempts, func(s *entra.SignIn) bool {
			return sprayAlert(ev, a, s) || net != "" && ipintel.Network(s.IPRaw) == net
		}) {
			sp.alerts = append(sp.alerts, a)
		}
	}
	return sp
}

// sprayedFailure reports whether a failed sign-in of the user is behind
// one of the case's spray alerts from an address that is no shared one
// (sharedSprays): evidence that someone else made it which needs no
// baseline of the user's, so that classify marks it even when the
// baseline is thin.
func (ev *evidence) sprayedFailure(s *entra.SignIn) bool {
	if s.Class() != entra.ClassCredentialFailure {
		return false
	}
	for _, a := range ev.alerts {
		if sprayAlert(ev, a, s) && !ev.shared[ipintel.Key(a.Subject)] {
			return true
		}
	}
	return false
}

// fromSprayer reports whether a sign-in came, at or after a spray's start,
// from an address that sprayed the user (sprayerOf), or within
// sprayerReach of that start from the sprayer's /24: once the sprayer has
// the password, its next sign-in is the attacker's session, often from a
// neighbouring address of the same proxy pool. The /24 is bounded in time
// because such a pool may be a carrier's, which the user may use days
// later.
func (ev *evidence) fromSprayer(s *entra.SignIn) bool {
	if ev.sprayers == nil {
		ev.sprayers = map[string]time.Time{}
		for _, a := range ev.alerts {
			ip := sprayerOf(ev, a)
			if t, ok := ev.sprayers[ip]; ip != "" && (!ok || a.Start.Before(t)) {
				ev.sprayers[ip] = a.Start
			}
		}
	}
	if !ev.inWindow(s.Time) {
		return false
	}

	ip := ipintel.Key(s.IPRaw)
	if start, ok := ev.sprayers[ip]; ok {
		return !s.Time.Before(start)
	}
	net := ipintel.Network(s.IPRaw)
	for sprayer, start := range ev.sprayers {
		if net != "" && ipintel.Network(sprayer) == net && !s.Time.Before(start) &&
			s.Time.Sub(start) <= sprayerReach {
			return true
		}
	}
	return false
}

// sprayerReach is how long after a spray's start a sign-in from the
// sprayer's /24, not its address, is still taken for the sprayer's.
const sprayerReach = 24 * time.Hour

// sprayerOf returns the address of a spray alert when it sprayed the user:
// the alert (about the address, or the user's own "then succeeds" one) has
// a wrong password of the user's from that address behind it, and the
// address is no shared one (sharedSprays). Otherwise, or for a spray by
// application, "".
func sprayerOf(ev *evidence, a detect.Alert) string {
	if !slices.Contains(sprayRules, a.Rule) || ipintel.Key(a.Subject) == "" ||
		!ev.inWindow(a.End) || ev.shared[ipintel.Key(a.Subject)] {
		return ""
	}
	for _, s := range ev.signIns {
		if s.Class() != entra.ClassCredentialFailure || ipintel.Key(s.IPRaw) != a.Subject {
			continue
		}
		if slices.Contains(a.Records, s.ID) || !s.Time.Before(a.Start) && !s.Time.After(a.End) {
			return a.Subject
		}
	}
	return ""
}

// sharedSprays finds the spray addresses of the case's alerts that most
// of the sprayed users then signed in from successfully, within the spray
// or the hour after it: a shared office or VPN address on a
// password-expiry morning, where everyone mistypes the new password once,
// which the spray rule can take for a spray. A sprayer gets in with one
// password in a few accounts, not in most. It reads the tenant's
// sign-ins around the user's once (eachAround), and only when an alert
// about a spraying address lists the user.
func sharedSprays(ev *evidence) error {
	type spray struct {
		from, to time.Time
		users    int
		ok       map[string]bool
	}
	byAddr := map[string]*spray{}
	for _, a := range ev.alerts {
		ip := ipintel.Key(a.Subject)
		if a.User != "" || ip == "" || !slices.Contains(sprayRules, a.Rule) {
			continue
		}
		byAddr[ip] = &spray{from: a.Start, to: a.End.Add(time.Hour), users: len(a.Users),
			ok: map[string]bool{}}
	}
	ev.shared = map[string]bool{}
	if len(byAddr) == 0 {
		return nil
	}
	err := eachAround(ev, func(s *entra.SignIn) {
		sp := byAddr[ipintel.Key(s.IPRaw)]
		if sp != nil && s.Class() == entra.ClassSuccess && !s.Time.Before(sp.from) &&
			!s.Time.After(sp.to) {
			sp.ok[entra.UserKey(s.UserID, s.UserPrincipalName)] = true
		}
	})
	if err != nil {
		return err
	}
	for ip, sp := range byAddr {
		ev.shared[ip] = sp.users > 0 && 2*len(sp.ok) >= sp.users
	}
	return nil
}

// sprayAlert reports whether a is a spray alert about an address or an
// application (it names no one user) that lists the user, ended in the
// window, and has s behind it: cited among its records, or from its
// address within its span.
func sprayAlert(ev *evidence, a detect.Alert, s *entra.SignIn) bool {
	if a.User != "" || !slices.Contains(sprayRules, a.Rule) || !ev.inWindow(a.End) {
		return false
	}
	if slices.Contains(a.Records, s.ID) {
		return true
	}
	within := !s.Time.Before(a.Start) && !s.Time.After(a.End)
	return within && ipintel.Key(s.IPRaw) == a.Subject
}

// sources words the alerts: "ENTRA-PASSWORD-SPRAY (175.139.137.245, 15
// users)".
func (sp spray) sources() string {
	var parts []string
	for _, a := range sp.alerts {
		who := plural(len(a.Users), "user")
		if a.User != "" {
			who = "then a success"
		}
		parts = append(parts, fmt.Sprintf("%s (%s, %s)", a.Rule, a.Subject, who))
	}
	return strings.Join(parts, "; ")
}

// widest is the most users one of the alerts touched.
func (sp spray) widest() int {
	n := 0
	for _, a := range sp.alerts {
		n = max(n, len(a.Users))
	}
	return n
}

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

// typoGap is how soon the user's own success from the same address must
// follow a wrong password for the pair to be a typo: a sprayer tries one
// password once and does not come back a minute later with the right one.
// A password-expiry morning at a shared office address, which the spray
// rule itself can mistake for a spray, is such pairs.
const typoGap = 5 * time.Minute

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
		if slices.ContainsFunc(sp.attempts, func(s *entra.SignIn) bool {
			return sprayAlert(ev, a, s) || sprayerOf(ev, a) != "" &&
				ipintel.Network(s.IPRaw) == ipintel.Network(a.Subject)
		}) {
			sp.alerts = append(sp.alerts, a)
		}
	}
	return sp
}

// sprayedFailure reports whether a failed sign-in of the user is behind
// one of the case's spray alerts and is no typo (typoGap): evidence that
// someone else made it which needs no baseline of the user's, so that
// classify marks it even when the baseline is thin.
func (ev *evidence) sprayedFailure(s *entra.SignIn) bool {
	if s.Class() != entra.ClassCredentialFailure || ev.typo(s) {
		return false
	}
	for _, a := range ev.alerts {
		if sprayAlert(ev, a, s) {
			return true
		}
	}
	return false
}

// fromSprayer reports whether a sign-in came, at or after a spray's start,
// from the /24 of an address that sprayed the user (sprayerOf): once the
// sprayer has the password, its next sign-in is the attacker's session.
func (ev *evidence) fromSprayer(s *entra.SignIn) bool {
	if ev.sprayers == nil {
		ev.sprayers = map[string]time.Time{}
		for _, a := range ev.alerts {
			ip := ipintel.Network(sprayerOf(ev, a))
			if t, ok := ev.sprayers[ip]; ip != "" && (!ok || a.Start.Before(t)) {
				ev.sprayers[ip] = a.Start
			}
		}
	}
	start, ok := ev.sprayers[ipintel.Network(s.IPRaw)]
	return ok && !s.Time.Before(start) && ev.inWindow(s.Time)
}

// sprayerOf returns the address of a spray alert when it sprayed the user:
// the alert (about the address, or the user's own "then succeeds" one) has
// a wrong password of the user's from that address behind it that is no
// typo. Otherwise, or for a spray by application, "".
func sprayerOf(ev *evidence, a detect.Alert) string {
	if !slices.Contains(sprayRules, a.Rule) || ipintel.Key(a.Subject) == "" ||
		!ev.inWindow(a.End) {
		return ""
	}
	for _, s := range ev.signIns {
		if s.Class() != entra.ClassCredentialFailure || ipintel.Key(s.IPRaw) != a.Subject ||
			ev.typo(s) {
			continue
		}
		if slices.Contains(a.Records, s.ID) || !s.Time.Before(a.Start) && !s.Time.After(a.End) {
			return a.Subject
		}
	}
	return ""
}

// typo reports whether the user's own success from the same address
// followed a failed sign-in within typoGap.
func (ev *evidence) typo(s *entra.SignIn) bool {
	ip := ipintel.Key(s.IPRaw)
	for _, o := range ev.signIns {
		if o.Class() == entra.ClassSuccess && ipintel.Key(o.IPRaw) == ip &&
			o.Time.After(s.Time) && o.Time.Sub(s.Time) <= typoGap {
			return true
		}
	}
	return false
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

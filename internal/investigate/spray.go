package investigate

import (
	"fmt"
	"slices"
	"strings"

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

// sprayOf finds, among the alerts about an address or an application that
// list the user (a spray, see runRules), those with an attempt of the
// user's outside the baseline behind them (sprayAlert), and the attempts.
func sprayOf(ev *evidence, an *analysis) spray {
	var sp spray
	seen := map[string]bool{}
	for _, a := range ev.alerts {
		hit := false
		for _, s := range an.suspicious {
			if !sprayAlert(ev, a, s) {
				continue
			}
			hit = true
			if !seen[s.ID] {
				seen[s.ID] = true
				sp.attempts = append(sp.attempts, s)
			}
		}
		if hit {
			sp.alerts = append(sp.alerts, a)
		}
	}
	return sp
}

// sprayed reports whether a sign-in is behind one of the case's spray
// alerts: evidence that someone else made it which needs no baseline of
// the user's, so that classify marks it even when the baseline is thin.
func (ev *evidence) sprayed(s *entra.SignIn) bool {
	for _, a := range ev.alerts {
		if sprayAlert(ev, a, s) {
			return true
		}
	}
	return false
}

// sprayAlert reports whether a is an alert about an address or an
// application (it names no one user) that lists the user, ended in the
// window, and has s behind it: cited among its records, or from its
// address within its span.
func sprayAlert(ev *evidence, a detect.Alert, s *entra.SignIn) bool {
	if a.User != "" || !ev.inWindow(a.End) {
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
		parts = append(parts, fmt.Sprintf("%s (%s, %s)", a.Rule, a.Subject,
			plural(len(a.Users), "user")))
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

package detect

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// The rotated half of ENTRA-MFA-FATIGUE: prompts sent through a new proxy
// each time make no burst from one address, so with Rotated the rule also
// counts, per user and across addresses, the prompts from far away (a
// network and a provider the user's recent successes never came from),
// and alerts when a success that can answer them follows MinDenied of
// them over two places or more (IPv4 addresses, IPv6 /64s), counting the
// approval's. Prompts alone
// never alert here: a phone on a carrier's NAT changes address from one
// request to the next, and its missed prompts would be noise; the
// approval is what tells.

// rotatedState is the rotated count of one user: the far prompts of the
// last Window, and the burst that crossed MinDenied (armed), which an
// approval may answer until Window after its last prompt.
type rotatedState struct {
	far   *window
	armed []*event
	until time.Time
}

// far reports whether a denied prompt came from far away: a known address
// on a network the user's history has no success from, through a known
// autonomous system none of those successes used (an unknown one may be
// the user's carrier), and nothing vouches for it (a trusted named
// network, a managed device, a provider acting for the user).
func far(c *evalCtx, ev *event) bool {
	return ev.ip != "" && ev.net != "" && ev.asn != 0 && !ev.trusted && ev.device == "" &&
		!ev.provider && !c.g.hist.knowsNetwork(ev.net) && !c.g.hist.knowsASN(ev.asn)
}

// pushFar adds a denied prompt to the rotated count when it came from far
// away, and arms the burst once it crosses MinDenied.
func (s *fatigueState) pushFar(c *evalCtx, ev *event) {
	if !s.r.p.Rotated || !s.r.p.SameAddress || !far(c, ev) {
		return
	}
	rs := &s.rotated
	if rs.far == nil {
		rs.far = newWindow(s.r.p.Window.D())
	}
	rs.far.push(ev, ev.key)
	if rs.far.distinct() >= s.r.p.MinDenied {
		rs.armed, rs.until = rs.far.events(), ev.t.Add(s.r.p.Window.D())
	}
}

// rotatedApproval reports whether a success answers the armed burst: it
// comes within Window of the burst's last prompt, from one of the burst's
// addresses (a refreshed token there is the attacker's session too), or
// interactively from another known address on a network new to the user
// that nothing vouches for; and the burst with it spans two places or
// more (networks). A token refreshed elsewhere answers no prompt, nor does the
// user's own sign-in at home.
func (s *fatigueState) rotatedApproval(c *evalCtx, ev *event) bool {
	rs := &s.rotated
	if rs.armed == nil || ev.t.After(rs.until) {
		return false
	}
	if !slices.Contains(farAddresses(rs.armed), ev.ip) && (ev.background || ev.ip == "" ||
		ev.net == "" || ev.trusted || ev.device != "" || ev.provider ||
		c.g.hist.knowsNetwork(ev.net)) {
		return false
	}
	return networks(append(slices.Clip(rs.armed), ev)) >= 2
}

// networks is the number of distinct places of the events: IPv4
// addresses, and IPv6 /64 networks, as a device's IPv6 privacy addresses
// change within its /64. IPv4 addresses of one /24 count apart: a proxy
// provider's block is as likely there as a carrier's NAT pool.
func networks(evs []*event) int {
	var nets []string
	for _, e := range evs {
		n := e.ip
		if strings.Contains(n, ":") {
			n = e.net
		}
		if n != "" && !slices.Contains(nets, n) {
			nets = append(nets, n)
		}
	}
	return len(nets)
}

// advance forgets the far prompts of more than Window ago, and the armed
// burst once no approval can answer it.
func (rs *rotatedState) advance(now time.Time) {
	if rs.far != nil {
		if rs.far.expire(now); rs.far.empty() {
			rs.far = nil
		}
	}
	if rs.armed != nil && now.After(rs.until) {
		rs.armed = nil
	}
}

func (rs *rotatedState) empty() bool { return rs.far == nil && rs.armed == nil }

// farAddresses are the distinct addresses of the events, in order.
func farAddresses(evs []*event) []string {
	var out []string
	for _, e := range evs {
		if !slices.Contains(out, e.ip) {
			out = append(out, e.ip)
		}
	}
	return out
}

func (s *fatigueState) rotatedHit(ok *event) hit {
	armed := s.rotated.armed
	return hit{key: "rotated", severity: s.r.p.SuccessSeverity, start: armed[0].t, end: ok.t,
		records: append(slices.Clip(armed), ok), reason: fmt.Sprintf("%s with a denied or "+
			"unanswered MFA prompt in %s from %s in %s the user never signed in from, then "+
			"a success from %s at %s", plural(distinctKeys(armed), "attempt"),
			span(armed[len(armed)-1].t.Sub(armed[0].t)),
			plural(len(farAddresses(armed)), "address"), plural(nets(armed), "network"),
			where(ok), ok.t.Format("15:04:05 MST"))}
}

// nets counts the distinct /24 or /64 networks of the events, for the
// alert's reason.
func nets(evs []*event) int {
	var out []string
	for _, e := range evs {
		if e.net != "" && !slices.Contains(out, e.net) {
			out = append(out, e.net)
		}
	}
	return len(out)
}

// distinctKeys counts the distinct attempts among events.
func distinctKeys(evs []*event) int {
	seen := map[string]bool{}
	for _, e := range evs {
		seen[e.key] = true
	}
	return len(seen)
}

// rotatedFields are what the rotated count reads beyond the rule's own:
// the autonomous system of each address.
func (r *mfaFatigue) rotatedFields() entra.Fields {
	if !r.p.Rotated || !r.p.SameAddress {
		return 0
	}
	return entra.FieldASN
}

// rotatedText is what the rule's description says of the rotated count.
func (r *mfaFatigue) rotatedText() string {
	if !r.p.Rotated || !r.p.SameAddress {
		return ""
	}
	return fmt.Sprintf(" Prompts from networks and providers the user never signed in from "+
		"also count across addresses (rotating proxies): %d over two places or more "+
		"with the approval's, then a success within %s at one of them or an interactive "+
		"one from another new network, is %s.", r.p.MinDenied, human(r.p.Window),
		r.p.SuccessSeverity)
}

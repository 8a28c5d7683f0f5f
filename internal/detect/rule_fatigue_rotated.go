package detect

import (
	"fmt"
	"slices"
)

// The rotated half of ENTRA-MFA-FATIGUE: prompts sent through a new proxy
// each time make no burst from one address, so with Rotated the rule also
// counts, per user and across addresses, the prompts from networks the
// user has never signed in from (far), and alerts when an interactive
// success from such a network follows MinDenied of them over two
// addresses or more. Prompts alone never alert here: a phone on a
// carrier's NAT changes address from one request to the next, and its
// missed prompts would be noise; the approval is what tells.

// far reports whether a sign-in came from a known address on a network
// the user's history has no success from, and nothing vouches for it (a
// trusted named network, a managed device, a provider acting for the
// user).
func far(c *evalCtx, ev *event) bool {
	return ev.ip != "" && ev.net != "" && !ev.trusted && ev.device == "" && !ev.provider &&
		!c.g.hist.knowsNetwork(ev.net)
}

// pushFar adds a denied prompt to the rotated window when it came from
// far away.
func (s *fatigueState) pushFar(c *evalCtx, ev *event) {
	if !s.r.p.Rotated || !s.r.p.SameAddress || !far(c, ev) {
		return
	}
	if s.far == nil {
		s.far = newWindow(s.r.p.Window.D())
	}
	s.far.push(ev, ev.key)
}

// rotatedApproval reports whether a success ends a rotated burst: an
// interactive sign-in from far away after MinDenied far prompts over two
// addresses or more. A token refreshed in the background answers no
// prompt.
func (s *fatigueState) rotatedApproval(c *evalCtx, ev *event) bool {
	return s.far != nil && s.far.distinct() >= s.r.p.MinDenied &&
		len(farAddresses(s.far)) >= 2 && !ev.background && far(c, ev)
}

// farAddresses are the distinct addresses of a window's prompts, in order.
func farAddresses(w *window) []string {
	var out []string
	for _, e := range w.events() {
		if !slices.Contains(out, e.ip) {
			out = append(out, e.ip)
		}
	}
	return out
}

func (s *fatigueState) rotatedReason(ok *event) string {
	addrs := farAddresses(s.far)
	return fmt.Sprintf("%s with a denied or unanswered MFA prompt in %s from %d addresses "+
		"on networks the user never signed in from, then a success from %s at %s",
		plural(s.far.distinct(), "attempt"), span(ok.t.Sub(s.far.first())), len(addrs),
		where(ok), ok.t.Format("15:04:05 MST"))
}

// rotatedText is what the rule's description says of the rotated count.
func (r *mfaFatigue) rotatedText() string {
	if !r.p.Rotated || !r.p.SameAddress {
		return ""
	}
	return fmt.Sprintf(" Prompts from networks the user never signed in from also count "+
		"across addresses (rotating proxies): %d over two addresses or more, then an "+
		"interactive success from such a network, is %s.", r.p.MinDenied, r.p.SuccessSeverity)
}

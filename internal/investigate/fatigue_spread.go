package investigate

import (
	"fmt"
	"slices"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// spreadBurst finds push fatigue sent through rotating proxies: denied or
// unanswered prompts from addresses outside the user's side and outside
// the user's own providers (remote), at least fatigueThreshold of them
// within fatigueSpan over two known addresses or more. An attacker who
// changes address for every prompt evades a count per address.
//
// The user's providers are left out because a phone on a carrier's NAT
// changes address from one request to the next, within the provider the
// baseline knows; the price is that proxies rented inside the victim's own
// ISP are seen only when one address makes a burst alone (analyseMFA).
//
// A rotated burst ends in an approval only from a remote address too: an
// approved prompt completes the sign-in that asked for it, from the
// attacker's side, so a success from the user's home is the user's own
// sign-in, not an answer to the prompts, and a token refresh (no prompt)
// answers nothing. Of several bursts the earliest approved wins, and
// failing that the longest unanswered (the earliest among equals).
func spreadBurst(ev *evidence, window, denied []*entra.SignIn) (attack, open *burst) {
	var far []*entra.SignIn
	for _, s := range denied {
		if remote(ev, window, s) {
			far = append(far, s)
		}
	}

	for i := range far {
		j := i
		for j+1 < len(far) && far[j+1].Time.Sub(far[i].Time) <= fatigueSpan {
			j++
		}
		run := far[i : j+1]
		if len(run) < fatigueThreshold || len(addressSet(run)) < 2 {
			continue
		}

		b := &burst{denials: run, approved: approvalAfter(window, run, func(s *entra.SignIn) bool {
			return interactive(s) && remote(ev, window, s)
		})}
		switch {
		case b.approved != nil:
			attack = earlier(attack, b)
		case open == nil || len(run) > len(open.denials):
			open = b
		}
	}
	return attack, open
}

// remote reports whether a sign-in's address is known and neither the
// user's side (ownNear) nor one of the user's baseline providers.
func remote(ev *evidence, window []*entra.SignIn, s *entra.SignIn) bool {
	ip := ipintel.Key(s.IPRaw)
	return ip != "" && !ev.familiar(s).asn && !ownSide(ev, s) && !ownNear(ev, window, ip, s, s)
}

// interactive reports whether a sign-in is one a person made, which an
// approved prompt completes; a non-interactive token refresh is not.
func interactive(s *entra.SignIn) bool {
	return s.Source != entra.SourceNonInteractive && !hasEventType(s, "nonInteractiveUser")
}

// ownNear reports whether a sign-in of the window from address ip, from
// fatigueSpan before first to fatigueSpan after last, is explained by the
// user's side (ownSide).
func ownNear(ev *evidence, window []*entra.SignIn, ip string, first, last *entra.SignIn) bool {
	from, to := first.Time.Add(-fatigueSpan), last.Time.Add(fatigueSpan)
	for _, s := range window {
		if ipintel.Key(s.IPRaw) == ip && !s.Time.Before(from) && !s.Time.After(to) &&
			ownSide(ev, s) {
			return true
		}
	}
	return false
}

// addressSet returns the distinct known addresses of the sign-ins, in
// order.
func addressSet(ss []*entra.SignIn) []string {
	var out []string
	for _, s := range ss {
		if k := ipintel.Key(s.IPRaw); k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// burstFrom says where a burst's prompts came from: one address, or how
// many and which when an attacker rotated them.
func burstFrom(denials []*entra.SignIn) string {
	if n := len(addressSet(denials)); n > 1 {
		return fmt.Sprintf("from %d addresses (%s)", n, addressesOf(denials))
	}
	return "from " + addressesOf(denials)
}

// approvalFrom says where the approval that ended a burst came from,
// beside the burst's own addresses.
func approvalFrom(denials []*entra.SignIn, approved *entra.SignIn) string {
	if slices.Contains(addressSet(denials), ipintel.Key(approved.IPRaw)) {
		if len(addressSet(denials)) == 1 {
			return "from the same address"
		}
		return "from " + addressesOf([]*entra.SignIn{approved}) + ", one of those addresses"
	}
	return "from " + addressesOf([]*entra.SignIn{approved}) + ", another address"
}

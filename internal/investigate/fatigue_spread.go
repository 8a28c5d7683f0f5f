package investigate

import (
	"fmt"
	"slices"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// spreadBurst finds push fatigue sent through rotating proxies: denied or
// unanswered prompts from addresses the user's side does not explain, at
// least fatigueThreshold of them within fatigueSpan over two addresses or
// more, none of which makes a burst alone. An attacker who changes
// address for every prompt evades a count per address; the user's own
// addresses (a /24 of theirs, a trusted network or their managed device
// on that address within the span) are left out, so a user missing
// prompts at home and once on the train is no burst.
//
// The burst's approval is the first success within fatigueSpan of its
// last denial from outside the user's side, from any address: a rotating
// attacker rarely approves from an address it was denied on. With none, a
// success the user's side explains is the user answering late. Of several
// bursts the earliest approved from outside wins, then the earliest the
// user approved, then the longest unanswered, as for one address.
func spreadBurst(ev *evidence, window, denied []*entra.SignIn) (attack, own, open *burst) {
	var foreign []*entra.SignIn
	for _, s := range denied {
		if !ownNear(ev, window, ipintel.Key(s.IPRaw), s, s) {
			foreign = append(foreign, s)
		}
	}

	for i := range foreign {
		j := i
		for j+1 < len(foreign) && foreign[j+1].Time.Sub(foreign[i].Time) <= fatigueSpan {
			j++
		}
		run := foreign[i : j+1]
		if len(run) < fatigueThreshold || len(addressSet(run)) < 2 {
			continue
		}

		b := &burst{denials: run}
		var late *entra.SignIn
		b.approved, late = spreadApproval(ev, window, run)
		switch {
		case b.approved != nil:
			attack = earlier(attack, b)
		case late != nil:
			b.approved = late
			own = earlier(own, b)
		case open == nil || len(run) > len(open.denials):
			open = b
		}
	}
	return attack, own, open
}

// spreadApproval returns the first success within fatigueSpan after the
// burst's last denial that the user's side does not explain (the
// attacker's), and failing that the first one it does (the user's).
func spreadApproval(ev *evidence, window, run []*entra.SignIn) (theirs, users *entra.SignIn) {
	last := run[len(run)-1]
	for _, s := range window {
		if s.Time.Before(last.Time) || s.Time.Sub(last.Time) > fatigueSpan ||
			s.Class() != entra.ClassSuccess {
			continue
		}
		if ownSide(ev, s) || ownNear(ev, window, ipintel.Key(s.IPRaw), run[0], s) {
			if users == nil {
				users = s
			}
			continue
		}
		return s, nil
	}
	return nil, users
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

// addressSet returns the distinct addresses of the sign-ins, in order.
func addressSet(ss []*entra.SignIn) []string {
	var out []string
	for _, s := range ss {
		if k := ipintel.Key(s.IPRaw); !slices.Contains(out, k) {
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

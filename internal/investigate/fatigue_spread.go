package investigate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// spreadBurst finds push fatigue sent through rotating proxies: denied or
// unanswered prompts from remote addresses (known, with a known provider
// that is none of the user's baseline ones, and outside the user's side),
// at least fatigueThreshold of them within fatigueSpan, over two places or
// more counting the approval's (networkCount). An attacker who changes
// address for every prompt, or only for the approval, evades a count per
// address.
//
// The user's providers are left out because a phone on a carrier's NAT
// changes address from one request to the next within the provider the
// baseline knows; an address whose provider is unknown is left out for
// the same reason. The price is that proxies rented inside the victim's
// own ISP are seen only when one address makes a burst alone (analyseMFA).
//
// The approval (spreadApproval) is a success from one of the burst's
// addresses, or an interactive one from elsewhere outside the user's
// side: an approved prompt completes the sign-in that asked for it, from
// the attacker's side, so a success from the user's home is the user's
// own sign-in, and a token refreshed elsewhere answers no prompt. Of
// several bursts the earliest approved wins, and failing that the longest
// unanswered (the earliest among equals).
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
		if len(run) < fatigueThreshold {
			continue
		}

		addrs := addressSet(run)
		b := &burst{denials: run, approved: approvalAfter(window, run, func(s *entra.SignIn) bool {
			return spreadApproval(ev, window, addrs, s)
		})}
		all := run
		if b.approved != nil {
			all = append(slices.Clip(run), b.approved)
		}
		switch {
		case networkCount(all) < 2:
			// One address, or one IPv6 /64 (a device's privacy
			// addresses): the count per address judges it.
		case b.approved != nil:
			attack = earlier(attack, b)
		case open == nil || len(run) > len(open.denials):
			open = b
		}
	}
	return attack, open
}

// remote reports whether a sign-in's address is known, its provider known
// and none of the user's baseline ones, and the user's side does not
// explain it (ownSide, ownNear).
func remote(ev *evidence, window []*entra.SignIn, s *entra.SignIn) bool {
	ip := ipintel.Key(s.IPRaw)
	return ip != "" && ev.asn(s) > 0 && !ev.familiar(s).asn && !ownSide(ev, s) &&
		!ownNear(ev, window, ip, s, s)
}

// spreadApproval reports whether a success can answer a rotated burst
// from addrs: any success from one of them (a refreshed token there is
// the attacker's session too), or an interactive one from another known
// address outside the user's side, even of the user's own provider.
func spreadApproval(ev *evidence, window []*entra.SignIn, addrs []string, s *entra.SignIn) bool {
	ip := ipintel.Key(s.IPRaw)
	if slices.Contains(addrs, ip) {
		return true
	}
	return ip != "" && interactive(s) && !ownSide(ev, s) && !ownNear(ev, window, ip, s, s)
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

// networkCount is the number of distinct places the sign-ins came from:
// IPv4 addresses, and IPv6 /64 networks, as a device's IPv6 privacy
// addresses change within its /64. IPv4 addresses of one /24 count apart:
// a proxy provider's block is as likely there as a carrier's NAT pool.
func networkCount(ss []*entra.SignIn) int {
	var nets []string
	for _, s := range ss {
		n := ipintel.Key(s.IPRaw)
		if strings.Contains(n, ":") {
			n = ipintel.Network(s.IPRaw)
		}
		if n != "" && !slices.Contains(nets, n) {
			nets = append(nets, n)
		}
	}
	return len(nets)
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

package investigate

import (
	"fmt"
	"sort"

	"github.com/idtriage/idtriage/internal/ipintel"
)

// ipSummaries lists every address of the case with its facts and its role.
func ipSummaries(ev *evidence) []IPSummary {
	byIP := map[string]*IPSummary{}
	get := func(raw string) *IPSummary {
		k := ipintel.Key(raw)
		if k == "" {
			return nil
		}
		if s, ok := byIP[k]; ok {
			return s
		}
		s := &IPSummary{Facts: ev.facts(k), Role: "other"}
		byIP[k] = s
		return s
	}

	for _, s := range ev.signIns {
		if e := get(s.IPRaw); e != nil {
			e.SignIns++
		}
	}
	for _, a := range ev.audits {
		if e := get(auditIP(a)); e != nil {
			e.Audits++
		}
	}

	out := make([]IPSummary, 0, len(byIP))
	for k, e := range byIP {
		switch {
		case ev.attackerIPs[k]:
			e.Role = "suspicious"
		case ev.base.networks[ipintel.Network(k)] > 0:
			e.Role = "baseline"
		}
		e.Label = ipLabel(e.Facts)
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Role != out[j].Role {
			return roleOrder[out[i].Role] < roleOrder[out[j].Role]
		}
		return out[i].IP < out[j].IP
	})
	return out
}

var roleOrder = map[string]int{"suspicious": 0, "baseline": 1, "other": 2}

// ipLabel is a short judgement of an address. The tenant's own word comes
// first; a judgement that rests on the built-in list names it, since it is
// weaker than an IP-intelligence answer.
func ipLabel(f ipintel.Facts) string {
	switch {
	case f.TenantTrusted:
		return fmt.Sprintf("tenant network %s, trusted (%s)", f.Tenant, f.TenantSource)
	case f.Reserved:
		return "reserved range"
	case f.Anonymizer():
		return fmt.Sprintf("anonymizer (VPN score %d)", f.VPNScore)
	case f.LikelyVPN:
		return fmt.Sprintf("likely anonymizer: VPN exit network (%s)", f.HostingSource)
	case f.IsHosting && f.HostingSource != "":
		return fmt.Sprintf("hosting provider (%s)", f.HostingSource)
	case f.IsHosting:
		return "hosting provider"
	case f.Residential():
		return "residential ISP"
	case f.Tenant != "":
		return fmt.Sprintf("tenant network %s (%s)", f.Tenant, f.TenantSource)
	case f.ScoreSource == "":
		return "no IP intelligence"
	}
	return "unclassified"
}

func networkOf(ip string) string { return ipintel.Network(ip) }

// pivots lists the values worth searching across the tenant.
func pivots(ev *evidence, an *analysis) []Pivot {
	var out []Pivot
	seen := map[string]bool{}
	add := func(p Pivot) {
		if p.Value == "" || seen[p.Type+p.Value] {
			return
		}
		seen[p.Type+p.Value] = true
		out = append(out, p)
	}

	for _, s := range an.suspicious {
		add(Pivot{Type: "ip", Value: ipintel.Key(s.IPRaw),
			Why: "attempts outside the baseline came from it; search other users' sign-ins"})
	}
	for _, s := range an.suspicious {
		add(Pivot{Type: "userAgent", Value: s.UserAgent,
			Why: "user agent of attempts outside the baseline"})
	}
	for _, a := range an.rec.concurrent {
		add(Pivot{Type: "ip", Value: auditIP(a),
			Why: "self-service recovery ran from it during the attack; confirm it is the " +
				"user's"})
	}
	for _, s := range an.adminReach {
		add(Pivot{Type: "app", Value: s.AppDisplayName,
			Why: "administrative resource the attempts aimed at"})
	}
	return out
}

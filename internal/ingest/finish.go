package ingest

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// Finish merges, deduplicates and sorts what Decode added; Read calls it
// once after the last file. Sign-in rows that share an id are one sign-in
// (BR-12): their policies, authentication steps and lists are united and
// the latest row's time and status are kept. A row that adds nothing (same
// time, same code, no new policy or step) is an exact duplicate (BR-31,
// BR-27) and counts in Duplicates; one that adds something counts in
// Merged. Records without an id are never merged or dropped. Audits, risk
// detections, risky users, users and IPs are deduplicated on their id and
// time. Everything is then sorted so that the same input gives the same
// order.
func (s *Set) Finish() {
	s.SignIns = s.mergeSignIns(s.SignIns)
	s.Audits = dedupe(s, s.Audits, func(a entra.Audit) any {
		return idTime{a.ID, a.Time.UnixNano(), 0}
	}, func(a entra.Audit) bool { return a.ID != "" })
	s.Risks = dedupe(s, s.Risks, func(d entra.RiskDetection) any {
		return idTime{d.ID, d.Time().UnixNano(), d.LastUpdated.UnixNano()}
	}, func(d entra.RiskDetection) bool { return d.ID != "" })
	s.RiskyUsers = dedupe(s, s.RiskyUsers, func(u entra.RiskyUser) any {
		id := u.ID + "\x00" + strings.ToLower(u.UserPrincipalName)
		return idTime{id, u.LastUpdated.UnixNano(), 0}
	}, func(u entra.RiskyUser) bool { return u.ID != "" || u.UserPrincipalName != "" })
	s.Users = dedupe(s, s.Users, func(u entra.User) any {
		return idTime{u.ID + "\x00" + strings.ToLower(u.UserPrincipalName), 0, 0}
	}, func(u entra.User) bool { return u.ID != "" || u.UserPrincipalName != "" })
	s.IPs = dedupe(s, s.IPs, func(i entra.IPInfo) any { return i.IP },
		func(i entra.IPInfo) bool { return i.IP != "" })
	s.sort()
}

type idTime struct {
	id   string
	t, u int64
}

// dedupe drops records whose key was seen before, keeping the first;
// records for which keyed is false are kept as they are.
func dedupe[T any](s *Set, in []T, key func(T) any, keyed func(T) bool) []T {
	seen := make(map[any]bool, len(in))
	out := in[:0]
	for _, r := range in {
		if keyed(r) {
			k := key(r)
			if seen[k] {
				s.Duplicates++
				continue
			}
			seen[k] = true
		}
		out = append(out, r)
	}
	return out
}

func (s *Set) sort() {
	slices.SortStableFunc(s.SignIns, func(a, b entra.SignIn) int {
		return cmpEvent(a.Time, b.Time, a.ID, b.ID, a.Pos, b.Pos)
	})
	slices.SortStableFunc(s.Audits, func(a, b entra.Audit) int {
		return cmpEvent(a.Time, b.Time, a.ID, b.ID, a.Pos, b.Pos)
	})
	slices.SortStableFunc(s.Risks, func(a, b entra.RiskDetection) int {
		return cmpEvent(a.Time(), b.Time(), a.ID, b.ID, a.Pos, b.Pos)
	})
	slices.SortStableFunc(s.RiskyUsers, func(a, b entra.RiskyUser) int {
		return cmp.Or(cmpUPN(a.UserPrincipalName, b.UserPrincipalName),
			a.LastUpdated.Compare(b.LastUpdated), cmp.Compare(a.ID, b.ID), cmpPos(a.Pos, b.Pos))
	})
	slices.SortStableFunc(s.Users, func(a, b entra.User) int {
		return cmp.Or(cmpUPN(a.UserPrincipalName, b.UserPrincipalName),
			cmp.Compare(a.ID, b.ID), cmpPos(a.Pos, b.Pos))
	})
	slices.SortStableFunc(s.IPs, func(a, b entra.IPInfo) int {
		return cmp.Or(cmpAddr(a.IP, b.IP), cmpPos(a.Pos, b.Pos))
	})
}

func cmpEvent(ta, tb time.Time, ida, idb string, pa, pb entra.Pos) int {
	return cmp.Or(ta.Compare(tb), cmp.Compare(ida, idb), cmpPos(pa, pb))
}

func cmpUPN(a, b string) int {
	return cmp.Compare(strings.ToLower(a), strings.ToLower(b))
}

func cmpPos(a, b entra.Pos) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Index, b.Index))
}

// cmpAddr orders addresses numerically, IPv4 before IPv6, and text that is
// not an address after both.
func cmpAddr(a, b string) int {
	x, errA := netip.ParseAddr(a)
	y, errB := netip.ParseAddr(b)
	switch {
	case errA == nil && errB == nil:
		return x.Compare(y)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return cmp.Compare(a, b)
}

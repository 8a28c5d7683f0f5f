package ingest

import (
	"cmp"
	"reflect"
	"slices"

	"github.com/idtriage/idtriage/internal/entra"
)

// mergeSignIns folds the rows that share an id into one sign-in each (see
// Finish). The merged sign-in takes the place of the group's first row;
// other records keep their order. Nothing is copied when no id repeats.
func (s *Set) mergeSignIns(in []entra.SignIn) []entra.SignIn {
	first := make(map[string]int, len(in))
	groups := map[int][]int{} // first row -> all rows, for repeated ids
	for i := range in {
		id := in[i].ID
		if id == "" {
			continue
		}
		j, seen := first[id]
		if !seen {
			first[id] = i
			continue
		}
		if groups[j] == nil {
			groups[j] = []int{j}
		}
		groups[j] = append(groups[j], i)
	}
	if len(groups) == 0 {
		return in
	}
	merged := make(map[int]entra.SignIn, len(groups))
	for j, rows := range groups {
		slices.SortStableFunc(rows, func(a, b int) int { return in[a].Time.Compare(in[b].Time) })
		acc := cloneSignIn(in[rows[0]])
		for _, k := range rows[1:] {
			s.fold(&acc, &in[k])
		}
		merged[j] = acc
	}
	// Compact in place: row i is written at or before i, after it was read.
	out := in[:0]
	for i := range in {
		if acc, ok := merged[i]; ok {
			out = append(out, acc)
		} else if id := in[i].ID; id == "" || first[id] == i {
			out = append(out, in[i])
		}
	}
	return out
}

// fold merges row r, read no earlier than acc's latest row, into acc.
func (s *Set) fold(acc, r *entra.SignIn) {
	later := r.Time.After(acc.Time)
	novel := later || r.HasCode != acc.HasCode || r.ErrorCode != acc.ErrorCode

	n := len(acc.Policies) + len(acc.AuthSteps)
	acc.Policies = unionPolicies(acc.Policies, r.Policies)
	acc.AuthSteps = unionSteps(acc.AuthSteps, r.AuthSteps)
	novel = novel || len(acc.Policies)+len(acc.AuthSteps) > n
	acc.AuthRequirementPolicies = union(acc.AuthRequirementPolicies, r.AuthRequirementPolicies)
	acc.NetworkNames = union(acc.NetworkNames, r.NetworkNames)
	acc.EventTypes = union(acc.EventTypes, r.EventTypes)
	acc.RiskEventTypes = union(acc.RiskEventTypes, r.RiskEventTypes)
	acc.TrustedNetwork = acc.TrustedNetwork || r.TrustedNetwork

	if later || (r.Time.Equal(acc.Time) && moreFinal(r, acc)) {
		// The latest row decides the final status (BR-12, BR-11); among
		// rows of one time, the one furthest along the flow.
		acc.Time, acc.TimeApprox = r.Time, r.TimeApprox
		acc.ErrorCode, acc.HasCode = r.ErrorCode, r.HasCode
		acc.FailureReason, acc.AdditionalDetails = r.FailureReason, r.AdditionalDetails
		acc.ConditionalAccessStatus = r.ConditionalAccessStatus
		acc.Pos = r.Pos
	}
	fillEmpty(acc, r)
	if acc.IPRaw == "" {
		acc.IP, acc.IPRaw = r.IP, r.IPRaw
	}
	for k, v := range r.Raw {
		if acc.Raw == nil {
			acc.Raw = map[string]string{}
		}
		if _, ok := acc.Raw[k]; !ok {
			acc.Raw[k] = v
		}
	}
	if novel {
		acc.Rows += max(r.Rows, 1)
		s.Merged++
	} else {
		s.Duplicates++
	}
}

// moreFinal reports whether row r, logged at the same time as acc, ends
// the sign-in rather than acc: the higher stage of its outcome, then, so
// that the order rows were read in never decides, the higher code and the
// larger texts.
func moreFinal(r, acc *entra.SignIn) bool {
	return cmp.Or(cmp.Compare(r.Class().Stage(), acc.Class().Stage()),
		cmp.Compare(r.ErrorCode, acc.ErrorCode),
		cmp.Compare(r.FailureReason, acc.FailureReason),
		cmp.Compare(r.AdditionalDetails, acc.AdditionalDetails),
		cmp.Compare(r.ConditionalAccessStatus, acc.ConditionalAccessStatus)) > 0
}

// fixedFields are never filled in: the status is set from the latest row
// only, and the address, its text and the rest are handled in fold.
var fixedFields = map[string]bool{
	"Time": true, "TimeApprox": true, "ErrorCode": true, "HasCode": true,
	"FailureReason": true, "AdditionalDetails": true, "ConditionalAccessStatus": true,
	"IsInteractive": true, "Rows": true, "Pos": true, "Raw": true, "IP": true, "IPRaw": true,
}

// fillEmpty copies into acc every field that acc lacks and r has, such as
// a source tag or a principal name one of the rows left out.
func fillEmpty(acc, r *entra.SignIn) {
	dst, src := reflect.ValueOf(acc).Elem(), reflect.ValueOf(r).Elem()
	t := dst.Type()
	for i := 0; i < t.NumField(); i++ {
		if fixedFields[t.Field(i).Name] {
			continue
		}
		if d, v := dst.Field(i), src.Field(i); d.IsZero() && !v.IsZero() {
			d.Set(v)
		}
	}
}

// cloneSignIn copies the slices and map of a sign-in so that merging never
// writes into another record's backing arrays.
func cloneSignIn(s entra.SignIn) entra.SignIn {
	s.Policies = slices.Clone(s.Policies)
	s.AuthSteps = slices.Clone(s.AuthSteps)
	s.AuthRequirementPolicies = slices.Clone(s.AuthRequirementPolicies)
	s.NetworkNames = slices.Clone(s.NetworkNames)
	s.EventTypes = slices.Clone(s.EventTypes)
	s.RiskEventTypes = slices.Clone(s.RiskEventTypes)
	if s.Raw != nil {
		raw := make(map[string]string, len(s.Raw))
		for k, v := range s.Raw {
			raw[k] = v
		}
		s.Raw = raw
	}
	if s.Rows == 0 {
		s.Rows = 1
	}
	return s
}

// unionPolicies adds the policies of b not in a, by id (or name).
func unionPolicies(a, b []entra.CAPolicy) []entra.CAPolicy {
	for _, p := range b {
		if !slices.ContainsFunc(a, func(q entra.CAPolicy) bool {
			return q.ID == p.ID && q.DisplayName == p.DisplayName
		}) {
			a = append(a, p)
		}
	}
	return a
}

// unionSteps adds the steps of b not in a and keeps them in time order, so
// that a denied step before a success stays visible (BR-11).
func unionSteps(a, b []entra.AuthStep) []entra.AuthStep {
	for _, st := range b {
		if !slices.ContainsFunc(a, func(x entra.AuthStep) bool { return sameStep(x, st) }) {
			a = append(a, st)
		}
	}
	slices.SortStableFunc(a, func(x, y entra.AuthStep) int { return x.Time.Compare(y.Time) })
	return a
}

func sameStep(a, b entra.AuthStep) bool {
	return a.Time.Equal(b.Time) && a.Method == b.Method && a.MethodDetail == b.MethodDetail &&
		a.Succeeded == b.Succeeded && a.ResultDetail == b.ResultDetail &&
		a.Requirement == b.Requirement
}

func union[T comparable](a, b []T) []T {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

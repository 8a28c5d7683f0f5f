package investigate

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// fatigueThreshold is the number of denied or unanswered MFA attempts from
// one address within fatigueSpan that makes a push-bombing pattern.
const (
	fatigueThreshold = 3
	fatigueSpan      = time.Hour
)

// mfaAnalysis counts second-factor failures by attempt, not by row: one
// denied prompt can write several rows (BR-11).
type mfaAnalysis struct {
	denied   []*entra.SignIn // attempts with a denied or unanswered prompt
	declined []*entra.SignIn // ... where the user actively said no
	fraud    []*entra.SignIn // attempts where the user reported fraud
	fatigue  []*entra.SignIn // the denials of the worst burst, when it crosses the threshold
	approved *entra.SignIn   // the success that ended that burst, from the same address
	// own is that success when the user's side explains it (ownSide): the
	// user answering late, not proof that the attacker got through; then
	// approved is nil.
	own *entra.SignIn
}

// denial reports whether an attempt's second factor was denied or left
// unanswered, and whether the user reported it as fraud. "Duplicate
// authentication attempt" rows are neither.
func denial(s *entra.SignIn) (denied, fraud bool) {
	for _, st := range s.AuthSteps {
		if st.Succeeded {
			continue
		}
		d := strings.ToLower(st.ResultDetail)
		switch {
		case strings.Contains(d, "fraud"):
			return true, true
		case strings.Contains(d, "duplicate"):
			continue
		case strings.Contains(d, "denied"), strings.Contains(d, "declined"),
			strings.Contains(d, "did not respond"), strings.Contains(d, "not select the correct"),
			strings.Contains(d, "timed out"):
			denied = true
		}
	}
	if !denied && s.HasCode && s.ErrorCode == 500121 && len(s.AuthSteps) == 0 {
		denied = true
	}
	return denied, false
}

func analyseMFA(ev *evidence, window []*entra.SignIn) mfaAnalysis {
	var m mfaAnalysis
	byIP := map[string][]*entra.SignIn{}
	seen := map[string]bool{}

	for _, s := range window {
		d, f := denial(s)
		if f {
			m.fraud = append(m.fraud, s)
		}
		if !d || seen[s.AttemptKey()] {
			continue
		}
		seen[s.AttemptKey()] = true
		m.denied = append(m.denied, s)
		if declinedStep(s) && ev.suspicious[s.ID] {
			m.declined = append(m.declined, s)
		}
		ip := ipintel.Key(s.IPRaw)
		byIP[ip] = append(byIP[ip], s)
	}

	// The worst burst: one that ended in an approval before one that did
	// not, then the most denials from one address within fatigueSpan, then
	// the earliest, then the smaller address, so that the choice never
	// depends on the order of a map.
	var approved *entra.SignIn
	for _, ip := range slices.Sorted(maps.Keys(byIP)) {
		list := byIP[ip]
		for i := range list {
			j := i
			for j+1 < len(list) && list[j+1].Time.Sub(list[i].Time) <= fatigueSpan {
				j++
			}
			n := j - i + 1
			if n < fatigueThreshold {
				continue
			}
			ok := approvalAfter(window, list[i:j+1])
			if beats(n, ok != nil, len(m.fatigue), approved != nil) {
				m.fatigue, approved = list[i:j+1], ok
			}
		}
	}
	if approved != nil && ownSide(ev, approved) {
		m.own = approved
	} else {
		m.approved = approved
	}
	return m
}

// beats reports whether a burst of n denials, approved or not, beats the
// one kept so far (kept denials, keptApproved). Among equals the one kept
// first (the earlier, from the smaller address) stays.
func beats(n int, approved bool, kept int, keptApproved bool) bool {
	if kept == 0 || approved != keptApproved {
		return kept == 0 || approved
	}
	return n > kept
}

// ownSide reports whether the user's side explains a sign-in: one of the
// user's own /24s, a trusted named network or the user's managed device.
func ownSide(ev *evidence, s *entra.SignIn) bool {
	f := ev.familiar(s)
	return f.network || f.explained()
}

// approvalAfter finds a successful attempt from the burst's address within
// fatigueSpan after its last denial.
func approvalAfter(window []*entra.SignIn, burst []*entra.SignIn) *entra.SignIn {
	last := burst[len(burst)-1]
	ip := ipintel.Key(last.IPRaw)
	for _, s := range window {
		if s.Time.Before(last.Time) || s.Time.Sub(last.Time) > fatigueSpan {
			continue
		}
		if s.Class() == entra.ClassSuccess && ipintel.Key(s.IPRaw) == ip {
			return s
		}
	}
	return nil
}

// declinedStep reports whether the user actively refused a prompt ("user
// declined the authentication"), as opposed to leaving it unanswered.
func declinedStep(s *entra.SignIn) bool {
	for _, st := range s.AuthSteps {
		d := strings.ToLower(st.ResultDetail)
		if !st.Succeeded && strings.Contains(d, "declined") {
			return true
		}
	}
	return false
}

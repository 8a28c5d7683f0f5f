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

	// Every burst of fatigueThreshold denials or more from one address
	// within fatigueSpan is judged. One that ended in an approval from
	// outside the user's side wins (the earliest), then one the user's
	// side approved, then the longest without approval (the earliest);
	// addresses are walked in order, so that nothing depends on a map's.
	var attack, own, open *burst
	for _, ip := range slices.Sorted(maps.Keys(byIP)) {
		list := byIP[ip]
		for i := range list {
			j := i
			for j+1 < len(list) && list[j+1].Time.Sub(list[i].Time) <= fatigueSpan {
				j++
			}
			if j-i+1 < fatigueThreshold {
				continue
			}
			b := &burst{denials: list[i : j+1], approved: approvalAfter(window, list[i:j+1],
				func(s *entra.SignIn) bool { return ipintel.Key(s.IPRaw) == ip })}
			switch {
			case b.approved != nil && !ownAddress(ev, window, b):
				attack = earlier(attack, b)
			case b.approved != nil:
				own = earlier(own, b)
			case open == nil || len(b.denials) > len(open.denials) ||
				len(b.denials) == len(open.denials) && b.denials[0].Time.Before(open.denials[0].Time):
				open = b
			}
		}
	}
	// Prompts spread over rotating proxies (spreadBurst): an approved
	// rotated burst competes with the others by time; an unanswered one
	// is named before an unanswered burst the user's side explains (the
	// user missing prompts at home).
	spreadAttack, spreadOpen := spreadBurst(ev, window, m.denied)
	if spreadAttack != nil {
		attack = earlier(attack, spreadAttack)
	}
	if spreadOpen != nil && (open == nil || ownNear(ev, window,
		ipintel.Key(open.denials[0].IPRaw), open.denials[0], open.denials[len(open.denials)-1])) {
		open = spreadOpen
	}

	switch {
	case attack != nil:
		m.fatigue, m.approved = attack.denials, attack.approved
	case own != nil && spreadOpen != nil:
		// Remote prompts nobody answered say more than the user's own
		// late answer at home.
		m.fatigue = spreadOpen.denials
	case own != nil:
		m.fatigue, m.own = own.denials, own.approved
	case open != nil:
		m.fatigue = open.denials
	}
	return m
}

// burst is a run of denied prompts from one address and the success that
// ended it, if any.
type burst struct {
	denials  []*entra.SignIn
	approved *entra.SignIn
}

// earlier returns the burst that started first; kept on a tie.
func earlier(kept, b *burst) *burst {
	if kept == nil || b.denials[0].Time.Before(kept.denials[0].Time) {
		return b
	}
	return kept
}

// ownAddress reports whether the user's side explains the burst's
// address: a sign-in of the window from it, within fatigueSpan of the
// burst, came from one of the user's own /24s, a trusted named network or
// the user's managed device.
func ownAddress(ev *evidence, window []*entra.SignIn, b *burst) bool {
	return ownNear(ev, window, ipintel.Key(b.denials[0].IPRaw), b.denials[0], b.approved)
}

// ownSide reports whether the user's side explains a sign-in: one of the
// user's own /24s, a trusted named network or the user's managed device.
func ownSide(ev *evidence, s *entra.SignIn) bool {
	f := ev.familiar(s)
	return f.network || f.explained()
}

// approvalAfter finds the first success that ok accepts after the burst's
// second denial (repeated prompts), within fatigueSpan of the burst's
// last denial before it. An attacker's tool often prompts again after the
// approval (for another application, or a prompt left pending), so the
// approval is not only looked for after the last denial.
func approvalAfter(window, burst []*entra.SignIn, ok func(*entra.SignIn) bool) *entra.SignIn {
	from := burst[1].Time
	for _, s := range window {
		if s.Time.Before(from) || s.Class() != entra.ClassSuccess || !ok(s) {
			continue
		}
		k := len(burst) - 1
		for k > 0 && burst[k].Time.After(s.Time) {
			k--
		}
		if s.Time.Sub(burst[k].Time) <= fatigueSpan {
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

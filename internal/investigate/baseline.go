package investigate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/geo"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// baseline is what the user's normal work looked like before the window.
type baseline struct {
	signIns   []*entra.SignIn
	countries map[string]int
	cities    map[string]int
	networks  map[string]int // /24 or /64
	asns      map[int]int
	devices   map[string]int // device id, else display name
	// deviceNames maps a device id to the name it showed, for the report.
	deviceNames map[string]string
	apps        map[string]int
	agents      map[string]int
	mfa         map[string]int // MFA methods that succeeded
}

func newBaseline() baseline {
	return baseline{
		countries: map[string]int{}, cities: map[string]int{}, networks: map[string]int{},
		asns: map[int]int{}, devices: map[string]int{}, deviceNames: map[string]string{},
		apps:   map[string]int{},
		agents: map[string]int{}, mfa: map[string]int{},
	}
}

// buildBaseline learns the user's normal from sign-ins before the window
// that succeeded or were routine interrupts; failures teach nothing about
// who the user is.
func buildBaseline(ev *evidence) {
	b := newBaseline()
	for _, s := range ev.signIns {
		if !ev.window.Start.IsZero() && !s.Time.Before(ev.window.Start) {
			break
		}
		if c := s.Class(); c != entra.ClassSuccess && c != entra.ClassInterrupt ||
			ev.provider(s) {
			continue
		}
		b.signIns = append(b.signIns, s)
		if c := ev.country(s); c != "" {
			b.countries[c]++
		}
		if s.Location.City != "" {
			b.cities[s.Location.City]++
		}
		if n := ipintel.Network(s.IPRaw); n != "" {
			b.networks[n]++
		}
		if asn := ev.asn(s); asn > 0 {
			b.asns[asn]++
		}
		if d := deviceKey(s); d != "" {
			b.devices[d]++
			if n := strings.TrimSpace(s.Device.DisplayName); n != "" && n != d {
				b.deviceNames[d] = n
			}
		}
		if s.AppDisplayName != "" {
			b.apps[s.AppDisplayName]++
		}
		if s.UserAgent != "" {
			b.agents[s.UserAgent]++
		}
		for _, st := range s.AuthSteps {
			if st.Succeeded && isMFAStep(st) {
				b.mfa[st.Method]++
			}
		}
	}
	ev.base = b
}

func (ev *evidence) asn(s *entra.SignIn) int {
	if s.ASN > 0 {
		return s.ASN
	}
	return ev.facts(s.IPRaw).ASN
}

func deviceKey(s *entra.SignIn) string {
	if id := strings.TrimSpace(s.Device.ID); id != "" && !strings.EqualFold(id, "{PII Removed}") {
		return id
	}
	return strings.TrimSpace(s.Device.DisplayName)
}

// isMFAStep reports whether an authentication step is a second factor.
func isMFAStep(st entra.AuthStep) bool {
	m := strings.ToLower(st.Method)
	if m == "" || m == "password" || strings.Contains(m, "previously satisfied") ||
		strings.Contains(m, "claim in") {
		return false
	}
	return true
}

// stepBaseline answers the first half of question 2: what is normal for
// this user.
func stepBaseline(ev *evidence) []Finding {
	b := ev.base
	f := Finding{
		Question: 2, Step: "baseline", Source: "sign-in logs", Read: len(ev.signIns),
		Title: "Baseline of normal activity",
	}

	if len(b.signIns) < ev.cfg.MinBaseline {
		f.Kind = KindNegative
		f.Statement = fmt.Sprintf("Only %d sign-ins precede the suspicious window (at least %d "+
			"are needed), so nothing can be called normal for this user.",
			len(b.signIns), ev.cfg.MinBaseline)
		if ev.homeCountry != "" {
			f.Statement += fmt.Sprintf(" The directory profile places the user in %s.",
				geo.CountryName(ev.homeCountry))
		}
		return []Finding{f}
	}

	first, last := b.signIns[0].Time, b.signIns[len(b.signIns)-1].Time
	f.Kind = KindConfirmed
	f.Statement = fmt.Sprintf("%d sign-ins from %s to %s: countries %s; cities %s; networks %s; "+
		"autonomous systems %s; devices %s; applications %s; second factors %s.",
		len(b.signIns), day(first), day(last),
		countryList(b.countries), topList(b.cities, 4), topList(b.networks, 4),
		asnList(b.asns), topList(b.deviceLabels(), 3), topList(b.apps, 6), topList(b.mfa, 3))
	if ev.homeCountry != "" {
		if b.countries[ev.homeCountry] > 0 {
			f.Statement += fmt.Sprintf(" This matches the directory profile (%s).",
				geo.CountryName(ev.homeCountry))
		} else {
			f.Statement += fmt.Sprintf(" The directory profile says %s, which the baseline "+
				"does not show.", geo.CountryName(ev.homeCountry))
		}
	}
	f.Evidence = refsOf(sample(b.signIns, 3))
	return []Finding{f}
}

// topList renders the n most frequent keys of m with their counts.
func topList(m map[string]int, n int) string {
	if len(m) == 0 {
		return "none recorded"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})

	var parts []string
	for i, k := range keys {
		if i == n {
			parts = append(parts, fmt.Sprintf("%d more", len(keys)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func countryList(m map[string]int) string {
	named := make(map[string]int, len(m))
	for k, v := range m {
		named[fmt.Sprintf("%s %s", geo.CountryName(k), k)] = v
	}
	return topList(named, 5)
}

func asnList(m map[int]int) string {
	named := make(map[string]int, len(m))
	for k, v := range m {
		named[fmt.Sprintf("AS%d", k)] = v
	}
	return topList(named, 4)
}

// sample returns up to n records spread over s: the first, the last and
// evenly between.
func sample[T any](s []T, n int) []T {
	if len(s) <= n {
		return s
	}
	out := make([]T, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, s[i*(len(s)-1)/(n-1)])
	}
	return out
}

// deviceLabels counts devices under "name (id)" where a name is known.
func (b baseline) deviceLabels() map[string]int {
	out := make(map[string]int, len(b.devices))
	for id, n := range b.devices {
		if name := b.deviceNames[id]; name != "" {
			id = name + " (" + id + ")"
		}
		out[id] += n
	}
	return out
}

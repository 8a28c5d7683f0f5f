package investigate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/geo"
)

// maxRefs caps lists that are samples rather than evidence (earlier cases,
// a detection's first hits); findings and signals cite every record.
const maxRefs = 12

func signInRef(s *entra.SignIn) Ref {
	note := fmt.Sprintf("%d from %s", s.ErrorCode, s.IPRaw)
	if c := s.Location.Country; c != "" {
		note += " (" + c + ")"
	}
	if s.AppDisplayName != "" {
		note += " to " + s.AppDisplayName
	}
	return Ref{Kind: "signin", ID: s.ID, Time: s.Time, Note: note}
}

func refsOf(ss []*entra.SignIn) []Ref {
	out := make([]Ref, 0, len(ss))
	for _, s := range ss {
		out = append(out, signInRef(s))
	}
	return out
}

func auditRef(a *entra.Audit) Ref {
	note := a.Activity + ": " + a.Result
	if a.ResultReason != "" {
		note += " (" + a.ResultReason + ")"
	}
	if ip := a.Actor.IPRaw; ip != "" {
		note += " from " + ip
	}
	return Ref{Kind: "audit", ID: a.ID, Time: a.Time, Note: note}
}

func auditRefs(as []*entra.Audit) []Ref {
	out := make([]Ref, 0, len(as))
	for _, a := range as {
		out = append(out, auditRef(a))
	}
	return out
}

func riskRef(r *entra.RiskDetection) Ref {
	return Ref{Kind: "risk", ID: r.ID, Time: r.Time(),
		Note: fmt.Sprintf("%s, %s, %s", r.EventType, r.RiskLevel, r.RiskState)}
}

// day formats a date as 2006-01-02; clock as 2006-01-02 15:04 UTC.
func day(t time.Time) string   { return t.UTC().Format("2006-01-02") }
func clock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// plural returns "1 attempt" or "3 attempts".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	if strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// countryNames renders codes as "Bangladesh (BD), Malaysia (MY)".
func countryNames(codes []string) string {
	s := ""
	for i, c := range codes {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s (%s)", geo.CountryName(c), c)
	}
	return s
}

// hoursBetween renders the span between two times as "20 h 45 min".
func hoursBetween(a, b time.Time) string { return human(b.Sub(a)) }

// human renders a duration to the minute: "24 h", "26 min", "1 h 5 min".
func human(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

// names lists the keys of a count map, most frequent first, without counts.
func names(m map[string]int) string {
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
	return strings.Join(keys, ", ")
}

package detect

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// distinctOf returns the distinct non-empty values of f over evs, sorted.
func distinctOf(evs []*event, f func(*event) string) []string {
	var out []string
	for _, e := range evs {
		if v := f(e); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

func countryOf(e *event) string { return e.country }
func addressOf(e *event) string { return e.ip }
func userOf(e *event) string    { return e.user }
func attemptOf(e *event) string { return e.key }

// list joins at most n values and says how many more there are.
func list(vs []string, n int) string {
	if len(vs) <= n {
		return strings.Join(vs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(vs[:n], ", "), len(vs)-n)
}

// span renders a duration to the minute for a reason: "20 h 45 min".
func span(d time.Duration) string {
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

// plural renders "1 attempt" or "3 attempts".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	switch {
	case strings.HasSuffix(word, "s"):
		return fmt.Sprintf("%d %ses", n, word)
	case strings.HasSuffix(word, "ry"):
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// where renders an address and its country: "203.0.113.9 (BD)".
func where(e *event) string {
	if e.ip == "" {
		return "no address"
	}
	if e.country != "" {
		return e.ip + " (" + e.country + ")"
	}
	return e.ip
}

// sigmaSpan writes a span the way Sigma correlations do: a number and one
// lower-case unit.
func sigmaSpan(d Duration) string {
	t := d.D()
	switch {
	case t%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", t/(24*time.Hour))
	case t%time.Hour == 0:
		return fmt.Sprintf("%dh", t/time.Hour)
	case t%time.Minute == 0:
		return fmt.Sprintf("%dm", t/time.Minute)
	}
	return fmt.Sprintf("%ds", t/time.Second)
}

// kqlSpan writes a span as a KQL timespan literal: 24h, 90m, 14d.
func kqlSpan(d Duration) string { return sigmaSpan(d) }

// kqlStrings writes a KQL list of strings, ("a", "b"), breaking lines
// after about 72 characters so a long list stays readable in a query.
func kqlStrings(vs []string) string {
	var b strings.Builder
	b.WriteString("(")
	line := 1
	for i, v := range vs {
		q := fmt.Sprintf("%q", v)
		if i > 0 {
			b.WriteString(",")
			if line+len(q) > 72 {
				b.WriteString("\n    ")
				line = 4
			} else {
				b.WriteString(" ")
				line++
			}
		}
		b.WriteString(q)
		line += len(q) + 1
	}
	b.WriteString(")")
	return b.String()
}

// human writes a span for a rule's description: "24 hours", "90 minutes".
func human(d Duration) string {
	t := d.D()
	switch {
	case t%(24*time.Hour) == 0 && t >= 48*time.Hour:
		return plural(int(t/(24*time.Hour)), "day")
	case t%time.Hour == 0:
		return plural(int(t/time.Hour), "hour")
	}
	return plural(int(t/time.Minute), "minute")
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// kqlList writes a KQL dynamic array literal body: ["a", "b"].
func kqlList(vs []string) string {
	s := kqlStrings(vs)
	return "[" + s[1:len(s)-1] + "]"
}

// toApp is " to " and the application the sign-in reached, or "" when the
// record names none.
func toApp(ev *event) string {
	if ev.app == "" {
		return ""
	}
	return " to " + ev.app
}

func (s *legacyState) advance(_ *evalCtx, now time.Time) { s.w.expire(now) }
func (s *legacyState) empty() bool                       { return s.w.empty() }

func (r *legacyAuth) kql() string {
	return fmt.Sprintf(`union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs
| where ResultType == "0"
| where ClientAppUsed in~ %s or AuthenticationProtocol in~ %s or UserAgent has_any %s
| summarize SignIns = count(), Apps = make_set(AppDisplayName),
    Addresses = make_set(IPAddress) by UserPrincipalName, ClientAppUsed,
    AuthenticationProtocol`, kqlStrings(r.p.ClientApps), kqlStrings(r.p.Protocols),
		kqlStrings(r.p.UserAgents))
}

func (r *legacyAuth) sigma() []sigmaDoc {
	d := base("", r.meta().Title, signInLogs, sel("ResultType", "0"))
	d.Detection = yamlSlice(
		"selection", sel("ResultType", "0"),
		"legacy_client", sel("ClientAppUsed", r.p.ClientApps),
		"ropc", sel("AuthenticationProtocol", r.p.Protocols),
		"ropc_agent", sel("UserAgent|contains", r.p.UserAgents),
		"condition", "selection and (legacy_client or ropc or ropc_agent)")
	return []sigmaDoc{d}
}

package investigate

import (
	"fmt"
	"testing"
	"time"
)

// sprayed is twelve users, the victim first, each with one wrong password
// from ip a minute apart.
func sprayed(ip, country string, start time.Time) []rec {
	var out []rec
	for i := range 12 {
		u := fmt.Sprintf("user%02d@example.com", i)
		if i == 0 {
			u = victim
		}
		out = append(out, signIn(fmt.Sprintf("spr%02d", i), start.Add(time.Duration(i)*
			time.Minute), u, ip, country, -23.5, -46.6, 50126))
	}
	return out
}

// TestSprayVerdicts: a spray target whose password held is a True
// Positive - Blocked, over a full or a thin baseline; the sprayer's later
// success from its address or /24 is a compromise; a spray from the
// user's own office and a password-expiry morning of typos at a shared
// address are no true positive.
func TestSprayVerdicts(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	ok := func(after time.Duration, ip, country string) []rec {
		return []rec{signIn("late-ok", start.Add(after), victim, ip, country, -23.5, -46.6, 0)}
	}
	// A password-expiry morning at a shared address: every user mistypes,
	// some twice, and gets in after a while.
	typos := func(wait time.Duration, twice bool) []rec {
		var out []rec
		for i := range 12 {
			u := fmt.Sprintf("user%02d@example.com", i)
			if i == 0 {
				u = victim
			}
			at := start.Add(time.Duration(i) * 3 * time.Minute)
			out = append(out, signIn(fmt.Sprintf("typo%02d", i), at, u, "192.0.2.10", "PT",
				38.7, -9.1, 50126))
			if twice {
				out = append(out, signIn(fmt.Sprintf("typo%02db", i), at.Add(4*time.Minute), u,
					"192.0.2.10", "PT", 38.7, -9.1, 50126))
			}
			out = append(out, signIn(fmt.Sprintf("ok%02d", i), at.Add(wait), u, "192.0.2.10",
				"PT", 38.7, -9.1, 0))
		}
		return out
	}
	tests := []struct {
		name        string
		baseline    bool
		recs        [][]rec
		disposition string
		outcome     string
	}{
		{"target, password held", true, [][]rec{sprayed("203.0.113.50", "BR", start)},
			TruePositive, OutcomeBlocked},
		{"target over a thin baseline", false, [][]rec{sprayed("203.0.113.50", "BR", start)},
			TruePositive, OutcomeBlocked},
		{"domestic spray, then its success 40 min later", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), ok(40*time.Minute, "203.0.113.50", "PT")},
			TruePositive, OutcomeCompromised},
		{"domestic spray, then its success 2 h later", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), ok(2*time.Hour, "203.0.113.50", "PT")},
			TruePositive, OutcomeCompromised},
		{"thin, then a success from the sprayer's /24", false, [][]rec{
			sprayed("203.0.113.50", "BR", start), ok(2*time.Hour, "203.0.113.77", "BR")},
			TruePositive, OutcomeCompromised},
		{"password-expiry typos at a new shared address", true,
			[][]rec{typos(time.Minute, false)}, "", ""},
		{"typos, each user in after six minutes", true, [][]rec{typos(6*time.Minute, false)},
			"", ""},
		{"typos, twice, then in", false, [][]rec{typos(8*time.Minute, true)}, "", ""},
		// The sprayer comes back with the password two minutes later: the
		// faster the hit, the surer, not the more benign.
		{"the sprayer's hit two minutes later", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), ok(2*time.Minute, "203.0.113.50", "PT")},
			TruePositive, OutcomeCompromised},
		{"the sprayer's hit two minutes later, thin", false, [][]rec{
			sprayed("203.0.113.50", "BR", start), ok(2*time.Minute, "203.0.113.50", "BR")},
			TruePositive, OutcomeCompromised},
		{"spray from the user's own office", true, [][]rec{
			sprayed("198.51.100.10", "PT", start)}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := tt.recs
			if tt.baseline {
				recs = append([][]rec{home(t, start)}, recs...)
			}
			c := runCase(t, setOf(t, map[string]string{"signins.json": array(t, recs...)}),
				victim)
			v := c.Verdict
			switch {
			case tt.disposition == "" && v.Disposition == TruePositive:
				t.Errorf("verdict %s (%s), want no true positive\n%s", v.Label, v.Rule,
					v.Summary)
			case tt.disposition != "" && (v.Disposition != tt.disposition ||
				v.Outcome != tt.outcome):
				t.Errorf("verdict %s (%s), want %s/%s\n%s", v.Label, v.Rule, tt.disposition,
					tt.outcome, v.Summary)
			}
		})
	}
}

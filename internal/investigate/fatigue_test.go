package investigate

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// pushBurst is four denied pushes from ip within half an hour, then an
// approval from it, all carrying the autonomous system asn.
func pushBurst(start time.Time, ip string, asn int) []rec {
	var out []rec
	for i := range 4 {
		out = append(out, signIn(fmt.Sprintf("push%d", i), start.Add(time.Duration(i)*
			6*time.Minute), victim, ip, "PT", 38.72, -9.14, 500121).
			with("autonomousSystemNumber", asn).
			with("authenticationDetails", []any{
				map[string]any{"authenticationMethod": "Password", "succeeded": true,
					"authenticationStepResultDetail": "Correct password"},
				map[string]any{"authenticationMethod": "Mobile app notification",
					"succeeded":                      false,
					"authenticationStepResultDetail": "MFA denied; user did not respond"}}))
	}
	return append(out, signIn("push-ok", start.Add(27*time.Minute), victim, ip, "PT",
		38.72, -9.14, 0).with("autonomousSystemNumber", asn))
}

// A push-fatigue burst is the attacker's when it comes from outside the
// user's own /24s, even through the user's own ISP; from the user's own
// /24, or over a baseline too thin to judge, it stays unmarked and the
// summary still names the denied prompts.
func TestFatigueMarking(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	tests := []struct {
		name     string
		days     int
		ip       string
		marked   bool
		summary  string
		disposed string
	}{
		{"same ISP, another /24", 20, "198.51.7.66", true, "among them 4 MFA prompts",
			TruePositive},
		{"the user's own /24", 20, "198.51.100.66", false, "Every sign-in in the window",
			TruePositive},
		{"thin baseline", 2, "198.51.7.66", false, "Every sign-in in the window",
			TruePositive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := baselineRecs(victim, "198.51.100.10", "PT", 38.72, -9.14, start, tt.days)
			for _, r := range base {
				r["autonomousSystemNumber"] = 64500
			}
			c := runCase(t, setOf(t, map[string]string{
				"signins.json": array(t, base, pushBurst(start, tt.ip, 64500)),
			}), victim)

			n := 0
			for _, e := range c.Timeline {
				if e.IP != tt.ip {
					continue
				}
				n++
				if e.Suspicious != tt.marked {
					t.Errorf("%s at %s: suspicious %v, want %v", e.ID, e.Time, e.Suspicious,
						tt.marked)
				}
			}
			if n != 5 {
				t.Errorf("%d timeline entries from %s, want 5", n, tt.ip)
			}
			if !strings.Contains(c.Verdict.Summary, tt.summary) ||
				!strings.Contains(c.Verdict.Summary, "denied or left unanswered") {
				t.Errorf("summary %q lacks %q or the denied prompts", c.Verdict.Summary,
					tt.summary)
			}
			if c.Verdict.Disposition != tt.disposed {
				t.Errorf("verdict %s, want %s", c.Verdict.Label, tt.disposed)
			}
		})
	}
}

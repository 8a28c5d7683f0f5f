package detect

import (
	"strings"
	"testing"
	"time"
)

// TestBreakGlassReasonSaysRefused: a refused attempt on a break-glass
// account is reported as an attempt, not as the account having signed in
// (a tryout's find: "signed in at risk" for blocked attempts); a success
// still says it signed in.
func TestBreakGlassReasonSaysRefused(t *testing.T) {
	const bg = "bg@example.com"
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	refused := signIn("r1", bg, "203.0.113.7", at, 53003)
	refused.RiskLevelDuringSignIn, refused.RiskState = "high", "atRisk"
	used := signIn("u1", bg, "198.51.100.7", at.Add(6*time.Hour), 0)

	en := NewEngine(DefaultParams(), Options{BreakGlass: []string{bg}})
	en.SignIn(refused)
	en.SignIn(used)
	var reasons []string
	for _, a := range en.Close() {
		if a.Rule == "ENTRA-BREAK-GLASS-USE" {
			reasons = append(reasons, a.Reason)
		}
	}

	if len(reasons) != 2 {
		t.Fatalf("break-glass alerts %q, want one per sign-in", reasons)
	}
	joined := strings.Join(reasons, "\n")
	if !strings.Contains(joined, "attempt on the emergency-access account, refused, at risk") ||
		!strings.Contains(joined, "emergency-access account signed in from 198.51.100.7") {
		t.Errorf("reasons:\n%s\nwant the refused attempt said as one and the success as "+
			"a sign-in", joined)
	}
}

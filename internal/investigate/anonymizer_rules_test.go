package investigate

import (
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
)

// TestAnonymizerAsTheRulesCount: a case counts an attempt as anonymized
// exactly as the detection rules do under the same rule parameters (a
// reviewer's find: the case kept its own list of risk event types and
// counted hosting networks whatever --rules said).
func TestAnonymizerAsTheRulesCount(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	attempt := signIn("a1", start, victim, "203.0.113.66", "RO", 44.43, 26.1, 50126).
		with("riskEventTypes_v2", []string{"riskyIPAddress"}).
		with("riskLevelDuringSignIn", "medium").with("riskState", "atRisk")
	set := setOf(t, map[string]string{"signins.json": array(t, home(t, start),
		[]rec{attempt})})

	narrow := detect.DefaultParams()
	narrow.Anonymizer.RiskEventTypes = []string{"anonymizedIPAddress"}
	for _, c := range []struct {
		name  string
		rules *detect.Params
		kind  Kind
	}{
		{"defaults count riskyIPAddress", nil, KindConfirmed},
		{"a rules file that leaves it out", &narrow, KindNegative},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.User, cfg.Rules, cfg.At = victim, c.rules, start.Add(time.Minute)
			cs, err := Run(set, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if f := finding(t, cs, "anonymizer"); f.Kind != c.kind {
				t.Errorf("anonymizer finding is %s, want %s: %s", f.Kind, c.kind, f.Statement)
			}
		})
	}
}

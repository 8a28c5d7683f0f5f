package detect

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	if p.ImpossibleTravel.MinDistanceKm != 500 || p.ImpossibleTravel.MinSpeedKmh != 800 {
		t.Errorf("travel defaults = %+v, want 500 km and 800 km/h", p.ImpossibleTravel)
	}
	if p.RiskyCountries.MinCountries != 5 || p.CABlockBurst.MinAttempts != 5 ||
		p.SSPRFailedResets.MinFailures != 4 || p.MFAFatigue.MinDenied != 3 {
		t.Errorf("thresholds differ from the issue's: %+v", p)
	}
	if p.SSPRUnlockFail.Window.D() != 2*time.Hour || p.SecurityInfo.Onboarding.D() != 14*24*time.Hour {
		t.Errorf("durations: unlock window %s, onboarding %s", p.SSPRUnlockFail.Window.D(),
			p.SecurityInfo.Onboarding.D())
	}
	for _, m := range Rules(p) {
		if m.ID != "ENTRA-BREAK-GLASS-USE" && !m.Enabled {
			t.Errorf("%s is disabled by default", m.ID)
		}
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name, yaml string
		check      func(Params) bool
		err        string
	}{
		{"empty file keeps defaults", "", func(p Params) bool {
			return p.ImpossibleTravel.MinDistanceKm == 500
		}, ""},
		{"override one field", "ENTRA-IMPOSSIBLE-TRAVEL:\n  minSpeedKmh: 1000\n",
			func(p Params) bool {
				return p.ImpossibleTravel.MinSpeedKmh == 1000 &&
					p.ImpossibleTravel.MinDistanceKm == 500 && p.ImpossibleTravel.Enabled
			}, ""},
		{"disable a rule", "ENTRA-LEGACY-AUTH-SUCCESS:\n  enabled: false\n",
			func(p Params) bool { return !p.LegacyAuth.Enabled }, ""},
		{"list replaces", "ENTRA-BREAK-GLASS-USE:\n  accounts: [bg@example.com]\n",
			func(p Params) bool {
				return len(p.BreakGlass.Accounts) == 1 && Rules(p)[15].Enabled
			}, ""},
		{"days", "ENTRA-SECINFO-NEW-COUNTRY:\n  onboarding: 30d\n", func(p Params) bool {
			return p.SecurityInfo.Onboarding.D() == 30*24*time.Hour
		}, ""},
		{"misspelt field", "ENTRA-IMPOSSIBLE-TRAVEL:\n  minSpeedKm: 1000\n", nil,
			"line 2, column 3: ENTRA-IMPOSSIBLE-TRAVEL has no parameter \"minSpeedKm\"; " +
				"did you mean minSpeedKmh?"},
		{"unknown rule", "ENTRA-NOPE:\n  enabled: true\n", nil,
			"line 1, column 1: unknown rule or section \"ENTRA-NOPE\""},
		{"misspelt rule", "# mine\nENTRA-BRUTE-FORSE:\n  enabled: false\n", nil,
			"line 2, column 1: unknown rule or section \"ENTRA-BRUTE-FORSE\"; did you " +
				"mean ENTRA-BRUTE-FORCE?"},
		{"two unknown parameters: the first", "ENTRA-IMPOSSIBLE-TRAVEL:\n  trusted: 1\n" +
			"  bogus: 3\n  other: 4\n", nil, "line 2, column 3: ENTRA-IMPOSSIBLE-TRAVEL has " +
			"no parameter \"trusted\""},
		{"parameter after others", "ENTRA-IMPOSSIBLE-TRAVEL:\n  minSpeedKmh: 900\n" +
			"  trusted: [a, b]\n", nil,
			"line 3, column 3: ENTRA-IMPOSSIBLE-TRAVEL has no parameter \"trusted\" " +
				"(its parameters: enabled, severity, "},
		{"word for a number", "ENTRA-IMPOSSIBLE-TRAVEL:\n  minSpeedKmh: fast\n", nil,
			"line 2, column 16: ENTRA-IMPOSSIBLE-TRAVEL.minSpeedKmh: want a number, " +
				"not \"fast\""},
		{"word in a list of codes", "ENTRA-CA-BLOCK-BURST:\n  codes: [53003, abc]\n", nil,
			"line 2, column 18: ENTRA-CA-BLOCK-BURST.codes[1]: want a whole number, " +
				"not \"abc\""},
		{"value for a list", "ENTRA-BREAK-GLASS-USE:\n  accounts: bg@example.com\n", nil,
			"line 2, column 13: ENTRA-BREAK-GLASS-USE.accounts: want a list such as " +
				"[a, b], not a single value"},
		{"unclosed list", "ENTRA-CA-BLOCK-BURST:\n  codes: [53003\n", nil,
			"line 2, column "},
		{"bad severity", "ENTRA-BRUTE-FORCE:\n  severity: urgent\n", nil,
			"ENTRA-BRUTE-FORCE: severity \"urgent\""},
		{"bad duration", "ENTRA-MFA-FATIGUE:\n  window: soon\n", nil,
			"line 2, column 11: ENTRA-MFA-FATIGUE.window: duration \"soon\": want a " +
				"number and a unit"},
		// A reviewer's: the bad span where it is, not where its text first
		// appears; flow style; a byte-order mark; Go's types kept out.
		{"duration after the same text elsewhere", "ENTRA-RISKY-COUNTRIES:\n" +
			"  minCountries: 24\nENTRA-BRUTE-FORCE:\n  window: 24\n", nil,
			"line 4, column 11: ENTRA-BRUTE-FORCE.window: duration \"24\""},
		{"duration text in a comment", "# e.g.: 2x\nENTRA-BRUTE-FORCE:\n  window: 2x\n", nil,
			"line 3, column 11: ENTRA-BRUTE-FORCE.window: duration \"2x\""},
		{"list for a duration", "ENTRA-BRUTE-FORCE:\n  window: [1h]\n", nil,
			"line 2, column 11: ENTRA-BRUTE-FORCE.window: want a duration such as 90m, " +
				"24h or 14d, not a list"},
		{"flow style", "ENTRA-BRUTE-FORCE: {enabled: true, windw: 1h}\n", nil,
			"line 1, column 36: ENTRA-BRUTE-FORCE has no parameter \"windw\"; did you " +
				"mean window?"},
		{"a dot in a rule's name", "ENTRA-CA-BLOCK-BURST.window: 2h\n", nil,
			"line 1, column 1: unknown rule or section \"ENTRA-CA-BLOCK-BURST.window\""},
		{"merge key", "base: &b\n  enabled: false\nENTRA-BRUTE-FORCE:\n  <<: *b\n", nil,
			"unknown rule or section \"base\""},
		{"two documents", "ENTRA-CA-BLOCK-BURST:\n  minAttempts: 7\n---\n" +
			"ENTRA-CA-BLOCK-BURST:\n  minAttempts: 9\n", nil,
			"a rules file holds one YAML document; this one holds 2"},
		{"empty duration", "ENTRA-BRUTE-FORCE:\n  window:\n", nil,
			"ENTRA-BRUTE-FORCE.window: want a duration such as 90m, 24h or 14d, not nothing"},
		{"byte-order mark", "\ufeffENTRA-BRUTE-FORCE:\n  enabled: false\n",
			func(p Params) bool { return !p.BruteForce.Enabled }, ""},
		{"section for a flag", "anonymizer:\n  hosting:\n    enabled: true\n", nil,
			"anonymizer.hosting: want true or false, not a section of keys"},
		{"section in a list of text", "at-risk:\n  levels:\n    - {a: 1}\n", nil,
			"at-risk.levels[0]: want a text value, not a section of keys"},
		{"a parameter merged into a rule without it",
			"ENTRA-PASSWORD-SPRAY: &s\n  minUsers: 12\nENTRA-BRUTE-FORCE: {<<: *s}\n", nil,
			"line 2, column 3: minUsers is a parameter of ENTRA-PASSWORD-SPRAY, but an alias " +
				"or merge key (<<) carries it into a rule that has no parameter \"minUsers\""},
		{"a fraction for a whole number", "ENTRA-MFA-FATIGUE:\n  minDenied: 2.5\n", nil,
			"line 2, column 14: ENTRA-MFA-FATIGUE.minDenied: want a whole number, not 2.5"},
		{"an exponent for a whole number", "ENTRA-MFA-FATIGUE:\n  minDenied: 1e3\n", nil,
			"ENTRA-MFA-FATIGUE.minDenied: want a whole number, not 1e3"},
		{"a fraction for a number", "ENTRA-IMPOSSIBLE-TRAVEL:\n  minSpeedKmh: 812.5\n",
			func(p Params) bool { return p.ImpossibleTravel.MinSpeedKmh == 812.5 }, ""},
		{"zero threshold", "ENTRA-CA-BLOCK-BURST:\n  minAttempts: 0\n", nil,
			"line 2, column 16: ENTRA-CA-BLOCK-BURST: minAttempts 0: want more than 0"},
		// Values the checks refuse after decoding name the line that wrote
		// them, block or flow style, quoted keys or not.
		{"bad severity", "# tuned\nENTRA-BRUTE-FORCE:\n  enabled: true\n  severity: urgent\n",
			nil, "line 4, column 13: ENTRA-BRUTE-FORCE: severity \"urgent\": want low"},
		{"bad severity, flow style", "ENTRA-PASSWORD-SPRAY: {minUsers: 8, successSeverity: x}\n",
			nil, "line 1, column 54: ENTRA-PASSWORD-SPRAY: successSeverity \"x\""},
		{"negative ratio", "'ENTRA-PASSWORD-SPRAY':\n  \"maxBystanderRatio\": -1\n", nil,
			"line 2, column 24: ENTRA-PASSWORD-SPRAY: maxBystanderRatio -1: want 0 or more"},
		{"risk level", "ENTRA-RISK-DETECTION-SUCCESS:\n  minLevel: none\n", nil,
			"line 2, column 13: ENTRA-RISK-DETECTION-SUCCESS: minLevel \"none\""},
		{"anonymizer score", "anonymizer:\n  minScore: 101\n", nil,
			"line 2, column 13: anonymizer: minScore 101: want 1 to 100"},
		{"break-glass entry", "ENTRA-BREAK-GLASS-USE:\n  accounts:\n    - a@x.org\n" +
			"    - b@x.org\n    - bg@\n", nil, "line 5, column 7: ENTRA-BREAK-GLASS-USE: "},
		{"break-glass entry, flow style",
			"ENTRA-BREAK-GLASS-USE: {accounts: [a@x.org, b@x.org, \"bg@\"]}\n", nil,
			"line 1, column 54: ENTRA-BREAK-GLASS-USE: "},
		{"severity written as nothing", "ENTRA-BRUTE-FORCE:\n  severity:\n", nil,
			"line 2, column 3: ENTRA-BRUTE-FORCE.severity: want a text value, not nothing"},
		{"threshold written as null", "ENTRA-BRUTE-FORCE:\n  minFailures: null\n", nil,
			"ENTRA-BRUTE-FORCE.minFailures: want a whole number, not nothing"},
		{"an empty break-glass entry", "ENTRA-BREAK-GLASS-USE:\n  accounts: [bg@x.org, \"\"]\n",
			nil, "line 2, column 24: ENTRA-BREAK-GLASS-USE: accounts: an empty entry"},
		{"an empty list of accounts", "ENTRA-BREAK-GLASS-USE:\n  accounts:\n",
			func(p Params) bool { return len(p.BreakGlass.Accounts) == 0 }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Load(strings.NewReader(tt.yaml))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(p) {
				t.Errorf("params not as expected: %+v", p)
			}
		})
	}
}

// TestDefaultsYAMLLoads checks that the embedded file, the starting point
// users copy, loads as an override of itself.
func TestDefaultsYAMLLoads(t *testing.T) {
	p, err := Load(strings.NewReader(string(DefaultsYAML())))
	if err != nil {
		t.Fatal(err)
	}
	if len(Rules(p)) != len(Rules(DefaultParams())) {
		t.Error("rule count differs")
	}
}

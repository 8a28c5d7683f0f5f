package detect

import (
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/spell"
)

// TestLoadClosedSets checks that values of the closed sets (risk levels and
// states) are members, that a near miss of a known risk event type is
// refused while a new one passes, and that a list a rule needs is not
// emptied: each once silently turned a rule off (a new user's tryout).
func TestLoadClosedSets(t *testing.T) {
	tests := []loadCase{
		{"misspelt level", "at-risk:\n  levels: [hgih]\n",
			`line 2, column 12: at-risk: levels: "hgih" is not a risk level; did you mean high?`},
		{"misspelt level after a good one", "at-risk:\n  levels: [medium, hgih]\n",
			`line 2, column 20: at-risk: levels: "hgih" is not a risk level; did you mean high?`},
		{"misspelt level, block style", "at-risk:\n  levels:\n    - medium\n    - meduim\n",
			`line 4, column 7: at-risk: levels: "meduim" is not a risk level; did you mean medium?`},
		{"no levels", "at-risk:\n  levels: []\n",
			"line 2, column 11: at-risk: levels is empty, so no sign-in would count as at risk"},
		{"levels as nothing", "at-risk:\n  levels:\n", "at-risk: levels is empty"},
		{"codes as null", "ENTRA-CA-BLOCK-BURST:\n  codes: ~\n", "codes is empty"},
		{"every Graph level, any case", "at-risk:\n  levels: [Low, MEDIUM, high, hidden, none, " +
			"unknownFutureValue]\n", ""},
		{"misspelt state", "at-risk:\n  excludeStates: [dismised]\n",
			`line 2, column 19: at-risk: excludeStates: "dismised" is not a risk state; did ` +
				`you mean dismissed?`},
		{"no excluded states", "at-risk:\n  excludeStates: []\n", ""},
		{"near miss of a risk event type", "anonymizer:\n  riskEventTypes: [anonymizedIPAdress]\n",
			`line 2, column 20: anonymizer: riskEventTypes: "anonymizedIPAdress" is no risk ` +
				`event type Microsoft documents; did you mean anonymizedIPAddress?`},
		{"new risk event type", "anonymizer:\n  riskEventTypes: [anonymizedIPAddress, " +
			"brandNewProxyDetection]\n", ""},
		{"risk event type in another case", "anonymizer:\n  riskEventTypes: [RiskyIPAddress]\n",
			""},
		{"no risk event types", "anonymizer:\n  riskEventTypes: []\n", ""},
		{"critical type near miss", "ENTRA-RISK-DETECTION-SUCCESS:\n  criticalTypes: " +
			"[anomalousTokn]\n", `ENTRA-RISK-DETECTION-SUCCESS: criticalTypes: "anomalousTokn" ` +
			`is no risk event type Microsoft documents; did you mean anomalousToken?`},
		{"excluded detection state", "ENTRA-RISK-DETECTION-SUCCESS:\n  excludeStates: " +
			"[dismissed, remediatd]\n", `line 2, column 30: ENTRA-RISK-DETECTION-SUCCESS: ` +
			`excludeStates: "remediatd" is not a risk state; did you mean remediated?`},
		{"critical state", "ENTRA-RISK-DETECTION-SUCCESS:\n  criticalStates: [compromised]\n",
			`criticalStates: "compromised" is not a risk state`},
		{"minimum level", "ENTRA-RISK-DETECTION-SUCCESS:\n  minLevel: hihg\n",
			`minLevel "hihg": want low, medium or high; did you mean high?`},
		{"recovery risk level", "ENTRA-SSPR-DURING-RISK:\n  riskLevels: [High, hgh]\n",
			`line 2, column 22: ENTRA-SSPR-DURING-RISK: riskLevels: "hgh" is not a risk level`},
		{"no recovery risk levels", "ENTRA-SSPR-DURING-RISK:\n  riskLevels: []\n",
			"ENTRA-SSPR-DURING-RISK: riskLevels is empty, so the rule could never fire; to " +
				"turn the rule off, write enabled: false"},
		{"no codes", "ENTRA-CA-BLOCK-BURST:\n  codes: []\n",
			"line 2, column 10: ENTRA-CA-BLOCK-BURST: codes is empty, so the rule could never " +
				"fire; to turn the rule off, write enabled: false"},
		{"no codes, rule off", "ENTRA-CA-BLOCK-BURST:\n  enabled: false\n  codes: []\n", ""},
		{"no proof-up codes", "ENTRA-PROOFUP-BLOCKED:\n  codes: []\n",
			"ENTRA-PROOFUP-BLOCKED: codes is empty"},
		{"no resources", "ENTRA-ANON-ADMIN:\n  resources: []\n",
			"ENTRA-ANON-ADMIN: resources is empty"},
		{"no legacy clients, flows or agents", "ENTRA-LEGACY-AUTH-SUCCESS:\n  clientApps: []\n" +
			"  protocols: []\n  userAgents: []\n", "ENTRA-LEGACY-AUTH-SUCCESS: clientApps, " +
			"protocols and userAgents are all empty"},
		{"client app near miss", "ENTRA-LEGACY-AUTH-SUCCESS:\n  clientApps: [IMAP, POP3]\n",
			`line 2, column 16: ENTRA-LEGACY-AUTH-SUCCESS: clientApps: "IMAP" is no client ` +
				`app Microsoft documents; did you mean IMAP4?`},
		{"client app spelt another way", "ENTRA-LEGACY-AUTH-SUCCESS:\n  clientApps: " +
			"[exchange-activesync, Some New Client]\n", ""},
		{"protocol near miss", "ENTRA-LEGACY-AUTH-SUCCESS:\n  protocols: [rpoc]\n",
			`protocols: "rpoc" is no authentication protocol Microsoft documents; did you ` +
				`mean ropc?`},
		{"new protocol", "ENTRA-LEGACY-AUTH-SUCCESS:\n  protocols: [ropc, passwordlessGrant]\n",
			""},
		{"legacy agents alone", "ENTRA-LEGACY-AUTH-SUCCESS:\n  clientApps: []\n" +
			"  protocols: []\n", ""},
	}
	checkLoads(t, tests)
}

// TestOpenSetsApart checks that no known name of an open set is a near
// miss of another, so that a slip points at one name.
func TestOpenSetsApart(t *testing.T) {
	for _, set := range []struct {
		known []string
		fold  func(string) string
	}{{riskEventTypes, strings.ToLower}, {legacyClients, entra.Fold}, {protocols, entra.Fold}} {
		for i, a := range set.known {
			for _, b := range set.known[i+1:] {
				if d := spell.Distance(set.fold(a), set.fold(b)); d <= nearMiss {
					t.Errorf("%s and %s are %d edits apart", a, b, d)
				}
			}
		}
	}
}

// loadCase is a rules file and what Load must say of it: err is a part of
// the error, or "" when the file loads.
type loadCase struct {
	name, yaml string
	err        string
}

// checkLoads loads each case's file and checks its error. No error may
// hold a raw tab, which would print as spaces.
func checkLoads(t *testing.T, tests []loadCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.yaml))
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("err = %v, want the file to load", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("err = %v, want it to contain %q", err, tt.err)
			case err != nil && strings.Contains(err.Error(), "\t"):
				t.Errorf("err = %q holds a raw tab", err)
			}
		})
	}
}

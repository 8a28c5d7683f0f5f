package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHistoryReadersMarked wants every file that reads a user's history
// (c.g.hist) to belong to a rule marked historyReader: the engine keeps no
// history when no enabled rule is marked. TestRuleAloneAsAmongAll shows a
// missing mark only where its inputs exercise the history.
func TestHistoryReadersMarked(t *testing.T) {
	owners := map[string]string{
		"rule_brute.go":           "ENTRA-BRUTE-FORCE",
		"rule_fatigue.go":         "ENTRA-MFA-FATIGUE",
		"rule_fatigue_rotated.go": "ENTRA-MFA-FATIGUE",
		"rule_secinfo.go":         "ENTRA-SECINFO-NEW-COUNTRY",
		"rule_travel.go":          "ENTRA-IMPOSSIBLE-TRAVEL",
		"rule_unlockfail.go":      "ENTRA-SSPR-UNLOCK-THEN-FAIL",
	}
	marked := map[string]bool{}
	for _, r := range DefaultParams().rules() {
		_, marked[r.meta().ID] = r.(historyReader)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "engine.go" {
			continue // the engine learns the history; it does not read it
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), "g.hist") {
			continue
		}
		id, ok := owners[f]
		switch {
		case !ok:
			t.Errorf("%s reads a user's history: name its rule in this test and mark the "+
				"rule historyReader", f)
		case !marked[id]:
			t.Errorf("%s reads a user's history, but %s is not a historyReader", f, id)
		}
	}
	for id, m := range marked {
		if m && !hasValue(owners, id) {
			t.Errorf("%s is a historyReader, but no file of it reads the history", id)
		}
	}
}

func hasValue(m map[string]string, v string) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	return false
}

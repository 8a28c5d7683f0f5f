package investigate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/idtriage/idtriage/internal/ingest"
)

// expectation is a fixture case's expect.json: the verdict a senior analyst
// reached on it, and why.
type expectation struct {
	User        string `json:"user"`
	Disposition string `json:"disposition"`
	Outcome     string `json:"outcome"`
	Confidence  string `json:"confidence"`
	Why         string `json:"why"`
}

// TestCases runs every fixture case under testdata/cases, each in a
// different export shape, and checks the verdict against its expect.json.
func TestCases(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "cases", "*"))
	if err != nil || len(dirs) < 5 {
		t.Fatalf("want at least 5 fixture cases, found %d (%v)", len(dirs), err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var want expectation
			b, err := os.ReadFile(filepath.Join(dir, "expect.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatalf("expect.json: %v", err)
			}

			set, err := ingest.Read([]string{dir}, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range set.Problems {
				t.Errorf("fixture problem: %v", p)
			}
			c := runCase(t, set, want.User)

			v := c.Verdict
			if v.Disposition != want.Disposition || v.Outcome != want.Outcome ||
				v.Confidence != want.Confidence {
				t.Errorf("verdict %s/%s/%s (rule %s), want %s/%s/%s: %s\nsignals: %+v",
					v.Disposition, v.Outcome, v.Confidence, v.Rule, want.Disposition,
					want.Outcome, want.Confidence, want.Why, v.Signals)
			}
		})
	}
}

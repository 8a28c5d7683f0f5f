package investigate

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/ingest"
)

// TestRejectedAmongWindow: a line the decoder rejects among the user's
// records from the window on is a gap the case names, and it lowers the
// confidence of a verdict that rests on absence ("nothing got through");
// one among the baseline's records, weeks before, is not.
func TestRejectedAmongWindow(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	blocks := brazilBlocks(start, 5)
	for _, b := range blocks {
		b.with("riskLevelDuringSignIn", "high").with("riskState", "atRisk")
	}
	const broken = `{"id": "cut", "createdDateTime": "2026-06-01T12:30:00Z", "userPrin`

	// lines renders the records as NDJSON with the broken line after the
	// record numbered at.
	lines := func(recs []rec, at int) string {
		var b strings.Builder
		for i, r := range recs {
			text, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(append(text, '\n'))
			if i == at {
				b.WriteString(broken + "\n")
			}
		}
		return b.String()
	}
	// A token refresh and an audit event weeks before: the input covers
	// both logs, so no other gap lowers the confidence.
	refresh := signIn("refresh", start.Add(-30*24*time.Hour), victim, "198.51.100.10", "PT",
		38.72, -9.14, 0).with("isInteractive", false).
		with("signInEventTypes", []string{"nonInteractiveUser"})
	recs := append(append([]rec{refresh}, home(t, start)...), blocks...)
	audits := array(t, []rec{audit("a1", start.Add(-30*24*time.Hour), "Update user",
		"success", "", "admin@example.com", "198.51.100.20", "sam@example.com")})
	run := func(at int) *Case {
		set := &ingest.Set{}
		ingest.Decode("audits.json", []byte(audits), set)
		ingest.Decode("signins.ndjson", []byte(lines(recs, at)), set)
		set.Finish()
		if at >= 0 && len(set.Problems) != 1 {
			t.Fatalf("%d problems decoding, want the broken line", len(set.Problems))
		}
		return runCase(t, set, victim)
	}

	clean := run(-1)
	among := run(len(recs) - 3) // between the third and fourth blocks
	before := run(3)            // among the baseline, weeks before

	if clean.Verdict.Label != "True Positive - Blocked" {
		t.Fatalf("the clean case reads %s; the test wants a blocked attack", clean.Verdict.Label)
	}
	gap := "1 record rejected by the decoder among the user's records from the window on"
	if !hasCoverage(among, gap) || !hasCoverage(among, "signins.ndjson:") {
		t.Errorf("coverage %q lacks the rejected record among the window's", among.Coverage)
	}
	if len(clean.Coverage) > 0 || clean.Verdict.Confidence == ConfLow {
		t.Fatalf("the clean case has coverage gaps %q and confidence %s; the test wants none "+
			"and room to lower it", clean.Coverage, clean.Verdict.Confidence)
	}
	if among.Verdict.Confidence != lowerConfidence(clean.Verdict.Confidence) {
		t.Errorf("confidence %s with a rejected record in the window, %s without; want one "+
			"step lower", among.Verdict.Confidence, clean.Verdict.Confidence)
	}
	if hasCoverage(before, "could not be read") ||
		before.Verdict.Confidence != clean.Verdict.Confidence {
		t.Errorf("a rejected record weeks before the window changed the case: coverage %q, "+
			"confidence %s", before.Coverage, before.Verdict.Confidence)
	}
}

func hasCoverage(c *Case, part string) bool {
	for _, g := range c.Coverage {
		if strings.Contains(g, part) {
			return true
		}
	}
	return false
}

package investigate

import (
	"testing"
	"time"
)

// TestPriorTriageFromStore checks that earlier cases and analysts'
// decisions handed in by a case store reach question 1, and that without a
// store the finding reads as it always has on the command line.
func TestPriorTriageFromStore(t *testing.T) {
	const user = "ana.reyes@example.com"
	start := mustTime("2026-11-17T10:00:00Z")
	set := setOf(t, map[string]string{
		"signins.json": array(t, baselineRecs(user, "186.2.128.10", "HN", 14.1, -87.2,
			start, 6)),
	})
	opened := mustTime("2026-11-10T08:00:00Z")
	overturned := PriorCase{ID: "c1", AlertID: "a1", Opened: opened,
		Label: "True Positive - Blocked", Confidence: ConfHigh,
		Decisions: []PriorDecision{{Analyst: "bob", Action: "overturn",
			Label: "Benign Positive", Note: "her own travel", Time: opened.Add(time.Hour)}}}
	unreviewed := PriorCase{ID: "c2", AlertID: "a2", Opened: opened.Add(48 * time.Hour),
		Label: "False Positive", Confidence: ConfMedium}

	tests := []struct {
		name     string
		source   string
		prior    []PriorCase
		kind     Kind
		read     int
		contains []string
		refs     int
	}{
		{name: "command line reads no store", kind: KindNegative,
			contains: []string{"no case store is read from the command line"}},
		{name: "store holds nothing earlier", source: "case store (sqlite)",
			kind:     KindNegative,
			contains: []string{"the case store holds no earlier case for this user"}},
		{name: "earlier cases and an overturn", source: "case store (postgres)",
			prior: []PriorCase{overturned, unreviewed}, kind: KindPivot, read: 3, refs: 2,
			contains: []string{"2 earlier cases in the case store",
				"overturned by bob to Benign Positive (\"her own travel\")",
				"False Positive, confidence medium, not reviewed by an analyst"}},
		{name: "earlier cases no one reviewed", source: "case store (sqlite)",
			prior: []PriorCase{unreviewed, unreviewed}, kind: KindPivot, read: 2, refs: 2,
			contains: []string{"No one has looked at this user yet: 2 earlier cases",
				"none reviewed by an analyst", "may repeat one of them"}},
		{name: "prior ignored without a source", prior: []PriorCase{overturned},
			kind:     KindNegative,
			contains: []string{"no case store is read from the command line"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.User, cfg.Prior, cfg.PriorSource = user, tt.prior, tt.source
			c, err := Run(set, cfg)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			f := finding(t, c, "prior-triage")
			if f.Kind != tt.kind {
				t.Errorf("kind = %s, want %s (%s)", f.Kind, tt.kind, f.Statement)
			}
			if f.Read != tt.read {
				t.Errorf("records read = %d, want %d", f.Read, tt.read)
			}
			if len(f.Evidence) != tt.refs {
				t.Errorf("evidence = %d refs, want %d", len(f.Evidence), tt.refs)
			}
			for _, want := range tt.contains {
				mustContain(t, "statement", f.Statement, want)
			}
			if tt.source != "" {
				mustContain(t, "source", f.Source, tt.source)
			}
		})
	}
}

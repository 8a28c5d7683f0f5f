package investigate

import (
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/ingest"
)

func readExample(t *testing.T) *ingest.Set {
	t.Helper()
	set, err := ingest.Read([]string{"../../examples/sspr-takeover"}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestDetectionsFromDetect: the report's detection opportunities are the
// detect rules that fired, with detect's metadata and query and the records
// of the alerts, in detect's order.
func TestDetectionsFromDetect(t *testing.T) {
	c := runCase(t, readExample(t), "")
	p := detect.DefaultParams()
	order := map[string]int{}
	meta := map[string]detect.Meta{}
	for i, m := range detect.Rules(p) {
		order[m.ID], meta[m.ID] = i, m
	}
	last := -1
	for _, d := range c.Detections {
		m, ok := meta[d.ID]
		if !ok {
			t.Fatalf("detection %s is not a detect rule", d.ID)
		}
		if order[d.ID] <= last {
			t.Errorf("%s is out of detect's order", d.ID)
		}
		last = order[d.ID]
		kql, _ := detect.KQL(p, d.ID)
		if d.Title != m.Title || d.Technique != m.Technique || d.Name != m.TechniqueName ||
			d.Tactic != m.Tactic || d.URL != m.URL() || !d.Fired {
			t.Errorf("%s: metadata differs from detect's: %+v", d.ID, d)
		}
		if d.ID != "ENTRA-IMPOSSIBLE-TRAVEL" && d.KQL != kql {
			t.Errorf("%s: query differs from detect's", d.ID)
		}
		if !strings.HasPrefix(d.Rule, m.Description[:20]) || !strings.Contains(d.Rule, "Here: ") {
			t.Errorf("%s: rule text %q lacks the description or the reason", d.ID, d.Rule)
		}
		if len(d.Evidence) == 0 || len(d.Evidence) > maxRefs {
			t.Errorf("%s: %d evidence records", d.ID, len(d.Evidence))
		}
	}
	for _, id := range []string{"ENTRA-CA-BLOCK-BURST", "ENTRA-PROOFUP-BLOCKED",
		"ENTRA-SSPR-FAILED-RESETS", "ENTRA-SSPR-DURING-RISK"} {
		if !hasDetection(c, id) {
			t.Errorf("%s did not fire on the reference case", id)
		}
	}
}

// TestDetectionsFollowConfig: the travel thresholds of the case apply to
// its travel rule, so the report never judges one hop two ways.
func TestDetectionsFollowConfig(t *testing.T) {
	set := readExample(t)
	cfg := DefaultConfig()
	cfg.MaxSpeedKmh = 50000
	c, err := Run(set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if hasDetection(c, "ENTRA-IMPOSSIBLE-TRAVEL") {
		t.Error("travel fired above the configured maximum speed")
	}
	p := detectParams(cfg)
	if p.ImpossibleTravel.MinSpeedKmh != 50000 || p.ImpossibleTravel.MinDistanceKm != 500 ||
		p.Anonymizer.MinScore != 90 {
		t.Errorf("params = %+v / %+v", p.ImpossibleTravel, p.Anonymizer)
	}
}

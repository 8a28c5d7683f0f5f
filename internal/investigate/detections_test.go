package investigate

import (
	"fmt"
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

// TestDetectionsSeeTheTenantAround: a password spray shows among the case's
// detections of a user it touched, as it would in a hunt, though the user's
// own records hold one wrong password: the rules about an address read the
// tenant's sign-ins from it. A user who never signed in from the address
// gets no spray detection.
func TestDetectionsSeeTheTenantAround(t *testing.T) {
	var rows []string
	row := func(id, user, ip, at string, code int) {
		rows = append(rows, fmt.Sprintf(`{"id":%q,"createdDateTime":%q,`+
			`"userPrincipalName":%q,"appDisplayName":"Office 365 Exchange Online",`+
			`"ipAddress":%q,"status":{"errorCode":%d},"location":{"countryOrRegion":"NL"}}`,
			id, at, user, ip, code))
	}
	// Twelve users' wrong passwords from one address within 24 minutes.
	for u := range 12 {
		row(fmt.Sprintf("spray-%d", u), fmt.Sprintf("user_%d@example.com", u), "203.0.113.77",
			fmt.Sprintf("2026-03-09T02:%02d:00Z", 10+2*u), 50126)
	}
	// Each user's own day at the office; one who was never sprayed.
	for u := range 13 {
		for d := range 5 {
			row(fmt.Sprintf("work-%d-%d", u, d), fmt.Sprintf("user_%d@example.com", u),
				"198.51.100.10", fmt.Sprintf("2026-03-0%dT09:00:00Z", 4+d), 0)
		}
	}
	set := setOf(t, map[string]string{"signins.json": "[" + strings.Join(rows, ",") + "]"})

	for _, tt := range []struct {
		user string
		want bool
	}{
		{"user_3@example.com", true},
		{"user_12@example.com", false},
	} {
		c := runCase(t, set, tt.user)
		if got := hasDetection(c, "ENTRA-PASSWORD-SPRAY"); got != tt.want {
			t.Errorf("%s: spray among the detections = %v, want %v (detections %v)",
				tt.user, got, tt.want, detectionIDs(c))
		}
	}
}

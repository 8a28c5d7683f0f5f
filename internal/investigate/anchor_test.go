package investigate

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestLowRiskDoesNotAnchor: an open low-risk detection from the user's
// home does not pull the window away from a rule's alert days later (five
// Conditional Access blocks from abroad); a medium one, or a low one from
// an address the user never uses, still anchors, as Identity Protection's
// own alert.
func TestLowRiskDoesNotAnchor(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	blocks := brazilBlocks(start, 5)
	risk := func(level, ip string) string {
		return `{"value":[{"id":"r1","riskEventType":"unfamiliarFeatures","riskLevel":"` +
			level + `","riskState":"atRisk","activityDateTime":"` +
			start.Add(-72*time.Hour).Format(time.RFC3339) + `","ipAddress":"` + ip + `",` +
			`"userPrincipalName":"` + victim + `"}]}`
	}
	for _, tc := range []struct {
		name, level, ip, basis, alert string
	}{
		{"low at home", "low", "198.51.100.10", "ENTRA-CA-BLOCK-BURST",
			"the risk detections supplied are low"},
		{"medium at home", "medium", "198.51.100.10", "risk detections",
			"risk detection unfamiliarFeatures (medium"},
		// A low detection from an address the user never uses may be the
		// attack itself (a reviewer's case): it still leads.
		{"low elsewhere", "low", "192.0.2.99", "risk detections",
			"risk detection unfamiliarFeatures (low"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The attacker's own sign-ins at the detection do not make its
			// address usual (a reviewer's case: three were enough).
			var near []rec
			for i := range 3 {
				near = append(near, signIn(fmt.Sprintf("near%d", i), start.Add(-72*time.Hour+
					time.Duration(i)*time.Minute), victim, tc.ip, "NG", 6.5, 3.4, 0))
			}
			c := runCase(t, setOf(t, map[string]string{
				"signins.json": array(t, home(t, start), blocks, near),
				"risk.json":    risk(tc.level, tc.ip),
			}), victim)
			if !strings.Contains(c.Window.Basis, tc.basis) || !strings.Contains(c.Alert, tc.alert) {
				t.Errorf("window %s to %s (%s), alert %q; want the basis to name %q and the "+
					"alert %q", c.Window.Start, c.Window.End, c.Window.Basis, c.Alert, tc.basis,
					tc.alert)
			}
		})
	}
}

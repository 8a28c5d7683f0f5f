package investigate

import (
	"path/filepath"
	"testing"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/simulate"
)

// TestHuntHandOff: every user a hunt over a generated tenant names in an
// alert, investigated over the same records, sees that alert among the
// case's detections, with the alert's start inside the suspicious window
// and the baseline learnt before it. Rules about an address or an
// application are left out: investigate runs them over the user's records
// only, which cannot show a spray.
func TestHuntHandOff(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 120-user tenant")
	}
	out := t.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 120, Days: 3, Seed: 7, Out: out}); err != nil {
		t.Fatal(err)
	}
	set, err := ingest.Read([]string{filepath.Join(out, simulate.LogsDir)}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}

	// The hunt, as idtriage hunt runs it, at the investigation's travel
	// thresholds so that both judge a hop alike.
	p := detectParams(DefaultConfig())
	userScope := map[string]bool{}
	for _, m := range detect.Rules(p) {
		userScope[m.ID] = m.Scope == "user"
	}
	en := detect.NewEngine(p, detect.Options{})
	for i := range set.SignIns {
		en.SignIn(&set.SignIns[i])
	}
	for i := range set.Audits {
		en.Audit(&set.Audits[i])
	}
	flagged := map[string][]detect.Alert{}
	for _, a := range en.Close() {
		if a.User != "" && userScope[a.Rule] {
			flagged[a.User] = append(flagged[a.User], a)
		}
	}
	// The tenant holds three stolen sessions and three IMAP victims,
	// among others; fewer flagged users means the hunt itself changed.
	if len(flagged) < 40 {
		t.Fatalf("the hunt flagged %d users, want at least 40", len(flagged))
	}

	for user, alerts := range flagged {
		c := runCase(t, set, user)
		for _, a := range alerts {
			if !hasDetection(c, a.Rule) {
				t.Errorf("%s: hunt raised %s (%s to %s) but the case's detections lack it; "+
					"window %v to %v (%s)", user, a.Rule, a.Start, a.End, c.Window.Start,
					c.Window.End, c.Window.Basis)
			}
		}
		lead, _ := leadAlert(alerts)
		if c.Window.Start.After(lead.Start) && c.Window.Basis != "risky sign-ins and risk detections" {
			t.Errorf("%s: window starts at %v, after the lead alert %s at %v (%s)", user,
				c.Window.Start, lead.Rule, lead.Start, c.Window.Basis)
		}
	}
}

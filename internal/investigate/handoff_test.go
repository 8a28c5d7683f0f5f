package investigate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/simulate"
)

// TestHuntHandOff: every user a hunt over a generated tenant names in an
// alert, investigated over the same records, sees that alert among the
// case's detections, with the alert's start inside the suspicious window
// and the baseline learnt before it. That holds for the rules about an
// address or an application too (a success after a password spray names
// its user): investigate runs them over the tenant's sign-ins around the
// user's.
//
// The verdict weighs what the hunt found: no victim of a recovery, proof-up
// or travel incident in the ground truth is called Benign Positive (the
// attacker's refused recovery and blocked registration come from the
// victim's own ISP, which once read as the user), and no user outside the
// ground truth is called a true positive. Seeds 7 and 11 each hold three
// incidents of every such scenario.
func TestHuntHandOff(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 120-user tenants")
	}
	for _, seed := range []uint64{7, 11} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { huntHandOff(t, seed) })
	}
}

func huntHandOff(t *testing.T, seed uint64) {
	out := t.TempDir()
	truth, err := simulate.Run(simulate.Config{Users: 120, Days: 3, Seed: seed, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	victimOf := map[string]string{}
	subjectsOf := map[string][]string{}
	for _, inc := range truth.Incidents {
		for _, u := range inc.Users {
			victimOf[u] = inc.Scenario
			subjectsOf[u] = append(subjectsOf[u], inc.Subjects...)
		}
	}
	// The whole tenant folder: its logs and its risk detections.
	set, err := ingest.Read([]string{out}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}

	// The hunt, as idtriage hunt runs it with its defaults; the case's
	// defaults judge a hop alike.
	en := detect.NewEngine(detect.DefaultParams(), detect.Options{})
	for i := range set.SignIns {
		en.SignIn(&set.SignIns[i])
	}
	for i := range set.Audits {
		en.Audit(&set.Audits[i])
	}
	for i := range set.Risks {
		en.Risk(&set.Risks[i])
	}
	flagged := map[string][]detect.Alert{}
	for _, a := range en.Close() {
		if a.User != "" {
			flagged[a.User] = append(flagged[a.User], a)
		}
	}
	// The tenant holds three stolen sessions and three IMAP victims,
	// among others; fewer flagged users means the hunt itself changed.
	if len(flagged) < 40 {
		t.Fatalf("the hunt flagged %d users, want at least 40", len(flagged))
	}

	checked := 0
	for user, alerts := range flagged {
		c := runCase(t, set, user)
		for _, a := range alerts {
			if !hasDetection(c, a.Rule) {
				t.Errorf("%s: hunt raised %s (%s to %s) but the case's detections lack it; "+
					"window %v to %v (%s)", user, a.Rule, a.Start, a.End, c.Window.Start,
					c.Window.End, c.Window.Basis)
			}
		}
		scenario, victim := victimOf[user]
		weighed := strings.HasPrefix(scenario, "sspr-") || scenario == "proofup-blocked" ||
			scenario == "impossible-travel"
		if victim && weighed {
			checked++
		}
		if victim && weighed && c.Verdict.Disposition == BenignPositive {
			t.Errorf("%s, victim of %s: verdict %s (rule %s) with detections %v", user,
				scenario, c.Verdict.Label, c.Verdict.Rule, detectionIDs(c))
		}
		// Whether or not the burst lies outside the baseline (the simulator
		// sends it from the user's own ISP), the summary says what the
		// prompts show.
		if scenario == "mfa-fatigue" && !strings.Contains(c.Verdict.Summary,
			"denied or left unanswered") {
			t.Errorf("%s, victim of MFA fatigue: summary %q says nothing of the denied "+
				"prompts", user, c.Verdict.Summary)
		}
		if scenario == "mfa-fatigue" {
			checkFatigueMarked(t, c, user, subjectsOf[user])
		}
		// A target of a spray inside the case's window was attacked,
		// whether or not the password held.
		if victim && strings.Contains(scenario, "spray") && sprayInWindow(c) &&
			c.Verdict.Disposition != TruePositive {
			t.Errorf("%s, target of %s: verdict %s (rule %s): %s", user, scenario,
				c.Verdict.Label, c.Verdict.Rule, c.Verdict.Summary)
		}
		if !victim && c.Verdict.Disposition == TruePositive {
			t.Errorf("%s, in no incident: verdict %s (rule %s)", user, c.Verdict.Label,
				c.Verdict.Rule)
		}

		lead, _ := leadAlert(alerts)
		byRisk := c.Window.Basis == "risky sign-ins and risk detections"
		if c.Window.Start.After(lead.Start) && !byRisk {
			t.Errorf("%s: window starts at %v, after the lead alert %s at %v (%s)", user,
				c.Window.Start, lead.Rule, lead.Start, c.Window.Basis)
		}
		// With no risk record, the case says which alert it was opened on.
		if !strings.HasPrefix(c.Alert, "Identity Protection") &&
			!strings.Contains(c.Alert, "most severe alert about the user: ENTRA-") {
			t.Errorf("%s: alert line %q names none of the rules' alerts", user, c.Alert)
		}
	}
	// Each seed holds three incidents of each of seven such scenarios.
	if checked < 12 {
		t.Errorf("%d victims of recovery, proof-up or travel incidents were flagged, want "+
			"at least 12", checked)
	}
}

func detectionIDs(c *Case) []string {
	var ids []string
	for _, d := range c.Detections {
		ids = append(ids, d.ID)
	}
	return ids
}

// checkFatigueMarked holds a push-fatigue victim's timeline to the burst:
// the simulator sends it from an address of the user's own ISP outside
// their /24s, and every sign-in from there in the window is the attacker's.
func checkFatigueMarked(t *testing.T, c *Case, user string, attackers []string) {
	t.Helper()
	from := map[string]bool{}
	for _, ip := range attackers {
		from[ip] = true
	}
	marked := 0
	for _, e := range c.Timeline {
		if e.Kind != "signin" || !e.InWindow || !from[e.IP] {
			continue
		}
		if !e.Suspicious {
			t.Errorf("%s, victim of MFA fatigue: %s from the attacker's %s is not marked "+
				"suspicious", user, e.ID, e.IP)
		}
		marked++
	}
	if marked == 0 {
		t.Errorf("%s, victim of MFA fatigue: no sign-in from %v in the window", user, attackers)
	}
}

// sprayInWindow reports whether a spray detection of the case cites a
// record inside the case's window (a medium risk detection days before
// may anchor the window elsewhere).
func sprayInWindow(c *Case) bool {
	for _, d := range c.Detections {
		if d.ID != "ENTRA-PASSWORD-SPRAY" && d.ID != "ENTRA-SPRAY-DISTRIBUTED" {
			continue
		}
		for _, r := range d.Evidence {
			if !r.Time.Before(c.Window.Start) && !r.Time.After(c.Window.End) {
				return true
			}
		}
	}
	return false
}

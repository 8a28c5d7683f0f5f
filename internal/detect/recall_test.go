package detect_test

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
	"github.com/idtriage/idtriage/internal/simulate"
)

// The recall test generates synthetic tenants (internal/simulate) with
// attacks injected, hunts them as idtriage hunt does, and scores every rule
// against the ground truth.
//
// Each tenant has 500 users over three working days (about 66,000
// sign-ins, 300 MB on disk, a few seconds): the smallest size at which
// every scenario is injected three times, the distributed spray needing
// three offices with 32 users nobody else attacked. Two seeds are scored
// together, so that a threshold does not rest on one draw of the benign
// noise.
var recallSeeds = []uint64{1, 2}

const (
	recallUsers = 500
	recallDays  = 3
	// slack widens an incident's window when alerts are matched to it:
	// an alert's window starts at the first record behind it, which can
	// be the victim's own sign-in shortly before the attack.
	slack = time.Hour
)

// floor is the lowest precision and recall a rule may score.
type floor struct{ precision, recall float64 }

// floors are the thresholds, rule by rule.
//
// Recall is 1 for every rule: each injected incident crosses the rule's
// documented default thresholds with a margin (six blocks where five are
// needed, five countries, fifteen sprayed users where ten are, twelve wrong
// passwords where ten are ...), so a miss means the rule no longer does
// what defaults.yaml says.
//
// Precision counts an alert as true when it concerns a user or address an
// incident touched, during that incident. The benign traffic is built to
// be physically consistent, so most rules must stay at 1; the exceptions
// carry the hard negatives the generator includes on purpose:
//
//   - ENTRA-IMPOSSIBLE-TRAVEL, 0.9: half the travellers' phones roam on
//     their home carrier, which places them at home while the laptop signs
//     in abroad. Alerts on them are false by the ground truth: none on
//     these two seeds, three in 104 on the bench's 300-user week. Most
//     alerts are on spray victims, whom the attack moved across the world.
//   - ENTRA-PASSWORD-SPRAY, 1: on the first Monday a quarter of each office
//     mistypes an expired password once, from the office's single address,
//     on their managed laptops. Counted as spray, that burst outnumbered
//     the colleagues who got in and gave about fifteen false alerts (0.46
//     over the two seeds); ownDeviceTypos, on by default, reads a wrong
//     password on the user's own enrolled device as a typo. The generator's
//     typos are all on laptops; a real office's typos on unenrolled phones
//     would still count, so this floor is an upper bound.
var floors = map[string]floor{
	simulate.RuleTravel:      {0.9, 1},
	simulate.RuleCountries:   {1, 1},
	simulate.RuleAnonAdmin:   {1, 1},
	simulate.RuleCABurst:     {1, 1},
	simulate.RuleProofUp:     {1, 1},
	simulate.RuleSSPRResets:  {1, 1},
	simulate.RuleSSPRRisk:    {1, 1},
	simulate.RuleUnlockFail:  {1, 1},
	simulate.RuleSSPRBlocked: {1, 1},
	simulate.RuleSpray:       {1, 1},
	simulate.RuleDistSpray:   {1, 1},
	simulate.RuleBrute:       {1, 1},
	simulate.RuleFatigue:     {1, 1},
	simulate.RuleLegacy:      {1, 1},
	simulate.RuleSecInfo:     {1, 1},
	simulate.RuleBreakGlass:  {1, 1},
	// ENTRA-RISK-DETECTION-SUCCESS, 1 and 1: the generator ties a detection
	// to a success only in attacks (the stolen session's anomalous token,
	// by address; the break-glass sign-in, by request), and every benign
	// detection is one the defaults leave out: low, dismissed or
	// remediated, or tied by request to a sign-in that failed although the
	// user got in from the same address a minute later. A lower precision
	// means a settled or refused detection was tied.
	simulate.RuleRiskDetection: {1, 1},
}

// score is one rule's counts over every tenant.
type score struct {
	alerts, trueAlerts int
	expected, found    int
}

func (s score) precision() float64 {
	if s.alerts == 0 {
		return 1
	}
	return float64(s.trueAlerts) / float64(s.alerts)
}

func (s score) recall() float64 {
	if s.expected == 0 {
		return 1
	}
	return float64(s.found) / float64(s.expected)
}

// TestRecallOnSimulatedTenants scores every rule on generated tenants and
// fails when one falls below its floor.
func TestRecallOnSimulatedTenants(t *testing.T) {
	scores := map[string]*score{}
	for _, seed := range recallSeeds {
		truth, logs := generate(t, seed)
		alerts := hunt(t, logs, truth, true)
		tally(scores, alerts, truth)
	}
	var report strings.Builder
	rules := slices.Sorted(func(yield func(string) bool) {
		for r := range scores {
			if !yield(r) {
				return
			}
		}
	})
	fmt.Fprintf(&report, "%-30s %9s %9s\n", "rule", "precision", "recall")
	for _, r := range rules {
		s := scores[r]
		fmt.Fprintf(&report, "%-30s %4d/%-4d %4d/%-4d\n", r, s.trueAlerts, s.alerts,
			s.found, s.expected)
		f, ok := floors[r]
		switch {
		case !ok:
			t.Errorf("%s: no floor set for this rule; add one to floors", r)
		case s.expected == 0:
			t.Errorf("%s: the generator injected no incident this rule must find", r)
		case s.precision() < f.precision:
			t.Errorf("%s: precision %.2f (%d of %d alerts) below %.2f", r, s.precision(),
				s.trueAlerts, s.alerts, f.precision)
		case s.recall() < f.recall:
			t.Errorf("%s: recall %.2f (%d of %d) below %.2f", r, s.recall(), s.found,
				s.expected, f.recall)
		}
	}
	for r := range floors {
		if scores[r] == nil {
			t.Errorf("%s: neither injected nor alerted", r)
		}
	}
	t.Logf("precision and recall over seeds %v:\n%s", recallSeeds, report.String())
}

// TestHuntModesAgree checks, on one generated tenant, that hunting gives
// the same alerts whether records are decoded lean or whole, and whether
// the engine evaluates them as they come (ordered) or buffers them all.
func TestHuntModesAgree(t *testing.T) {
	truth, logs := generate(t, recallSeeds[0])
	want := hunt(t, logs, truth, true)
	for _, mode := range []struct {
		name        string
		lean, order bool
	}{{"full records", false, true}, {"buffered engine", true, false}} {
		got := huntWith(t, logs, truth, mode.lean, mode.order, nil)
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("%s: alerts differ from a lean ordered hunt (-want +got):\n%s",
				mode.name, diff)
		}
	}
}

// generate writes a tenant under a temporary folder and returns its truth
// and the folders a hunt reads: the logs and the risk detections.
func generate(t *testing.T, seed uint64) (*simulate.Truth, []string) {
	t.Helper()
	out := t.TempDir()
	truth, err := simulate.Run(simulate.Config{Users: recallUsers, Days: recallDays,
		Seed: seed, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	return truth, []string{filepath.Join(out, simulate.LogsDir),
		filepath.Join(out, simulate.RiskDir)}
}

// hunt runs the default rules over logs as idtriage hunt does: lean
// records merged by time across the folders, the engine in ordered mode,
// address facts from the records, the tenant's break-glass account
// configured.
func hunt(t *testing.T, logs []string, truth *simulate.Truth, lean bool) []detect.Alert {
	return huntWith(t, logs, truth, lean, true, nil)
}

// huntWith is hunt in ordered or buffered mode, with edit, when not nil,
// changing each sign-in before the engine sees it.
func huntWith(t *testing.T, logs []string, truth *simulate.Truth, lean,
	ordered bool, edit func(*entra.SignIn)) []detect.Alert {
	t.Helper()
	table := ipintel.New()
	en := detect.NewEngine(detect.DefaultParams(), detect.Options{Ordered: ordered,
		BreakGlass: truth.BreakGlass, Facts: table.Lookup})
	_, err := ingest.StreamByTime(logs, ingest.Options{Lean: lean}, func(r ingest.Record) error {
		switch {
		case r.SignIn != nil:
			if edit != nil {
				edit(r.SignIn)
			}
			table.AddSignIn(r.SignIn)
			en.SignIn(r.SignIn)
		case r.Audit != nil:
			en.Audit(r.Audit)
		case r.Risk != nil:
			en.Risk(r.Risk)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := en.Stats(); st.Late > 0 {
		t.Fatalf("%d records arrived late: the generated logs are not in time order", st.Late)
	}
	return en.Close()
}

// tally adds one tenant's alerts to the scores.
func tally(scores map[string]*score, alerts []detect.Alert, truth *simulate.Truth) {
	get := func(rule string) *score {
		if scores[rule] == nil {
			scores[rule] = &score{}
		}
		return scores[rule]
	}
	for _, a := range alerts {
		s := get(a.Rule)
		s.alerts++
		if slices.ContainsFunc(truth.Incidents, func(in simulate.Incident) bool {
			return concerns(a, in)
		}) {
			s.trueAlerts++
		}
	}
	for _, in := range truth.Incidents {
		for _, e := range in.Expect {
			s := get(e.Rule)
			s.expected++
			if slices.ContainsFunc(alerts, func(a detect.Alert) bool { return finds(a, e) }) {
				s.found++
			}
		}
	}
}

// overlaps reports whether an alert's window meets [start, end] widened
// by slack.
func overlaps(a detect.Alert, start, end time.Time) bool {
	return !a.End.Before(start.Add(-slack)) && !a.Start.After(end.Add(slack))
}

// concerns reports whether an alert is about an incident: one of its users
// or addresses, during it.
func concerns(a detect.Alert, in simulate.Incident) bool {
	if !overlaps(a, in.Start, in.End) {
		return false
	}
	if a.User != "" && slices.Contains(in.Users, a.User) {
		return true
	}
	if a.Subject != "" && slices.ContainsFunc(in.Subjects, func(s string) bool {
		return strings.EqualFold(s, a.Subject)
	}) {
		return true
	}
	return slices.ContainsFunc(a.Users, func(u string) bool { return slices.Contains(in.Users, u) })
}

// finds reports whether an alert is the detection e expects.
func finds(a detect.Alert, e simulate.Expected) bool {
	if a.Rule != e.Rule || !overlaps(a, e.Start, e.End) {
		return false
	}
	if e.User != "" {
		return a.User == e.User
	}
	return strings.EqualFold(a.Subject, e.Subject)
}

// TestRiskTiesIDOnlyRows blanks the principal name of three sign-ins in
// ten that give the user's object id, as exports without a users export
// leave some rows: the risk-detection rule must raise no alert that no
// incident explains (a detection's own refused sign-in, keyed by the id,
// is still its own), still find the incidents, and give the same alerts
// in ordered and buffered modes.
func TestRiskTiesIDOnlyRows(t *testing.T) {
	const rule = "ENTRA-RISK-DETECTION-SUCCESS"
	truth, logs := generate(t, recallSeeds[0])
	var runs [2][]detect.Alert
	// Three sign-ins in ten that give the object id lose the name.
	blank := func(s *entra.SignIn) {
		h := fnv.New32a()
		h.Write([]byte(s.ID))
		if s.UserID != "" && h.Sum32()%10 < 3 {
			s.UserPrincipalName = ""
		}
	}
	for i, ordered := range []bool{true, false} {
		runs[i] = huntWith(t, logs, truth, true, ordered, blank)
	}
	if diff := gocmp.Diff(runs[0], runs[1]); diff != "" {
		t.Errorf("ordered and buffered alerts differ (-ordered +buffered):\n%s", diff)
	}
	found := 0
	for _, a := range runs[0] {
		if a.Rule != rule {
			continue
		}
		if !slices.ContainsFunc(truth.Incidents, func(in simulate.Incident) bool {
			return concerns(a, in)
		}) {
			t.Errorf("false alert: %s %s", a.User, a.Reason)
			continue
		}
		found++
	}
	if found == 0 {
		t.Errorf("no alert of %s on the incidents", rule)
	}
}

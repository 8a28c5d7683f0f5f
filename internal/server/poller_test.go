package server_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/graph/graphtest"
	"github.com/idtriage/idtriage/internal/store"
)

// pollStep is one poll: the flags Graph shows from then on, when the poll
// runs (from t0), and what it takes in.
type pollStep struct {
	show      []flag
	at        time.Duration
	wantNew   int
	wantKnown int
}

// TestPollerTakesEachFlagOnce runs polls that overlap (field report BR-31)
// and checks that each flag becomes exactly one case, that a flag Graph
// shows late is still seen, and that a user flagged again is a new case.
func TestPollerTakesEachFlagOnce(t *testing.T) {
	tests := []struct {
		name  string
		steps []pollStep
		want  map[string]int // cases per user
	}{
		{"two overlapping polls take each flag once", []pollStep{
			{show: []flag{{1, -2 * time.Minute}, {2, -time.Minute}}, wantNew: 2},
			{at: 5 * time.Minute, wantKnown: 2},
		}, map[string]int{"user1@example.com": 1, "user2@example.com": 1}},
		{"a flag Graph shows late is caught by the overlap", []pollStep{
			{show: []flag{{1, -2 * time.Minute}}, wantNew: 1},
			// Flagged before the first poll, queryable only after it.
			{show: []flag{{2, -3 * time.Minute}}, at: 5 * time.Minute, wantNew: 1,
				wantKnown: 1},
			{at: 10 * time.Minute, wantKnown: 2},
		}, map[string]int{"user1@example.com": 1, "user2@example.com": 1}},
		{"a user flagged again is a new case", []pollStep{
			{show: []flag{{1, -time.Minute}}, wantNew: 1},
			{show: []flag{{1, 4 * time.Minute}}, at: 5 * time.Minute, wantNew: 1},
			{at: 10 * time.Minute, wantKnown: 1},
		}, map[string]int{"user1@example.com": 2}},
		{"a flag past the overlap is no longer asked for", []pollStep{
			{show: []flag{{1, -time.Minute}}, wantNew: 1},
			{at: 20 * time.Minute, wantKnown: 1},
			{at: 25 * time.Minute},
		}, map[string]int{"user1@example.com": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t0 := time.Now().UTC().Truncate(time.Second)
			fake := graphtest.New(graphtest.Options{Seed: 7, Throttle: 0.05, Overlap: 0.2})
			t.Cleanup(fake.Close)
			put(t, fake, t0, tt.steps[0].show...)
			n := startPollNode(t, fake, t0, true)

			total := 0
			for i, s := range tt.steps {
				var err error
				if i == 0 {
					err = n.wait(t)
				} else {
					put(t, fake, t0, s.show...)
					err = n.next(t, t0.Add(s.at))
				}
				if err != nil {
					t.Fatalf("poll %d: %v", i+1, err)
				}
				done := n.logs.records("graph poll done")
				got := done[len(done)-1]
				if got["new"] != float64(s.wantNew) || got["known"] != float64(s.wantKnown) {
					t.Errorf("poll %d took %v new and %v known, want %d and %d", i+1,
						got["new"], got["known"], s.wantNew, s.wantKnown)
				}
				total += s.wantNew
			}
			checkFilters(t, fake.Filters(), t0, tt.steps)
			if got := len(n.logs.records("alert queued")); got != total {
				t.Errorf("%d alerts queued, want %d", got, total)
			}
			checkCases(t, n, waitCases(t, n.store, total, 30*time.Second), tt.want)
		})
	}
}

// checkFilters checks what each poll asked Graph for: the whole window
// first, then from the last poll's start less 15 minutes.
func checkFilters(t *testing.T, filters []string, t0 time.Time, steps []pollStep) {
	t.Helper()
	var got []string
	for _, f := range filters {
		if strings.HasPrefix(f, "riskState eq 'atRisk' and riskLastUpdatedDateTime ge ") &&
			!slices.Contains(got, f) {
			got = append(got, f)
		}
	}
	var want []string
	for i := range steps {
		since := t0.Add(-7 * 24 * time.Hour)
		if i > 0 {
			since = t0.Add(steps[i-1].at - 15*time.Minute)
		}
		want = append(want, "riskState eq 'atRisk' and riskLastUpdatedDateTime ge "+
			since.Format("2006-01-02T15:04:05Z"))
	}
	if diff := cmp.Diff(slices.Compact(want), got); diff != "" {
		t.Errorf("at-risk filters (-want +got):\n%s", diff)
	}
}

// checkCases checks the cases per user, and that each case was
// investigated on the records the poller pulled: its alert carries the
// pulled files and its timeline the user's sign-in.
func checkCases(t *testing.T, n *pollNode, cases []store.Case, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	for _, c := range cases {
		got[c.User]++
		if c.Tenant != "contoso" {
			t.Errorf("case %s: tenant %q, want contoso", c.ID, c.Tenant)
		}
		a, err := n.store.Alert(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var p struct{ Files []struct{ Name string } }
		if err := json.Unmarshal(a.Payload, &p); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range p.Files {
			names = append(names, f.Name)
		}
		if len(names) == 0 || names[0] != "alert.json" ||
			!slices.Contains(names, "graph/signins-interactive.json") {
			t.Errorf("case %s: files %v, want the alert and the pulled files", c.ID, names)
		}
		if !slices.ContainsFunc(c.Records, func(r string) bool {
			return strings.HasPrefix(r, "signin:signin-")
		}) {
			t.Errorf("case %s: records %v hold no pulled sign-in", c.ID, c.Records)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cases per user (-want +got):\n%s", diff)
	}
	ids := map[string]bool{}
	for _, c := range cases {
		if ids[c.AlertID] {
			t.Errorf("alert id %s has two cases", c.AlertID)
		}
		ids[c.AlertID] = true
	}
}

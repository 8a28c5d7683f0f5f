package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/graph/graphtest"
)

// riskyUserRecord is a Graph riskyUser of made-up user n, flagged at at.
func riskyUserRecord(n int, state string, at time.Time) []byte {
	return fmt.Appendf(nil, `{"id":"00000000-0000-4000-8000-%012d","isDeleted":false,`+
		`"isProcessing":false,"userPrincipalName":"user%d@example.com",`+
		`"userDisplayName":"User %d","riskLevel":"high","riskState":%q,`+
		`"riskDetail":"none","riskLastUpdatedDateTime":%q}`, n, n, n, state,
		at.Format(time.RFC3339Nano))
}

// TestAtRiskSince lists the users whose risk changed since a time, with
// every field the poller reads, from the fake's riskyUsers.
func TestAtRiskSince(t *testing.T) {
	base := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	srv := graphtest.New(graphtest.Options{Seed: 3, PageSize: 1, Throttle: 0.2})
	defer srv.Close()
	err := srv.Put(riskyUserRecord(1, "atRisk", base.Add(-2*time.Hour)),
		riskyUserRecord(2, "atRisk", base.Add(-10*time.Minute+123456700)),
		riskyUserRecord(3, "remediated", base.Add(-5*time.Minute)),
		riskyUserRecord(4, "atRisk", base.Add(-time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	client := newClient(t, config(srv, newClock(base)))

	tests := []struct {
		name  string
		since time.Time
		want  []string
	}{
		{"every user at risk", time.Time{}, []string{"user1", "user2", "user4"}},
		{"changed in the last 15 minutes", base.Add(-15 * time.Minute),
			[]string{"user2", "user4"}},
		{"the bound is included", base.Add(-time.Minute), []string{"user4"}},
		{"nothing changed since", base, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			users, err := client.AtRiskSince(context.Background(), tt.since)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range users {
				got = append(got, strings.TrimSuffix(u.UserPrincipalName, "@example.com"))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("users (-want +got):\n%s", diff)
			}
		})
	}

	users, err := client.AtRiskSince(context.Background(), base.Add(-15*time.Minute))
	if err != nil || len(users) == 0 {
		t.Fatalf("users %v, err %v", users, err)
	}
	want := graph.RiskyUser{ID: "00000000-0000-4000-8000-000000000002",
		UserPrincipalName: "user2@example.com", RiskLevel: "high", RiskState: "atRisk",
		RiskDetail: "none", RiskLastUpdated: base.Add(-10*time.Minute + 123456700)}
	ignoreRaw := cmpopts.IgnoreFields(graph.RiskyUser{}, "Raw")
	if diff := cmp.Diff(want, users[0], ignoreRaw); diff != "" {
		t.Errorf("user2 (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(users[0].Raw), `"riskLastUpdatedDateTime"`) ||
		strings.Contains(string(users[0].Raw), "isProcessing") {
		t.Errorf("raw record is not the $select fields: %s", users[0].Raw)
	}
}

// TestAtRiskSinceAfterReflag sees a user flagged again, in place of the
// old flag, as Graph keeps one riskyUser per user.
func TestAtRiskSinceAfterReflag(t *testing.T) {
	base := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	srv := graphtest.New(graphtest.Options{})
	defer srv.Close()
	client := newClient(t, config(srv, newClock(base)))
	for i, at := range []time.Time{base.Add(-3 * time.Hour), base.Add(-time.Minute)} {
		if err := srv.Put(riskyUserRecord(1, "atRisk", at)); err != nil {
			t.Fatal(err)
		}
		users, err := client.AtRiskSince(context.Background(), base.Add(-4*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 || !users[0].RiskLastUpdated.Equal(at) {
			t.Errorf("flag %d: users %+v, want one flagged at %s", i+1, users, at)
		}
	}
}

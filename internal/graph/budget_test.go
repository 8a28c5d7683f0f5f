package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/graph/graphtest"
	"github.com/idtriage/idtriage/internal/ingest"
)

// TestBudgetHonoured pulls from a slow fake on the real clock with budgets
// too short to finish, and checks that the pull returns within the budget
// (plus scheduling slack), marks the export PARTIAL, and kept only records
// the fake served, each once.
func TestBudgetHonoured(t *testing.T) {
	// The slack covers closing the files and a loaded machine; unbounded,
	// each of these pulls takes seconds.
	const slack = time.Second
	tests := []struct {
		name    string
		latency time.Duration
		budget  time.Duration
	}{
		// Many short pages: the budget runs out between two of them.
		{"between pages", 30 * time.Millisecond, 500 * time.Millisecond},
		// Slow pages: the budget runs out while a page is on its way, and
		// the request is cut rather than awaited.
		{"during a page", 200 * time.Millisecond, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := graphtest.New(graphtest.Options{PageSize: 2, Latency: tt.latency})
			defer srv.Close()
			if _, err := srv.Load(example); err != nil {
				t.Fatal(err)
			}
			cfg := withRetention(config(srv, newClock(time.Now())))
			cfg.Now, cfg.Sleep, cfg.Budget = nil, nil, tt.budget
			w := graph.Window{Start: time.Date(2026, 10, 19, 0, 0, 0, 0, time.UTC),
				End: time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)}

			dir := t.TempDir()
			began := time.Now()
			rep, err := newClient(t, cfg).Pull(context.Background(), "ana.reyes@example.com", w,
				dir)
			took := time.Since(began)
			if err != nil {
				t.Fatal(err)
			}
			if took > tt.budget+slack {
				t.Errorf("the pull took %s with a budget of %s", took, tt.budget)
			}
			// However slow the machine, no request starts after the deadline.
			if n, most := srv.Stats().Requests, int(tt.budget/tt.latency)+1; n > most {
				t.Errorf("%d requests reached Graph; in %s at %s each, at most %d can start",
					n, tt.budget, tt.latency, most)
			}
			if !rep.Partial() || len(rep.Unread()) == 0 {
				t.Errorf("status %s, unread %v; want PARTIAL with sources unread", rep.Status,
					rep.Unread())
			}
			set, err := ingest.Read([]string{dir}, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if set.Duplicates != 0 || len(set.SignIns) >= 82 {
				t.Errorf("%d sign-ins, %d duplicates; want fewer than 82 and none doubled",
					len(set.SignIns), set.Duplicates)
			}
			t.Logf("%s: read %d sign-ins and %d audits in %s; unread: %v", tt.name,
				len(set.SignIns), len(set.Audits), took.Round(time.Millisecond), rep.Unread())
		})
	}
}

// withRetention lets a test on the real clock read the example's old
// records.
func withRetention(cfg graph.Config) graph.Config {
	cfg.LogRetention = 10 * 365 * 24 * time.Hour
	cfg.RiskRetention = cfg.LogRetention
	return cfg
}

func TestAtRisk(t *testing.T) {
	srv := graphtest.New(graphtest.Options{Seed: 9, PageSize: 1, Throttle: 0.2,
		ServerError: 0.1})
	defer srv.Close()
	for _, c := range roundTrips {
		if _, err := srv.Load(c.dir); err != nil {
			t.Fatal(err)
		}
	}
	users, err := newClient(t, config(srv, newClock(time.Now()))).AtRisk(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range users {
		got = append(got, u.UserPrincipalName+" "+u.RiskLevel)
	}
	// Valentina's risk was remediated; Daniel and Kenji have no risky-user
	// record.
	want := []string{"ana.reyes@example.com high", "ines.carvalho@example.com medium",
		"jonas.berg@example.org medium"}
	if len(got) != len(want) {
		t.Fatalf("users at risk = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("user %d = %s, want %s", i, got[i], want[i])
		}
	}
	if st := srv.Stats(); st.Pages < 3 {
		t.Errorf("%d pages served; the list should span one page per user", st.Pages)
	}
}

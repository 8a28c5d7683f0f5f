package graph_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/graph/graphtest"
	"github.com/idtriage/idtriage/internal/ingest"
)

// roundTrips are the cases the fake serves: the reference example and
// every fixture case, each in another export shape, with the user it is
// about.
var roundTrips = []struct {
	name, dir, user string
}{
	{"sspr-takeover", example, "ana.reyes@example.com"},
	{"compromised-sspr-mfa-registered", cases + "/compromised-sspr-mfa-registered",
		"jonas.berg@example.org"},
	{"mfa-fatigue-approved", cases + "/mfa-fatigue-approved", "daniel.okafor@example.net"},
	{"own-sspr-from-home", cases + "/own-sspr-from-home", "valentina.rojas@example.net"},
	{"thin-evidence", cases + "/thin-evidence", "kenji.watanabe@example.org"},
	{"travel-corporate-vpn", cases + "/travel-corporate-vpn", "ines.carvalho@example.com"},
}

// TestPullReproducesInvestigation loads every case into one fake tenant
// that throttles, fails and overlaps its pages at random, pulls each user
// over the last 30 days, and checks that the pulled files give the same
// investigation, byte for byte but for the timing and the file list, as
// the files they were served from; and that no record was lost or
// doubled on the way.
func TestPullReproducesInvestigation(t *testing.T) {
	srv := graphtest.New(graphtest.Options{Seed: 5, Throttle: 0.12, Unavailable: 0.04,
		ServerError: 0.06, Overlap: 0.3, Retention: graph.DefaultLogRetention})
	defer srv.Close()
	loaded := map[string]graphtest.Loaded{}
	for _, c := range roundTrips {
		l, err := srv.Load(c.dir)
		if err != nil {
			t.Fatal(err)
		}
		loaded[c.name] = l
	}

	var total graph.Report
	for _, c := range roundTrips {
		t.Run(c.name, func(t *testing.T) {
			l := loaded[c.name]
			source := t.TempDir()
			copyInto(t, source, append(l.Served, l.Local...)...)
			if p, ok := srv.MadeUpProfile(c.user); ok {
				os.WriteFile(filepath.Join(source, "profile.json"), p, 0o644)
			}
			wantMD, wantJSON, want := investigation(t, c.user, source)

			now := latest(want).Add(12 * time.Hour).Truncate(time.Hour)
			srv.SetNow(now)
			clk := newClock(now)
			w, err := graph.ParseSince("30d", now)
			if err != nil {
				t.Fatal(err)
			}
			pulled := t.TempDir()
			rep, err := newClient(t, config(srv, clk)).Pull(context.Background(), c.user, w,
				pulled)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Partial() {
				t.Fatalf("pull is partial: %s", rep.Reason)
			}
			gotMD, gotJSON, got := investigation(t, c.user, append([]string{pulled},
				l.Local...)...)

			if diff := cmp.Diff(normalise(wantMD), normalise(gotMD)); diff != "" {
				t.Errorf("Markdown report of the pull differs (-source +pull):\n%s", diff)
			}
			if diff := cmp.Diff(normalise(wantJSON), normalise(gotJSON)); diff != "" {
				t.Errorf("JSON report of the pull differs (-source +pull):\n%s", diff)
			}
			checkSameRecords(t, want, got)
			total.Requests += rep.Requests
			total.Retries += rep.Retries
			total.Throttled += rep.Throttled
		})
	}

	st := srv.Stats()
	t.Logf("fake Graph: %d requests, %d pages, %d records served, %d overlapping records, "+
		"%d answered 429, %d answered 503, %d answered 500; client: %d requests, %d retries",
		st.Requests, st.Pages, st.Records, st.Overlaps, st.Throttled, st.Unavailable,
		st.ServerErrors, total.Requests, total.Retries)
	if st.Throttled == 0 || st.ServerErrors == 0 || st.Overlaps == 0 || st.Unavailable == 0 {
		t.Errorf("the fake did not exercise every fault: %+v", st)
	}
	if st.Retried() != total.Retries {
		t.Errorf("the fake asked for %d retries, the client made %d", st.Retried(),
			total.Retries)
	}
	if st.Unexpected != 0 || st.Unauthorized != 0 || st.BadRequests != 0 {
		t.Errorf("requests the fake did not expect: %+v", st)
	}
}

// latest is the time of the newest record in set.
func latest(set *ingest.Set) time.Time {
	var t time.Time
	for _, s := range set.SignIns {
		t = later(t, s.Time)
	}
	for _, a := range set.Audits {
		t = later(t, a.Time)
	}
	for _, r := range set.Risks {
		t = later(t, r.Time())
	}
	return t
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// checkSameRecords compares the records read, by kind and id, counting
// each occurrence, so that a record lost or doubled shows.
func checkSameRecords(t *testing.T, want, got *ingest.Set) {
	t.Helper()
	count := func(s *ingest.Set) map[string]int {
		m := map[string]int{}
		for _, r := range s.SignIns {
			m["signin "+r.ID]++
		}
		for _, r := range s.Audits {
			m["audit "+r.ID]++
		}
		for _, r := range s.Risks {
			m["risk "+r.ID]++
		}
		for _, r := range s.RiskyUsers {
			m["riskyUser "+r.ID]++
		}
		for _, r := range s.Users {
			m["user "+r.ID]++
		}
		m["duplicates dropped by ingest"] = s.Duplicates
		m["rows merged by ingest"] = s.Merged
		return m
	}
	if diff := cmp.Diff(count(want), count(got)); diff != "" {
		t.Errorf("records differ (-source +pull):\n%s", diff)
	}
}

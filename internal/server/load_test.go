package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/queue/queuetest"
	"github.com/idtriage/idtriage/internal/store"
	"github.com/idtriage/idtriage/internal/store/storetest"
)

// Size of the load: alerts posted as fast as the posters can, and how many
// post at once. The wait for their cases is bounded.
const (
	loadAlerts  = 1000
	loadPosters = 16
	loadLimit   = 5 * time.Minute
)

// signInsFor is a small Graph page of user i's sign-ins: a week at home in
// Honduras, then three attempts from Bangladesh blocked by Conditional
// Access, so that every alert gets a real investigation.
func signInsFor(i int) []byte {
	user := fmt.Sprintf("user%d@example.com", i)
	start := time.Date(2026, 11, 17, 10, 0, 0, 0, time.UTC)
	var recs []map[string]any
	add := func(id string, at time.Time, ip, country string, lat, lon float64, code int) {
		recs = append(recs, map[string]any{
			"id": fmt.Sprintf("%s-%d", id, i), "createdDateTime": at.Format(time.RFC3339),
			"userPrincipalName": user, "ipAddress": ip, "appDisplayName": "Microsoft Teams",
			"isInteractive": true, "status": map[string]any{"errorCode": code},
			"location": map[string]any{"countryOrRegion": country, "city": "City",
				"geoCoordinates": map[string]any{"latitude": lat, "longitude": lon}},
		})
	}
	for d := 7; d >= 1; d-- {
		add(fmt.Sprintf("base%d", d), start.Add(-time.Duration(d)*24*time.Hour),
			"186.2.128.10", "HN", 14.1, -87.2, 0)
	}
	for k := range 3 {
		add(fmt.Sprintf("bad%d", k), start.Add(time.Duration(k)*time.Hour), "103.106.24.57",
			"BD", 23.8, 90.4, 53003)
	}
	b, _ := json.Marshal(map[string]any{"value": recs})
	return b
}

// flood posts alerts 0..count-1 with their sign-ins from several posters
// at once and returns when each post was sent, by alert id.
func flood(t testing.TB, n *node, token string, count int) map[string]time.Time {
	t.Helper()
	var mu sync.Mutex
	sent := make(map[string]time.Time, count)
	next := make(chan int)
	var wg sync.WaitGroup
	for range loadPosters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ctype, body := multipartBody(t, "load", riskyUser(i),
					map[string][]byte{"signins.json": signInsFor(i)})
				at := time.Now()
				status, b := call(t, "POST", n.http.URL+"/api/v1/alerts", token, ctype, body)
				if status != http.StatusAccepted {
					t.Errorf("post %d: %d %s", i, status, b)
					continue
				}
				var res postResult
				json.Unmarshal(b, &res)
				mu.Lock()
				sent[res.Alerts[0].ID] = at
				mu.Unlock()
			}
		}()
	}
	for i := range count {
		next <- i
	}
	close(next)
	wg.Wait()
	return sent
}

// settle waits, polling gently so as not to load the store, until every
// posted alert has left the queue, and returns the cases.
func settle(t testing.TB, st store.Store, want int) []store.Case {
	t.Helper()
	deadline := time.Now().Add(loadLimit)
	for {
		cases, err := st.Cases(context.Background(), store.Filter{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) >= want {
			return cases
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d cases after %s, want %d", len(cases), loadLimit, want)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func TestThousandAlerts(t *testing.T) {
	if testing.Short() {
		t.Skip("posts 1,000 alerts")
	}
	n := embeddedNode(t, options{workers: 4})
	tok := addTokens(t, n.store)
	sent := flood(t, n, tok.analyst, loadAlerts)
	if len(sent) != loadAlerts {
		t.Fatalf("%d alerts accepted, want %d", len(sent), loadAlerts)
	}
	cases := settle(t, n.store, loadAlerts)
	seen := map[string]bool{}
	for _, c := range cases {
		if !sent[c.ID].Before(c.Created) || seen[c.ID] {
			t.Errorf("case %s: unexpected, doubled or stored before it was posted", c.ID)
		}
		seen[c.ID] = true
		if c.Disposition == "" {
			t.Errorf("case %s has no verdict", c.ID)
		}
	}
	if len(seen) != loadAlerts {
		t.Errorf("%d distinct cases, want %d", len(seen), loadAlerts)
	}
}

// BenchmarkThousandAlerts posts 1,000 alerts as fast as possible to one
// node and reports the throughput and the time from post to stored case
// (median and 99th percentile), for the one-node setup and the scaled one.
// Run it with -benchtime=1x: one iteration is the whole load.
func BenchmarkThousandAlerts(b *testing.B) {
	setups := []struct {
		name  string
		start func(testing.TB) *node
	}{
		{"sqlite+embedded", func(tb testing.TB) *node {
			return embeddedNode(tb, options{workers: 4})
		}},
		{"postgres+nats", func(tb testing.TB) *node {
			return startNode(tb, storetest.Postgres(tb), queuetest.External(tb),
				options{workers: 4})
		}},
	}
	for _, s := range setups {
		b.Run(s.name, func(b *testing.B) {
			var lat []time.Duration
			var elapsed time.Duration
			for range b.N {
				b.StopTimer()
				n := s.start(b)
				tok := addTokens(b, n.store)
				b.StartTimer()
				start := time.Now()
				sent := flood(b, n, tok.analyst, loadAlerts)
				cases := settle(b, n.store, loadAlerts)
				elapsed += time.Since(start)
				for _, c := range cases {
					lat = append(lat, c.Created.Sub(sent[c.ID]))
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(loadAlerts*b.N)/elapsed.Seconds(), "alerts/s")
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

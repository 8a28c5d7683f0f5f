package detect

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// signIn builds a minimal sign-in for engine tests.
func signIn(id, user, ip string, t time.Time, code int) *entra.SignIn {
	return &entra.SignIn{ID: id, OriginalRequestID: id, Time: t, UserPrincipalName: user,
		IPRaw: ip, IP: netip.MustParseAddr(ip), ErrorCode: code, HasCode: true,
		AppDisplayName: "Office 365 Exchange Online", Location: entra.Location{Country: "PT",
			Lat: 38.7, Lon: -9.1, HasCoords: true}}
}

// TestOrderedModeReleasesState feeds thirty days of a thousand users in
// time order and checks that the engine holds only recent groups: memory
// follows active users, not the input's length.
func TestOrderedModeReleasesState(t *testing.T) {
	en := NewEngine(DefaultParams(), Options{Ordered: true})
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	peak := 0
	for day := range 30 {
		for u := range 1000 {
			// Each user works one day in three; the office address changes daily.
			if (u+day)%3 != 0 {
				continue
			}
			ts := start.Add(time.Duration(day)*24*time.Hour + time.Duration(u)*time.Second*30)
			ip := fmt.Sprintf("198.51.%d.%d", day%200, u%250)
			en.SignIn(signIn(fmt.Sprintf("d%du%d", day, u), fmt.Sprintf("u%d@example.com", u),
				ip, ts, 0))
		}
		held := 0
		for _, g := range en.groups[scopeAddress] {
			held += g.heldCount()
		}
		peak = max(peak, held)
	}
	if alerts := en.Close(); len(alerts) != 0 {
		t.Errorf("ordinary work raised %d alerts: %+v", len(alerts), alerts[0])
	}
	// About 333 sign-ins a day; a day and a half of them may be held.
	if peak > 600 {
		t.Errorf("address groups held up to %d sign-ins; want only the last ~day's", peak)
	}
	if st := en.Stats(); st.SignIns != 10000 || st.Late != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestEngineEdges(t *testing.T) {
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	en := NewEngine(DefaultParams(), Options{})
	en.SignIn(nil)
	en.Audit(nil)
	s := signIn("a", "u@example.com", "198.51.100.1", at, 0)
	en.SignIn(s)
	en.SignIn(s)
	sp := signIn("sp", "", "198.51.100.2", at, 0)
	sp.ServicePrincipalID, sp.Source = "spid", entra.SourceServicePrincipal
	en.SignIn(sp)
	noID := signIn("", "u@example.com", "198.51.100.1", at, 0)
	en.SignIn(noID)
	en.SignIn(noID)
	st := en.Stats()
	if st.SignIns != 5 || st.Duplicates != 1 || st.Skipped != 1 {
		t.Errorf("stats = %+v, want 5 sign-ins, 1 duplicate (records with no id are never "+
			"merged), 1 skipped service principal", st)
	}
	en.Close()
	if got := en.Close(); got != nil {
		t.Errorf("second Close = %v, want nil", got)
	}
	en.SignIn(s) // ignored after Close
}

// TestLateRecordCounted: in ordered mode a record far behind the stream is
// counted as late, not dropped.
func TestLateRecordCounted(t *testing.T) {
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	en := NewEngine(DefaultParams(), Options{Ordered: true, Lateness: time.Minute})
	for i := range 100 {
		en.SignIn(signIn(fmt.Sprint(i), "u@example.com", "198.51.100.1",
			at.Add(time.Duration(i)*time.Minute), 0))
	}
	en.SignIn(signIn("old", "u@example.com", "198.51.100.1", at, 0))
	if st := en.Stats(); st.Late != 1 {
		t.Errorf("late = %d, want 1", st.Late)
	}
}

// BenchmarkEngine measures the rules alone over an ordered stream of
// ordinary sign-ins with some failures.
func BenchmarkEngine(b *testing.B) {
	b.ReportAllocs()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ss []*entra.SignIn
	for i := range 100000 {
		code := 0
		if i%20 == 0 {
			code = 50126
		}
		ss = append(ss, signIn(fmt.Sprint(i), fmt.Sprintf("u%d@example.com", i%5000),
			fmt.Sprintf("198.51.%d.%d", i%100, i%250), start.Add(time.Duration(i)*time.Second),
			code))
	}
	b.ResetTimer()
	for b.Loop() {
		en := NewEngine(DefaultParams(), Options{Ordered: true})
		for _, s := range ss {
			en.SignIn(s)
		}
		en.Close()
	}
	b.ReportMetric(float64(len(ss))*float64(b.N)/b.Elapsed().Seconds(), "signins/s")
}

// TestScopesWithoutRules: sign-ins of users make no address or application
// group when no enabled rule groups by them, while a sign-in naming no
// user is still held (and counted once) in its address's group; with the
// defaults, both groups are made.
func TestScopesWithoutRules(t *testing.T) {
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name            string
		p               Params
		addresses, apps int
		wantDuplicates  int
	}{
		{"user rules only", only(t, "ENTRA-CA-BLOCK-BURST"), 1, 0, 1},
		{"defaults", DefaultParams(), 2, 1, 1},
	}
	for _, tt := range tests {
		en := NewEngine(tt.p, Options{})
		en.SignIn(signIn("a", "u@example.com", "198.51.100.1", at, 50126))
		anon := signIn("b", "", "198.51.100.2", at, 50126)
		en.SignIn(anon)
		en.SignIn(anon)
		if got := len(en.groups[scopeAddress]); got != tt.addresses {
			t.Errorf("%s: %d address groups, want %d", tt.name, got, tt.addresses)
		}
		if got := len(en.groups[scopeApp]); got != tt.apps {
			t.Errorf("%s: %d application groups, want %d", tt.name, got, tt.apps)
		}
		if st := en.Stats(); st.Duplicates != tt.wantDuplicates || st.Skipped != 0 {
			t.Errorf("%s: stats = %+v, want %d duplicate, none skipped", tt.name, st,
				tt.wantDuplicates)
		}
	}
}

// TestRunSortsPending: pending events that came in increasing time are
// left as they are, and any that came otherwise, or whose time a replaced
// row moved, are sorted before they are evaluated, then and later.
func TestRunSortsPending(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	en := NewEngine(DefaultParams(), Options{})
	g := en.group(scopeUser, "ana@example.com")
	at := func(id string, min int) *event {
		return &event{kind: kindSignIn, id: id, t: t0.Add(time.Duration(min) * time.Minute)}
	}
	order := func() string {
		en.run(g, t0) // evaluates nothing: every event is later
		var ids []string
		for _, ev := range g.pending {
			ids = append(ids, ev.id)
		}
		return fmt.Sprint(ids)
	}
	a, b := at("a", 1), at("b", 5)
	en.queue(g, a)
	en.queue(g, b)
	if got := order(); got != "[a b]" || g.shuffled {
		t.Errorf("in order: %s, shuffled %v", got, g.shuffled)
	}
	en.queue(g, at("e", 3))
	if got := order(); got != "[a e b]" {
		t.Errorf("one out of order: %s, want [a e b]", got)
	}
	b.t, en.replaced = t0.Add(9*time.Minute), true // as replace moves a held row
	en.queue(g, at("c", 7))
	if got := order(); got != "[a e c b]" {
		t.Errorf("after a replaced row: %s, want [a e c b]", got)
	}
	en.replaced = false // as the sweep after it
	en.queue(g, at("d", 8))
	if got := order(); got != "[a e c d b]" {
		t.Errorf("later: %s, want [a e c d b]", got)
	}
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/store"
	"github.com/idtriage/idtriage/internal/store/storetest"
)

// backends are the stores the conformance suite runs against; each check
// gets a fresh SQLite file or a fresh PostgreSQL schema.
var backends = []struct {
	name string
	addr func(testing.TB) string
}{
	{"sqlite", storetest.SQLite},
	{"postgres", storetest.Postgres},
}

// checks is the conformance suite: every backend must pass every check.
var checks = []struct {
	name string
	run  func(*testing.T, string)
}{
	{"alert stored once per key", checkAlertOnce},
	{"alert attempts and failure", checkAlertStates},
	{"case stored once per key", checkCaseOnce},
	{"concurrent commits of one case", checkCaseRace},
	{"case reports round-trip", checkCaseReports},
	{"case list filters", checkCaseFilters},
	{"history of a user", checkHistory},
	{"decisions beside the verdict", checkDecisions},
	{"tokens", checkTokens},
	{"reopen keeps data", checkReopen},
}

func TestStore(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, c := range checks {
				t.Run(c.name, func(t *testing.T) { c.run(t, b.addr(t)) })
			}
		})
	}
}

var (
	ctx = context.Background()
	t0  = time.Date(2026, 11, 17, 22, 0, 0, 0, time.UTC)
)

func alert(user, id string, at time.Time) store.Alert {
	return store.Alert{ID: store.Key("t1", user, id), Tenant: "t1", User: user, AlertID: id,
		Kind: "riskyUser", Received: at, Payload: []byte(`{"alert":"` + id + `"}`)}
}

func caseOf(a store.Alert, created time.Time, disposition, confidence string) store.Case {
	return store.Case{ID: a.ID, Tenant: a.Tenant, User: a.User, AlertID: a.AlertID,
		Received: a.Received, Created: created, Node: "n1", Label: disposition,
		Disposition: disposition, Confidence: confidence, Rule: "r", Summary: "s",
		Duration: 5 * time.Millisecond, Records: []string{"signin:1", "audit:2"},
		JSON: []byte(`{"user":"` + a.User + `"}`), Markdown: []byte("# case"),
		HTML: []byte("<p>case</p>")}
}

func mustPutCase(t *testing.T, s store.Store, c store.Case) {
	t.Helper()
	if _, err := s.PutAlert(ctx, store.Alert{ID: c.ID, Tenant: c.Tenant, User: c.User,
		AlertID: c.AlertID, Kind: "riskyUser", Received: c.Received}); err != nil {
		t.Fatal(err)
	}
	if created, err := s.PutCase(ctx, c); err != nil || !created {
		t.Fatalf("PutCase(%s) = %v, %v; want created", c.ID, created, err)
	}
}

func checkAlertOnce(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	a := alert("ana@example.com", "a1", t0)
	for i, want := range []bool{true, false} {
		created, err := s.PutAlert(ctx, a)
		if err != nil || created != want {
			t.Fatalf("PutAlert #%d = %v, %v; want %v", i+1, created, err, want)
		}
	}
	got, err := s.Alert(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	a.State = store.StateQueued
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("alert read back (-want +got):\n%s", diff)
	}
	if _, err := s.Alert(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Alert(missing) = %v, want ErrNotFound", err)
	}
}

func checkAlertStates(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	failed, done := alert("ana@example.com", "a1", t0), alert("ana@example.com", "a2", t0)
	for _, a := range []store.Alert{failed, done} {
		if _, err := s.PutAlert(ctx, a); err != nil {
			t.Fatal(err)
		}
		for _, node := range []string{"n1", "n2"} {
			if err := s.StartAttempt(ctx, a.ID, node); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.PutCase(ctx, caseOf(done, t0, "false_positive", "high")); err != nil {
		t.Fatal(err)
	}
	for _, a := range []store.Alert{failed, done} {
		if err := s.FailAlert(ctx, a.ID, "no user"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		id, state, reason string
	}{
		{failed.ID, store.StateFailed, "no user"},
		{done.ID, store.StateDone, ""}, // a committed case is never failed afterwards
	}
	for _, tt := range tests {
		got, err := s.Alert(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != tt.state || got.Error != tt.reason || got.Attempts != 2 ||
			got.Node != "n2" {
			t.Errorf("alert %s = state %q error %q attempts %d node %q; want %q %q 2 n2",
				tt.id, got.State, got.Error, got.Attempts, got.Node, tt.state, tt.reason)
		}
	}
}

func checkCaseOnce(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	a := alert("ana@example.com", "a1", t0)
	if _, err := s.PutAlert(ctx, a); err != nil {
		t.Fatal(err)
	}
	first := caseOf(a, t0.Add(time.Second), "true_positive", "high")
	second := first
	second.Node, second.Disposition = "n2", "false_positive"
	for i, c := range []store.Case{first, second} {
		created, err := s.PutCase(ctx, c)
		if err != nil || created != (i == 0) {
			t.Fatalf("PutCase #%d = %v, %v; want created %v", i+1, created, err, i == 0)
		}
	}
	got, err := s.Case(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Node != "n1" || got.Disposition != "true_positive" {
		t.Errorf("case = node %s %s; the first commit must stand", got.Node, got.Disposition)
	}
	if al, _ := s.Alert(ctx, a.ID); al.State != store.StateDone {
		t.Errorf("alert state = %s, want done", al.State)
	}
}

func checkCaseRace(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	a := alert("ana@example.com", "a1", t0)
	if _, err := s.PutAlert(ctx, a); err != nil {
		t.Fatal(err)
	}
	const writers = 8
	var wg sync.WaitGroup
	results := make(chan bool, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := caseOf(a, t0, "true_positive", "high")
			c.Node = fmt.Sprintf("n%d", i)
			created, err := s.PutCase(ctx, c)
			if err != nil {
				t.Error(err)
			}
			results <- created
		}()
	}
	wg.Wait()
	close(results)
	n := 0
	for created := range results {
		if created {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d writers created the case, want exactly 1", n)
	}
}

func checkCaseReports(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	want := caseOf(alert("ana@example.com", "a1", t0), t0.Add(time.Minute),
		"true_positive", "high")
	want.Outcome = "blocked"
	mustPutCase(t, s, want)
	got, err := s.Case(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	want.Decisions = nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("case read back (-want +got):\n%s", diff)
	}
	if _, err := s.Case(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Case(missing) = %v, want ErrNotFound", err)
	}
}

func checkCaseFilters(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	seed := []struct {
		user, id, disposition, confidence string
		hour                              int
	}{
		{"ana@example.com", "a1", "true_positive", "high", 1},
		{"ana@example.com", "a2", "false_positive", "medium", 2},
		{"bo@example.com", "b1", "true_positive", "medium", 3},
		{"bo@example.com", "b2", "undetermined", "low", 4},
	}
	for _, c := range seed {
		at := t0.Add(time.Duration(c.hour) * time.Hour)
		mustPutCase(t, s, caseOf(alert(c.user, c.id, at), at, c.disposition, c.confidence))
	}
	tests := []struct {
		name   string
		filter store.Filter
		want   []string // alert ids, newest first
	}{
		{"all, newest first", store.Filter{}, []string{"b2", "b1", "a2", "a1"}},
		{"by user", store.Filter{User: "ana@example.com"}, []string{"a2", "a1"}},
		{"by verdict", store.Filter{Disposition: "true_positive"}, []string{"b1", "a1"}},
		{"by confidence", store.Filter{Confidence: "medium"}, []string{"b1", "a2"}},
		{"since", store.Filter{Since: t0.Add(3 * time.Hour)}, []string{"b2", "b1"}},
		{"until", store.Filter{Until: t0.Add(2 * time.Hour)}, []string{"a1"}},
		{"page", store.Filter{Limit: 2, Offset: 1}, []string{"b1", "a2"}},
		{"other tenant", store.Filter{Tenant: "t2"}, []string{}},
		{"user and verdict", store.Filter{User: "bo@example.com",
			Disposition: "undetermined"}, []string{"b2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cases, err := s.Cases(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, c := range cases {
				got = append(got, c.AlertID)
				if c.JSON != nil || c.HTML != nil {
					t.Errorf("case %s listed with its reports", c.AlertID)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("cases (-want +got):\n%s", diff)
			}
		})
	}
}

func checkHistory(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	const user = "ana@example.com"
	for i := 1; i <= 4; i++ {
		at := t0.Add(time.Duration(i) * time.Hour)
		mustPutCase(t, s, caseOf(alert(user, fmt.Sprintf("a%d", i), at), at,
			"true_positive", "high"))
	}
	mustPutCase(t, s, caseOf(alert("bo@example.com", "b1", t0), t0, "undetermined", "low"))
	second := store.Key("t1", user, "a2")
	if _, err := s.AddDecision(ctx, store.Decision{CaseID: second, Analyst: "bob",
		Action: store.ActionOverturn, Label: "Benign Positive", Note: "travel",
		Time: t0.Add(5 * time.Hour)}); err != nil {
		t.Fatal(err)
	}

	got, err := s.History(ctx, "t1", user, t0.Add(4*time.Hour), 2)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range got {
		ids = append(ids, c.AlertID)
	}
	if diff := cmp.Diff([]string{"a2", "a3"}, ids); diff != "" {
		t.Errorf("history: the newest two before the cut, oldest first (-want +got):\n%s",
			diff)
	}
	if len(got) > 0 && (len(got[0].Decisions) != 1 || got[0].Decisions[0].Analyst != "bob") {
		t.Errorf("history case a2 decisions = %+v, want bob's overturn", got[0].Decisions)
	}
}

func checkDecisions(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	c := caseOf(alert("ana@example.com", "a1", t0), t0, "true_positive", "high")
	mustPutCase(t, s, c)
	decisions := []store.Decision{
		{CaseID: c.ID, Analyst: "alice", Action: store.ActionConfirm, Note: "agreed",
			Time: t0.Add(time.Hour)},
		{CaseID: c.ID, Analyst: "bob", Action: store.ActionOverturn, Label: "False Positive",
			Note: "tester's VPN", Time: t0.Add(2 * time.Hour)},
	}
	for i, d := range decisions {
		got, err := s.AddDecision(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == 0 {
			t.Errorf("decision %d has no id", i)
		}
		decisions[i].ID = got.ID
	}
	got, err := s.Case(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(decisions, got.Decisions); diff != "" {
		t.Errorf("decisions (-want +got):\n%s", diff)
	}
	if got.Disposition != "true_positive" {
		t.Errorf("machine verdict = %s; a decision must never replace it", got.Disposition)
	}
	list, err := s.Cases(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Latest == nil || list[0].Latest.Analyst != "bob" {
		t.Errorf("listed case latest decision = %+v, want bob's", list[0].Latest)
	}
	_, err = s.AddDecision(ctx, store.Decision{CaseID: "missing", Analyst: "a",
		Action: store.ActionConfirm, Time: t0})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("decision on a missing case = %v, want ErrNotFound", err)
	}
}

func checkTokens(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	alice := store.Token{Name: "alice", Hash: "h1", Role: store.RoleAnalyst, Created: t0}
	if err := s.PutToken(ctx, alice); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		tok  store.Token
		want error
	}{
		{"taken name", store.Token{Name: "alice", Hash: "h2", Role: store.RoleReader},
			store.ErrExists},
		{"bad role", store.Token{Name: "carol", Hash: "h3", Role: "root"}, nil},
	}
	for _, tt := range tests {
		err := s.PutToken(ctx, tt.tok)
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: PutToken = %v, want an error (%v)", tt.name, err, tt.want)
		}
	}
	got, err := s.TokenByHash(ctx, "h1")
	if err != nil || got != alice {
		t.Errorf("TokenByHash = %+v, %v; want alice", got, err)
	}
	if _, err := s.TokenByHash(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TokenByHash(unknown) = %v, want ErrNotFound", err)
	}
	if list, err := s.Tokens(ctx); err != nil || len(list) != 1 {
		t.Errorf("Tokens = %v, %v; want alice alone", list, err)
	}
	if err := s.DeleteToken(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteToken(ctx, "alice"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete = %v, want ErrNotFound", err)
	}
}

func checkReopen(t *testing.T, addr string) {
	s := storetest.Open(t, addr)
	c := caseOf(alert("ana@example.com", "a1", t0), t0, "true_positive", "high")
	mustPutCase(t, s, c)
	s.Close()
	again := storetest.Open(t, addr)
	if _, err := again.Case(ctx, c.ID); err != nil {
		t.Errorf("case after reopening: %v", err)
	}
}

func TestKeyAndRoles(t *testing.T) {
	if store.Key("t", "u", "a") != store.Key("t", "u", "a") {
		t.Error("Key is not deterministic")
	}
	for _, other := range [][3]string{{"t2", "u", "a"}, {"t", "u2", "a"}, {"t", "u", "a2"},
		{"t\x00u", "", "a"}} {
		if store.Key(other[0], other[1], other[2]) == store.Key("t", "u", "a") {
			t.Errorf("Key%q collides with Key(t, u, a)", other)
		}
	}
	tests := []struct {
		have, need store.Role
		want       bool
	}{
		{store.RoleReader, store.RoleReader, true},
		{store.RoleReader, store.RoleAnalyst, false},
		{store.RoleAnalyst, store.RoleReader, true},
		{store.RoleAnalyst, store.RoleAdmin, false},
		{store.RoleAdmin, store.RoleAnalyst, true},
		{"", store.RoleReader, false},
		{store.RoleAdmin, "", false},
	}
	for _, tt := range tests {
		if got := tt.have.Allows(tt.need); got != tt.want {
			t.Errorf("%q.Allows(%q) = %v, want %v", tt.have, tt.need, got, tt.want)
		}
	}
}

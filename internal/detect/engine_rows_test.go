package detect

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// TestRowsOfOneSignInInAnyOrder gives two rows of one sign-in id that
// differ in outcome, with the records around them, in every order two
// export files or one file can bring them, to the engine in both modes. The
// alerts must not depend on the order, and must be those of the row that
// stands: the later one, else the success over the failure or interrupt.
func TestRowsOfOneSignInInAnyOrder(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := func(m, s int) time.Time {
		return at.Add(time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
	}
	const ana, spray = "ana@example.com", "203.0.113.9"
	denials := func() []*entra.SignIn {
		var out []*entra.SignIn
		for i, m := range []int{5, 7, 9} {
			out = append(out, signIn(fmt.Sprintf("d%d", i), ana, "45.50.1.1", clock(m, 0), 500121))
		}
		return out
	}
	// Ten users' wrong passwords from one address within ten minutes: a spray.
	sprayed := func() []*entra.SignIn {
		var out []*entra.SignIn
		for u := range 10 {
			out = append(out, signIn(fmt.Sprintf("f%d", u), fmt.Sprintf("u%d@example.com", u),
				spray, clock(u, 0), 50126))
		}
		return out
	}
	sprayRow := func(ts time.Time, code int) *entra.SignIn {
		return signIn("s", "u3@example.com", spray, ts, code)
	}
	for _, tc := range []struct {
		name     string
		others   []*entra.SignIn
		first    *entra.SignIn // the row that stands is the second
		second   *entra.SignIn
		rule     string
		severity string
	}{
		{
			// The tester's case: an approval and a denial of one id at 10:12.
			name: "denial and success at one time", others: denials(),
			first:  signIn("x", ana, "45.50.1.1", clock(12, 0), 500121),
			second: signIn("x", ana, "45.50.1.1", clock(12, 0), 0),
			rule:   "ENTRA-MFA-FATIGUE", severity: "critical",
		},
		{
			// The success feeds the address's rules; the interrupt did not.
			name: "interrupt and success at one time", others: sprayed(),
			first: sprayRow(clock(12, 0), 50074), second: sprayRow(clock(12, 0), 0),
			rule: "ENTRA-PASSWORD-SPRAY", severity: "high",
		},
		{
			name: "interrupt, then success a second later", others: sprayed(),
			first: sprayRow(clock(12, 0), 50074), second: sprayRow(clock(12, 1), 0),
			rule: "ENTRA-PASSWORD-SPRAY", severity: "high",
		},
		{
			// A success and a denial differ in stage; these two only in code.
			name: "two failures at one time", others: denials(),
			first:  signIn("x", ana, "45.50.1.1", clock(12, 0), 50126),
			second: signIn("x", ana, "45.50.1.1", clock(12, 0), 500121),
			rule:   "ENTRA-MFA-FATIGUE", severity: "medium",
		},
	} {
		rows := func(r ...*entra.SignIn) []*entra.SignIn { return r }
		first, second, others := rows(tc.first), rows(tc.second), tc.others
		orders := map[string][]*entra.SignIn{
			"one file, second row last":         slices.Concat(others, first, second),
			"one file, second row first":        slices.Concat(others, second, first),
			"file of the second row read first": slices.Concat(second, others, first),
			"file of the first row read first":  slices.Concat(first, others, second),
		}
		want := hunt(orders["one file, second row last"], Options{})
		if !fired(want, tc.rule, tc.severity) {
			t.Errorf("%s: no %s alert of severity %s: %+v", tc.name, tc.rule, tc.severity, want)
		}
		for order, records := range orders {
			for _, opts := range []Options{{}, {Ordered: true}} {
				if got := hunt(records, opts); !cmp.Equal(got, want) {
					t.Errorf("%s, %s, ordered %v: alerts differ (-want +got):\n%s",
						tc.name, order, opts.Ordered, cmp.Diff(want, got))
				}
			}
		}
	}
}

// TestLateRowKeepsWhatWasEvaluated gives, in ordered mode, a success row of
// an id whose failure row was already evaluated (records twenty minutes
// newer, and then newer still, came between them): the failure stands and
// the row counts as late.
func TestLateRowKeepsWhatWasEvaluated(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	en := NewEngine(DefaultParams(), Options{Ordered: true})
	en.SignIn(signIn("x", "ana@example.com", "45.50.1.1", at, 500121))
	en.SignIn(signIn("y", "ana@example.com", "45.50.1.1", at.Add(20*time.Minute), 0))
	en.SignIn(signIn("z", "ana@example.com", "45.50.1.1", at.Add(21*time.Minute), 0))
	en.SignIn(signIn("x", "ana@example.com", "45.50.1.1", at, 0))
	held := en.groups[scopeUser]["ana@example.com"].heldEvent("x")
	if held == nil || held.code != 500121 {
		t.Errorf("held row of x = %+v, want the evaluated failure", held)
	}
	if st := en.Stats(); st.Duplicates != 1 || st.Late != 1 {
		t.Errorf("stats = %+v, want 1 duplicate, counted late", st)
	}
}

// TestRowOrderIsTotal sets each field the rules read in one of two
// otherwise equal rows and wants them ordered: two rows that differ in
// anything a rule reads must never tie, or the first read would stand.
func TestRowOrderIsTotal(t *testing.T) {
	// seen, placed, holders and idHash are the engine's bookkeeping, not a
	// row's content, and facts is where ip's facts are found.
	skip := map[string]bool{"kind": true, "id": true, "t": true, "seen": true, "placed": true,
		"holders": true, "idHash": true, "facts": true}
	typ := reflect.TypeFor[event]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if skip[f.Name] {
			continue
		}
		if f.Name == "risk" {
			riskRowsAreTotal(t)
			continue
		}
		if f.Name == "audit" {
			auditRowsAreTotal(t)
			continue
		}
		var a, b event
		v := reflect.ValueOf(&b).Elem().Field(i)
		v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
		switch v.Kind() {
		case reflect.String:
			v.SetString("x")
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Int:
			v.SetInt(1)
		case reflect.Uint32:
			v.SetUint(1)
		case reflect.Float64:
			v.SetFloat(1)
		default:
			t.Fatalf("field %s of kind %s: teach this test to set it", f.Name, v.Kind())
		}
		if rowOrder(&a, &b) >= 0 || rowOrder(&b, &a) <= 0 {
			t.Errorf("rows differing in %s: rowOrder = %d and %d, want -1 and 1",
				f.Name, rowOrder(&a, &b), rowOrder(&b, &a))
		}
	}
}

// riskRowsAreTotal does for the fields of two rows of one risk detection
// what TestRowOrderIsTotal does for the event's: held comes from the id,
// which rows of one detection share, and signIns from the engine's
// request book, not from the row (replace carries them over).
func riskRowsAreTotal(t *testing.T) {
	typ := reflect.TypeFor[riskFacts]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Name == "held" || f.Name == "signIns" {
			continue
		}
		a, b := event{kind: kindRisk, risk: &riskFacts{}}, event{kind: kindRisk, risk: &riskFacts{}}
		v := reflect.ValueOf(b.risk).Elem().Field(i)
		v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
		switch v.Type() {
		case reflect.TypeFor[string]():
			v.SetString("x")
		case reflect.TypeFor[time.Time]():
			v.Set(reflect.ValueOf(time.Unix(1, 0)))
		default:
			t.Fatalf("risk field %s of type %s: teach this test to set it", f.Name, v.Type())
		}
		if rowOrder(&a, &b) >= 0 || rowOrder(&b, &a) <= 0 {
			t.Errorf("risk rows differing in %s: rowOrder = %d and %d, want -1 and 1",
				f.Name, rowOrder(&a, &b), rowOrder(&b, &a))
		}
	}
}

// auditRowsAreTotal does for the audit fields what TestRowOrderIsTotal
// does for the event's, rows without them (any other kind) equal to rows
// whose audit fields are empty.
func auditRowsAreTotal(t *testing.T) {
	typ := reflect.TypeFor[auditFacts]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		a, b := event{kind: kindAudit}, event{kind: kindAudit, audit: &auditFacts{}}
		if rowOrder(&a, &b) != 0 {
			t.Errorf("no audit fields and empty ones: rowOrder = %d, want 0", rowOrder(&a, &b))
		}
		v := reflect.ValueOf(b.audit).Elem().Field(i)
		v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
		if v.Kind() != reflect.String {
			t.Fatalf("audit field %s of kind %s: teach this test to set it", f.Name, v.Kind())
		}
		v.SetString("x")
		if rowOrder(&a, &b) >= 0 || rowOrder(&b, &a) <= 0 {
			t.Errorf("audit rows differing in %s: rowOrder = %d and %d, want -1 and 1",
				f.Name, rowOrder(&a, &b), rowOrder(&b, &a))
		}
	}
}

// hunt gives the sign-ins to a new engine in order and returns its alerts.
func hunt(records []*entra.SignIn, opts Options) []Alert {
	en := NewEngine(DefaultParams(), opts)
	for _, s := range records {
		en.SignIn(s)
	}
	return en.Close()
}

// fired reports whether an alert of rule has the severity.
func fired(alerts []Alert, rule, severity string) bool {
	for _, a := range alerts {
		if a.Rule == rule && a.Severity == severity {
			return true
		}
	}
	return false
}

// TestRowsOfOneTimeInAnyOrder: a later row of an id comes at the same time
// as another record that moves the newest time on. Whichever of the two
// is read first, the later row replaces the earlier one (the latest row
// stands) and nothing is late: a sweep runs only once time has moved past
// every row of a time (a reviewer's case, which gave a Conditional Access
// alert in one order and none in the other).
func TestRowsOfOneTimeInAnyOrder(t *testing.T) {
	at := time.Date(2026, 3, 2, 11, 17, 1, 0, time.UTC)
	later := at.Add(17 * time.Minute)
	first := signIn("x", "ana@example.com", "45.50.1.1", at, 0)
	replacing := signIn("x", "ana@example.com", "45.50.1.1", later, 53003)
	other := signIn("o", "bo@example.com", "45.50.9.9", later, 0)
	for name, rows := range map[string][]*entra.SignIn{
		"replacing row first": {first, replacing, other},
		"other record first":  {first, other, replacing},
	} {
		en := NewEngine(DefaultParams(), Options{Ordered: true})
		for _, s := range rows {
			en.SignIn(s)
		}
		held := en.groups[scopeUser]["ana@example.com"].heldEvent("x")
		if held == nil || held.code != 53003 {
			t.Errorf("%s: held row of x = %+v, want the later row (53003)", name, held)
		}
		if st := en.Stats(); st.Duplicates != 1 || st.Late != 0 {
			t.Errorf("%s: stats = %+v, want 1 duplicate and none late", name, st)
		}
	}
}

// TestAuditPlaceInAnyOrder: an unlock and another user's sign-in from one
// address at one second, then failures from another country. The audit's
// country comes from the sign-ins' facts; whichever of the two is read
// first, the unlock is placed and the alert fires (a reviewer's case: it
// fired in one order only, as the audit took its facts when it came).
func TestAuditPlaceInAnyOrder(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 1, 43, 0, time.UTC)
	other := signIn("s-other", "cy@example.com", "174.204.108.162", at, 0)
	other.Location = entra.Location{Country: "US", Lat: 40.7, Lon: -74, HasCoords: true}
	unlock := &entra.Audit{ID: "a-unlock", Time: at,
		Activity: "Unlock user account (self-service)", Result: "success",
		Actor: entra.Actor{Type: entra.ActorUser, UserPrincipalName: "ana@example.com",
			IPRaw: "174.204.108.162"},
		Targets: []entra.Target{{Type: "User", UserPrincipalName: "ana@example.com"}}}
	fail := signIn("s-fail", "ana@example.com", "37.10.43.36", at.Add(2*time.Minute), 50126)
	fail.Location = entra.Location{Country: "ES", Lat: 40.4, Lon: -3.7, HasCoords: true}

	for name, unlockFirst := range map[string]bool{"unlock first": true, "sign-in first": false} {
		table := ipintel.New()
		en := NewEngine(DefaultParams(), Options{Ordered: true, Facts: table.Lookup})
		give := func(s *entra.SignIn) {
			table.AddSignIn(s)
			en.SignIn(s)
		}
		if unlockFirst {
			en.Audit(unlock)
			give(other)
		} else {
			give(other)
			en.Audit(unlock)
		}
		give(fail)
		if alerts := en.Close(); !firedRule(alerts, "ENTRA-SSPR-UNLOCK-THEN-FAIL") {
			t.Errorf("%s: no ENTRA-SSPR-UNLOCK-THEN-FAIL alert: %+v", name, alerts)
		}
	}
}

// firedRule reports whether an alert of rule fired, at any severity.
func firedRule(alerts []Alert, rule string) bool {
	for _, a := range alerts {
		if a.Rule == rule {
			return true
		}
	}
	return false
}

// TestSignInPlaceInAnyOrder: a sign-in whose record gives no place, and
// another user's from the same address at the same second that gives
// one. Whichever is read first, the first is placed by the second's
// facts once evaluated.
func TestSignInPlaceInAnyOrder(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	bare := signIn("bare", "ana@example.com", "203.0.113.7", at, 0)
	bare.Location = entra.Location{}
	placed := signIn("placed", "bo@example.com", "203.0.113.7", at, 0)
	placed.Location = entra.Location{Country: "BR", Lat: -23.5, Lon: -46.6, HasCoords: true}
	tick := func(n int) *entra.SignIn {
		return signIn(fmt.Sprintf("tick%d", n), "cy@example.com", "198.51.100.1",
			at.Add(time.Duration(n)*20*time.Minute), 0)
	}

	for name, rows := range map[string][]*entra.SignIn{
		"bare first":   {bare, placed, tick(1), tick(2)},
		"placed first": {placed, bare, tick(1), tick(2)},
	} {
		table := ipintel.New()
		en := NewEngine(DefaultParams(), Options{Ordered: true, Facts: table.Lookup})
		for _, s := range rows {
			table.AddSignIn(s)
			en.SignIn(s)
		}
		ev := en.groups[scopeUser]["ana@example.com"].heldEvent("bare")
		if ev == nil || ev.seen == 0 || ev.country != "BR" || !ev.located {
			t.Errorf("%s: the bare sign-in = %+v, want it evaluated in BR with coordinates",
				name, ev)
		}
	}
}

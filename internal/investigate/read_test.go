package investigate

import (
	"errors"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/simulate"
)

// TestReadUserHoldsOnlyTheUsersRecords: the Set ReadUser returns holds the
// user's sign-ins and audit events and no other user's; the sign-ins around
// the user's, read again for the spray rules, are those aroundUser picks
// over the whole input; the Tenant counts what the whole input held.
func TestReadUserHoldsOnlyTheUsersRecords(t *testing.T) {
	tenant := t.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 60, Days: 2, Seed: 7,
		Out: tenant}); err != nil {
		t.Fatal(err)
	}
	example := []string{"../../examples/sspr-takeover", "../ingest/testdata/fieldreports"}
	tests := []struct {
		name  string
		paths []string
		user  string
		// fewer is set when the held Set must be smaller than the input,
		// others when other users' sign-ins are around the user's.
		fewer, others bool
	}{
		{name: "example beside field reports", paths: example,
			user: "ana.reyes@example.com", fewer: true},
		{name: "generated tenant", paths: []string{filepath.Join(tenant, simulate.LogsDir)},
			others: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			whole, err := ingest.Read(tt.paths, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.user == "" {
				tt.user = whole.SignIns[len(whole.SignIns)/2].UserPrincipalName
			}
			held, ten, err := ReadUser(tt.paths, tt.user, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			key, err := selectUser(whole, tt.user)
			if err != nil {
				t.Fatal(err)
			}
			ev := gather(whole, tenantOf(whole), key, DefaultConfig())
			others := 0
			picked := map[string]bool{}
			for _, s := range aroundUser(ev) {
				if !ev.who.owns(s.UserID, s.UserPrincipalName) || s.IsServicePrincipal() {
					others++
					picked[s.ID] = true
				}
			}

			mine, theirs := 0, 0
			for _, s := range held.SignIns {
				if !s.IsServicePrincipal() && ev.who.owns(s.UserID, s.UserPrincipalName) {
					mine++
				} else {
					theirs++
				}
			}
			if mine != len(ev.signIns) || theirs != 0 {
				t.Errorf("held %d of the user's sign-ins and %d others, want %d and none", mine,
					theirs, len(ev.signIns))
			}

			// The sign-ins around the user's, read again, are those a whole
			// read picks.
			streamed := gather(held, ten, key, DefaultConfig())
			var got []string
			if err := eachAround(streamed, func(s *entra.SignIn) {
				got = append(got, s.ID)
			}); err != nil {
				t.Fatal(err)
			}
			if tt.others != (len(picked) > 0) || len(got) != len(picked)+len(ev.signIns) {
				t.Errorf("streamed %d sign-ins around the user, want %d and the user's %d",
					len(got), len(picked), len(ev.signIns))
			}
			for _, id := range got {
				if !picked[id] && !slices.ContainsFunc(ev.signIns, func(s *entra.SignIn) bool {
					return s.ID == id
				}) {
					t.Errorf("streamed sign-in %s that aroundUser does not pick", id)
				}
			}
			for i := range held.Audits {
				if !ev.who.concerns(&held.Audits[i]) {
					t.Errorf("held audit %s does not concern the user", held.Audits[i].ID)
				}
			}
			if len(held.Audits) != len(ev.audits) {
				t.Errorf("held %d audit events, want the user's %d", len(held.Audits),
					len(ev.audits))
			}
			if ten.signIns != len(whole.SignIns) || ten.audits != len(whole.Audits) {
				t.Errorf("tenant counts %d sign-ins and %d audits, want %d and %d", ten.signIns,
					ten.audits, len(whole.SignIns), len(whole.Audits))
			}
			if tt.fewer && (len(held.SignIns) >= len(whole.SignIns) ||
				len(held.Audits) >= len(whole.Audits)) {
				t.Errorf("held %d sign-ins and %d audits of %d and %d", len(held.SignIns),
					len(held.Audits), len(whole.SignIns), len(whole.Audits))
			}
		})
	}
}

// TestReadUserRefusesPipes: a path that cannot be read twice is refused
// before anything is read, with ErrNotRereadable and the path.
func TestReadUserRefusesPipes(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "signins.ndjson")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, paths := range [][]string{{fifo}, {"../../examples/sspr-takeover", fifo}} {
		_, _, err := ReadUser(paths, "ana.reyes@example.com", ReadOptions{})
		if !errors.Is(err, ErrNotRereadable) {
			t.Errorf("ReadUser(%v) error %v, want ErrNotRereadable", paths, err)
		}
	}
}

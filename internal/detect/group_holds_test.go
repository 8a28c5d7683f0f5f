package detect

import (
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// TestGroupHolds: a group holds, by its serial on the event, exactly the
// events whose ids it took; an audit is held by its target's group and its
// actor's; a replacing row leaves the holders as they were; and forget
// drops from the map every held event it passes.
func TestGroupHolds(t *testing.T) {
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	en := NewEngine(DefaultParams(), Options{Ordered: true})
	en.SignIn(signIn("s1", "ana@example.com", "198.51.100.7", at, 50126))
	en.SignIn(signIn("s1", "ana@example.com", "198.51.100.7", at.Add(time.Second), 0))
	en.Audit(&entra.Audit{ID: "a1", Time: at, Activity: "Reset user password",
		Actor:   entra.Actor{Type: entra.ActorUser, UserPrincipalName: "bo@example.com"},
		Targets: []entra.Target{{Type: "User", UserPrincipalName: "ana@example.com"}}})
	ana := en.groups[scopeUser]["ana@example.com"]
	bo := en.groups[scopeUser]["bo@example.com"]
	addr := en.groups[scopeAddress]["198.51.100.7"]
	if ana == nil || bo == nil || addr == nil {
		t.Fatalf("groups missing: ana %v, bo %v, address %v", ana, bo, addr)
	}
	s1, a1 := ana.heldEvent("s1"), ana.heldEvent("a1")
	tests := []struct {
		name string
		g    *group
		ev   *event
		want bool
	}{
		{"a sign-in by its user's group", ana, s1, true},
		{"a sign-in not by its address's group", addr, s1, false},
		{"a sign-in not by another user's group", bo, s1, false},
		{"an audit by its target's group", ana, a1, true},
		{"an audit by its actor's group", bo, a1, true},
		{"an audit not by an address group", addr, a1, false},
		{"nothing by a group without a serial", &group{}, s1, false},
	}
	for _, tt := range tests {
		if tt.ev == nil {
			t.Fatalf("%s: the event is not held", tt.name)
		}
		if got := tt.g.holds(tt.ev); got != tt.want {
			t.Errorf("%s: holds = %v, want %v", tt.name, got, tt.want)
		}
	}
	if s1.code != 0 {
		t.Errorf("the later row did not replace the held one: code %d", s1.code)
	}
	if st := en.Stats(); st.Duplicates != 1 {
		t.Errorf("duplicates = %d, want 1", st.Duplicates)
	}
	en.run(ana, at.Add(time.Hour))
	ana.forget(at.Add(time.Hour))
	if ana.heldCount() != 0 || ana.held.len() != 0 {
		t.Errorf("after forget: %d ids and %d held, want none", ana.heldCount(), ana.held.len())
	}
}

// TestGroupHoldsClashes: two ids whose hashes clash are both held, each
// found under its own id, and forget releases both, in either order.
func TestGroupHoldsClashes(t *testing.T) {
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, firstOut := range []bool{true, false} {
		g := &group{serial: 1, ids: map[uint64]*event{}}
		a := &event{kind: kindSignIn, id: "a", t: at, idHash: 7}
		b := &event{kind: kindSignIn, id: "b", t: at.Add(time.Minute), idHash: 7}
		if !firstOut {
			a.t, b.t = b.t, a.t
		}
		for _, ev := range []*event{a, b} {
			old, taken := g.find(ev)
			if old != nil {
				t.Fatalf("%s found as %s before it was taken", ev.id, old.id)
			}
			g.take(ev, taken)
		}
		for _, ev := range []*event{a, b} {
			if old, _ := g.find(&event{id: ev.id, idHash: 7}); old != ev {
				t.Errorf("find(%s) = %v, want the event taken", ev.id, old)
			}
			if !g.holds(ev) {
				t.Errorf("%s not held", ev.id)
			}
		}
		if old, _ := g.find(&event{id: "c", idHash: 7}); old != nil {
			t.Errorf("find(c) = %s, want none", old.id)
		}
		first, second := a, b
		if !firstOut {
			first, second = b, a
		}
		g.held.push(heldID{first.t, 7, first})
		g.held.push(heldID{second.t, 7, second})
		g.forget(first.t.Add(time.Second))
		if g.heldCount() != 1 {
			t.Fatalf("after the first forget: %d held, want 1", g.heldCount())
		}
		if old, _ := g.find(&event{id: second.id, idHash: 7}); old != second {
			t.Errorf("after the first forget, find(%s) = %v", second.id, old)
		}
		g.forget(second.t.Add(time.Second))
		if g.heldCount() != 0 {
			t.Errorf("after forget: %d held, want none", g.heldCount())
		}
	}
}

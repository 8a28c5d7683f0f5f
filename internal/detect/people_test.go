package detect

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestPeopleKeys: a row's key comes from the row and the directory alone:
// the principal name when it has one, else the directory's name for the
// object id, else the id; a name that is an object id counts as the id;
// different ids never join.
func TestPeopleKeys(t *testing.T) {
	const (
		dana  = "6F2B0C1D-5E1A-4C2B-9A11-00000000D0A1"
		other = "6f2b0c1d-5e1a-4c2b-9a11-00000000e0b2"
	)
	dir := map[string]string{dana: " Dana.Kim@Example.com ", "not-a-user": "N/A",
		// One id in two cases with two names: the smaller name, whatever
		// order the map gives them in.
		"6F2B0C1D-5E1A-4C2B-9A11-00000000F0F1": "zed@example.com",
		"6f2b0c1d-5e1a-4c2b-9a11-00000000f0f1": "amy@example.com"}
	tests := []struct {
		name, id, upn, want string
	}{
		{"name only", "", " Dana.Kim@Example.com ", "dana.kim@example.com"},
		{"name and id", other, "Zoe@Example.com", "zoe@example.com"},
		{"id the directory knows", dana, "", "dana.kim@example.com"},
		{"id in another case", "6f2b0c1d-5e1a-4c2b-9a11-00000000d0a1", "",
			"dana.kim@example.com"},
		{"placeholder name", dana, "Not Available", "dana.kim@example.com"},
		{"the id written as the name", "", dana, "dana.kim@example.com"},
		{"the id as the name beside it", dana, dana, "dana.kim@example.com"},
		{"id the directory does not know", other, "", "id:" + other},
		{"directory entry without a name", "not-a-user", "", "id:not-a-user"},
		{"id with two names", "6f2b0c1d-5e1a-4c2b-9a11-00000000F0F1", "", "amy@example.com"},
		{"no usable identity", "00000000-0000-0000-0000-000000000000", "N/A", ""},
		{"nothing", "", "", ""},
	}
	p := newPeople(newLexicon(DefaultParams()), dir)
	// Twice, in a shuffled order each time: nothing a row gives is
	// remembered for the next.
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 2 {
		for _, i := range rng.Perm(len(tests)) {
			tt := tests[i]
			if got := p.key(tt.id, tt.upn); got != tt.want {
				t.Errorf("round %d, %s: key(%q, %q) = %q, want %q", round, tt.name, tt.id,
					tt.upn, got, tt.want)
			}
		}
	}
}

// TestIsObjectID: only the 8-4-4-4-12 hexadecimal shape, folded, is an
// object id.
func TestIsObjectID(t *testing.T) {
	for s, want := range map[string]bool{
		"6f2b0c1d-5e1a-4c2b-9a11-00000000d0a1":  true,
		"6F2B0C1D-5E1A-4C2B-9A11-00000000D0A1":  false, // names are folded first
		"6f2b0c1d-5e1a-4c2b-9a11-00000000d0a":   false,
		"6f2b0c1d-5e1a-4c2b-9a11-00000000d0a1x": false,
		"6f2b0c1d_5e1a-4c2b-9a11-00000000d0a1":  false,
		"6f2b0c1d-5e1a-4c2b-9a11-00000000g0a1":  false,
		"dana.kim.and.a.long.name@example.com":  false,
	} {
		if got := isObjectID(s); got != want {
			t.Errorf("isObjectID(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestAccountKeys: configured accounts fold as row keys, an object id bare
// or as hunt prints it to "id:" and the id, once each.
func TestAccountKeys(t *testing.T) {
	got := accountKeys([]string{" BG-01@Contoso.com ", "ID:6F2B0C1D-5E1A-4C2B-9A11-00000000D0A1",
		"6f2b0c1d-5e1a-4c2b-9a11-00000000d0a1", "", "N/A", "bg-01@contoso.com"})
	want := []string{"bg-01@contoso.com", "id:6f2b0c1d-5e1a-4c2b-9a11-00000000d0a1"}
	if !slices.Equal(got, want) {
		t.Errorf("accountKeys = %q, want %q", got, want)
	}
}

// TestPeopleUnjoined: the ids that rows gave alone while other rows named
// them, each with the smallest name, in every order of the rows; an id the
// directory names, an id no row names and a placeholder id are not listed.
func TestPeopleUnjoined(t *testing.T) {
	const (
		a = "0a0a0a0a-0000-4000-8000-00000000000a"
		b = "0b0b0b0b-0000-4000-8000-00000000000b"
		c = "0c0c0c0c-0000-4000-8000-00000000000c"
		d = "0d0d0d0d-0000-4000-8000-00000000000d"
	)
	rows := [][2]string{
		{a, "Zed@Example.com"}, {strings.ToUpper(a), ""}, {a, "amy@example.com"},
		{b, ""}, {b, "bob@example.com"},
		{c, ""},                         // nobody names c
		{d, ""}, {d, "dan@example.com"}, // the directory names d
		{"00000000-0000-0000-0000-000000000000", ""}, {"", "eve@example.com"},
	}
	want := map[string]string{a: "amy@example.com", b: "bob@example.com"}
	for seed := range 20 {
		order := slices.Clone(rows)
		rand.New(rand.NewPCG(uint64(seed), 1)).Shuffle(len(order), func(i, j int) {
			order[i], order[j] = order[j], order[i]
		})
		p := newPeople(newLexicon(DefaultParams()), map[string]string{d: "dan@example.com"})
		for _, r := range order {
			p.key(r[0], r[1])
		}
		if got := p.unjoined(); !maps.Equal(got, want) {
			t.Fatalf("order %d: unjoined %v, want %v", seed, got, want)
		}
	}
}

// TestPeoplePinnedNameOnly: a pinned id that rows tie to a name some other
// rows gave alone is unjoined, in every order, unless the directory names
// it; read again with the tie, the name-only rows are keyed by the pin.
func TestPeoplePinnedNameOnly(t *testing.T) {
	const id = "0e0e0e0e-0000-4000-8000-00000000000e"
	rows := [][2]string{{strings.ToUpper(id), "BG@example.com"}, {"", "bg@example.com"},
		{"", "amy@example.com"}}
	for seed := range 10 {
		order := slices.Clone(rows)
		rand.New(rand.NewPCG(uint64(seed), 2)).Shuffle(len(order), func(i, j int) {
			order[i], order[j] = order[j], order[i]
		})
		p := newPeople(newLexicon(DefaultParams()), nil)
		p.pin([]string{"id:" + id})
		for _, r := range order {
			p.key(r[0], r[1])
		}
		want := map[string]string{id: "bg@example.com"}
		if got := p.unjoined(); !maps.Equal(got, want) {
			t.Fatalf("order %d: unjoined %v, want %v", seed, got, want)
		}
	}

	named := newPeople(newLexicon(DefaultParams()), map[string]string{id: "bg@example.com"})
	named.pin([]string{"id:" + id})
	for _, r := range rows {
		named.key(r[0], r[1])
	}
	if got := named.unjoined(); len(got) != 0 {
		t.Errorf("with the directory naming the id: unjoined %v, want none", got)
	}
	if k := named.key("", "bg@example.com"); k != "id:"+id {
		t.Errorf("a name-only row of the pinned account is keyed %q, want the pin", k)
	}
}

// TestPeoplePinnedNameOtherID: a row that carries another object id is
// that account's even when it gives the pinned account's name (a reused
// principal name, a second reviewer's case); a row with the name alone is
// the pinned account's.
func TestPeoplePinnedNameOtherID(t *testing.T) {
	const pinned, other = "0e0e0e0e-0000-4000-8000-00000000000e",
		"0f0f0f0f-0000-4000-8000-00000000000f"
	p := newPeople(newLexicon(DefaultParams()), map[string]string{pinned: "bg@example.com"})
	p.pin([]string{"id:" + pinned})
	if k := p.key(other, "bg@example.com"); k == "id:"+pinned {
		t.Errorf("a row of another id with the pinned name is keyed %q, the pin's", k)
	}
	if k := p.key("", "bg@example.com"); k != "id:"+pinned {
		t.Errorf("a name-only row is keyed %q, want the pin", k)
	}
}

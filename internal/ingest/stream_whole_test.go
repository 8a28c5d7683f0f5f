package ingest

import (
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
)

// TestStreamWhole checks Options.Whole: with Lean, the sign-ins it picks
// come whole, as a full read gives them, and the others lean, as a lean
// read gives them.
func TestStreamWhole(t *testing.T) {
	requireCorpus(t)
	inputs := []string{corpusDir, smallTenant(t)}
	pick := func(s *entra.SignIn) bool {
		return strings.HasPrefix(strings.ToLower(s.UserPrincipalName), "a") ||
			strings.HasSuffix(s.ID, "7")
	}

	full, fullGiven := streamJSON(t, Options{}, false, inputs...)
	lean, _ := streamJSON(t, Options{Lean: true}, false, inputs...)
	got, _ := streamJSON(t, Options{Lean: true, Whole: pick}, false, inputs...)
	if len(got) != len(full) || len(lean) != len(full) {
		t.Fatalf("%d sign-ins with Whole, %d full, %d lean", len(got), len(full), len(lean))
	}

	picked, differ := 0, 0
	for i, s := range fullGiven {
		want := lean[i]
		if pick(s) {
			want = full[i]
			picked++
		}
		if full[i] != lean[i] {
			differ++
		}
		if got[i] != want {
			t.Errorf("sign-in %d (%s, picked %v):\n got %.300s\nwant %.300s", i, s.ID,
				pick(s), got[i], want)
		}
	}
	if picked == 0 || picked == len(full) || differ == 0 {
		t.Fatalf("%d of %d sign-ins picked, %d differ lean; the test compares too little",
			picked, len(full), differ)
	}
}

package detect

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
	"github.com/idtriage/idtriage/internal/simulate"
)

// TestFactsEntryAsLookup hunts a generated tenant as hunt does, the table
// learning each sign-in's place just before the engine reads it, once with
// the facts copied out of the table when a sign-in is evaluated and once
// read through the record the sign-in kept from when it came: the records
// change in between, and what is read must be the same.
func TestFactsEntryAsLookup(t *testing.T) {
	out := t.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 300, Days: 1, Seed: 2,
		Out: out}); err != nil {
		t.Fatal(err)
	}
	recs, _ := streamFields(t, []string{filepath.Join(out, simulate.LogsDir),
		filepath.Join(out, simulate.RiskDir)}, entra.FieldsLean)
	// A third of the sign-ins say nothing of their place, which their
	// addresses' records then give, as the other sign-ins taught them.
	for i, r := range recs {
		if r.SignIn != nil && i%3 == 0 {
			bare := *r.SignIn
			bare.Location, bare.ASN = entra.Location{}, 0
			recs[i].SignIn = &bare
		}
	}
	hunt := func(entry bool) huntResult {
		table := ipintel.New()
		opts := Options{Ordered: true, Facts: table.Lookup}
		if entry {
			opts.FactsEntry = table.Entry
		}
		return feedInOrder(NewEngine(DefaultParams(), opts), table, recs)
	}
	want := hunt(false)
	if len(want.Alerts) == 0 {
		t.Fatal("no alerts: the comparison shows nothing")
	}
	if diff := cmp.Diff(want, hunt(true)); diff != "" {
		t.Errorf("hunt reading the facts' records differs (-copied +records):\n%s", diff)
	}
}

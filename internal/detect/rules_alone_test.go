package detect

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/idtriage/idtriage/internal/entra"
)

// TestRuleAloneAsAmongAll hunts each input with every rule, then with each
// rule alone, and wants each rule's alerts the same both ways. The engine
// skips work no enabled rule needs (a user's history when no rule reads
// it): a skip that changed what a rule sees changes its alerts, where the
// inputs exercise what it no longer sees, when it runs alone or beside
// fewer rules.
func TestRuleAloneAsAmongAll(t *testing.T) {
	for _, in := range fieldsInputs(t) {
		t.Run(in.name, func(t *testing.T) {
			recs, _ := streamFields(t, in.paths, entra.FieldsLean)
			all := huntRecords(t, recs, DefaultParams(), in).Alerts
			for _, m := range Rules(DefaultParams()) {
				want := slices.DeleteFunc(slices.Clone(all), func(a Alert) bool {
					return a.Rule != m.ID
				})
				got := huntRecords(t, recs, only(t, m.ID), in).Alerts
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s alone differs from %s among all rules (-all +alone):\n%s",
						m.ID, m.ID, diff)
				}
			}
		})
	}
}

package detect

import (
	"encoding/json"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// TestMayWantCoversWants checks what lets a sign-in skip its address
// facts (takeFacts) on every sign-in of the inputs, each as written and
// with its place, autonomous system and risk events left out, so that the
// facts fill them: for every rule, in every group the sign-in reaches,
// the probe before the facts must allow what wants says after them, and
// a rule that is no factsReader must answer the same before and after.
func TestMayWantCoversWants(t *testing.T) {
	checked, filled := 0, 0
	for _, in := range fieldsInputs(t) {
		t.Run(in.name, func(t *testing.T) {
			recs, _ := streamFields(t, in.paths, entra.FieldsLean)
			en := NewEngine(DefaultParams(), Options{BreakGlass: in.opts.BreakGlass,
				ProviderNetworks: in.opts.ProviderNetworks, Facts: knownFacts(t, recs, in)})
			for _, r := range recs {
				if r.SignIn == nil || r.SignIn.IsServicePrincipal() {
					continue
				}
				bare := *r.SignIn
				bare.Location, bare.ASN, bare.RiskEventTypes = entra.Location{}, 0, nil
				for _, s := range []*entra.SignIn{r.SignIn, &bare} {
					ev, _ := en.newSignIn(s)
					probed := *ev
					en.placeFacts(ev)
					if ev.country != probed.country || ev.located != probed.located ||
						ev.anonymizer != probed.anonymizer || ev.asn != probed.asn {
						filled++
					}
					checked += checkProbes(t, en, &probed, ev)
				}
			}
		})
	}
	t.Logf("%d probes checked, on %d sign-ins the facts filled", checked, filled)
	if checked == 0 || filled == 0 {
		t.Fatalf("%d probes checked, %d sign-ins filled by facts; want both", checked, filled)
	}
}

// checkProbes compares, for every rule in every group ev reaches, the
// probe on probed (ev before its facts) with wants on ev, and returns how
// many it compared.
func checkProbes(t *testing.T, en *Engine, probed, ev *event) int {
	t.Helper()
	n := 0
	for s, key := range en.routes(ev) {
		if key == "" {
			continue
		}
		g := en.group(scope(s), key)
		for i, r := range en.scopes[s] {
			want, may := r.wants(g, ev), en.mayWant[s][i](g, probed)
			_, reader := r.(factsReader)
			switch {
			case want && !may:
				t.Errorf("%s wants sign-in %s once its facts are placed, but its probe "+
					"said no before", r.meta().ID, ev.id)
			case !reader && may != want:
				t.Errorf("%s wants sign-in %s: %v before its facts, %v after; a rule "+
					"whose wants reads them must be a factsReader", r.meta().ID, ev.id,
					may, want)
			}
			n++
		}
	}
	return n
}

// knownFacts returns the address facts of every sign-in in recs and their
// IP intelligence, with the input's own facts over them, as huntRecords
// knows them by the end.
func knownFacts(t *testing.T, recs []ingest.Record, in fieldsInput) func(string) ipintel.Facts {
	t.Helper()
	table := ipintel.New()
	var addrs []string
	for _, r := range recs {
		switch {
		case r.IP != nil:
			table.AddIPInfo(r.IP)
		case r.SignIn != nil:
			table.AddSignIn(r.SignIn)
			addrs = append(addrs, r.SignIn.IPRaw)
		}
	}
	if in.resolve {
		res := ipintel.Open(t.Context(), ipintel.Config{})
		res.Resolve(t.Context(), table, addrs)
		if err := res.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return func(ip string) ipintel.Facts {
		f := table.Lookup(ip)
		if raw, ok := in.facts[ip]; ok {
			_ = json.Unmarshal(raw, &f) // checked by sampleInput
		}
		return f
	}
}

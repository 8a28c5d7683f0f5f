package detect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
	"github.com/idtriage/idtriage/internal/simulate"
)

// groupNames names the field groups in failure messages.
var groupNames = []struct {
	f    entra.Fields
	name string
}{
	{entra.FieldBase, "Base"}, {entra.FieldCountry, "Country"}, {entra.FieldCoords, "Coords"},
	{entra.FieldASN, "ASN"}, {entra.FieldApp, "App"}, {entra.FieldAgent, "Agent"},
	{entra.FieldDevice, "Device"}, {entra.FieldNetwork, "Network"}, {entra.FieldAuth, "Auth"},
	{entra.FieldKind, "Kind"}, {entra.FieldRisk, "Risk"}, {entra.FieldRiskTypes, "RiskTypes"},
}

// groups lists the names of the groups in f.
func groups(f entra.Fields) string {
	var out []string
	for _, g := range groupNames {
		if f.Has(g.f) {
			out = append(out, g.name)
		}
	}
	return "{" + strings.Join(out, " ") + "}"
}

// only returns the default parameters with every rule but ids disabled,
// the way a --rules file disables them.
func only(t *testing.T, ids ...string) Params {
	t.Helper()
	var file strings.Builder
	for _, m := range Rules(DefaultParams()) {
		if !slices.Contains(ids, m.ID) {
			fmt.Fprintf(&file, "%s:\n  enabled: false\n", m.ID)
		}
	}
	p, err := Load(strings.NewReader(file.String()))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFieldsFor(t *testing.T) {
	// The engine tells service principals' sign-ins apart whatever runs.
	engine := entra.FieldBase | entra.FieldKind
	anonymizer := entra.FieldRiskTypes | entra.FieldASN
	tests := []struct {
		name  string
		rules []string // the rules enabled; nil for the defaults
		opts  Options
		want  entra.Fields
	}{
		{"no rule reads what the engine reads", []string{}, Options{}, engine},
		{"break-glass without an account does not run", []string{"ENTRA-BREAK-GLASS-USE"},
			Options{}, engine},
		{"break-glass with an account from the options", []string{"ENTRA-BREAK-GLASS-USE"},
			Options{BreakGlass: []string{"bg@example.com"}},
			engine | entra.FieldCountry | entra.FieldRisk | anonymizer},
		{"an audit rule reads the country the facts take from sign-ins",
			[]string{"ENTRA-SSPR-BLOCKED"}, Options{}, engine | entra.FieldCountry},
		{"the bench's two rules",
			[]string{"ENTRA-RISKY-COUNTRIES", "ENTRA-CA-BLOCK-BURST"}, Options{},
			engine | entra.FieldCountry | entra.FieldRisk | entra.FieldNetwork},
		{"travel reads places, trusted networks and devices",
			[]string{"ENTRA-IMPOSSIBLE-TRAVEL"}, Options{}, engine | entra.FieldCountry |
				entra.FieldCoords | entra.FieldNetwork | entra.FieldDevice},
		{"the default rules read every group", nil, Options{}, entra.FieldsLean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultParams()
			if tt.rules != nil {
				p = only(t, tt.rules...)
			}
			if got := FieldsFor(p, tt.opts); got != tt.want {
				t.Errorf("FieldsFor = %s, want %s", groups(got), groups(tt.want))
			}
		})
	}
}

// fieldsInput is one hunt of TestRuleFieldsSuffice: the paths streamed
// together and what the engine is told besides.
type fieldsInput struct {
	name  string
	paths []string
	opts  Options // break-glass accounts and provider networks
	// facts overrides what the address facts say, as a rule sample does.
	facts map[string]json.RawMessage
	// fast says the stream's fast path must read the sign-ins: the general
	// decoder reads every field whatever Fields says.
	fast bool
	// resolve completes the address facts before the hunt as an
	// investigation does, with ipintel's built-in list of hosting and VPN
	// networks (no source is configured, so nothing leaves the machine).
	// The list reads the AS number sign-ins report, which hunt's facts
	// alone never use.
	resolve bool
}

// huntResult is what a hunt gives, compared whole.
type huntResult struct {
	Alerts []Alert
	Stats  Stats
}

// TestRuleFieldsSuffice hunts with each rule alone twice, once decoding
// only the groups FieldsFor names and once every group, and wants the
// same alerts and counts: a rule that reads a group it does not declare
// sees it empty and alerts otherwise. Every rule fires on the inputs (see
// fieldsInputs), so no comparison is of nothing, and each group a rule
// declares changes some alert or count when it is left out.
func TestRuleFieldsSuffice(t *testing.T) {
	fired := map[string]int{}
	for _, in := range fieldsInputs(t) {
		t.Run(in.name, func(t *testing.T) {
			all, sum := streamFields(t, in.paths, entra.FieldsLean)
			if n := sum.Counts[ingest.KindSignIn]; in.fast && (n == 0 || sum.Fast != n) {
				t.Fatalf("%d of %d sign-ins read by the fast path; want all, as only it "+
					"leaves fields out", sum.Fast, n)
			}

			// Hunt each rule on every group, and gather the rules by the
			// groups they need, so that each narrower set is decoded once.
			want := map[string]huntResult{}
			byFields := map[entra.Fields][]string{}
			for _, m := range Rules(DefaultParams()) {
				p := only(t, m.ID)
				want[m.ID] = huntRecords(t, all, p, in)
				fired[m.ID] += len(want[m.ID].Alerts)
				f := FieldsFor(p, in.opts)
				byFields[f] = append(byFields[f], m.ID)
			}

			for _, f := range slices.Sorted(maps.Keys(byFields)) {
				recs, _ := streamFields(t, in.paths, f)
				for _, id := range byFields[f] {
					got := huntRecords(t, recs, only(t, id), in)
					if diff := cmp.Diff(want[id], got); diff != "" {
						t.Errorf("%s decoding %s: hunt differs from decoding every group "+
							"(-every +declared):\n%s", id, groups(f), diff)
					}
				}
			}
		})
	}
	var counts strings.Builder
	for _, m := range Rules(DefaultParams()) {
		if fired[m.ID] == 0 {
			t.Errorf("%s fired on no input: its comparison shows nothing", m.ID)
		}
		fmt.Fprintf(&counts, "%-30s %5d\n", m.ID, fired[m.ID])
	}
	t.Logf("alerts per rule over every input:\n%s", counts.String())
}

// fieldsInputs returns the inputs of TestRuleFieldsSuffice:
//
//   - a generated one-day tenant with its attacks, large enough for the
//     distributed spray (32 users of one office nobody else attacks), its
//     break-glass account configured; and the same tenant with its address
//     facts resolved, where the AS numbers matter;
//   - the reference example, its victim named as a break-glass account so
//     that the break-glass rule runs;
//   - testdata/fields: sign-ins of service principals that only the
//     servicePrincipalId or only signInEventTypes tell from a user's,
//     which the engine skips; and sign-ins from hosting networks known by
//     their AS number alone, with resolved facts;
//   - the investigation cases and every rule's samples, written as NDJSON
//     so that the fast path reads them.
func fieldsInputs(t *testing.T) []fieldsInput {
	t.Helper()
	out := t.TempDir()
	truth, err := simulate.Run(simulate.Config{Users: 300, Days: 1, Seed: 1, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	tenant := []string{filepath.Join(out, simulate.LogsDir), filepath.Join(out, simulate.RiskDir)}
	ins := []fieldsInput{
		{name: "generated tenant", paths: tenant,
			opts: Options{BreakGlass: truth.BreakGlass}, fast: true},
		{name: "generated tenant, facts resolved", paths: tenant,
			opts: Options{BreakGlass: truth.BreakGlass}, resolve: true},
		{name: "reference example", paths: []string{example},
			opts: Options{BreakGlass: []string{"ana.reyes@example.com"}}},
		{name: "service principals", fast: true,
			paths: []string{filepath.Join("testdata", "fields", "service-principals.ndjson")}},
		{name: "hosting networks, facts resolved", fast: true, resolve: true,
			paths: []string{filepath.Join("testdata", "fields", "hosting-networks.ndjson")},
			opts:  Options{BreakGlass: []string{"breakglass@example.com"}}},
	}
	cases, _ := filepath.Glob(filepath.Join("..", "investigate", "testdata", "cases", "*"))
	for _, c := range cases {
		ins = append(ins, fieldsInput{name: "case " + filepath.Base(c), paths: []string{c}})
	}
	samples, _ := filepath.Glob(filepath.Join("testdata", "samples", "*", "*.json"))
	for _, s := range samples {
		ins = append(ins, sampleInput(t, s))
	}
	if len(cases) == 0 || len(samples) == 0 {
		t.Fatalf("%d investigation cases and %d rule samples found; want both", len(cases),
			len(samples))
	}
	return ins
}

// sampleInput writes a rule sample's records as NDJSON and returns them as
// an input with the sample's options and facts.
func sampleInput(t *testing.T, path string) fieldsInput {
	t.Helper()
	s := loadSample(t, path)
	var recs []json.RawMessage
	if err := json.Unmarshal(s.Records, &recs); err != nil {
		t.Fatalf("%s: records: %v", path, err)
	}
	var b bytes.Buffer
	for _, r := range recs {
		if err := json.Compact(&b, r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b.WriteByte('\n')
	}
	file := filepath.Join(t.TempDir(), "records.ndjson")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	opts := Options{BreakGlass: s.Options.BreakGlass}
	for _, p := range s.Options.ProviderNetworks {
		opts.ProviderNetworks = append(opts.ProviderNetworks, netip.MustParsePrefix(p))
	}
	for ip, raw := range s.Facts {
		if err := json.Unmarshal(raw, &ipintel.Facts{}); err != nil {
			t.Fatalf("%s: facts of %s: %v", path, ip, err)
		}
	}
	name := filepath.Base(filepath.Dir(path)) + " " + strings.TrimSuffix(filepath.Base(path),
		".json")
	paths := []string{file}
	for _, f := range s.Corpus {
		paths = append(paths, filepath.Join(corpusDir, f))
	}
	return fieldsInput{name: "sample " + name, paths: paths, opts: opts, facts: s.Facts}
}

// streamFields streams paths lean with the groups f, as hunt does, and
// returns the IP intelligence, then the sign-ins and audits in time order
// (the order hunt needs and checks; a stream's order within one time is
// kept).
func streamFields(t *testing.T, paths []string, f entra.Fields) ([]ingest.Record,
	*ingest.Summary) {
	t.Helper()
	var recs []ingest.Record
	sum, err := ingest.Stream(paths, ingest.Options{Lean: true, Fields: f},
		func(r ingest.Record) error {
			if r.IP != nil || r.SignIn != nil || r.Audit != nil || r.Risk != nil {
				recs = append(recs, r)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(recs, func(a, b ingest.Record) int {
		return a.Time().Compare(b.Time())
	})
	return recs, sum
}

// huntRecords gives recs to an engine running the rules of p as idtriage
// hunt's streaming path does: the engine in ordered mode, its address
// facts from a table that IP intelligence fills first and each sign-in
// adds its place to before the engine sees it.
func huntRecords(t *testing.T, recs []ingest.Record, p Params, in fieldsInput) huntResult {
	t.Helper()
	table := ipintel.New()
	opts := in.opts
	opts.Ordered = true
	opts.Facts = func(ip string) ipintel.Facts {
		f := table.Lookup(ip)
		if raw, ok := in.facts[ip]; ok {
			_ = json.Unmarshal(raw, &f) // checked by sampleInput
		}
		return f
	}
	if in.resolve {
		var addrs []string
		for _, r := range recs {
			if r.SignIn != nil {
				table.AddSignIn(r.SignIn)
				addrs = append(addrs, r.SignIn.IPRaw)
			}
		}
		res := ipintel.Open(t.Context(), ipintel.Config{})
		res.Resolve(t.Context(), table, addrs)
		if err := res.Close(); err != nil {
			t.Fatal(err)
		}
	}

	return feedInOrder(NewEngine(p, opts), table, recs)
}

// feedInOrder gives recs to en in their order, as a hunt's time-ordered
// read does: IP intelligence and each sign-in to the facts table first,
// then every record to the engine, whose alerts and counts it returns.
func feedInOrder(en *Engine, table *ipintel.Table, recs []ingest.Record) huntResult {
	for _, r := range recs {
		switch {
		case r.IP != nil:
			table.AddIPInfo(r.IP)
		case r.SignIn != nil:
			table.AddSignIn(r.SignIn)
			en.SignIn(r.SignIn)
		case r.Audit != nil:
			en.Audit(r.Audit)
		case r.Risk != nil:
			en.Risk(r.Risk)
		}
	}
	return huntResult{Alerts: en.Close(), Stats: en.Stats()}
}

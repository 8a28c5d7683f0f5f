package detect

import (
	"encoding/json"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// sample is one file under testdata/samples/<rule id>/: records that the
// rule must fire on (want lists the alerts) or must not (want is empty).
type sample struct {
	About       string `json:"about"`
	FieldReport string `json:"fieldReport"`
	Options     struct {
		BreakGlass       []string `json:"breakGlass"`
		ProviderNetworks []string `json:"providerNetworks"`
	} `json:"options"`
	// Facts overrides what IP intelligence says of an address, with the
	// field names of ipintel.Facts.
	Facts map[string]json.RawMessage `json:"facts"`
	// RecordsFrom names another sample whose records this one reuses.
	RecordsFrom string `json:"recordsFrom"`
	// Corpus names files of the shared corpus of real exports (paths under
	// corpusDir) whose records join the sample's, read in place.
	Corpus  []string        `json:"corpus"`
	Want    []wanted        `json:"want"`
	Records json.RawMessage `json:"records"`
}

// wanted is what a sample expects of one alert of its rule.
type wanted struct {
	User     string `json:"user,omitempty"`
	Subject  string `json:"subject,omitempty"`
	Severity string `json:"severity"`
}

var techniqueID = regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)

// TestRuleSamples walks every rule over its positive and negative samples,
// each fed in several orders, repeated, and as an ordered stream: the
// alerts must be the sample's and the same every time.
func TestRuleSamples(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "samples", "*"))
	known := map[string]bool{}
	for _, m := range Rules(DefaultParams()) {
		known[m.ID] = true
		t.Run(m.ID, func(t *testing.T) { walkRule(t, m) })
	}
	for _, d := range dirs {
		if !known[filepath.Base(d)] {
			t.Errorf("%s: samples for a rule that does not exist", d)
		}
	}
}

func walkRule(t *testing.T, m Meta) {
	checkMeta(t, m)
	files, _ := filepath.Glob(filepath.Join("testdata", "samples", m.ID, "*.json"))
	var pos, neg int
	var abouts strings.Builder
	for _, f := range files {
		s := loadSample(t, f)
		abouts.WriteString(s.FieldReport + " " + s.About + "\n")
		if len(s.Want) > 0 {
			pos++
		} else {
			neg++
		}
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			runSample(t, m.ID, s)
		})
	}
	if pos == 0 || neg == 0 {
		t.Errorf("%s has %d positive and %d negative samples; want at least one of each",
			m.ID, pos, neg)
	}
	for _, fr := range m.FieldReports {
		if !strings.Contains(abouts.String(), fr) {
			t.Errorf("%s names field report %s but no sample carries its input", m.ID, fr)
		}
	}
}

func checkMeta(t *testing.T, m Meta) {
	t.Helper()
	if !techniqueID.MatchString(m.Technique) || m.TechniqueName == "" || m.Tactic == "" ||
		m.Title == "" || m.Description == "" || !validSeverity(m.Severity) {
		t.Errorf("incomplete metadata: %+v", m)
	}
	if q, ok := KQL(DefaultParams(), m.ID); !ok || q == "" {
		t.Errorf("%s has no KQL", m.ID)
	}
}

func loadSample(t *testing.T, path string) sample {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s sample
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if s.RecordsFrom != "" {
		s.Records = loadSample(t, filepath.Join("testdata", "samples", s.RecordsFrom)).Records
	}
	return s
}

// corpusDir is the shared corpus of real public samples, which CI lays
// beside the clone as ../shared.
const corpusDir = "../../../shared/corpus/real"

func runSample(t *testing.T, rule string, s sample) {
	set := &ingest.Set{}
	ingest.Decode("records", s.Records, set)
	for _, p := range set.Problems {
		t.Fatalf("sample record rejected: %v", p)
	}
	for _, f := range s.Corpus {
		real, err := ingest.Read([]string{filepath.Join(corpusDir, f)}, ingest.Options{})
		if err != nil {
			t.Fatalf("corpus file %s (the shared corpus must sit beside the clone as "+
				"../shared): %v", f, err)
		}
		if len(real.Problems) > 0 || len(real.Risks)+len(real.SignIns)+len(real.Audits) == 0 {
			t.Fatalf("corpus file %s: %d records, problems %v", f,
				len(real.Risks)+len(real.SignIns)+len(real.Audits), real.Problems)
		}
		set.SignIns = append(set.SignIns, real.SignIns...)
		set.Audits = append(set.Audits, real.Audits...)
		set.Risks = append(set.Risks, real.Risks...)
	}
	opts := sampleOptions(t, s, set)

	want := append([]wanted{}, s.Want...)
	sortWanted(want)
	n := records(set)
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	orders := map[string][]int{"as read": nil, "reversed": reversed(n),
		"shuffled": rng.Perm(n), "twice": append(rng.Perm(n), rng.Perm(n)...)}
	for name, perm := range orders {
		if got := wantedOf(rule, feed(set, opts, perm)); !cmp.Equal(got, want) {
			t.Errorf("%s (%s): alerts differ (-want +got):\n%s\n%s", s.About, name,
				cmp.Diff(want, got), describe(rule, feed(set, opts, perm)))
		}
	}
	set.Finish()
	ordered := opts
	ordered.Ordered = true
	if got := wantedOf(rule, feed(set, ordered, mergedOrder(set))); !cmp.Equal(got, want) {
		t.Errorf("%s (ordered mode): alerts differ (-want +got):\n%s", s.About,
			cmp.Diff(want, got))
	}
}

// sampleOptions builds the engine options: the sample's break-glass
// accounts and provider networks, and facts from the records overlaid with
// the sample's.
func sampleOptions(t *testing.T, s sample, set *ingest.Set) Options {
	t.Helper()
	opts := Options{BreakGlass: s.Options.BreakGlass}
	// A sample's user records are the tenant's users export: the directory.
	for _, u := range set.Users {
		if opts.Directory == nil {
			opts.Directory = map[string]string{}
		}
		opts.Directory[u.ID] = u.UserPrincipalName
	}
	for _, p := range s.Options.ProviderNetworks {
		opts.ProviderNetworks = append(opts.ProviderNetworks, netip.MustParsePrefix(p))
	}
	table := ipintel.New()
	for i := range set.SignIns {
		table.AddSignIn(&set.SignIns[i])
	}
	opts.Facts = func(ip string) ipintel.Facts {
		f := table.Lookup(ip)
		if raw, ok := s.Facts[ip]; ok {
			if err := json.Unmarshal(raw, &f); err != nil {
				t.Fatalf("facts of %s: %v", ip, err)
			}
		}
		return f
	}
	return opts
}

func wantedOf(rule string, alerts []Alert) []wanted {
	out := []wanted{}
	for _, a := range alerts {
		if a.Rule == rule {
			out = append(out, wanted{User: a.User, Subject: a.Subject, Severity: a.Severity})
		}
	}
	sortWanted(out)
	return out
}

func sortWanted(ws []wanted) {
	slices.SortFunc(ws, func(a, b wanted) int {
		if c := strings.Compare(a.User, b.User); c != 0 {
			return c
		}
		if c := strings.Compare(a.Subject, b.Subject); c != 0 {
			return c
		}
		return strings.Compare(a.Severity, b.Severity)
	})
}

// describe lists a rule's alerts for a failure message.
func describe(rule string, alerts []Alert) string {
	var b strings.Builder
	for _, a := range alerts {
		if a.Rule == rule {
			b.WriteString("  " + a.Severity + " " + a.User + " " + a.Subject + ": " +
				a.Reason + "\n")
		}
	}
	return b.String()
}

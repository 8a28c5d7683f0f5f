package detect

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
)

const example = "../../examples/sspr-takeover"

// feed gives every record of set to a new engine in the order perm gives
// (nil: the set's own order) and returns the alerts.
func feed(set *ingest.Set, opts Options, perm []int) []Alert {
	en := NewEngine(DefaultParams(), opts)
	for i := range records(set) {
		j := i
		if perm != nil {
			j = perm[i]
		}
		switch ns, na := len(set.SignIns), len(set.Audits); {
		case j < ns:
			en.SignIn(&set.SignIns[j])
		case j < ns+na:
			en.Audit(&set.Audits[j-ns])
		default:
			en.Risk(&set.Risks[j-ns-na])
		}
	}
	return en.Close()
}

func readExample(t *testing.T) *ingest.Set {
	t.Helper()
	set, err := ingest.Read([]string{example}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestExampleFires(t *testing.T) {
	alerts := feed(readExample(t), Options{}, nil)
	fired := map[string]bool{}
	for _, a := range alerts {
		if a.User != "ana.reyes@example.com" {
			t.Errorf("alert for %q, want only ana.reyes@example.com: %+v", a.User, a)
		}
		fired[a.Rule] = true
	}
	for _, id := range []string{"ENTRA-CA-BLOCK-BURST"} {
		if !fired[id] {
			t.Errorf("%s did not fire on the reference case; alerts: %+v", id, alerts)
		}
	}
}

// TestOrderIndependent feeds the example shuffled, reversed and twice over,
// and wants the alerts of the time-ordered feed.
func TestOrderIndependent(t *testing.T) {
	set := readExample(t)
	want := feed(set, Options{}, nil)
	n := records(set)
	rng := rand.New(rand.NewPCG(1, 2))
	for name, perm := range map[string][]int{
		"shuffled": rng.Perm(n),
		"reversed": reversed(n),
		"twice":    append(rng.Perm(n), rng.Perm(n)...),
	} {
		if got := feed(set, Options{}, perm); !cmp.Equal(got, want) {
			t.Errorf("%s: alerts differ (-want +got):\n%s", name, cmp.Diff(want, got))
		}
	}
	if got := feed(set, Options{Ordered: true}, mergedOrder(set)); !cmp.Equal(got, want) {
		t.Errorf("ordered mode: alerts differ (-want +got):\n%s", cmp.Diff(want, got))
	}
}

func reversed(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = n - 1 - i
	}
	return p
}

// records is how many records feed gives an engine: the sign-ins, then
// the audits, then the risk detections.
func records(set *ingest.Set) int { return len(set.SignIns) + len(set.Audits) + len(set.Risks) }

// mergedOrder returns the order that interleaves sign-ins, audits and risk
// detections by time, as a time-ordered stream would deliver them; among
// equal times, in that order.
func mergedOrder(set *ingest.Set) []int {
	type at struct {
		i int
		t time.Time
	}
	var all []at
	for i := range set.SignIns {
		all = append(all, at{i, set.SignIns[i].Time})
	}
	for i := range set.Audits {
		all = append(all, at{len(set.SignIns) + i, set.Audits[i].Time})
	}
	for i := range set.Risks {
		all = append(all, at{len(set.SignIns) + len(set.Audits) + i, set.Risks[i].Time()})
	}
	slices.SortStableFunc(all, func(a, b at) int { return a.t.Compare(b.t) })
	out := make([]int, len(all))
	for k, a := range all {
		out[k] = a.i
	}
	return out
}

var _ = entra.UserKey

package detect

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
)

const example = "../../examples/sspr-takeover"

// feed gives every record of set to a new engine in the order perm gives
// (nil: the set's own order) and returns the alerts.
func feed(set *ingest.Set, opts Options, perm []int) []Alert {
	en := NewEngine(DefaultParams(), opts)
	n := len(set.SignIns) + len(set.Audits)
	for i := range n {
		j := i
		if perm != nil {
			j = perm[i]
		}
		if j < len(set.SignIns) {
			en.SignIn(&set.SignIns[j])
		} else {
			en.Audit(&set.Audits[j-len(set.SignIns)])
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
	n := len(set.SignIns) + len(set.Audits)
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

// mergedOrder returns the order that interleaves sign-ins and audits by
// time, as a time-ordered stream would deliver them.
func mergedOrder(set *ingest.Set) []int {
	var out []int
	i, j := 0, 0
	for i < len(set.SignIns) || j < len(set.Audits) {
		if j == len(set.Audits) || (i < len(set.SignIns) &&
			!set.Audits[j].Time.Before(set.SignIns[i].Time)) {
			out = append(out, i)
			i++
			continue
		}
		out = append(out, len(set.SignIns)+j)
		j++
	}
	return out
}

var _ = entra.UserKey

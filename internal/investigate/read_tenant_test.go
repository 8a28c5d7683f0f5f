package investigate

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/simulate"
)

// addrs compares parsed addresses, whose fields cmp cannot see.
var addrs = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// tenantFacts are what a Tenant learnt of the whole input, in a form cmp
// can compare: per address, the sign-ins that settle its place, network
// and trust.
type tenantFacts struct {
	SignIns, Audits int
	NonInteractive  bool
	Places          map[string][3]entra.SignIn
	Trusted, People map[string]bool
	Reached         map[string]map[string]bool
}

func factsOf(t *Tenant) tenantFacts {
	f := tenantFacts{SignIns: t.signIns, Audits: t.audits, NonInteractive: t.nonInteractive,
		Places: map[string][3]entra.SignIn{}, Trusted: t.trusted, People: t.people,
		Reached: t.reached}
	for k, p := range t.places {
		var v [3]entra.SignIn
		for i, s := range []*entra.SignIn{p.place, p.asn, p.trusted} {
			if s != nil {
				v[i] = *s
			}
		}
		f.Places[k] = v
	}
	return f
}

// TestReadUserLearnsTheTenant: ReadUser reads the other users' sign-ins
// lean (ingest.Options.Whole keeps the user's whole), and learns from them
// what a whole read of the input gives: each address's place, autonomous
// system and trusted network, given here only by another user's sign-in
// from the address the user came from without them.
func TestReadUserLearnsTheTenant(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"id":"s1","createdDateTime":"2026-03-02T08:00:00Z","userId":"u-1",` +
			`"userPrincipalName":"ana@example.com","appDisplayName":"Azure Portal",` +
			`"ipAddress":"198.51.100.7","status":{"errorCode":0},` +
			`"deviceDetail":{"deviceId":"d1","displayName":"ANA-PC","operatingSystem":"Windows"},` +
			`"authenticationDetails":[{"succeeded":true,` +
			`"authenticationStepResultDetail":"MFA successfully completed"}]}`,
		`{"id":"s2","createdDateTime":"2026-03-02T08:05:00Z","userId":"u-2",` +
			`"userPrincipalName":"bo@example.com","appDisplayName":"Azure Portal",` +
			`"ipAddress":"198.51.100.7","autonomousSystemNumber":64500,` +
			`"location":{"city":"Lyon","state":"ARA","countryOrRegion":"FR",` +
			`"geoCoordinates":{"latitude":45.75,"longitude":4.85}},` +
			`"networkLocationDetails":[{"networkType":"trustedNamedLocation",` +
			`"networkNames":["Lyon office"]}],"isInteractive":false,` +
			`"signInEventTypes":["nonInteractiveUser"],"status":{"errorCode":0}}`,
	}
	crafted := filepath.Join(dir, "signins.ndjson")
	if err := os.WriteFile(crafted, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tenant := t.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 40, Days: 2, Seed: 9,
		Out: tenant}); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name  string
		paths []string
		user  string
	}{
		{"another user's sign-in gives the address", []string{crafted}, "ana@example.com"},
		{"generated tenant", []string{filepath.Join(tenant, simulate.LogsDir)}, ""},
		{"example", []string{"../../examples/sspr-takeover", crafted}, "ana.reyes@example.com"},
	} {
		t.Run(c.name, func(t *testing.T) {
			whole, err := ingest.Read(c.paths, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if c.user == "" {
				c.user = whole.SignIns[len(whole.SignIns)/3].UserPrincipalName
			}
			held, ten, err := ReadUser(c.paths, c.user, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}

			want := factsOf(tenantOf(whole))
			if diff := cmp.Diff(want, factsOf(ten), addrs); diff != "" {
				t.Errorf("the tenant ReadUser learnt differs from a whole read's (-whole +read):\n%s",
					diff)
			}
			if len(want.Places) == 0 {
				t.Error("the input gives no address a place; the test compares too little")
			}

			key, err := selectUser(whole, c.user)
			if err != nil {
				t.Fatal(err)
			}
			ev := gather(whole, tenantOf(whole), key, DefaultConfig())
			var mine []entra.SignIn
			for _, s := range ev.signIns {
				mine = append(mine, *s)
			}
			var got []entra.SignIn
			for _, s := range held.SignIns {
				s.Pos.Index = 0
				got = append(got, s)
			}
			for i := range mine {
				mine[i].Pos.Index = 0
			}
			if diff := cmp.Diff(mine, got, addrs); diff != "" {
				t.Errorf("the user's sign-ins differ from a whole read's (-whole +read):\n%s", diff)
			}
		})
	}
}

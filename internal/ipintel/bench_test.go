package ipintel

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
)

// BenchmarkResolveWarm measures lookups per second through the whole chain
// (known networks, city and ASN databases, the IPData API through a warm
// cache, the built-in list) for a case of 256 public addresses: the cost
// of enriching an investigation once the cache holds its addresses.
func BenchmarkResolveWarm(b *testing.B) {
	srv := newFakeIPData(b)
	live := srv.liveConfig()
	live.CachePath = filepath.Join(b.TempDir(), "cache.sqlite")
	r := Open(context.Background(), Config{KnownNetworks: knownNetsFile(b),
		CityDBs: []string{testCityDB(b)}, ASNDBs: []string{testASNDB(b)}, IPData: live})
	defer r.Close()

	var addrs []string
	for i := range 128 {
		addrs = append(addrs, fmt.Sprintf("186.2.128.%d", i), fmt.Sprintf("103.106.24.%d", i))
	}
	if rep := r.Resolve(context.Background(), New(), addrs); len(rep.Failed()) > 0 {
		b.Fatalf("warming the cache failed: %+v", rep.Failed())
	}
	asked := srv.Requests.Load()

	b.ReportAllocs()
	for b.Loop() {
		r.Resolve(context.Background(), New(), addrs)
	}
	b.ReportMetric(float64(len(addrs)*b.N)/b.Elapsed().Seconds(), "lookups/s")
	if n := srv.Requests.Load() - asked; n != 0 {
		b.Fatalf("a warm cache still sent %d requests", n)
	}
}

// BenchmarkAddThenLookup measures what a hunt asks of the table for each
// sign-in: its place added, then the facts of its canonical address, over
// a tenant's worth of addresses met in no particular order.
func BenchmarkAddThenLookup(b *testing.B) {
	const n = 1 << 15
	signIns := make([]entra.SignIn, n)
	for i := range signIns {
		a := netip.AddrFrom4([4]byte{45, byte(i >> 8), byte(i), byte(i * 7)})
		signIns[i] = entra.SignIn{IPRaw: a.String(), IP: a,
			Location: entra.Location{Country: "pt", City: "Lisboa"}}
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = Key(signIns[i].IPRaw) // the engine's own copy of the text
	}
	t := New()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		j := (i * 7919) % n
		t.AddSignIn(&signIns[j])
		if t.Lookup(keys[j]).Country != "PT" {
			b.Fatal("lost the place")
		}
	}
}

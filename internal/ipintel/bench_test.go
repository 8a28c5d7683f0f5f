package ipintel

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
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

package ipintel

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// testKey is the API key the fake server accepts. Tests check that it
// never shows in an error.
const testKey = "k3y-that-must-not-leak"

// mmdbSpec describes a tiny database: its type, IP version and records by
// network.
type mmdbSpec struct {
	typ     string
	version int
	records map[string]mmdbtype.Map
}

// buildMMDB writes a database to bytes with mmdbwriter.
func buildMMDB(t testing.TB, spec mmdbSpec) []byte {
	t.Helper()
	version := spec.version
	if version == 0 {
		version = 6
	}
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: spec.typ,
		IPVersion: version, RecordSize: 24})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, rec := range spec.records {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(n, rec); err != nil {
			t.Fatalf("insert %s: %v", cidr, err)
		}
	}
	var buf bytes.Buffer
	if _, err := tree.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile writes data under the test's temporary folder.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// geoLiteCity is a record in the GeoLite2-City layout.
func geoLiteCity(country, city string, lat, lon float64) mmdbtype.Map {
	return mmdbtype.Map{
		"country": mmdbtype.Map{"iso_code": mmdbtype.String(country)},
		"city":    mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(city)}},
		"location": mmdbtype.Map{"latitude": mmdbtype.Float64(lat),
			"longitude": mmdbtype.Float64(lon)},
	}
}

// flatCity is a record in the flat layout of the ip-location-db packages.
func flatCity(country, city string, lat, lon float64) mmdbtype.Map {
	return mmdbtype.Map{
		"country_code": mmdbtype.String(country), "city": mmdbtype.String(city),
		"latitude": mmdbtype.Float32(lat), "longitude": mmdbtype.Float32(lon),
		"state1": mmdbtype.String(""), "postcode": mmdbtype.String(""),
	}
}

func asnRecord(n uint32, org string) mmdbtype.Map {
	return mmdbtype.Map{
		"autonomous_system_number":       mmdbtype.Uint32(n),
		"autonomous_system_organization": mmdbtype.String(org),
	}
}

// testCityDB is a GeoLite2-layout city database of the reference case's
// addresses (and one IPv6 network).
func testCityDB(t testing.TB) string {
	return writeFile(t, "city.mmdb", buildMMDB(t, mmdbSpec{typ: "GeoLite2-City",
		records: map[string]mmdbtype.Map{
			"186.2.128.0/24":  geoLiteCity("HN", "Tegucigalpa", 14.08, -87.21),
			"103.106.24.0/24": geoLiteCity("BD", "Dhaka", 23.81, 90.41),
			"2a02:cf40::/32":  geoLiteCity("DK", "Give", 55.87, 9.35),
		}}))
}

// testASNDB is an ASN database for the same addresses; 103.106.24.0/24 is
// put in M247's AS so the built-in list has something to say.
func testASNDB(t testing.TB) string {
	return writeFile(t, "asn.mmdb", buildMMDB(t, mmdbSpec{typ: "GeoLite2-ASN",
		records: map[string]mmdbtype.Map{
			"186.2.128.0/20":  asnRecord(27884, "Example Cable Honduras"),
			"103.106.24.0/24": asnRecord(9009, "M247 Europe SRL"),
		}}))
}

// fakeIPData is an IPData API on loopback. By default it answers every
// address with a residential answer; handle replaces that per test.
type fakeIPData struct {
	srv      *httptest.Server
	requests atomic.Int64
	mu       sync.Mutex
	asked    []string
	handle   func(w http.ResponseWriter, r *http.Request, ip string, n int64)
}

func newFakeIPData(t testing.TB) *fakeIPData {
	f := &fakeIPData{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := f.requests.Add(1)
		ip := strings.TrimPrefix(r.URL.Path, "/")
		f.mu.Lock()
		f.asked = append(f.asked, ip)
		f.mu.Unlock()
		if r.URL.Query().Get("api-key") != testKey {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"You have not provided a valid API Key."}`)
			return
		}
		if f.handle != nil {
			f.handle(w, r, ip, n)
			return
		}
		fmt.Fprint(w, ipdataBody(ip, "HN", 27884, "isp", 0))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIPData) askedFor() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.asked...)
}

// ipdataBody is an API answer in the live API's shape.
func ipdataBody(ip, country string, asn int, asType string, vpn int) string {
	return fmt.Sprintf(`{"ip":%q,"city":"Somewhere","country_name":"x","country_code":%q,`+
		`"latitude":14.07,"longitude":-87.19,"asn":{"asn":"AS%d","name":"Example AS %d",`+
		`"domain":"example.net","route":"0.0.0.0/0","type":%q},"threat":{"is_tor":false,`+
		`"is_vpn":%t,"is_proxy":false,"is_datacenter":%t,"is_anonymous":false,`+
		`"scores":{"vpn_score":%d,"proxy_score":0,"threat_score":0,"trust_score":90}},`+
		`"count":"1"}`, ip, country, asn, asn, asType, vpn >= 90, asType == "hosting", vpn)
}

// liveConfig points live lookups at the fake server with short timeouts.
func (f *fakeIPData) liveConfig() IPDataConfig {
	return IPDataConfig{Key: testKey, BaseURL: f.srv.URL, Timeout: 200 * time.Millisecond,
		Backoff: time.Millisecond, Retries: 2, MaxRetryWait: time.Second,
		Budget: 10 * time.Second, HTTPClient: f.srv.Client()}
}

// testClient is a client of the fake server that records the waits it
// would have slept instead of sleeping.
func (f *fakeIPData) testClient(waits *[]time.Duration) *ipdataClient {
	cfg := f.liveConfig().withDefaults()
	l := openLive(context.Background(), cfg, discard())
	c := l.client
	c.maxWait = 10 * time.Second
	var mu sync.Mutex
	c.wait = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		*waits = append(*waits, d)
		return ctx.Err()
	}
	return c
}

func discard() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}

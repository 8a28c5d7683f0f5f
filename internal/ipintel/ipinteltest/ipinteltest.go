// Package ipinteltest builds what tests of IP intelligence need: tiny
// MaxMind-format databases written with mmdbwriter, and a fake IPData API
// on loopback. Only tests import it.
package ipinteltest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Key is the API key the fake server accepts.
const Key = "k3y-that-must-not-leak"

// Spec describes a tiny database: its type, IP version (6 when zero) and
// records by network.
type Spec struct {
	Type      string
	IPVersion int
	Records   map[string]mmdbtype.Map
}

// MMDB writes a database to bytes.
func MMDB(t testing.TB, spec Spec) []byte {
	t.Helper()
	version := spec.IPVersion
	if version == 0 {
		version = 6
	}
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: spec.Type,
		IPVersion: version, RecordSize: 24})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, rec := range spec.Records {
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

// WriteFile writes data to a file of that name in a new temporary folder
// and returns its path.
func WriteFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// GeoLiteCity is a record in the GeoLite2-City layout.
func GeoLiteCity(country, city string, lat, lon float64) mmdbtype.Map {
	return mmdbtype.Map{
		"country": mmdbtype.Map{"iso_code": mmdbtype.String(country)},
		"city":    mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(city)}},
		"location": mmdbtype.Map{"latitude": mmdbtype.Float64(lat),
			"longitude": mmdbtype.Float64(lon)},
	}
}

// FlatCity is a record in the flat layout of the ip-location-db packages.
func FlatCity(country, city string, lat, lon float64) mmdbtype.Map {
	return mmdbtype.Map{
		"country_code": mmdbtype.String(country), "city": mmdbtype.String(city),
		"latitude": mmdbtype.Float32(lat), "longitude": mmdbtype.Float32(lon),
		"state1": mmdbtype.String(""), "postcode": mmdbtype.String(""),
	}
}

// ASN is a record in the GeoLite2-ASN layout.
func ASN(n uint32, org string) mmdbtype.Map {
	return mmdbtype.Map{
		"autonomous_system_number":       mmdbtype.Uint32(n),
		"autonomous_system_organization": mmdbtype.String(org),
	}
}

// CityDB writes city.mmdb, a GeoLite2-layout city database of the reference
// case's Honduras and Bangladesh networks and one IPv6 network.
func CityDB(t testing.TB) string {
	return WriteFile(t, "city.mmdb", MMDB(t, Spec{Type: "GeoLite2-City",
		Records: map[string]mmdbtype.Map{
			"186.2.128.0/24":  GeoLiteCity("HN", "Tegucigalpa", 14.08, -87.21),
			"103.106.24.0/24": GeoLiteCity("BD", "Dhaka", 23.81, 90.41),
			"2a02:cf40::/32":  GeoLiteCity("DK", "Give", 55.87, 9.35),
		}}))
}

// ASNDB writes asn.mmdb for the same networks; 103.106.24.0/24 is put in
// M247's AS9009, which the built-in list knows.
func ASNDB(t testing.TB) string {
	return WriteFile(t, "asn.mmdb", MMDB(t, Spec{Type: "GeoLite2-ASN",
		Records: map[string]mmdbtype.Map{
			"186.2.128.0/20":  ASN(27884, "Example Cable Honduras"),
			"103.106.24.0/24": ASN(9009, "M247 Europe SRL"),
		}}))
}

// IPData is a fake IPData API on loopback. It rejects requests without Key
// with 401, as the real API does; otherwise Handle answers, or, when it is
// nil, a residential Honduras answer.
type IPData struct {
	URL    string
	Client *http.Client
	// Requests counts every request, rejected ones too.
	Requests atomic.Int64
	// Handle answers the n-th request (from 1) about ip.
	Handle func(w http.ResponseWriter, r *http.Request, ip string, n int64)

	mu    sync.Mutex
	asked []string
}

// NewIPData starts a fake server that stops when the test ends.
func NewIPData(t testing.TB) *IPData {
	f := &IPData{}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL, f.Client = srv.URL, srv.Client()
	return f
}

func (f *IPData) serve(w http.ResponseWriter, r *http.Request) {
	n := f.Requests.Add(1)
	ip := strings.TrimPrefix(r.URL.Path, "/")
	f.mu.Lock()
	f.asked = append(f.asked, ip)
	f.mu.Unlock()
	if r.URL.Query().Get("api-key") != Key {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"You have not provided a valid API Key."}`)
		return
	}
	if f.Handle != nil {
		f.Handle(w, r, ip, n)
		return
	}
	fmt.Fprint(w, Body(ip, "HN", 27884, "isp", 0))
}

// Asked returns the addresses asked about, in the order they arrived.
func (f *IPData) Asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.asked...)
}

// Body is an answer in the live API's shape (docs.ipdata.co): asType is
// the network kind ("isp", "hosting"), vpn the VPN score.
func Body(ip, country string, asn int, asType string, vpn int) string {
	return fmt.Sprintf(`{"ip":%q,"city":"Somewhere","country_name":"x","country_code":%q,`+
		`"latitude":14.07,"longitude":-87.19,"asn":{"asn":"AS%d","name":"Example AS %d",`+
		`"domain":"example.net","route":"0.0.0.0/0","type":%q},"threat":{"is_tor":false,`+
		`"is_vpn":%t,"is_proxy":false,"is_datacenter":%t,"is_anonymous":false,`+
		`"scores":{"vpn_score":%d,"proxy_score":0,"threat_score":0,"trust_score":90}},`+
		`"count":"1"}`, ip, country, asn, asn, asType, vpn >= 90, asType == "hosting", vpn)
}

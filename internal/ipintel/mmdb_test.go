package ipintel

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"
)

func TestCityDBLayouts(t *testing.T) {
	tests := []struct {
		name   string
		typ    string
		record mmdbtype.Map
	}{
		{"GeoLite2 layout", "GeoLite2-City", geoLiteCity("HN", "Tegucigalpa", 14.08, -87.21)},
		{"DB-IP layout", "DBIP-City-Lite", geoLiteCity("HN", "Tegucigalpa", 14.08, -87.21)},
		{"ip-location-db flat layout", "city ipv4", flatCity("hn", "Tegucigalpa", 14.08,
			-87.21)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "c.mmdb", buildMMDB(t, mmdbSpec{Type: tt.typ,
				Records: map[string]mmdbtype.Map{"186.2.128.0/24": tt.record}}))
			db, err := openGeoDB(path, dbCity)
			if err != nil {
				t.Fatal(err)
			}
			defer db.close()

			p, ok, err := db.lookupCity(netip.MustParseAddr("186.2.128.77"))
			if err != nil || !ok {
				t.Fatalf("lookupCity = %v, %v", ok, err)
			}
			if p.country != "HN" || p.city != "Tegucigalpa" || p.lat < 14 || p.lon > -87 {
				t.Errorf("place = %+v", p)
			}
			_, ok, err = db.lookupCity(netip.MustParseAddr("8.8.8.8"))
			if ok || err != nil {
				t.Errorf("address outside the database: ok %v err %v", ok, err)
			}
		})
	}
}

func TestASNDB(t *testing.T) {
	db, err := openGeoDB(testASNDB(t), dbASN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.close()
	asn, org, ok, err := db.lookupASN(netip.MustParseAddr("186.2.130.1"))
	if err != nil || !ok || asn != 27884 || org != "Example Cable Honduras" {
		t.Errorf("lookupASN = %d %q %v %v", asn, org, ok, err)
	}
}

func TestIPv4OnlyDatabaseSkipsIPv6(t *testing.T) {
	path := writeFile(t, "v4.mmdb", buildMMDB(t, mmdbSpec{Type: "city ipv4", IPVersion: 4,
		Records: map[string]mmdbtype.Map{"186.2.128.0/24": flatCity("HN", "T", 1, 1)}}))
	db, err := openGeoDB(path, dbCity)
	if err != nil {
		t.Fatal(err)
	}
	defer db.close()
	if !db.covers(netip.MustParseAddr("186.2.128.1")) ||
		db.covers(netip.MustParseAddr("2a02:cf40::1")) {
		t.Error("an IPv4-only database must cover IPv4 and not IPv6")
	}
}

func TestGeoDBBadFiles(t *testing.T) {
	good := buildMMDB(t, mmdbSpec{Type: "GeoLite2-City",
		Records: map[string]mmdbtype.Map{"186.2.128.0/24": geoLiteCity("HN", "T", 1, 1)}})
	asnDB := buildMMDB(t, mmdbSpec{Type: "GeoLite2-ASN",
		Records: map[string]mmdbtype.Map{"186.2.128.0/24": asnRecord(1, "x")}})
	tests := []struct {
		name, kind string
		data       []byte
		want       string
	}{
		{"truncated", dbCity, good[:len(good)/2], "open city database"},
		{"empty", dbCity, nil, "open city database"},
		{"not a database", dbCity, []byte(strings.Repeat("not an mmdb\n", 100)),
			"open city database"},
		{"ASN database given as city", dbCity, asnDB, `it is a "GeoLite2-ASN" database`},
		{"city database given as ASN", dbASN, good, `it is a "GeoLite2-City" database`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "bad.mmdb", tt.data)
			db, err := openGeoDB(path, tt.kind)
			if err == nil {
				db.close()
				t.Fatal("opened a bad database")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error = %v, want it to name %s and say %q", err, path, tt.want)
			}
		})
	}
	if _, err := openGeoDB(writeFile(t, "x", nil)+"-missing", dbCity); err == nil {
		t.Error("opened a missing file")
	}
}

// TestGeoDBCorruptData damages the data section of a database whose
// header and metadata survive: it opens, and the lookup fails with an
// error that names the file, instead of a wrong answer.
func TestGeoDBCorruptData(t *testing.T) {
	data := buildMMDB(t, mmdbSpec{Type: "GeoLite2-City",
		Records: map[string]mmdbtype.Map{"186.2.128.0/24": geoLiteCity("HN", "T", 1, 1)}})
	meta := strings.LastIndex(string(data), "\xab\xcd\xefMaxMind.com")
	if meta < 0 {
		t.Fatal("no metadata marker")
	}
	// The data section ends where the metadata starts; its records sit just
	// before. Overwrite them with bytes that make an invalid type.
	for i := meta - 40; i < meta; i++ {
		data[i] = 0xff
	}
	path := writeFile(t, "corrupt.mmdb", data)
	db, err := openGeoDB(path, dbCity)
	if err != nil {
		t.Fatalf("the damage should leave the metadata readable: %v", err)
	}
	defer db.close()
	_, _, err = db.lookupCity(netip.MustParseAddr("186.2.128.77"))
	if err == nil || !strings.Contains(err.Error(), "corrupt.mmdb") {
		t.Errorf("lookup in a corrupt database: err = %v, want one naming the file", err)
	}
	t.Logf("error: %v", err)
}

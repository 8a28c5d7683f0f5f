package ipintel

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"path/filepath"
	"strings"

	maxminddb "github.com/oschwald/maxminddb-golang/v2"
)

// Kinds of MaxMind-format database.
const (
	dbCity = "city"
	dbASN  = "ASN"
)

// geoDB is one open MaxMind-format database, city or ASN. The reader is
// safe for concurrent lookups.
type geoDB struct {
	kind   string
	source string // the file name, as facts cite it
	r      *maxminddb.Reader
}

// openGeoDB opens a database and checks that it is of the kind asked for:
// a city (or country) database for places, an ASN database for networks.
// A database type that names neither is accepted and read as asked.
func openGeoDB(path, kind string) (*geoDB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		// The path is in the message already; keep the operating system's
		// reason without repeating it.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("open %s database %s: %w", kind, path, err)
	}
	typ := strings.ToLower(r.Metadata.DatabaseType)
	isASN := strings.Contains(typ, "asn")
	isPlace := strings.Contains(typ, "city") || strings.Contains(typ, "country")
	if (kind == dbCity && isASN && !isPlace) || (kind == dbASN && isPlace && !isASN) {
		r.Close()
		return nil, fmt.Errorf("open %s database %s: it is a %q database, not a %s database",
			kind, path, r.Metadata.DatabaseType, kind)
	}
	return &geoDB{kind: kind, source: filepath.Base(path), r: r}, nil
}

// covers reports whether the database can answer for a: an IPv4-only
// database has nothing to say of IPv6 addresses.
func (d *geoDB) covers(a netip.Addr) bool {
	return a.Is4() || d.r.Metadata.IPVersion != 4
}

// cityRecord reads both layouts seen in the wild: GeoLite2 (and DB-IP's
// own MMDB files), with nested country, city and location maps, and the
// flat layout of the ip-location-db packages (country_code, city,
// latitude, longitude). city is a map in one and a string in the other.
type cityRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	City     any `maxminddb:"city"`
	Location struct {
		Lat float64 `maxminddb:"latitude"`
		Lon float64 `maxminddb:"longitude"`
	} `maxminddb:"location"`

	CountryCode string  `maxminddb:"country_code"`
	Lat         float64 `maxminddb:"latitude"`
	Lon         float64 `maxminddb:"longitude"`
}

// place is what a city database says of an address.
type place struct {
	country, city string
	lat, lon      float64
}

// lookupCity returns the place of a; ok is false when the database holds
// no record with a country for it.
func (d *geoDB) lookupCity(a netip.Addr) (p place, ok bool, err error) {
	var rec cityRecord
	if err := d.r.Lookup(a).Decode(&rec); err != nil {
		return place{}, false, fmt.Errorf("look up %s in %s: %w", a, d.source, err)
	}
	p.country = strings.ToUpper(firstNonEmpty(rec.Country.ISOCode, rec.CountryCode))
	if p.country == "" {
		return place{}, false, nil
	}
	p.lat, p.lon = rec.Location.Lat, rec.Location.Lon
	if p.lat == 0 && p.lon == 0 {
		p.lat, p.lon = rec.Lat, rec.Lon
	}
	switch c := rec.City.(type) {
	case string:
		p.city = c
	case map[string]any:
		if names, ok := c["names"].(map[string]any); ok {
			p.city, _ = names["en"].(string)
		}
	}
	return p, true, nil
}

// asRecord is the GeoLite2-ASN layout, which DB-IP and ip-location-db
// ASN databases share.
type asRecord struct {
	Number uint   `maxminddb:"autonomous_system_number"`
	Org    string `maxminddb:"autonomous_system_organization"`
}

// lookupASN returns the autonomous system of a; ok is false when the
// database holds no number for it.
func (d *geoDB) lookupASN(a netip.Addr) (asn int, org string, ok bool, err error) {
	var rec asRecord
	if err := d.r.Lookup(a).Decode(&rec); err != nil {
		return 0, "", false, fmt.Errorf("look up %s in %s: %w", a, d.source, err)
	}
	if rec.Number == 0 {
		return 0, "", false, nil
	}
	return int(rec.Number), rec.Org, true, nil
}

func (d *geoDB) close() error {
	return d.r.Close()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

package ingest

import (
	"net/netip"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// ip parses an address into canonical form: IPv4-mapped IPv6 becomes IPv4
// ("::ffff:203.0.113.5" is 203.0.113.5) and IPv6 is written compressed in
// lower case (BR-16). It returns the text to keep: the canonical address
// when valid, else the raw text ("<Redacted VPN IP>", "123.456.7.89"),
// which is counted.
func (r *rec) ip(field, raw string) (netip.Addr, string) {
	t := strings.TrimSpace(raw)
	if t == "" {
		r.warn(field, "empty address")
		return netip.Addr{}, ""
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(t, "["), "]"))
	if err != nil {
		r.warn(field, "not an address, kept raw")
		return netip.Addr{}, raw
	}
	a = a.Unmap()
	return a, a.String()
}

// location reads a Graph location object: city, state, countryOrRegion and
// geoCoordinates. Coordinates that are missing, null, empty or 0/0 (all
// seen in real exports) leave HasCoords unset.
func (r *rec) location(o *obj) entra.Location {
	if o == nil {
		return entra.Location{}
	}
	loc := entra.Location{
		City:    strings.TrimSpace(r.str(o, "city")),
		State:   strings.TrimSpace(r.str(o, "state")),
		Country: strings.TrimSpace(r.str(o, "countryOrRegion")),
	}
	if loc.Country == "" {
		loc.Country = strings.TrimSpace(r.str(o, "country"))
	}
	geo := r.object(o, "geoCoordinates")
	lat, okLat := r.num(geo, "latitude")
	lon, okLon := r.num(geo, "longitude")
	switch {
	case !okLat || !okLon || lat == 0 && lon == 0:
	case lat < -90 || lat > 90 || lon < -180 || lon > 180:
		r.warn(geo.child("latitude"), "coordinates out of range")
	default:
		loc.Lat, loc.Lon, loc.HasCoords = lat, lon, true
	}
	return loc
}

// placeText reads a location given as text: a two-letter country ("US",
// the Log Analytics Location column), or the portal's "City, State, CC".
// Azure region codes ("neu", "WUS") are not countries and give nothing.
func placeText(s string) entra.Location {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	last := parts[len(parts)-1]
	if !isCountryCode(last) {
		return entra.Location{}
	}
	loc := entra.Location{Country: strings.ToUpper(last)}
	if len(parts) >= 2 {
		loc.City = parts[0]
	}
	if len(parts) >= 3 {
		loc.State = parts[1]
	}
	return loc
}

// isCountryCode reports whether s looks like an ISO 3166 alpha-2 code.
func isCountryCode(s string) bool {
	if len(s) != 2 {
		return false
	}
	for i := 0; i < 2; i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// countryHint returns a two-letter country code found in the "location"
// field of the body or the envelope (the Log Analytics Location column,
// the Event Hub record's location), or "".
func (r *rec) countryHint() string {
	for _, o := range r.scopes() {
		if s, ok := r.plain(o, "location"); ok && isCountryCode(s) {
			return strings.ToUpper(s)
		}
	}
	return ""
}

// Package geo owns places: great-circle distance between coordinates and
// the names of countries, so that "BD" reads "Bangladesh" in a report and a
// profile's "Honduras" compares equal to a sign-in's "HN".
package geo

import (
	"math"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// earthRadiusKm is the mean Earth radius used for great-circle distances.
const earthRadiusKm = 6371.0

// DistanceKm returns the great-circle (haversine) distance between two
// points given in degrees.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad

	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// CountryName returns the English name of an ISO 3166 alpha-2 code, or the
// code itself when it is not one.
func CountryName(code string) string {
	r, err := language.ParseRegion(strings.TrimSpace(code))
	if err != nil || len(code) != 2 {
		return code
	}
	if name := display.English.Regions().Name(r); name != "" {
		return name
	}
	return code
}

var (
	byNameOnce sync.Once
	byName     map[string]string
)

// CountryCode returns the alpha-2 code for a country given as a code or as
// its English name ("Honduras" gives "HN"), or "" when it is neither.
func CountryCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 2 {
		if _, err := language.ParseRegion(s); err == nil {
			return strings.ToUpper(s)
		}
	}

	byNameOnce.Do(buildNames)
	return byName[strings.ToLower(s)]
}

// buildNames fills the name-to-code table from every two-letter region the
// language package knows.
func buildNames() {
	byName = make(map[string]string, 300)
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() {
				continue
			}
			if name := display.English.Regions().Name(r); name != "" {
				byName[strings.ToLower(name)] = r.String()
			}
		}
	}
}

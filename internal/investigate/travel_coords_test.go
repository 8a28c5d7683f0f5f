package investigate

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestTravelWithoutCoordinates: attempts from five countries in a day with
// no coordinates (a portal CSV export gives none) leave impossible travel
// not assessed, which the finding and the coverage say, instead of a
// negative finding (a tryout's case). With coordinates, the same attempts
// are measured.
func TestTravelWithoutCoordinates(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	places := []struct {
		ip, country string
		lat, lon    float64
	}{
		{"203.0.113.10", "BD", 23.81, 90.41}, {"198.18.1.20", "MY", 3.14, 101.69},
		{"198.18.2.30", "ES", 40.42, -3.70}, {"198.18.3.40", "PH", 14.60, 120.98},
		{"198.18.4.50", "MX", 19.43, -99.13},
	}
	attempts := func(coords bool) []rec {
		var out []rec
		for i, p := range places {
			lat, lon := 0.0, 0.0
			if coords {
				lat, lon = p.lat, p.lon
			}
			out = append(out, signIn(fmt.Sprintf("a%d", i), start.Add(time.Duration(i)*
				time.Hour), victim, p.ip, p.country, lat, lon, 50126))
		}
		return out
	}

	for _, c := range []struct {
		coords bool
		kind   Kind
	}{{false, KindNotAssessed}, {true, KindConfirmed}} {
		t.Run(fmt.Sprintf("coordinates %v", c.coords), func(t *testing.T) {
			files := map[string]string{"signins.json": array(t, home(t, start),
				attempts(c.coords))}
			cs := runCase(t, setOf(t, files), victim)

			f := finding(t, cs, "impossible-travel")
			if f.Kind != c.kind {
				t.Errorf("impossible travel is %s, want %s: %s", f.Kind, c.kind, f.Statement)
			}
			gap := strings.Contains(strings.Join(cs.Coverage, "\n"),
				"impossible travel cannot be assessed")
			if gap == c.coords {
				t.Errorf("coverage says travel cannot be assessed: %v, want %v", gap, !c.coords)
			}
		})
	}
}

// TestTravelOthersWithoutCoordinates: when the user's own sign-ins in the
// window carry coordinates and the attempts attributed to someone else do
// not, travel cannot judge the attacker's moves, and the finding says it
// was not assessed rather than clearing it (a reviewer's case).
func TestTravelOthersWithoutCoordinates(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	var recs []rec
	for i, m := range []int{-40, 40} {
		recs = append(recs, signIn(fmt.Sprintf("own%d", i), start.Add(time.Duration(m)*
			time.Minute), victim, "198.51.100.10", "PT", 38.72, -9.14, 0))
	}
	for i, c := range []string{"BD", "MY", "ES", "PH", "MX"} {
		recs = append(recs, signIn(fmt.Sprintf("a%d", i), start.Add(time.Duration(i)*
			10*time.Minute), victim, fmt.Sprintf("198.18.%d.9", i), c, 0, 0, 50126))
	}
	cs := runCase(t, setOf(t, map[string]string{"signins.json": array(t, home(t, start),
		recs)}), victim)
	if f := finding(t, cs, "impossible-travel"); f.Kind != KindNotAssessed ||
		!strings.Contains(f.Statement, "attributed to someone else") {
		t.Errorf("impossible travel is %s: %s", f.Kind, f.Statement)
	}
}

package detect

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/geo"

	"github.com/idtriage/idtriage/internal/entra"
)

// TravelParams configures ENTRA-IMPOSSIBLE-TRAVEL: consecutive located
// attempts at least MinDistanceKm apart and faster than MinSpeedKmh.
// SuccessSeverity applies when the later attempt got a token from a network
// the user never signed in from before;
// SameDeviceSeverity when both attempts came from one managed device (a
// VPN or proxy moved the address, not the person).
type TravelParams struct {
	Common             `yaml:",inline"`
	MinDistanceKm      float64  `yaml:"minDistanceKm"`
	MinSpeedKmh        float64  `yaml:"minSpeedKmh"`
	SuccessSeverity    string   `yaml:"successSeverity"`
	SameDeviceSeverity string   `yaml:"sameDeviceSeverity"`
	Window             Duration `yaml:"window"`
}

// earthHalfKm is the longest great-circle distance: two attempts further
// apart in time than earthHalfKm / MinSpeedKmh can never be impossible.
const earthHalfKm = 20038.0

// impossibleTravel walks every attempt, successful or not: public rules
// look only at successes, and so miss an attacker whom Conditional Access
// blocked everywhere.
type impossibleTravel struct{ p TravelParams }

func (r *impossibleTravel) meta() Meta {
	return Meta{
		ID: "ENTRA-IMPOSSIBLE-TRAVEL", Title: "Impossible travel over every attempt",
		Technique: "T1078.004", TechniqueName: "Valid Accounts: Cloud Accounts",
		Tactic: "Initial Access", Severity: r.p.Severity,
		Description: fmt.Sprintf("Consecutive attempts of one user, successful or not, at "+
			"least %.0f km apart (great circle) and faster than %.0f km/h. Records with no "+
			"location, trusted named networks, provider networks and moves within one /24 "+
			"(IPv4) or /64 (IPv6) are skipped.", r.p.MinDistanceKm, r.p.MinSpeedKmh),
		FieldReports: []string{"BR-18", "BR-19", "BR-21", "S-01", "S-10"},
	}
}

func (r *impossibleTravel) enabled() bool           { return r.p.Enabled }
func (r *impossibleTravel) scope() scope            { return scopeUser }
func (r *impossibleTravel) mergeGap() time.Duration { return r.p.Window.D() }
func (r *impossibleTravel) lag() time.Duration {
	return time.Duration(earthHalfKm / r.p.MinSpeedKmh * float64(time.Hour))
}

// fields: the places it measures between (country, and coordinates from
// the record or the address facts), the trusted networks it skips, and
// the managed device that lowers the severity.
func (r *impossibleTravel) fields() entra.Fields {
	return fieldsPlace | entra.FieldNetwork | entra.FieldDevice
}

func (r *impossibleTravel) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("successSeverity", r.p.SuccessSeverity)
	c.severity("sameDeviceSeverity", r.p.SameDeviceSeverity)
	c.positive("minDistanceKm", r.p.MinDistanceKm)
	c.positive("minSpeedKmh", r.p.MinSpeedKmh)
	c.span("window", r.p.Window)
	return c.err
}

func (r *impossibleTravel) newState() ruleState { return &travelState{r: r} }

type travelState struct {
	r    *impossibleTravel
	prev *event
	hops int
	last time.Time
}

// wants: the user's located presence off trusted networks.
func (r *impossibleTravel) wants(_ *group, ev *event) bool {
	return ev.presence() && ev.located && !ev.trusted
}

func (s *travelState) observe(c *evalCtx, ev *event) {
	prev := s.prev
	s.prev = ev
	if prev == nil || prev.net == ev.net {
		return
	}
	km := geo.DistanceKm(prev.lat, prev.lon, ev.lat, ev.lon)
	d := ev.t.Sub(prev.t)
	kmh := km / max(d.Hours(), 1.0/3600)
	if km < s.r.p.MinDistanceKm || kmh <= s.r.p.MinSpeedKmh {
		return
	}
	if ev.t.Sub(s.last) > s.r.p.Window.D() {
		s.hops = 0
	}
	s.hops++
	s.last = ev.t

	sev := s.r.p.Severity
	switch {
	case prev.device != "" && prev.device == ev.device:
		sev = s.r.p.SameDeviceSeverity
	case ev.success() && !c.g.hist.knowsNetwork(ev.net):
		sev = s.r.p.SuccessSeverity
	}
	c.emit(hit{severity: sev, start: prev.t, end: ev.t, records: []*event{prev, ev},
		reason: fmt.Sprintf("%s; latest %s to %s: %.0f km in %s (%.0f km/h), code %d",
			plural(s.hops, "impossible hop"), where(prev), where(ev), km, span(d), kmh,
			ev.code)})
}

// advance forgets the last place once no speed from it can be impossible.
func (s *travelState) advance(_ *evalCtx, now time.Time) {
	reach := time.Duration(earthHalfKm / s.r.p.MinSpeedKmh * float64(time.Hour))
	if s.prev != nil && now.Sub(s.prev.t) > reach {
		s.prev = nil
	}
}

func (s *travelState) empty() bool { return s.prev == nil }

func (r *impossibleTravel) kql() string {
	return fmt.Sprintf(`union isfuzzy=true SigninLogs,
    (AADNonInteractiveUserSignInLogs
    | extend LocationDetails = todynamic(LocationDetails),
        NetworkLocationDetails = todynamic(NetworkLocationDetails))
| where TimeGenerated > ago(1d)
| where NetworkLocationDetails !has "trustedNamedLocation"
| extend Lat = toreal(LocationDetails.geoCoordinates.latitude),
    Lon = toreal(LocationDetails.geoCoordinates.longitude),
    Country = tostring(LocationDetails.countryOrRegion)
| where isnotnull(Lat) and isnotnull(Lon) and not(Lat == 0 and Lon == 0)
| extend Net = iff(IPAddress has ":", IPAddress, format_ipv4_mask(IPAddress, 24))
| sort by UserPrincipalName asc, TimeGenerated asc
| extend PUser = prev(UserPrincipalName), PLat = prev(Lat), PLon = prev(Lon),
    PTime = prev(TimeGenerated), PNet = prev(Net), PCountry = prev(Country)
| where UserPrincipalName == PUser and Net != PNet
| extend Km = geo_distance_2points(Lon, Lat, PLon, PLat) / 1000.0,
    Hours = max_of((TimeGenerated - PTime) / 1h, 1.0 / 3600)
| extend Kmh = Km / Hours
| where Km >= %.0f and Kmh > %.0f
| project TimeGenerated, UserPrincipalName, PCountry, Country, Km, Kmh, ResultType,
    IPAddress, OriginalRequestId`, r.p.MinDistanceKm, r.p.MinSpeedKmh)
}

func (r *impossibleTravel) sigma() []sigmaDoc {
	// Sigma cannot compute distance or speed; the export keeps the shape
	// (one user, two countries within the time a jet needs) and says so.
	reach := time.Duration(r.p.MinDistanceKm / r.p.MinSpeedKmh * float64(time.Hour))
	reach = max(reach.Round(time.Minute), time.Minute)
	return []sigmaDoc{
		base("entra_located_attempt", "Sign-in attempt with a location", signInLogs,
			sel("LocationDetails.countryOrRegion|exists", true),
			filter("trusted", sel("NetworkLocationDetails|contains", "trustedNamedLocation"))),
		correlate("", r.meta().Title, "value_count", []string{"entra_located_attempt"},
			[]string{"UserPrincipalName"}, sigmaSpan(Duration(reach)),
			gte(2, "LocationDetails.countryOrRegion")),
	}
}

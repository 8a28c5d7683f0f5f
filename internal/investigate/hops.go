package investigate

import (
	"math"

	"github.com/idtriage/idtriage/internal/entra"
)

// caseHops turns the impossible moves of the analysis into the case's
// hops, with both ends placed, so a report can draw them on a map. The
// list is empty, never nil, so JSON always holds an array.
func caseHops(ev *evidence, travel []hop) []Hop {
	out := make([]Hop, 0, len(travel))
	for _, h := range travel {
		out = append(out, Hop{From: placeOfSignIn(ev, h.from), To: placeOfSignIn(ev, h.to),
			Km: math.Round(h.km), Kmh: math.Round(h.kmh)})
	}
	return out
}

func placeOfSignIn(ev *evidence, s *entra.SignIn) Place {
	return Place{SignIn: s.ID, Time: s.Time, IP: s.IPRaw, City: s.Location.City,
		Country: ev.country(s), Lat: s.Location.Lat, Lon: s.Location.Lon}
}

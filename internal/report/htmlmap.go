package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/idtriage/idtriage/internal/geo"
	"github.com/idtriage/idtriage/internal/investigate"
)

// The map is an equirectangular projection cropped to the latitudes people
// sign in from: 360 degrees of longitude across mapWidth units.
const (
	mapWidth  = 1000.0
	mapNorth  = 84.0
	mapSouth  = -58.0
	mapHeight = mapWidth * (mapNorth - mapSouth) / 360
)

// project turns longitude and latitude into map units.
func project(lon, lat float64) (x, y float64) {
	lat = math.Max(mapSouth, math.Min(mapNorth, lat))
	return (lon + 180) / 360 * mapWidth, (mapNorth - lat) / (mapNorth - mapSouth) * mapHeight
}

// outlinePath renders polygons as SVG path data.
func outlinePath(polys [][][2]float64) string {
	var b strings.Builder
	for _, p := range polys {
		for i, pt := range p {
			x, y := project(pt[0], pt[1])
			op := "L"
			if i == 0 {
				op = "M"
			}
			fmt.Fprintf(&b, "%s%.1f %.1f", op, x, y)
		}
		b.WriteString("Z")
	}
	return b.String()
}

// The outline never changes, so it is rendered once.
var (
	landPath  = outlinePath(land)
	waterPath = outlinePath(water)
)

// mapView is everything the map SVG draws.
type mapView struct {
	W, H        float64
	Land, Water string
	Spots       []spot
	Hops        []hopLine
}

// spot is one place on the map with the addresses seen there.
type spot struct {
	X, Y  float64
	Role  string // suspicious, baseline, other: the most alarming there
	Label string
	Title string
	Href  string
}

// hopLine is one impossible-travel move drawn as an arc.
type hopLine struct {
	D     string
	Title string
	Href  string
}

var roleRank = map[string]int{"suspicious": 0, "baseline": 1, "other": 2}

// buildMap places every address with coordinates and draws the hops.
// Addresses within a tenth of a degree share a spot.
func buildMap(c *investigate.Case, ipAnchor, recAnchor map[string]string) mapView {
	v := mapView{W: mapWidth, H: mapHeight, Land: landPath, Water: waterPath}
	byKey := map[string]*spot{}
	var order []string
	for _, ip := range c.IPs {
		if ip.Lat == 0 && ip.Lon == 0 {
			continue
		}
		key := fmt.Sprintf("%.1f,%.1f", ip.Lat, ip.Lon)
		s, ok := byKey[key]
		if !ok {
			x, y := project(ip.Lon, ip.Lat)
			s = &spot{X: x, Y: y, Role: ip.Role, Label: spotLabel(ip),
				Href: "#" + ipAnchor[ip.IP]}
			byKey[key] = s
			order = append(order, key)
		} else {
			s.Title += "; "
		}
		s.Title += fmt.Sprintf("%s (%s, %s)", ip.IP, ip.Role, placeText(ip))
		if roleRank[ip.Role] < roleRank[s.Role] {
			s.Role = ip.Role
		}
	}
	for _, k := range order {
		v.Spots = append(v.Spots, *byKey[k])
	}
	// Draw baseline spots first and suspicious ones last, on top.
	sort.SliceStable(v.Spots, func(i, j int) bool {
		return roleRank[v.Spots[i].Role] > roleRank[v.Spots[j].Role]
	})

	for _, h := range c.Hops {
		v.Hops = append(v.Hops, hopLine{D: arc(h.From, h.To), Href: "#" + recAnchor[h.To.SignIn],
			Title: fmt.Sprintf("%s to %s: %.0f km in %s (%.0f km/h)", hopPlace(h.From),
				hopPlace(h.To), h.Km, humanDuration(h.To.Time.Sub(h.From.Time)), h.Kmh)})
	}
	return v
}

func spotLabel(ip investigate.IPSummary) string {
	if ip.City != "" {
		return ip.City
	}
	return geo.CountryName(ip.Country)
}

func hopPlace(p investigate.Place) string {
	if p.City != "" {
		return p.City + ", " + geo.CountryName(p.Country)
	}
	return geo.CountryName(p.Country)
}

// arc is a quadratic curve from a to b that bows to one side, so that a
// move and the move back do not draw over each other.
func arc(a, b investigate.Place) string {
	x1, y1 := project(a.Lon, a.Lat)
	x2, y2 := project(b.Lon, b.Lat)
	mx, my := (x1+x2)/2, (y1+y2)/2
	dx, dy := x2-x1, y2-y1
	// The control point sits off the midpoint, perpendicular to the chord,
	// at a fifth of its length.
	cx, cy := mx-dy*0.2, my+dx*0.2
	return fmt.Sprintf("M%.1f %.1fQ%.1f %.1f %.1f %.1f", x1, y1, cx, cy, x2, y2)
}

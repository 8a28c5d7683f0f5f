package ipintel

import (
	"fmt"

	"github.com/idtriage/idtriage/internal/geo"
)

// Place says where the address is and which source said so, as reports
// print it: "Tegucigalpa (approximate), Honduras (sign-in location)". The
// city is marked approximate because city-level places are often off by
// hundreds of kilometres. It is "" when no source placed the address.
func (f Facts) Place() string {
	if f.Country == "" {
		return ""
	}
	s := geo.CountryName(f.Country)
	if f.City != "" {
		s = f.City + " (approximate), " + s
	}
	return s + " (" + f.PlaceSource + ")"
}

// Network names the address's network and which source said so:
// "AS27884 Example Cable Honduras, isp (IPData)". It is "" when no source
// knew the network.
func (f Facts) Network() string {
	if f.ASN == 0 && f.ASName == "" {
		return ""
	}
	s := fmt.Sprintf("AS%d", f.ASN)
	if f.ASName != "" {
		s += " " + f.ASName
	}
	if f.NetworkType != "" {
		s += ", " + f.NetworkType
	}
	return s + " (" + f.NetworkSource + ")"
}

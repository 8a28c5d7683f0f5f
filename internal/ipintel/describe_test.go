package ipintel

import "testing"

func TestPlaceAndNetwork(t *testing.T) {
	f := Facts{Country: "HN", City: "Tegucigalpa", PlaceSource: SourceSignIn, ASN: 27884,
		ASName: "Example Cable", NetworkType: "isp", NetworkSource: SourceIPData}
	if got := f.Place(); got != "Tegucigalpa (approximate), Honduras (sign-in location)" {
		t.Errorf("Place = %q", got)
	}
	if got := f.Network(); got != "AS27884 Example Cable, isp (IPData)" {
		t.Errorf("Network = %q", got)
	}
	if (Facts{}).Place() != "" || (Facts{}).Network() != "" {
		t.Error("an address no source knew must describe as empty")
	}
}

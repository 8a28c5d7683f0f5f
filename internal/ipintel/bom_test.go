package ipintel

import (
	"net/netip"
	"strings"
	"testing"
)

// TestAuxFilesByteOrderMark checks that the provider-networks list and the
// known-networks table read a file saved with a UTF-8 byte-order mark:
// the mark once stuck to the first CIDR, or hid the header so that the
// whole table was refused.
func TestAuxFilesByteOrderMark(t *testing.T) {
	const bom = "\ufeff"
	p, err := ParsePrefixes(strings.NewReader(bom+"20.190.128.0/18\r\n40.126.0.0/18\r\n"),
		"p.txt")
	if err != nil || len(p) != 2 || p[0] != netip.MustParsePrefix("20.190.128.0/18") {
		t.Errorf("ParsePrefixes = %v, %v; want both networks", p, err)
	}
	for _, in := range []string{"cidr,name,trusted\r\n186.2.128.0/24,Home,true\r\n",
		"186.2.128.0/24,Home,true\n"} {
		n, err := ParseKnownNetworks(strings.NewReader(bom+in), "nets.csv")
		if err != nil || len(n) != 1 || n[0].Name != "Home" {
			t.Errorf("ParseKnownNetworks(%q) = %v, %v; want the Home network", bom+in, n, err)
		}
	}
	// A mark anywhere but first is the file's text, and an error.
	if _, err := ParsePrefixes(strings.NewReader("10.0.0.0/8\n"+bom+"10.1.0.0/16\n"),
		"p.txt"); err == nil {
		t.Error("a byte-order mark inside the file was passed over")
	}
}

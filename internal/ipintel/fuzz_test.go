package ipintel

import (
	"net/netip"
	"strings"
	"testing"
)

// FuzzDecodeIPData feeds arbitrary bytes to the API-answer decoder: it
// must return an answer for the address asked or an error, never panic.
func FuzzDecodeIPData(f *testing.F) {
	for _, seed := range []string{
		ipdataBody("186.2.128.77", "HN", 27884, "isp", 0),
		`{"ip":"186.2.128.77","latitude":"14.1","threat":{"is_vpn":"true"}}`,
		`{"ip":"186.2.128.77","asn":null,"threat":{"scores":{"vpn_score":null}}}`,
		`{"ip":"8.8.8.8"}`, `{`, `[]`, `null`, "",
	} {
		f.Add([]byte(seed))
	}
	asked := netip.MustParseAddr("186.2.128.77")
	f.Fuzz(func(t *testing.T, body []byte) {
		info, err := decodeIPData(body, asked)
		if err == nil && info.IP != "186.2.128.77" {
			t.Errorf("answer for %q accepted for %s", info.IP, asked)
		}
	})
}

// FuzzParseKnownNetworks feeds arbitrary text to the known-networks
// parser: every network it returns is valid and named.
func FuzzParseKnownNetworks(f *testing.F) {
	for _, seed := range []string{
		"cidr,name,trusted\n10.0.0.0/8,LAN,true\n",
		"# c\n2001:db8::/32, \"VPN, Frankfurt\", no\n",
		"10.0.0.0/33,x,true\n", "\"unterminated,x,true\n", ",,\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		// With bad rows, the good ones come back too: check them as well.
		nets, _ := ParseKnownNetworks(strings.NewReader(text), "f.csv")
		for _, n := range nets {
			if !n.Prefix.IsValid() || n.Name == "" {
				t.Errorf("bad network accepted: %+v", n)
			}
		}
	})
}

package detect

import (
	"net/netip"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
)

// TestAddressTexts: the engine's address and network texts are the same
// whether they come from the cache or not, and once the cache has started
// again.
func TestAddressTexts(t *testing.T) {
	tests := []struct {
		raw, ip, net string
	}{
		{"198.51.100.7", "198.51.100.7", "198.51.100.0/24"},
		{"::ffff:198.51.100.7", "198.51.100.7", "198.51.100.0/24"},
		{"2001:DB8::1", "2001:db8::1", "2001:db8::/64"},
		{"fe80::1%eth0", "fe80::1", "fe80::/64"},
		{" 203.0.113.9 ", "203.0.113.9", ""}, // not parsed: no network
	}
	en := NewEngine(DefaultParams(), Options{})
	for _, when := range []string{"first", "cached", "after the cache started again"} {
		if when == "after the cache started again" {
			for i := range maxAddrs {
				en.addrs.of(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
			}
		}
		for _, tt := range tests {
			s := &entra.SignIn{IPRaw: tt.raw}
			s.IP, _ = netip.ParseAddr(tt.raw)
			if ip, net, _ := en.address(s); ip != tt.ip || net != tt.net {
				t.Errorf("%s, %q: address = %q, %q; want %q, %q", when, tt.raw, ip, net,
					tt.ip, tt.net)
			}
		}
	}
	if n := len(en.addrs); n > maxAddrs {
		t.Errorf("cache holds %d addresses, want at most %d", n, maxAddrs)
	}
}

package ipintel

import "net/netip"

// reservedPrefixes are ranges that no IP-intelligence source can place:
// shared address space (CGNAT), documentation and benchmarking ranges
// (RFC 6598, 5737, 2544, 3849). Private, loopback, link-local, multicast and
// unspecified addresses are recognised by net/netip itself.
var reservedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("64:ff9b::/96"),
}

func isReserved(a netip.Addr) bool {
	a = a.Unmap()
	if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() ||
		a.IsMulticast() || a.IsUnspecified() || a.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range reservedPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Network returns the /24 (IPv4) or /64 (IPv6) that holds an address, the
// unit idtriage treats as "one place" (BR-16, BR-21), or "" when raw is not
// an address.
func Network(raw string) string {
	a, err := netip.ParseAddr(Key(raw))
	if err != nil {
		return ""
	}
	bits := 64
	if a.Is4() {
		bits = 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}

package detect

import (
	"net/netip"

	"github.com/idtriage/idtriage/internal/ipintel"
)

// maxAddrs bounds the cache of address texts.
const maxAddrs = 1 << 14

// addrText is the canonical text of an address and of the /24 or /64
// holding it, and the record of its facts once there is one (see
// Engine.address).
type addrText struct {
	ip, net string
	facts   *ipintel.Facts
}

// addrTexts remembers the texts of the addresses met lately: writing an
// address and its network out cost two allocations and about a tenth of
// the engine's instructions on every sign-in, and a tenant's sign-ins come
// from a few thousand addresses a day.
type addrTexts map[netip.Addr]addrText

// of returns the texts of a, which has no zone and is not IPv4-mapped.
func (m addrTexts) of(a netip.Addr) addrText {
	if t, ok := m[a]; ok {
		return t
	}
	bits := 64
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	t := addrText{ip: a.String(), net: p.String()}
	if len(m) >= maxAddrs {
		clear(m) // starting again keeps the addresses in use without tracking age
	}
	m[a] = t
	return t
}

package ipintel

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strings"
)

// KnownNetwork is one row of the tenant's known-networks file: an office,
// a corporate VPN egress, a partner's range.
type KnownNetwork struct {
	Prefix  netip.Prefix
	Name    string
	Trusted bool
}

// ParseKnownNetworks reads a known-networks file: CSV rows of
// cidr,name,trusted, an optional header line of those words, and comments
// after '#' at the start of a line. cidr may be a single address; trusted
// is true, false, yes, no, 1 or 0. A bad row is left out and the others
// are read: the networks of the good rows come back with a *BadRowsError
// that names each bad one by name (the file) and line. Any other error
// means the file could not be read, and no networks come back.
func ParseKnownNetworks(r io.Reader, name string) ([]KnownNetwork, error) {
	bad := map[int]error{}
	rows, err := scanTable(r, name, []string{"cidr", "name", "trusted"},
		func(line int, e error) { bad[line] = e })
	if err != nil {
		return nil, err
	}
	out := make([]KnownNetwork, 0, len(rows))
	for _, row := range rows {
		n, err := knownNetwork(row.fields)
		if err != nil {
			bad[row.line] = fmt.Errorf("%s:%d: %w", name, row.line, err)
			continue
		}
		out = append(out, n)
	}
	if len(bad) > 0 {
		// In the order of the file, whichever check refused the row.
		e := &BadRowsError{}
		for _, line := range slices.Sorted(maps.Keys(bad)) {
			e.Rows = append(e.Rows, bad[line])
		}
		return out, e
	}
	return out, nil
}

func knownNetwork(f []string) (KnownNetwork, error) {
	p, err := parsePrefix(f[0])
	if err != nil {
		return KnownNetwork{}, err
	}
	if f[1] == "" {
		return KnownNetwork{}, fmt.Errorf("network %s has no name", p)
	}
	trusted, ok := map[string]bool{"true": true, "yes": true, "1": true,
		"false": false, "no": false, "0": false}[strings.ToLower(f[2])]
	if !ok {
		return KnownNetwork{}, fmt.Errorf("trusted is %q, want true or false", f[2])
	}
	return KnownNetwork{Prefix: p, Name: f[1], Trusted: trusted}, nil
}

// parsePrefix reads a CIDR or a single address as a masked prefix.
func parsePrefix(text string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(text); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(text)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is neither a CIDR nor an address", text)
	}
	a = a.WithZone("").Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// knownNets answers from the known networks, the most specific first.
type knownNets struct {
	source string
	nets   []KnownNetwork
}

func newKnownNets(source string, nets []KnownNetwork) *knownNets {
	sorted := slices.Clone(nets)
	slices.SortStableFunc(sorted, func(a, b KnownNetwork) int {
		return cmp.Compare(b.Prefix.Bits(), a.Prefix.Bits())
	})
	return &knownNets{source: source, nets: sorted}
}

// fill names the address's network when the file holds it. The file is the
// tenant's own word, so it wins over a sign-in's named location.
func (k *knownNets) fill(a netip.Addr, f *Facts) bool {
	for _, n := range k.nets {
		if n.Prefix.Contains(a) {
			f.Tenant, f.TenantTrusted, f.TenantSource = n.Name, n.Trusted, k.source
			return true
		}
	}
	return false
}

package ipintel

import (
	_ "embed"
	"fmt"
	"net/netip"
	"strings"
	"sync"
)

//go:embed data/reserved.csv
var reservedCSV string

// Range is one reserved address range: what it is and where it is defined.
type Range struct {
	Prefix netip.Prefix
	Name   string
	Source string
}

// String renders the range as reports print it:
// "100.64.0.0/10 shared address space (CGNAT), RFC 6598".
func (r Range) String() string {
	return fmt.Sprintf("%s %s, %s", r.Prefix, r.Name, r.Source)
}

// reserved is the built-in table of reserved ranges, parsed once. The data
// ships in the binary and a test reads it, so a parse error is a bug.
var reserved = sync.OnceValue(func() []Range {
	rs, err := parseRanges(reservedCSV)
	if err != nil {
		panic(err)
	}
	return rs
})

func parseRanges(text string) ([]Range, error) {
	rows, err := readTable(strings.NewReader(text), "data/reserved.csv",
		[]string{"cidr", "name", "source"})
	if err != nil {
		return nil, err
	}
	out := make([]Range, 0, len(rows))
	for _, r := range rows {
		p, err := netip.ParsePrefix(r.fields[0])
		if err != nil {
			return nil, fmt.Errorf("data/reserved.csv:%d: %w", r.line, err)
		}
		out = append(out, Range{Prefix: p.Masked(), Name: r.fields[1], Source: r.fields[2]})
	}
	return out, nil
}

// reservedRange returns the reserved range that holds a, if any.
func reservedRange(a netip.Addr) (Range, bool) {
	a = a.WithZone("").Unmap()
	for _, r := range reserved() {
		if r.Prefix.Contains(a) {
			return r, true
		}
	}
	return Range{}, false
}

func isReserved(a netip.Addr) bool {
	_, ok := reservedRange(a)
	return ok
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

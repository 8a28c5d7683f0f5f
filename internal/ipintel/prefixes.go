package ipintel

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"strings"
)

// ParsePrefixes reads a list of networks, one CIDR or single address per
// line; blank lines and text after '#' are ignored. name is used in errors,
// which give the line of the first bad entry.
func ParsePrefixes(r io.Reader, name string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		p, err := netip.ParsePrefix(text)
		if err != nil {
			a, aerr := netip.ParseAddr(text)
			if aerr != nil {
				return nil, fmt.Errorf("%s:%d: %q is neither a CIDR nor an address", name,
					line, text)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return out, nil
}

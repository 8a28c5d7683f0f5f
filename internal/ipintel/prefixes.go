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
	sc := bufio.NewScanner(skipBOM(r))
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		p, err := parsePrefix(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return out, nil
}

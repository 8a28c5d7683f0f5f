package ipintel

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/networks.csv
var networksCSV string

// Kinds of network in the built-in list.
const (
	KindHosting = "hosting" // cloud, VPS and dedicated servers
	KindVPN     = "vpn"     // mostly commercial VPN exits
)

// asEntry is one autonomous system of the built-in list.
type asEntry struct {
	ASN    int
	Kind   string
	Name   string
	Source string
}

// builtin is the built-in list by AS number, parsed once. The data ships
// in the binary and a test reads it, so a parse error is a bug.
var builtin = sync.OnceValue(func() map[int]asEntry {
	m, err := parseNetworks(networksCSV)
	if err != nil {
		panic(err)
	}
	return m
})

func parseNetworks(text string) (map[int]asEntry, error) {
	const name = "data/networks.csv"
	rows, err := readTable(strings.NewReader(text), name,
		[]string{"asn", "kind", "name", "source"})
	if err != nil {
		return nil, err
	}
	out := make(map[int]asEntry, len(rows))
	for _, r := range rows {
		e := asEntry{Kind: r.fields[1], Name: r.fields[2], Source: r.fields[3]}
		if e.ASN, err = strconv.Atoi(r.fields[0]); err != nil || e.ASN <= 0 {
			return nil, fmt.Errorf("%s:%d: %q is not an AS number", name, r.line, r.fields[0])
		}
		if e.Kind != KindHosting && e.Kind != KindVPN {
			return nil, fmt.Errorf("%s:%d: kind %q is not hosting or vpn", name, r.line, e.Kind)
		}
		if e.Name == "" || e.Source == "" {
			return nil, fmt.Errorf("%s:%d: AS%d needs a name and a source", name, r.line, e.ASN)
		}
		if _, dup := out[e.ASN]; dup {
			return nil, fmt.Errorf("%s:%d: AS%d is listed twice", name, r.line, e.ASN)
		}
		out[e.ASN] = e
	}
	return out, nil
}

// applyBuiltin marks the address by its network's entry in the built-in
// list. An IPData answer knows better, so the list is read only without
// one; it also names the network when no other source did.
func (f *Facts) applyBuiltin() bool {
	if f.ScoreSource != "" || f.ASN == 0 {
		return false
	}
	e, ok := builtin()[f.ASN]
	if !ok {
		return false
	}
	f.IsHosting = true
	f.LikelyVPN = e.Kind == KindVPN
	f.HostingSource = SourceBuiltin
	if f.ASName == "" {
		f.ASName = e.Name
		f.NetworkSource += " + " + SourceBuiltin
	}
	return true
}

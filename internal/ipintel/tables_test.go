package ipintel

import (
	"net/netip"
	"strings"
	"testing"
)

func TestReservedRanges(t *testing.T) {
	tests := []struct {
		name, ip, want string // want is the range's name, "" for a public address
	}{
		{"private 10/8", "10.1.2.3", "private network"},
		{"private 172.16/12", "172.31.255.1", "private network"},
		{"CGNAT", "100.64.1.1", "shared address space (CGNAT)"},
		{"documentation v4", "192.0.2.7", "documentation (TEST-NET-1)"},
		{"benchmarking", "198.19.0.1", "benchmarking"},
		{"loopback", "127.0.0.1", "loopback"},
		{"this network", "0.1.2.3", "this network"},
		{"broadcast", "255.255.255.255", "reserved for future use and limited broadcast"},
		{"multicast v4", "239.1.1.1", "multicast"},
		{"link-local v6", "fe80::1", "link-local"},
		{"zoned link-local v6", "fe80::1%eth0", "link-local"},
		{"unique local v6", "fd12:3456::1", "unique local (private network)"},
		{"documentation v6", "2001:db8::1", "documentation"},
		{"new documentation v6", "3fff:1::1", "documentation"},
		{"v4-mapped private", "::ffff:192.168.1.1", "private network"},
		{"public v4", "186.2.128.77", ""},
		{"public v6", "2a02:cf40::1", ""},
		{"just outside CGNAT", "100.128.0.1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := reservedRange(netip.MustParseAddr(tt.ip))
			if got := map[bool]string{true: r.Name}[ok]; got != tt.want {
				t.Errorf("reservedRange(%s) = %q, want %q", tt.ip, got, tt.want)
			}
			f := New().Lookup(tt.ip)
			if f.Reserved != (tt.want != "") {
				t.Errorf("Lookup(%s).Reserved = %v", tt.ip, f.Reserved)
			}
			if f.Reserved && !strings.Contains(f.ReservedRange, "RFC") {
				t.Errorf("ReservedRange %q names no RFC", f.ReservedRange)
			}
		})
	}
}

func TestBuiltinData(t *testing.T) {
	list := builtin()
	for _, asn := range []int{9009, 60068, 43350, 60781, 16276, 24940, 14061, 20473, 63949,
		16509, 8075, 396982} {
		e, ok := list[asn]
		if !ok {
			t.Errorf("AS%d is missing from the built-in list", asn)
			continue
		}
		if !strings.HasPrefix(e.Source, "operator: ") &&
			!strings.HasPrefix(e.Source, "assessment: ") {
			t.Errorf("AS%d source %q says neither operator nor assessment", asn, e.Source)
		}
	}
	if list[9009].Kind != KindVPN || list[24940].Kind != KindHosting {
		t.Errorf("kinds: M247 %s, Hetzner %s", list[9009].Kind, list[24940].Kind)
	}
}

func TestParseNetworksRejects(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"not a number", "asn,kind,name,source\nAS1,hosting,x,operator: y\n",
			`networks.csv:2: "AS1" is not an AS number`},
		{"unknown kind", "1,cloud,x,operator: y\n", `kind "cloud"`},
		{"no source", "1,hosting,x,\n", "needs a name and a source"},
		{"twice", "1,hosting,x,operator: y\n1,vpn,x,operator: y\n", "listed twice"},
		{"short row", "1,hosting,x\n", "3 fields, want 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseNetworks(tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseNetworks error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestApplyBuiltin(t *testing.T) {
	tests := []struct {
		name             string
		in               Facts
		hosting, vpn, ok bool
		asName, netSrc   string
	}{
		{"vpn network from a database", Facts{ASN: 9009, ASName: "M247 Europe SRL",
			NetworkSource: "asn.mmdb"}, true, true, true, "M247 Europe SRL", "asn.mmdb"},
		{"hosting named by the list", Facts{ASN: 24940, NetworkSource: SourceSignIn},
			true, false, true, "Hetzner Online GmbH", "sign-in location + built-in list"},
		{"IPData knows better", Facts{ASN: 9009, ScoreSource: SourceIPData}, false, false,
			false, "", ""},
		{"unknown network", Facts{ASN: 27884}, false, false, false, "", ""},
		{"no network", Facts{}, false, false, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.in
			if ok := f.applyBuiltin(); ok != tt.ok {
				t.Fatalf("applyBuiltin = %v, want %v", ok, tt.ok)
			}
			if f.IsHosting != tt.hosting || f.LikelyVPN != tt.vpn {
				t.Errorf("hosting %v vpn %v, want %v %v", f.IsHosting, f.LikelyVPN,
					tt.hosting, tt.vpn)
			}
			if tt.ok && (f.HostingSource != SourceBuiltin || f.ASName != tt.asName ||
				f.NetworkSource != tt.netSrc) {
				t.Errorf("sources: %+v", f)
			}
			if f.Anonymizer() {
				t.Error("the built-in list alone must not make an anonymizer")
			}
		})
	}
}

func TestParseKnownNetworks(t *testing.T) {
	in := "# tenant networks\ncidr,name,trusted\n" +
		"198.51.100.0/24, HQ Tegucigalpa, true\n" +
		"2001:db8:10::/48,Corporate VPN,yes\n" +
		"203.0.113.9,Partner jump host,false\n"
	got, err := ParseKnownNetworks(strings.NewReader(in), "nets.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []KnownNetwork{
		{netip.MustParsePrefix("198.51.100.0/24"), "HQ Tegucigalpa", true},
		{netip.MustParsePrefix("2001:db8:10::/48"), "Corporate VPN", true},
		{netip.MustParsePrefix("203.0.113.9/32"), "Partner jump host", false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d networks, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParseKnownNetworksErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"bad cidr", "10.0.0.0/33,x,true\n", `nets.csv:1: "10.0.0.0/33" is neither`},
		{"bad trusted", "10.0.0.0/8,x,maybe\n", `nets.csv:1: trusted is "maybe"`},
		{"no name", "# c\n10.0.0.0/8,,true\n", "nets.csv:2: network 10.0.0.0/8 has no name"},
		{"two fields", "10.0.0.0/8,x\n", "nets.csv:1: 2 fields, want 3"},
		{"broken quote", "10.0.0.0/8,\"x,true\n", "read nets.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseKnownNetworks(strings.NewReader(tt.text), "nets.csv")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestKnownNetworksMostSpecificWins(t *testing.T) {
	k := newKnownNets("nets.csv", []KnownNetwork{
		{netip.MustParsePrefix("10.0.0.0/8"), "Campus", false},
		{netip.MustParsePrefix("10.1.0.0/16"), "VPN egress", true},
	})
	var f Facts
	if !k.fill(netip.MustParseAddr("10.1.2.3"), &f) || f.Tenant != "VPN egress" ||
		!f.TenantTrusted || f.TenantSource != "nets.csv" {
		t.Errorf("10.1.2.3: %+v", f)
	}
	f = Facts{}
	if !k.fill(netip.MustParseAddr("10.9.9.9"), &f) || f.Tenant != "Campus" || f.TenantTrusted {
		t.Errorf("10.9.9.9: %+v", f)
	}
	if k.fill(netip.MustParseAddr("11.0.0.1"), &f) {
		t.Error("11.0.0.1 matched")
	}
}

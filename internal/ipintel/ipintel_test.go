package ipintel

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
)

func TestKeyAndNetwork(t *testing.T) {
	tests := []struct{ in, key, network string }{
		{"2001:DB8:10:0:0:0:0:25", "2001:db8:10::25", "2001:db8:10::/64"},
		{"::ffff:203.0.113.5", "203.0.113.5", "203.0.113.0/24"},
		{" 186.2.128.77 ", "186.2.128.77", "186.2.128.0/24"},
		{"123.456.7.89", "123.456.7.89", ""},
		{"<Redacted VPN IP>", "<Redacted VPN IP>", ""},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.key {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.key)
		}
		if got := Network(tt.in); got != tt.network {
			t.Errorf("Network(%q) = %q, want %q", tt.in, got, tt.network)
		}
	}
}

func TestReserved(t *testing.T) {
	for ip, want := range map[string]bool{
		"10.0.0.1": true, "100.64.1.1": true, "192.0.2.7": true, "2001:db8::1": true,
		"fe80::1": true, "127.0.0.1": true, "186.2.128.77": false, "2a02:cf40::1": false,
	} {
		if got := New().Lookup(ip).Reserved; got != want {
			t.Errorf("Lookup(%s).Reserved = %v, want %v", ip, got, want)
		}
	}
}

func TestSourcesAndPrecedence(t *testing.T) {
	tab := New()
	tab.AddSignIn(&entra.SignIn{IPRaw: "103.106.24.57", ASN: 64500,
		Location: entra.Location{Country: "bd", City: "Dhaka"}})
	tab.AddIPInfo(&entra.IPInfo{IP: "103.106.24.57", CountryCode: "IN", ASN: 64500,
		ASName: "Example VPS", ASType: "hosting", VPNScore: 99, IsDatacenter: true})

	f := tab.Lookup("103.106.24.57")
	if f.Country != "BD" || f.PlaceSource != SourceSignIn {
		t.Errorf("place = %s from %s, want BD from the sign-in", f.Country, f.PlaceSource)
	}
	if f.NetworkSource != SourceIPData || f.ScoreSource != SourceIPData || !f.Anonymizer() {
		t.Errorf("network and scores should come from IPData: %+v", f)
	}
	if f.Residential() || !f.IsHosting {
		t.Errorf("hosting VPN read as residential: %+v", f)
	}
	if !tab.HasIntel("103.106.24.57") || tab.HasIntel("186.2.128.77") {
		t.Error("HasIntel wrong")
	}
}

func TestParsePrefixes(t *testing.T) {
	in := "# provider ranges\n192.0.2.0/24\n\n2001:db8::1 # one host\n"
	got, err := ParsePrefixes(strings.NewReader(in), "p.txt")
	want := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("2001:db8::1/128")}
	if err != nil || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ParsePrefixes = %v, %v", got, err)
	}
	_, err = ParsePrefixes(strings.NewReader("192.0.2.0/24\nnot-a-net\n"), "p.txt")
	if err == nil || !strings.Contains(err.Error(), "p.txt:2") {
		t.Errorf("bad line error = %v, want it to name p.txt:2", err)
	}
}

// TestLookupSpellings: an address is found however it is written (mapped,
// padded, in capitals), and every spelling gives the same facts.
func TestLookupSpellings(t *testing.T) {
	tab := New()
	tab.AddSignIn(&entra.SignIn{IPRaw: "2001:db8::a", Location: entra.Location{Country: "NL"}})
	tab.AddSignIn(&entra.SignIn{IPRaw: "::ffff:198.51.100.7",
		Location: entra.Location{Country: "FR"}})
	tab.AddSignIn(&entra.SignIn{IPRaw: "<Redacted VPN IP>", Location: entra.Location{Country: "DE"}})
	for _, tc := range []struct{ raw, ip, country string }{
		{"2001:db8::a", "2001:db8::a", "NL"},
		{"2001:DB8:0:0::A", "2001:db8::a", "NL"},
		{" 2001:db8::a ", "2001:db8::a", "NL"},
		{"198.51.100.7", "198.51.100.7", "FR"},
		{"::ffff:198.51.100.7", "198.51.100.7", "FR"},
		{"<Redacted VPN IP>", "<Redacted VPN IP>", "DE"},
		{"203.0.113.9", "203.0.113.9", ""},
	} {
		f := tab.Lookup(tc.raw)
		if f.IP != tc.ip || f.Country != tc.country {
			t.Errorf("Lookup(%q) = %s in %q, want %s in %q", tc.raw, f.IP, f.Country, tc.ip,
				tc.country)
		}
	}
}

// TestAddSignInSpellings: sign-ins that write one address differently add
// to one entry, found under its canonical text, whichever spelling came
// first.
func TestAddSignInSpellings(t *testing.T) {
	tests := []struct {
		name  string
		raws  []string
		key   string
		other string // a different address, which must stay apart
	}{
		{"IPv4 canonical first", []string{"198.51.100.7", " 198.51.100.7", "::ffff:198.51.100.7"},
			"198.51.100.7", "198.51.100.8"},
		{"IPv4 mapped first", []string{"::ffff:198.51.100.7", "198.51.100.7"},
			"198.51.100.7", "198.51.100.70"},
		{"IPv6 in capitals first", []string{"2001:DB8::A", "2001:db8::a", " 2001:db8:0::a "},
			"2001:db8::a", "2001:db8::b"},
		{"not an address", []string{" <Redacted VPN IP>", "<Redacted VPN IP>"},
			"<Redacted VPN IP>", "<Redacted>"},
	}
	for _, tt := range tests {
		tab := New()
		tab.AddSignIn(&entra.SignIn{IPRaw: tt.other, ASN: 1})
		for i, raw := range tt.raws {
			tab.AddSignIn(&entra.SignIn{IPRaw: raw, ASN: 100 + i})
		}
		if len(tab.facts) != 2 {
			t.Errorf("%s: %d entries, want 2", tt.name, len(tab.facts))
		}
		if f := tab.facts[tt.key]; f == nil || f.IP != tt.key || f.ASN != 100 {
			t.Errorf("%s: entry %q = %+v, want the first sign-in's ASN 100", tt.name, tt.key, f)
		}
		if f := tab.Lookup(tt.other); f.ASN != 1 {
			t.Errorf("%s: %q has ASN %d, want 1", tt.name, tt.other, f.ASN)
		}
	}
}

// TestLookupAfterAdd: the facts of the address added last, which Lookup
// finds without the map, are the same as the map's, and stay current;
// other addresses, and other spellings of it, are found as before.
func TestLookupAfterAdd(t *testing.T) {
	tb := New()
	tb.AddSignIn(&entra.SignIn{IPRaw: "203.0.113.5", Location: entra.Location{Country: "pt"}})
	tb.AddSignIn(&entra.SignIn{IPRaw: "2001:DB8::1", Location: entra.Location{Country: "es"}})
	if got := tb.Lookup("2001:db8::1").Country; got != "ES" {
		t.Errorf("address added last: country %q, want ES", got)
	}
	if got := tb.Lookup("2001:DB8::1").Country; got != "ES" {
		t.Errorf("another spelling of it: country %q, want ES", got)
	}
	if got := tb.Lookup("203.0.113.5").Country; got != "PT" {
		t.Errorf("address added before: country %q, want PT", got)
	}
	tb.AddIPInfo(&entra.IPInfo{IP: "2001:db8::1", VPNScore: 95})
	if got := tb.Lookup("2001:db8::1"); got.VPNScore != 95 || got.Country != "ES" {
		t.Errorf("after an IP-intelligence answer: %+v", got)
	}
	if got := tb.Lookup("198.51.100.1"); got.IP != "198.51.100.1" || got.Country != "" {
		t.Errorf("address never added: %+v", got)
	}
}

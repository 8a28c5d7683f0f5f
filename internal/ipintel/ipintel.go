package ipintel

import (
	"net/netip"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// Source names, as reports print them. Databases and files are named by
// their file name ("GeoLite2-City.mmdb", "networks.csv").
const (
	SourceSignIn    = "sign-in location"
	SourceIPData    = "IPData"
	SourceIPDataAPI = "IPData API"
	SourceReserved  = "reserved range"
	SourceBuiltin   = "built-in list"
)

// AnonymizerScore is the VPN or proxy score at or above which an address
// counts as an anonymizer.
const AnonymizerScore = 90

// Facts is everything known of one address. Each group of fields names the
// source that gave it; an empty source means no source knew.
type Facts struct {
	IP string `json:"ip"`

	Country     string  `json:"country,omitempty"`
	City        string  `json:"city,omitempty"`
	Lat         float64 `json:"lat,omitempty"`
	Lon         float64 `json:"lon,omitempty"`
	HasCoords   bool    `json:"-"`
	PlaceSource string  `json:"placeSource,omitempty"`

	ASN           int    `json:"asn,omitempty"`
	ASName        string `json:"asName,omitempty"`
	NetworkType   string `json:"networkType,omitempty"`
	NetworkSource string `json:"networkSource,omitempty"`

	VPNScore    int    `json:"vpnScore,omitempty"`
	ProxyScore  int    `json:"proxyScore,omitempty"`
	IsTor       bool   `json:"isTor,omitempty"`
	IsVPN       bool   `json:"isVpn,omitempty"`
	IsProxy     bool   `json:"isProxy,omitempty"`
	IsHosting   bool   `json:"isHosting,omitempty"`
	ScoreSource string `json:"scoreSource,omitempty"`

	// LikelyVPN marks a network that mostly carries commercial VPN exits.
	// It is weaker than a score and does not make Anonymizer true.
	// HostingSource names where IsHosting and LikelyVPN came from when no
	// IP-intelligence answer gave them (the built-in list); otherwise they
	// come from ScoreSource.
	LikelyVPN     bool   `json:"likelyVpn,omitempty"`
	HostingSource string `json:"hostingSource,omitempty"`

	// Tenant is the tenant's own name for the network (a trusted named
	// location, a row of the known-networks file), TenantTrusted whether
	// the tenant trusts it.
	Tenant        string `json:"tenantNetwork,omitempty"`
	TenantTrusted bool   `json:"tenantTrusted,omitempty"`
	TenantSource  string `json:"tenantSource,omitempty"`

	// Reserved is set for private, loopback, link-local, CGNAT and
	// documentation addresses, which no outside service can place;
	// ReservedRange says which range.
	Reserved      bool   `json:"reserved,omitempty"`
	ReservedRange string `json:"reservedRange,omitempty"`
}

// Anonymizer reports whether the address hides its user: Tor, a VPN or
// proxy flag, or a VPN or proxy score at or above AnonymizerScore.
func (f Facts) Anonymizer() bool {
	return f.IsTor || f.IsVPN || f.IsProxy ||
		f.VPNScore >= AnonymizerScore || f.ProxyScore >= AnonymizerScore
}

// Residential reports whether the network is an ISP's and nothing marks it
// as an anonymizer or hosting provider.
func (f Facts) Residential() bool {
	return strings.EqualFold(f.NetworkType, "isp") && !f.Anonymizer() && !f.IsHosting
}

// Table holds the facts of every address seen. It is not safe for
// concurrent use. The zero value is not usable; call New.
type Table struct {
	facts map[string]*Facts
	// last is the entry added to or looked up last. A hunt adds each
	// sign-in's place just before the engine asks for the same address's
	// facts, which it then finds without a second probe of facts.
	last *Facts
}

// New returns an empty table.
func New() *Table {
	return &Table{facts: make(map[string]*Facts)}
}

// Key returns the canonical text of an address (IPv4-mapped IPv6 unmapped,
// IPv6 compressed and lower case), or the trimmed input when it is not one.
func Key(raw string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(raw))
	if err != nil {
		return strings.TrimSpace(raw)
	}
	return a.WithZone("").Unmap().String()
}

// fresh returns the facts of an address no source has described yet: its
// canonical text and, where it applies, the reserved range.
func fresh(k string) Facts {
	f := Facts{IP: k}
	if a, err := netip.ParseAddr(k); err == nil {
		if r, ok := reservedRange(a); ok {
			f.Reserved, f.ReservedRange = true, r.String()
		}
	}
	return f
}

// entry returns the facts of raw's address, adding them when absent. The
// keys are canonical, so raw found as it is is its own key: a sign-in's
// address almost always is, and parsing and printing it again cost an
// allocation for every sign-in a hunt reads.
func (t *Table) entry(raw string) *Facts {
	f, ok := t.facts[raw]
	if !ok {
		k := Key(raw)
		if f, ok = t.facts[k]; !ok {
			nf := fresh(k)
			f = &nf
			t.facts[k] = f
		}
	}
	t.last = f
	return f
}

// AddSignIn records what a sign-in says of its address: place, ASN and,
// for a trusted named location, the tenant's name for the network.
func (t *Table) AddSignIn(s *entra.SignIn) {
	if s.IPRaw == "" {
		return
	}
	f := t.entry(s.IPRaw)
	if f.PlaceSource != SourceSignIn && s.Location.Country != "" {
		f.Country = strings.ToUpper(s.Location.Country)
		f.City = s.Location.City
		f.Lat, f.Lon, f.HasCoords = s.Location.Lat, s.Location.Lon, s.Location.HasCoords
		f.PlaceSource = SourceSignIn
	}
	if f.ASN == 0 && s.ASN > 0 {
		f.ASN = s.ASN
		f.NetworkSource = SourceSignIn
	}
	if s.TrustedNetwork && f.TenantSource == "" {
		f.Tenant = strings.Join(s.NetworkNames, ", ")
		f.TenantTrusted = true
		f.TenantSource = SourceSignIn
	}
}

// AddIPInfo records an IP-intelligence response. It fills the place only
// when no sign-in placed the address, and owns network and scores.
func (t *Table) AddIPInfo(in *entra.IPInfo) {
	if in.IP == "" {
		return
	}
	src := in.Provider
	if src == "" {
		src = SourceIPData
	}
	t.entry(in.IP).addIPInfo(in, src)
}

func (f *Facts) addIPInfo(in *entra.IPInfo, src string) {
	if f.PlaceSource == "" && in.CountryCode != "" {
		f.Country = strings.ToUpper(in.CountryCode)
		f.City = in.City
		f.Lat, f.Lon = in.Lat, in.Lon
		f.HasCoords = in.Lat != 0 || in.Lon != 0
		f.PlaceSource = src
	}
	if in.ASN > 0 || in.ASName != "" {
		f.ASN, f.ASName, f.NetworkType = in.ASN, in.ASName, in.ASType
		f.NetworkSource = src
	}

	f.VPNScore, f.ProxyScore = in.VPNScore, in.ProxyScore
	f.IsTor, f.IsVPN, f.IsProxy = in.IsTor, in.IsVPN, in.IsProxy
	f.IsHosting = in.IsDatacenter || strings.EqualFold(in.ASType, "hosting")
	if in.IsAnonymous && !f.IsVPN && !f.IsTor && !f.IsProxy {
		f.IsVPN = true
	}
	f.LikelyVPN, f.HostingSource = false, ""
	f.ScoreSource = src
}

// Lookup returns the facts of an address; an address never added has only
// its canonical text and, where it applies, the reserved range.
//
// The table's keys are canonical (Key of a key is the key), so raw is
// tried as it is first: a hunt asks for canonical addresses, once or more
// for every sign-in, and parsing and printing each again was a tenth of
// the rule engine's work.
func (t *Table) Lookup(raw string) Facts {
	if f := t.Entry(raw); f != nil {
		return *f
	}
	return fresh(Key(raw))
}

// Entry returns the table's own record of an address, the one Lookup
// copies, or nil when no source has described the address. The table
// updates a record in place as it learns and never replaces or drops it,
// so a caller may keep the pointer and read, whenever it does, what
// Lookup would answer then; it must not write through it.
func (t *Table) Entry(raw string) *Facts {
	// An entry's IP is its key: the canonical text (see last).
	if f := t.last; f != nil && f.IP == raw {
		return f
	}
	if f, ok := t.facts[raw]; ok {
		return f
	}
	return t.facts[Key(raw)]
}

// HasIntel reports whether an IP-intelligence answer (an IPData file or the
// IPData API, not only the logs or a database) described the address.
func (t *Table) HasIntel(raw string) bool {
	f, ok := t.facts[Key(raw)]
	return ok && f.ScoreSource != ""
}

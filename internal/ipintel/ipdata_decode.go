package ipintel

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/jsonx"
)

// ipdataAnswer is the part of an IPData API response idtriage reads. The
// field names are the API's (docs.ipdata.co, "Response Fields"). Numbers
// and flags are read leniently: some answers carry them as strings.
type ipdataAnswer struct {
	IP          string  `json:"ip"`
	City        string  `json:"city"`
	Region      string  `json:"region"`
	CountryCode string  `json:"country_code"`
	CountryName string  `json:"country_name"`
	Latitude    flexNum `json:"latitude"`
	Longitude   flexNum `json:"longitude"`
	ASN         *struct {
		ASN    string `json:"asn"`
		Name   string `json:"name"`
		Domain string `json:"domain"`
		Type   string `json:"type"`
	} `json:"asn"`
	Threat *struct {
		IsTor         flexBool `json:"is_tor"`
		IsVPN         flexBool `json:"is_vpn"`
		IsProxy       flexBool `json:"is_proxy"`
		IsDatacenter  flexBool `json:"is_datacenter"`
		IsAnonymous   flexBool `json:"is_anonymous"`
		IsKnownAbuser flexBool `json:"is_known_abuser"`
		IsThreat      flexBool `json:"is_threat"`
		Scores        struct {
			VPN    flexNum `json:"vpn_score"`
			Proxy  flexNum `json:"proxy_score"`
			Threat flexNum `json:"threat_score"`
			Trust  flexNum `json:"trust_score"`
		} `json:"scores"`
	} `json:"threat"`
}

// decodeIPData reads one API answer for the address asked. An answer that
// is not JSON, has no address, or describes another address is an error.
func decodeIPData(body []byte, asked netip.Addr) (entra.IPInfo, error) {
	var a ipdataAnswer
	if err := jsonx.Unmarshal(body, &a); err != nil {
		return entra.IPInfo{}, fmt.Errorf("malformed JSON (%d bytes): %w", len(body),
			shortErr(err))
	}
	got, err := netip.ParseAddr(strings.TrimSpace(a.IP))
	if err != nil {
		return entra.IPInfo{}, fmt.Errorf("answer has no address (ip is %q)", clip(a.IP, 60))
	}
	if got.Unmap() != asked.Unmap() {
		return entra.IPInfo{}, fmt.Errorf("answer is for %s, not %s", got, asked)
	}

	info := entra.IPInfo{
		IP: Key(asked.String()), City: a.City, Region: a.Region,
		CountryCode: a.CountryCode, CountryName: a.CountryName,
		Lat: float64(a.Latitude), Lon: float64(a.Longitude), Provider: SourceIPDataAPI,
	}
	if n := a.ASN; n != nil {
		info.ASN, info.ASName, info.ASDomain, info.ASType = asNumber(n.ASN), n.Name, n.Domain,
			n.Type
	}
	if t := a.Threat; t != nil {
		info.IsTor, info.IsVPN, info.IsProxy = bool(t.IsTor), bool(t.IsVPN), bool(t.IsProxy)
		info.IsDatacenter, info.IsAnonymous = bool(t.IsDatacenter), bool(t.IsAnonymous)
		info.IsKnownAbuser, info.IsThreat = bool(t.IsKnownAbuser), bool(t.IsThreat)
		info.VPNScore, info.ProxyScore = int(t.Scores.VPN), int(t.Scores.Proxy)
		info.ThreatScore, info.TrustScore = int(t.Scores.Threat), int(t.Scores.Trust)
	}
	return info, nil
}

// asNumber reads "AS9009" or "9009"; anything else gives 0.
func asNumber(s string) int {
	s = strings.TrimSpace(s)
	if len(s) > 2 && strings.EqualFold(s[:2], "AS") {
		s = s[2:]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// flexNum reads a JSON number, a number in a string, or null (0).
type flexNum float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *flexNum) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	if s == "null" || s == "" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%s is not a number", clip(string(b), 30))
	}
	*n = flexNum(v)
	return nil
}

// flexBool reads true, false, "true", "false" or null (false).
type flexBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(string(bytes.Trim(b, `"`))) {
	case "true", "1":
		*f = true
	case "false", "0", "null", "":
		*f = false
	default:
		return fmt.Errorf("%s is not a flag", clip(string(b), 30))
	}
	return nil
}

// shortErr keeps decoder errors to one short line: some quote the input.
func shortErr(err error) error {
	return errors.New(clip(strings.Join(strings.Fields(err.Error()), " "), 160))
}

// clip shortens s to at most n bytes, marking the cut, without splitting a
// character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

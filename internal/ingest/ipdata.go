package ingest

import (
	"strconv"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// ipInfo normalises an IPData API response: the address, its place, its
// network (asn) and its threat flags and scores. is_vpn is missing from
// some responses and reads as false.
func (r *rec) ipInfo() entra.IPInfo {
	b := r.body
	info := entra.IPInfo{
		City:        r.str(b, "city"),
		Region:      r.str(b, "region"),
		CountryCode: r.str(b, "country_code"),
		CountryName: r.str(b, "country_name"),
		Provider:    "IPData",
		Pos:         r.pos(),
	}
	_, info.IP = r.ip("ip", r.str(b, "ip"))
	info.Lat, _ = r.num(b, "latitude")
	info.Lon, _ = r.num(b, "longitude")

	if asn := r.object(b, "asn"); asn != nil {
		info.ASN = asNumber(r.str(asn, "asn"))
		info.ASName = r.str(asn, "name")
		info.ASDomain = r.str(asn, "domain")
		info.ASType = r.str(asn, "type")
	}
	if t := r.object(b, "threat"); t != nil {
		info.IsTor, _ = r.flag(t, "is_tor")
		info.IsVPN, _ = r.flag(t, "is_vpn")
		info.IsProxy, _ = r.flag(t, "is_proxy")
		info.IsDatacenter, _ = r.flag(t, "is_datacenter")
		info.IsAnonymous, _ = r.flag(t, "is_anonymous")
		info.IsKnownAbuser, _ = r.flag(t, "is_known_abuser")
		info.IsThreat, _ = r.flag(t, "is_threat")
		scores := r.object(t, "scores")
		info.VPNScore, _ = r.integer(scores, "vpn_score")
		info.ProxyScore, _ = r.integer(scores, "proxy_score")
		info.ThreatScore, _ = r.integer(scores, "threat_score")
		info.TrustScore, _ = r.integer(scores, "trust_score")
	}
	return info
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

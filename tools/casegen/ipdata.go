package main

import (
	"strconv"
	"strings"
	"time"
)

// The IPData API response, field for field (checked against a public
// client library's response types): location, the autonomous system, the
// time zone, and the threat block with its 0-100 scores. count is the
// number of lookups the key made in the last 24 hours, sent as a string.

type ipdataASN struct {
	ASN    string `json:"asn"`
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Route  string `json:"route"`
	Type   string `json:"type"`
}

type ipdataBlocklist struct {
	Name string `json:"name"`
	Site string `json:"site"`
	Type string `json:"type"`
}

type ipdataScores struct {
	VPN    int `json:"vpn_score"`
	Proxy  int `json:"proxy_score"`
	Threat int `json:"threat_score"`
	Trust  int `json:"trust_score"`
}

type ipdataThreat struct {
	IsTor           bool              `json:"is_tor"`
	IsVPN           bool              `json:"is_vpn"`
	IsICloudRelay   bool              `json:"is_icloud_relay"`
	IsProxy         bool              `json:"is_proxy"`
	IsDatacenter    bool              `json:"is_datacenter"`
	IsAnonymous     bool              `json:"is_anonymous"`
	IsKnownAttacker bool              `json:"is_known_attacker"`
	IsKnownAbuser   bool              `json:"is_known_abuser"`
	IsThreat        bool              `json:"is_threat"`
	IsBogon         bool              `json:"is_bogon"`
	Blocklists      []ipdataBlocklist `json:"blocklists"`
	Scores          ipdataScores      `json:"scores"`
}

type ipdataTimeZone struct {
	Name        string `json:"name"`
	Abbr        string `json:"abbr"`
	Offset      string `json:"offset"`
	IsDST       bool   `json:"is_dst"`
	CurrentTime string `json:"current_time"`
}

type ipdataResponse struct {
	IP            string         `json:"ip"`
	IsEU          bool           `json:"is_eu"`
	City          string         `json:"city"`
	Region        string         `json:"region"`
	RegionCode    string         `json:"region_code"`
	RegionType    string         `json:"region_type"`
	CountryName   string         `json:"country_name"`
	CountryCode   string         `json:"country_code"`
	ContinentName string         `json:"continent_name"`
	ContinentCode string         `json:"continent_code"`
	Latitude      float64        `json:"latitude"`
	Longitude     float64        `json:"longitude"`
	Postal        string         `json:"postal"`
	CallingCode   string         `json:"calling_code"`
	Flag          string         `json:"flag"`
	EmojiFlag     string         `json:"emoji_flag"`
	EmojiUnicode  string         `json:"emoji_unicode"`
	ASN           ipdataASN      `json:"asn"`
	TimeZone      ipdataTimeZone `json:"time_zone"`
	Threat        ipdataThreat   `json:"threat"`
	Count         string         `json:"count"`
}

// country holds the per-country facts an IPData answer repeats.
type country struct {
	name, continent, continentCode, calling string
	eu                                      bool
	tz, tzAbbr                              string
	offset                                  time.Duration // in November 2026
}

var countries = map[string]country{
	"HN": {"Honduras", "North America", "NA", "504", false, "America/Tegucigalpa", "CST", -6 * time.Hour},
	"BD": {"Bangladesh", "Asia", "AS", "880", false, "Asia/Dhaka", "+06", 6 * time.Hour},
	"MY": {"Malaysia", "Asia", "AS", "60", false, "Asia/Kuala_Lumpur", "+08", 8 * time.Hour},
	"ES": {"Spain", "Europe", "EU", "34", true, "Europe/Madrid", "CET", 1 * time.Hour},
	"PH": {"Philippines", "Asia", "AS", "63", false, "Asia/Manila", "PST", 8 * time.Hour},
	"MX": {"Mexico", "North America", "NA", "52", false, "America/Mexico_City", "CST", -6 * time.Hour},
}

// ipFacts is what casegen decides about one address.
type ipFacts struct {
	net                               network
	region, regionCode, regionType    string
	postal                            string
	lat, lon                          float64 // the service's own guess, not Entra's
	asName, asDomain, asRoute, asType string
	threat                            ipdataThreat
}

func scores(vpn, proxy, threat, trust int) ipdataThreat {
	return ipdataThreat{Blocklists: []ipdataBlocklist{}, Scores: ipdataScores{vpn, proxy, threat, trust}}
}

// refIPData answers one lookup per address of the reference case, in the
// order the addresses first appear. The Bangladesh address is a VPN exit on
// a hosting network; the Honduras ones are her residential ISP.
func refIPData() []ipdataResponse {
	hn := scores(0, 0, 0, 99)
	bd := scores(99, 60, 30, 12)
	bd.IsVPN, bd.IsDatacenter, bd.IsAnonymous = true, true, true
	es := scores(40, 10, 15, 55)
	es.IsDatacenter = true

	facts := []ipFacts{
		{netHome14, "Francisco Morazan", "FM", "department", "11101", 14.0723, -87.1921,
			"Example Cable Honduras", "cable-hn.example.net", "186.2.128.0/20", "isp", hn},
		{netHome77, "Francisco Morazan", "FM", "department", "11101", 14.0723, -87.1921,
			"Example Cable Honduras", "cable-hn.example.net", "186.2.128.0/20", "isp", hn},
		{netBD, "Dhaka Division", "C", "division", "1000", 23.7104, 90.4074,
			"Example VPS Hosting", "vps-hosting.example.net", "103.106.24.0/22", "hosting", bd},
		{netMY, "Kuala Lumpur", "14", "federal territory", "50000", 3.1412, 101.6865,
			"Example Broadband Malaysia", "broadband-my.example.net", "175.139.192.0/18", "isp", scores(5, 0, 10, 70)},
		{netES, "Madrid", "MD", "autonomous community", "28001", 40.4165, -3.7026,
			"Example Datacenter Iberia", "dc-iberia.example.net", "88.26.240.0/21", "hosting", es},
		{netPH, "Metro Manila", "00", "region", "1000", 14.6042, 120.9822,
			"Example Telecom Philippines", "telecom-ph.example.net", "112.198.64.0/19", "isp", scores(0, 0, 20, 65)},
		{netPH2, "Metro Manila", "00", "region", "1000", 14.6042, 120.9822,
			"Example Telecom Philippines", "telecom-ph.example.net", "112.198.64.0/19", "isp", scores(0, 5, 20, 60)},
		{netMX, "Mexico City", "CMX", "state", "06000", 19.4285, -99.1277,
			"Example Fiber Mexico", "fiber-mx.example.net", "187.189.32.0/20", "isp", scores(0, 0, 0, 85)},
	}

	// The lookups ran the morning after, two seconds apart.
	asked := at("2026-11-18 15:00:00")
	out := make([]ipdataResponse, len(facts))
	for i, f := range facts {
		out[i] = ipdataAnswer(f, asked.Add(time.Duration(2*i)*time.Second), i+1)
	}
	return out
}

func ipdataAnswer(f ipFacts, asked time.Time, count int) ipdataResponse {
	cc := f.net.place.country
	c := countries[cc]
	zone := time.FixedZone(c.tzAbbr, int(c.offset.Seconds()))
	return ipdataResponse{
		IP: f.net.ip, IsEU: c.eu, City: f.net.place.city,
		Region: f.region, RegionCode: f.regionCode, RegionType: f.regionType,
		CountryName: c.name, CountryCode: cc, ContinentName: c.continent, ContinentCode: c.continentCode,
		Latitude: f.lat, Longitude: f.lon, Postal: f.postal, CallingCode: c.calling,
		Flag:      "https://ipdata.co/flags/" + strings.ToLower(cc) + ".png",
		EmojiFlag: emojiFlag(cc), EmojiUnicode: emojiUnicode(cc),
		ASN: ipdataASN{ASN: "AS" + strconv.Itoa(f.net.asn), Name: f.asName, Domain: f.asDomain,
			Route: f.asRoute, Type: f.asType},
		TimeZone: ipdataTimeZone{Name: c.tz, Abbr: c.tzAbbr, Offset: asked.In(zone).Format("-0700"),
			CurrentTime: asked.In(zone).Format("2006-01-02T15:04:05-07:00")},
		Threat: f.threat,
		Count:  strconv.Itoa(count),
	}
}

// emojiFlag spells a country code with regional indicator symbols.
func emojiFlag(cc string) string {
	var b strings.Builder
	for _, r := range cc {
		b.WriteRune(0x1F1E6 + (r - 'A'))
	}
	return b.String()
}

func emojiUnicode(cc string) string {
	var parts []string
	for _, r := range cc {
		parts = append(parts, "U+"+strings.ToUpper(strconv.FormatInt(int64(0x1F1E6+(r-'A')), 16)))
	}
	return strings.Join(parts, " ")
}

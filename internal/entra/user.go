package entra

import "time"

// User is a Graph user object: the directory profile an investigation reads
// for job scope (title, department) and home (country, office).
type User struct {
	ID                string    `json:"id"`
	UserPrincipalName string    `json:"userPrincipalName"`
	DisplayName       string    `json:"displayName,omitempty"`
	Mail              string    `json:"mail,omitempty"`
	JobTitle          string    `json:"jobTitle,omitempty"`
	Department        string    `json:"department,omitempty"`
	CompanyName       string    `json:"companyName,omitempty"`
	OfficeLocation    string    `json:"officeLocation,omitempty"`
	City              string    `json:"city,omitempty"`
	Country           string    `json:"country,omitempty"`
	UsageLocation     string    `json:"usageLocation,omitempty"`
	AccountEnabled    *bool     `json:"accountEnabled,omitempty"`
	Created           time.Time `json:"createdDateTime,omitzero"`
	// Manager is the manager's principal name or display name, when the
	// export expanded it.
	Manager string `json:"manager,omitempty"`
	Pos     Pos    `json:"pos"`
}

// IPInfo is what an IP-intelligence service (the IPData API response shape)
// says about one address.
type IPInfo struct {
	IP          string  `json:"ip"`
	City        string  `json:"city,omitempty"`
	Region      string  `json:"region,omitempty"`
	CountryCode string  `json:"countryCode,omitempty"`
	CountryName string  `json:"countryName,omitempty"`
	Lat         float64 `json:"lat,omitempty"`
	Lon         float64 `json:"lon,omitempty"`

	ASN      int    `json:"asn,omitempty"`
	ASName   string `json:"asName,omitempty"`
	ASDomain string `json:"asDomain,omitempty"`
	// ASType is the network's kind as the service labels it: "isp",
	// "hosting", "business", "education".
	ASType string `json:"asType,omitempty"`

	IsTor         bool `json:"isTor,omitempty"`
	IsVPN         bool `json:"isVpn,omitempty"`
	IsProxy       bool `json:"isProxy,omitempty"`
	IsDatacenter  bool `json:"isDatacenter,omitempty"`
	IsAnonymous   bool `json:"isAnonymous,omitempty"`
	IsKnownAbuser bool `json:"isKnownAbuser,omitempty"`
	IsThreat      bool `json:"isThreat,omitempty"`

	VPNScore    int `json:"vpnScore"`
	ProxyScore  int `json:"proxyScore"`
	ThreatScore int `json:"threatScore"`
	TrustScore  int `json:"trustScore"`

	// Provider names the service that answered ("IPData").
	Provider string `json:"provider"`
	Pos      Pos    `json:"pos"`
}

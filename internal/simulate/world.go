package simulate

import "time"

// place is where Entra locates an address.
type place struct {
	city, state, country string
	lat, lon             float64
}

// office is a company site: its place, its time zone (a fixed offset; the
// generator ignores daylight saving), how many users work there (weight)
// and the first two bytes of the address blocks of its country's
// residential ISP and mobile carrier.
type office struct {
	place
	tz      time.Duration
	weight  int
	isp     [2]byte
	carrier [2]byte
	ispASN  int
	mobASN  int
}

// offices of the simulated company. The first is headquarters, where the
// corporate VPN and the service accounts' data centre are.
var offices = []office{
	{place{"Seattle", "Washington", "US", 47.6062, -122.3321}, -8 * time.Hour, 18,
		[2]byte{73, 97}, [2]byte{172, 58}, 7922, 21928},
	{place{"New York", "New York", "US", 40.7128, -74.0060}, -5 * time.Hour, 12,
		[2]byte{24, 44}, [2]byte{174, 204}, 7922, 6167},
	{place{"London", "England", "GB", 51.5072, -0.1276}, 0, 12,
		[2]byte{86, 128}, [2]byte{82, 132}, 5089, 25135},
	{place{"Berlin", "Berlin", "DE", 52.5200, 13.4050}, time.Hour, 8,
		[2]byte{91, 64}, [2]byte{176, 2}, 3320, 3209},
	{place{"Madrid", "Madrid", "ES", 40.4168, -3.7038}, time.Hour, 6,
		[2]byte{88, 24}, [2]byte{37, 10}, 3352, 12430},
	{place{"Bengaluru", "Karnataka", "IN", 12.9716, 77.5946}, 5*time.Hour + 30*time.Minute,
		12, [2]byte{122, 171}, [2]byte{106, 200}, 24560, 55836},
	{place{"Singapore", "Singapore", "SG", 1.3521, 103.8198}, 8 * time.Hour, 6,
		[2]byte{116, 86}, [2]byte{118, 200}, 9506, 4773},
	{place{"Sydney", "New South Wales", "AU", -33.8688, 151.2093}, 10 * time.Hour, 5,
		[2]byte{101, 160}, [2]byte{110, 144}, 1221, 133612},
	{place{"São Paulo", "São Paulo", "BR", -23.5505, -46.6333}, -3 * time.Hour, 6,
		[2]byte{177, 32}, [2]byte{179, 96}, 28573, 26599},
	{place{"Mexico City", "Ciudad de México", "MX", 19.4326, -99.1332}, -6 * time.Hour, 5,
		[2]byte{187, 189}, [2]byte{189, 203}, 8151, 28403},
	{place{"Tegucigalpa", "Francisco Morazán", "HN", 14.0723, -87.1921}, -6 * time.Hour, 4,
		[2]byte{186, 2}, [2]byte{190, 53}, 27884, 14754},
	{place{"Tokyo", "Tokyo", "JP", 35.6762, 139.6503}, 9 * time.Hour, 4,
		[2]byte{126, 66}, [2]byte{126, 212}, 17676, 2516},
}

// dataCentre is where service accounts and the corporate VPN egress.
var dataCentre = place{"Quincy", "Washington", "US", 47.2343, -119.8526}

// foreign are places attackers come from, with a hosting network's first
// two bytes; none is an office country.
var foreign = []struct {
	place
	net [2]byte
	asn int
}{
	{place{"Dhaka", "Dhaka Division", "BD", 23.8103, 90.4125}, [2]byte{103, 4}, 58717},
	{place{"Kuala Lumpur", "Kuala Lumpur", "MY", 3.1390, 101.6869}, [2]byte{175, 139}, 4788},
	{place{"Manila", "Metro Manila", "PH", 14.5995, 120.9842}, [2]byte{112, 198}, 9299},
	{place{"Lagos", "Lagos", "NG", 6.5244, 3.3792}, [2]byte{105, 112}, 36873},
	{place{"Hanoi", "Hanoi", "VN", 21.0278, 105.8342}, [2]byte{113, 160}, 7552},
	{place{"Bucharest", "Bucuresti", "RO", 44.4268, 26.1025}, [2]byte{5, 2}, 8708},
	{place{"Amsterdam", "North Holland", "NL", 52.3676, 4.9041}, [2]byte{185, 107}, 60781},
	{place{"Jakarta", "Jakarta", "ID", -6.2088, 106.8456}, [2]byte{36, 71}, 7713},
	{place{"Istanbul", "Istanbul", "TR", 41.0082, 28.9784}, [2]byte{78, 160}, 9121},
	{place{"Cairo", "Cairo Governorate", "EG", 30.0444, 31.2357}, [2]byte{41, 232}, 8452},
	{place{"Nairobi", "Nairobi County", "KE", -1.2921, 36.8219}, [2]byte{197, 248}, 33771},
	{place{"Lima", "Lima", "PE", -12.0464, -77.0428}, [2]byte{190, 236}, 6147},
}

// app is a client application and the resource it signs in to. Admin apps
// are the portals and tools the anonymizer rule watches.
type app struct {
	id, name             string
	resourceID, resource string
	admin                bool
}

var (
	appOutlook = app{"d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office",
		"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", false}
	appTeams = app{"1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams",
		"cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Microsoft Teams Services", false}
	appOneDrive = app{"ab9b8c07-8f02-4f72-87fa-80105867a763", "OneDrive SyncEngine",
		"00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online", false}
	appOWA = app{"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online",
		"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", false}
	appHome = app{"4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome",
		"4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome", false}
	appSharePoint = app{"08e18876-6177-487e-b8b5-cf950c1e598c", "SharePoint Online Web Client Extensibility",
		"00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online", false}
	appPortal = app{"c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal",
		"797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API", true}
	appMySignins = app{"19db86c3-b2b9-44cc-b339-36da233a3be2", "My Signins",
		"0000000c-0000-0000-c000-000000000000", "Microsoft App Access Panel", true}
	appGraphPS = app{"14d82eec-204b-4c2f-b7e8-296a70dab67e", "Microsoft Graph Command Line Tools",
		"00000003-0000-0000-c000-000000000000", "Microsoft Graph", true}
	appSync = app{"6a1b8c3e-59d4-4f2a-9b7e-2d5c0f8a4e11", "Contoso Backup Agent",
		"00000003-0000-0000-c000-000000000000", "Microsoft Graph", false}
	appBroker = app{"29d9ed98-a469-4536-ade2-f981bc1d605e", "Microsoft Authentication Broker",
		"00000003-0000-0000-c000-000000000000", "Microsoft Graph", false}
)

// userAgents of the users' devices.
var (
	uaWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like " +
		"Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0"
	uaMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, " +
		"like Gecko) Version/18.1 Safari/605.1.15"
	uaIOS = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 " +
		"(KHTML, like Gecko) Mobile/15E148"
	uaAndroid = "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like " +
		"Gecko) Chrome/142.0.0.0 Mobile Safari/537.36"
	uaOutlookDesktop = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)"
	uaAttacker       = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	uaPython         = "python-requests/2.32.3"
	uaROPC           = "BAV2ROPC"
)

// policy is a Conditional Access policy of the tenant. Every sign-in lists
// every enabled policy with its result, which is most of its size.
type policy struct {
	id, name string
	grant    string // "Mfa", "Block", "RequireCompliantDevice" or ""
	session  string // a session control, or ""
	report   bool   // report-only
}

var policies = []policy{
	{"5f1c9a3e-0b1d-4c3e-9a55-1f8e2b7c6d01", "CA001: Require MFA for all users", "Mfa", "", false},
	{"5f1c9a3e-0b1d-4c3e-9a55-1f8e2b7c6d02", "CA002: Block legacy authentication", "Block", "", false},
	{"5f1c9a3e-0b1d-4c3e-9a55-1f8e2b7c6d03", "CA003: Block high-risk sign-ins", "Block", "", false},
	{"5f1c9a3e-0b1d-4c3e-9a55-1f8e2b7c6d04", "CA004: Require compliant device for admin portals",
		"RequireCompliantDevice", "", false},
	{"5f1c9a3e-0b1d-4c3e-9a55-1f8e2b7c6d05", "CA005: Block access from unlisted countries", "Block", "", false},
	{"5f1c9a3e-0b1d-4c3e-9a55-1f8e2b7c6d06", "CA006: Security info registration from trusted locations",
		"Block", "", false},
	{"5f1c9a3e-0b1d-4c3e-9a55-1f8e2b7c6d07", "CA007: Sign-in frequency 12 hours", "", "SignInFrequency", false},
	{"5f1c9a3e-0b1d-4c3e-9a55-1f8e2b7c6d08", "CA008: Phishing-resistant MFA for administrators (report-only)",
		"Mfa", "", true},
}

// Named locations of the tenant.
const (
	netOffices = "Corporate offices"
	netVPN     = "Corporate VPN"
)

// Tenant constants.
const (
	tenantID = "7c1e5f0a-3b2d-4e6f-8a9b-0c1d2e3f4a5b"
	domain   = "contoso.example"
)

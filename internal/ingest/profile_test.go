package ingest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
)

// The Graph user and IPData inputs below are written for these tests; the
// corpus has none.

func TestUserProfile(t *testing.T) {
	text := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[
{"id":"00000000-0000-0000-0000-0000000000u9","userPrincipalName":"agent_9@example.com",
 "displayName":"Agent Nine","jobTitle":"Customer Experience Agent","department":"Support",
 "officeLocation":"Tegucigalpa","country":"Honduras","usageLocation":"HN",
 "accountEnabled":true,"createdDateTime":"2023-02-01T12:00:00Z",
 "manager":{"id":"00000000-0000-0000-0000-0000000000m9",
  "userPrincipalName":"lead_9@example.com","displayName":"Lead"}},
{"id":"00000000-0000-0000-0000-0000000000u8","userPrincipalName":"Agent_8@example.com",
 "jobTitle":null,"department":"Support","accountEnabled":"False","manager":"lead_9@example.com"}]}`
	set := decodeString("users.json", text)
	noProblems(t, set)
	yes, no := true, false
	want := []entra.User{
		{ID: "00000000-0000-0000-0000-0000000000u8", UserPrincipalName: "Agent_8@example.com",
			Department: "Support", AccountEnabled: &no, Manager: "lead_9@example.com",
			Pos: entra.Pos{File: "users.json", Line: 8, Index: 2}},
		{ID: "00000000-0000-0000-0000-0000000000u9", UserPrincipalName: "agent_9@example.com",
			DisplayName: "Agent Nine", JobTitle: "Customer Experience Agent", Department: "Support",
			OfficeLocation: "Tegucigalpa", Country: "Honduras", UsageLocation: "HN", AccountEnabled: &yes,
			Created: utc("2023-02-01T12:00:00Z"), Manager: "lead_9@example.com",
			Pos: entra.Pos{File: "users.json", Line: 2, Index: 1}},
	}
	if diff := cmp.Diff(want, set.Users); diff != "" {
		t.Errorf("users, sorted by principal name (-want +got):\n%s", diff)
	}
}

func TestIPData(t *testing.T) {
	vpn := `{"ip":"103.0.113.7","city":"Dhaka","region":"Dhaka Division","country_code":"BD",` +
		`"country_name":"Bangladesh","latitude":23.7,"longitude":90.4,` +
		`"asn":{"asn":"AS9009","name":"M247 Europe SRL","domain":"m247.com","route":"103.0.113.0/24","type":"hosting"},` +
		`"threat":{"is_tor":false,"is_vpn":true,"is_icloud_relay":false,"is_proxy":false,"is_datacenter":true,` +
		`"is_anonymous":true,"is_known_attacker":false,"is_known_abuser":false,"is_threat":false,"is_bogon":false,` +
		`"scores":{"vpn_score":99,"proxy_score":0,"threat_score":0,"trust_score":1}}}`
	home := `{"ip":"186.2.128.10","city":"Tegucigalpa","country_code":"HN","asn":{"asn":"AS27884","type":"isp"},` +
		`"threat":{"is_tor":false,"is_proxy":false,"scores":{"vpn_score":"0","trust_score":"90"}}}`
	set := decodeString("ipdata.ndjson", home+"\n"+vpn+"\n")
	noProblems(t, set)
	want := []entra.IPInfo{
		{IP: "103.0.113.7", City: "Dhaka", Region: "Dhaka Division", CountryCode: "BD", CountryName: "Bangladesh",
			Lat: 23.7, Lon: 90.4, ASN: 9009, ASName: "M247 Europe SRL", ASDomain: "m247.com", ASType: "hosting",
			IsVPN: true, IsDatacenter: true, IsAnonymous: true, VPNScore: 99, TrustScore: 1, Provider: "IPData",
			Pos: entra.Pos{File: "ipdata.ndjson", Line: 2, Index: 2}},
		{IP: "186.2.128.10", City: "Tegucigalpa", CountryCode: "HN", ASN: 27884, ASType: "isp",
			TrustScore: 90, Provider: "IPData", Pos: entra.Pos{File: "ipdata.ndjson", Line: 1, Index: 1}},
	}
	if diff := cmp.Diff(want, set.IPs); diff != "" {
		t.Errorf("IPs, sorted by address (-want +got):\n%s", diff)
	}
	if set.Files[0].Counts[KindIPInfo] != 2 {
		t.Errorf("report %+v", set.Files[0])
	}
}

func TestMixedKindsInOneFile(t *testing.T) {
	text := "[" + goodA + ",\n" +
		`{"id":"Directory_1","activityDateTime":"2024-01-01T00:00:00Z","activityDisplayName":"Add user",` +
		`"initiatedBy":{"user":{"userPrincipalName":"admin@example.com"}},"result":"success"},` + "\n" +
		`{"id":"r1","riskEventType":"unlikelyTravel","detectedDateTime":"2024-01-01T00:00:00Z"},` + "\n" +
		`{"id":"u1","userPrincipalName":"u@example.com","riskState":"atRisk","riskLevel":"high",` +
		`"isProcessing":false,"isDeleted":"False","riskLastUpdatedDateTime":"2024-01-01T00:00:00Z"}]`
	set := decodeString("mixed.json", text)
	noProblems(t, set)
	want := map[Kind]int{KindSignIn: 1, KindAudit: 1, KindRisk: 1, KindRiskyUser: 1}
	if diff := cmp.Diff(want, set.Files[0].Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

func TestPropertiesAsJSONText(t *testing.T) {
	text := `{"time":"2024-01-01T00:00:30Z","category":"SignInLogs","resultType":"0",` +
		`"properties":"{\"id\":\"t1\",\"createdDateTime\":\"2024-01-01T00:00:05Z\",` +
		`\"userPrincipalName\":\"u@example.com\"}"}`
	set := decodeString("text.json", text)
	s := onlySignIn(t, set)
	if s.ID != "t1" || s.UserPrincipalName != "u@example.com" || s.TimeApprox ||
		set.Warnings["record.properties: JSON text decoded"] != 1 {
		t.Errorf("sign-in %+v warnings %v", s, set.Warnings)
	}
}

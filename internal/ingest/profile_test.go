package ingest

import (
	"os"
	"path/filepath"
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

// TestMinimalUsersExport: a users export selected down to object ids and
// principal names ($select=id,userPrincipalName, as hunt needs for its
// directory) is read as users, by Read and by Stream alike; a sign-in with
// as few fields is not taken for one.
func TestMinimalUsersExport(t *testing.T) {
	tests := []struct {
		name, record string
		user         bool
	}{
		{"id and name", `{"id":"6f2b0c1d-5e1a-4c2b-9a11-00000000d0a1",` +
			`"userPrincipalName":"dana.kim@example.com"}`, true},
		{"with display name and mail", `{"id":"6f2b0c1d-5e1a-4c2b-9a11-00000000d0a2",` +
			`"userPrincipalName":"lee@example.com","displayName":"Lee","mail":"lee@example.com"}`,
			true},
		{"a sign-in's time", `{"id":"s1","userPrincipalName":"lee@example.com",` +
			`"createdDateTime":"2026-03-14T08:00:00Z"}`, false},
		{"a sign-in's user id", `{"id":"s2","userPrincipalName":"lee@example.com",` +
			`"userId":"6f2b0c1d-5e1a-4c2b-9a11-00000000d0a2"}`, false},
	}
	for _, tt := range tests {
		text := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(id,` +
			`userPrincipalName)","value":[` + tt.record + `]}`
		set := decodeString("users.json", text)
		if got := len(set.Users) == 1; got != tt.user {
			t.Errorf("%s: Read took it for a user: %v, want %v", tt.name, got, tt.user)
		}

		path := filepath.Join(t.TempDir(), "users.json")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		streamed := false
		if _, err := Stream([]string{path}, Options{Lean: true}, func(r Record) error {
			streamed = streamed || r.User != nil
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if streamed != tt.user {
			t.Errorf("%s: Stream took it for a user: %v, want %v", tt.name, streamed, tt.user)
		}
	}
}

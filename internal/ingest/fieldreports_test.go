package ingest

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/idtriage/idtriage/internal/entra"
)

// The inputs under testdata/fieldreports are the minimal inputs of the
// field reports in shared/field-reports.md, copied exactly; each test
// asserts the report's "right behaviour".

func onlySignIn(t *testing.T, set *Set) entra.SignIn {
	t.Helper()
	noProblems(t, set)
	if len(set.SignIns) != 1 {
		t.Fatalf("%d sign-ins, want 1", len(set.SignIns))
	}
	return set.SignIns[0]
}

// BR-01: authenticationRequirementPolicies is a list of objects; a field of
// an unexpected type keeps the record, its raw JSON and a warning.
func TestBR01RequirementPoliciesList(t *testing.T) {
	s := onlySignIn(t, decodeReports(t, "BR-01.json"))
	if s.UserPrincipalName != "user_1@example.com" || s.IPRaw != "203.0.113.10" ||
		!s.Time.Equal(utc("2024-05-02T08:14:58.7654321Z")) || s.TimeApprox || !s.HasCode ||
		s.ErrorCode != 0 {
		t.Errorf("normalised: %+v", s)
	}
	want := []entra.RequirementPolicy{{Provider: "multiConditionalAccess", Detail: "Conditional Access"}}
	if diff := cmp.Diff(want, s.AuthRequirementPolicies); diff != "" {
		t.Errorf("policies (-want +got):\n%s", diff)
	}

	odd := strings.Replace(string(fieldReport(t, "BR-01.json")),
		`"authenticationRequirementPolicies":[`, `"deviceDetail":42,"authenticationRequirementPolicies":"x","y":[`, 1)
	set := decodeString("odd.json", odd)
	s = onlySignIn(t, set)
	if s.Raw["deviceDetail"] != "42" || s.Raw["authenticationRequirementPolicies"] != "x" {
		t.Errorf("raw = %v", s.Raw)
	}
	for _, k := range []string{"signin.deviceDetail: unexpected number kept raw",
		"signin.authenticationRequirementPolicies: unexpected string kept raw"} {
		if set.Warnings[k] != 1 {
			t.Errorf("warning %q not counted: %v", k, set.Warnings)
		}
	}
}

// BR-02: the actor is whichever of initiatedBy.user and .app is not null.
func TestBR02AuditActor(t *testing.T) {
	set := decodeReports(t, "BR-02.json")
	noProblems(t, set)
	want := []entra.Actor{
		{Type: entra.ActorUser, ID: "00000000-0000-0000-0000-0000000000u1",
			UserPrincipalName: "admin_1@example.com", IPRaw: "198.51.100.7"},
		{Type: entra.ActorApp, DisplayName: "Example Sync Service",
			ServicePrincipalID: "00000000-0000-0000-0000-0000000000s1"},
	}
	var got []entra.Actor
	for _, a := range set.Audits {
		got = append(got, a.Actor)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actors (-want +got):\n%s", diff)
	}

	both := `{"id":"Directory_0003","activityDateTime":"2024-05-02T09:02:00Z","activityDisplayName":"Update user",` +
		`"initiatedBy":{"user":null,"app":null},"targetResources":[]}`
	set = decodeString("null.json", both)
	noProblems(t, set)
	if len(set.Audits) != 1 || set.Audits[0].Actor.Type != entra.ActorUnknown {
		t.Errorf("both null: %+v", set.Audits)
	}
}

// BR-03: status as a Graph object and as the portal CSV's scalar columns
// give the same code, outcome and reason.
func TestBR03StatusObjectOrScalar(t *testing.T) {
	for _, name := range []string{"BR-03-a.json", "BR-03-b.csv"} {
		t.Run(name, func(t *testing.T) {
			s := onlySignIn(t, decodeReports(t, name))
			if s.ErrorCode != 50126 || !s.HasCode || s.Class() != entra.ClassCredentialFailure ||
				s.FailureReason != "Invalid username or password." {
				t.Errorf("code %d (has %v) class %s reason %q", s.ErrorCode, s.HasCode, s.Class(), s.FailureReason)
			}
			if s.ID != "00000000-0000-0000-0000-0000000000a2" ||
				s.UserPrincipalName != "user_2@example.com" ||
				s.IPRaw != "198.51.100.21" || !s.Time.Equal(utc("2024-05-03T07:00:00Z")) ||
				s.TimeApprox {
				t.Errorf("normalised: %+v", s)
			}
		})
	}
	s := onlySignIn(t, decodeReports(t, "BR-03-b.csv"))
	if s.UserDisplayName != "User Two" {
		t.Errorf("portal User column: %q", s.UserDisplayName)
	}
}

// BR-04: a nested column as JSON text reads like the object; invalid text
// is kept raw with a warning.
func TestBR04NestedJSONText(t *testing.T) {
	set := decodeReports(t, "BR-04.json")
	noProblems(t, set)
	if len(set.SignIns) != 2 {
		t.Fatalf("%d sign-ins", len(set.SignIns))
	}
	for _, s := range set.SignIns {
		if s.Location.Country != "PT" || s.Location.City != "Porto" || s.ErrorCode != 0 {
			t.Errorf("%v: location %+v code %d", s.Source, s.Location, s.ErrorCode)
		}
	}
	if set.SignIns[0].Source != entra.SourceInteractive ||
		set.SignIns[1].Source != entra.SourceNonInteractive {
		t.Errorf("sources %q %q", set.SignIns[0].Source, set.SignIns[1].Source)
	}
	if set.Warnings["signin.locationDetails: JSON text decoded"] != 1 {
		t.Errorf("warnings %v", set.Warnings)
	}

	bad := `{"TimeGenerated":"2024-06-01T10:03:05Z","Type":"SigninLogs","UserPrincipalName":"user_3@example.com",` +
		`"ResultType":"0","LocationDetails":"{\"city\":\"Porto\""}`
	set = decodeString("bad.json", bad)
	s := onlySignIn(t, set)
	if s.Raw["locationDetails"] != `{"city":"Porto"` || s.Location != (entra.Location{}) ||
		set.Warnings["signin.locationDetails: invalid JSON text kept raw"] != 1 {
		t.Errorf("raw %v location %+v warnings %v", s.Raw, s.Location, set.Warnings)
	}
}

// BR-06: a Log Analytics service-principal row: PascalCase, Category,
// CreatedDateTime preferred to TimeGenerated, no top-level time.
func TestBR06LogAnalyticsServicePrincipal(t *testing.T) {
	s := onlySignIn(t, decodeReports(t, "BR-06.json"))
	if !s.Time.Equal(utc("2025-07-01T10:45:17.5824212Z")) || s.TimeApprox {
		t.Errorf("time %v approx %v", s.Time, s.TimeApprox)
	}
	if s.Source != entra.SourceServicePrincipal || !s.IsServicePrincipal() ||
		s.ServicePrincipalName != "svc-app-1" ||
		s.AppID != "00000000-0000-0000-0000-0000000000p1" || s.ErrorCode != 0 || !s.HasCode ||
		s.IPRaw != "192.0.2.44" || s.Location.Country != "US" {
		t.Errorf("normalised: %+v", s)
	}

	noCreated := strings.Replace(string(fieldReport(t, "BR-06.json")), `"CreatedDateTime"`, `"Created"`, 1)
	s = onlySignIn(t, decodeString("br06.json", noCreated))
	if !s.Time.Equal(utc("2025-07-01T10:46:02.1Z")) || !s.TimeApprox {
		t.Errorf("TimeGenerated fallback: %v approx %v", s.Time, s.TimeApprox)
	}
}

// BR-07: a US 12-hour "time" and a string durationMs; createdDateTime is
// preferred, and the odd time is read as UTC and flagged, never local.
func TestBR07USTimeAndStringDuration(t *testing.T) {
	s := onlySignIn(t, decodeReports(t, "BR-07.json"))
	if !s.Time.Equal(utc("2025-11-14T01:47:40.12Z")) || s.TimeApprox || !s.HasDuration ||
		s.DurationMs != 0 {
		t.Errorf("time %v approx %v duration %v/%v", s.Time, s.TimeApprox, s.DurationMs, s.HasDuration)
	}
	only := strings.Replace(string(fieldReport(t, "BR-07.json")), `"createdDateTime"`, `"created"`, 1)
	s = onlySignIn(t, decodeString("br07.json", only))
	if !s.Time.Equal(utc("2025-11-14T01:48:53Z")) || !s.TimeApprox {
		t.Errorf("time fallback %v approx %v", s.Time, s.TimeApprox)
	}
	for _, in := range []string{"11/14/2025 1:48:53", "11/14/2025 1:48:53 AM"} {
		got, approx, err := parseTime(in, false)
		if err != nil || !got.Equal(utc("2025-11-14T01:48:53Z")) || got.Location() != time.UTC ||
			!approx {
			t.Errorf("parseTime(%q) = %v, %v, %v", in, got, approx, err)
		}
	}
}

// BR-08: durationMs as a float, a string or missing; all three parse and a
// missing duration is unknown, not zero.
func TestBR08Duration(t *testing.T) {
	set := decodeReports(t, "BR-08.ndjson")
	noProblems(t, set)
	type dur struct {
		ID  string
		Ms  float64
		Has bool
	}
	var got []dur
	for _, a := range set.Audits {
		got = append(got, dur{a.ID, a.DurationMs, a.HasDuration})
	}
	want := []dur{{"Directory_0003", 14.2187, true}, {"Directory_0004", 0, true}, {"Directory_0005", 0, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("durations (-want +got):\n%s", diff)
	}
}

// BR-09: the event time is createdDateTime, not the lagging Event Hub time.
func TestBR09CreatedDateTimeOrder(t *testing.T) {
	set := decodeReports(t, "BR-09.ndjson")
	noProblems(t, set)
	if len(set.SignIns) != 2 {
		t.Fatalf("%d sign-ins", len(set.SignIns))
	}
	b1, b2 := set.SignIns[0], set.SignIns[1]
	if !strings.HasSuffix(b1.ID, "b1") || !strings.HasSuffix(b2.ID, "b2") {
		t.Errorf("order %s, %s; want b1 then b2", b1.ID, b2.ID)
	}
	if d := b2.Time.Sub(b1.Time); d != 69*time.Second || b1.TimeApprox || b2.TimeApprox {
		t.Errorf("gap %v, approx %v %v", d, b1.TimeApprox, b2.TimeApprox)
	}
	noCreated := strings.Replace(string(fieldReport(t, "BR-09.ndjson")), `"createdDateTime"`, `"created"`, -1)
	set = decodeString("br09.ndjson", noCreated)
	if s := set.SignIns[0]; !s.TimeApprox || !s.Time.Equal(utc("2024-06-03T12:01:55Z")) {
		t.Errorf("fallback to time: %v approx %v", s.Time, s.TimeApprox)
	}
}

// BR-11: exact duplicate rows are dropped; rows of one attempt that differ
// in time are merged, the latest status wins and every step is kept in
// time order.
func TestBR11DuplicateAndSplitRows(t *testing.T) {
	set := decodeReports(t, "BR-11.json")
	noProblems(t, set)
	if len(set.SignIns) != 2 || set.Duplicates != 1 || set.Merged != 1 {
		t.Fatalf("%d sign-ins, %d duplicates, %d merged; want 2, 1, 1",
			len(set.SignIns), set.Duplicates, set.Merged)
	}
	d1, d2 := set.SignIns[0], set.SignIns[1]
	if d1.ErrorCode != 500121 || d1.Rows != 1 {
		t.Errorf("d1: code %d rows %d", d1.ErrorCode, d1.Rows)
	}
	if d2.ErrorCode != 0 || d2.Rows != 2 || !d2.Time.Equal(utc("2024-04-02T10:16:41.3333333Z")) {
		t.Errorf("d2: code %d rows %d time %v", d2.ErrorCode, d2.Rows, d2.Time)
	}
	var steps []string
	for _, st := range d2.AuthSteps {
		steps = append(steps, st.ResultDetail)
	}
	want := []string{"MFA denied; duplicate authentication attempt", "MFA successfully completed"}
	if diff := cmp.Diff(want, steps); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}

// BR-12: rows split over Conditional Access policies merge into one
// sign-in with the union of the policies.
func TestBR12SplitPolicies(t *testing.T) {
	set := decodeReports(t, "BR-12.json")
	s := onlySignIn(t, set)
	var ids []string
	for _, p := range s.Policies {
		ids = append(ids, p.ID)
	}
	if diff := cmp.Diff([]string{"p-001", "p-002", "p-035", "p-069"}, ids); diff != "" {
		t.Errorf("policies (-want +got):\n%s", diff)
	}
	if s.Rows != 3 || set.Merged != 2 || set.Duplicates != 0 || s.ErrorCode != 50126 {
		t.Errorf("rows %d merged %d duplicates %d code %d", s.Rows, set.Merged, set.Duplicates, s.ErrorCode)
	}
}

// BR-14: both rows are 50057 whatever the description says; the text is
// kept for the analyst.
func TestBR14CodeNotText(t *testing.T) {
	set := decodeReports(t, "BR-14.json")
	noProblems(t, set)
	if len(set.SignIns) != 2 {
		t.Fatalf("%d sign-ins", len(set.SignIns))
	}
	for _, s := range set.SignIns {
		if s.ErrorCode != 50057 || !s.HasCode || s.Class() != entra.ClassDisabled ||
			s.FailureReason == "" {
			t.Errorf("code %d class %s reason %q", s.ErrorCode, s.Class(), s.FailureReason)
		}
	}
}

// BR-15: a failure with empty authenticationDetails is still a failed
// password attempt, from the code alone.
func TestBR15EmptyAuthDetails(t *testing.T) {
	s := onlySignIn(t, decodeReports(t, "BR-15.json"))
	if s.ErrorCode != 50126 || s.Class() != entra.ClassCredentialFailure || len(s.AuthSteps) != 0 {
		t.Errorf("code %d class %s steps %v", s.ErrorCode, s.Class(), s.AuthSteps)
	}
}

// BR-16: textual forms of one IPv6 address are one address; IPv4-mapped
// IPv6 becomes IPv4.
func TestBR16CanonicalIP(t *testing.T) {
	set := decodeReports(t, "BR-16.json")
	noProblems(t, set)
	h1, h2, h3 := set.SignIns[0], set.SignIns[1], set.SignIns[2]
	if h1.IP != h2.IP || h1.IPRaw != "2001:db8:10::25" || h2.IPRaw != "2001:db8:10::25" {
		t.Errorf("h1 %v %q, h2 %v %q", h1.IP, h1.IPRaw, h2.IP, h2.IPRaw)
	}
	if h3.IP != netip.MustParseAddr("203.0.113.5") || !h3.IP.Is4() || h3.IPRaw != "203.0.113.5" {
		t.Errorf("h3 %v %q", h3.IP, h3.IPRaw)
	}
}

// BR-19: identity by entra.UserKey: case variants are one person, empty
// and placeholder principals are nobody.
func TestBR19UserKey(t *testing.T) {
	set := decodeReports(t, "BR-19.json")
	noProblems(t, set)
	var keys []string
	for _, s := range set.SignIns {
		keys = append(keys, entra.UserKey(s.UserID, s.UserPrincipalName))
	}
	if diff := cmp.Diff([]string{"user_15@example.com", "user_15@example.com", "", ""}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

// BR-22: every *SignInLogs category is a sign-in with a source tag, and
// service-principal risk events load.
func TestBR22Categories(t *testing.T) {
	set := decodeReports(t, "BR-22.ndjson")
	noProblems(t, set)
	if len(set.SignIns) != 2 || len(set.Risks) != 1 {
		t.Fatalf("%d sign-ins, %d risks", len(set.SignIns), len(set.Risks))
	}
	for _, s := range set.SignIns {
		if s.Source != entra.SourceADFS || s.ErrorCode != 50126 || s.UserAgent == "" {
			t.Errorf("%s: source %q code %d agent %q", s.ID, s.Source, s.ErrorCode, s.UserAgent)
		}
	}
	r := set.Risks[0]
	if r.EventType != "investigationsThreatIntelligence" ||
		r.ServicePrincipalID != "00000000-0000-0000-0000-0000000000s3" ||
		r.RiskLevel != "high" || !r.TimeApprox || !r.Time().Equal(utc("2024-03-20T10:00:40Z")) {
		t.Errorf("risk: %+v", r)
	}

	unknown := `{"time":"2024-03-20T10:01:00Z","category":"NetworkAccessTrafficLogs","properties":{"id":"x"}}`
	set = decodeString("more.ndjson", string(fieldReport(t, "BR-22.ndjson"))+unknown+"\n")
	if set.Warnings["unknown category: NetworkAccessTrafficLogs"] != 1 || len(set.Problems) != 1 ||
		set.Files[0].Rejected != 1 || set.Files[0].Records != 3 {
		t.Errorf("unknown category: warnings %v problems %v report %+v", set.Warnings, set.Problems, set.Files[0])
	}
}

// BR-23: modifiedProperties values are JSON inside strings, decoded once.
func TestBR23ModifiedProperties(t *testing.T) {
	set := decodeReports(t, "BR-23.json")
	noProblems(t, set)
	a := set.Audits[0]
	cases := []struct {
		name     string
		old, new any
		newRaw   string
	}{
		{"ConsentContext.IsAdminConsent", nil, true, `"True"`},
		{"ConsentAction.Permissions", nil, []any{"Mail.Read", "offline_access"}, `["Mail.Read","offline_access"]`},
		{"AccountEnabled", []any{true}, []any{false}, `[false]`},
	}
	for _, c := range cases {
		p, ok := a.Property(c.name)
		if !ok {
			t.Errorf("%s missing", c.name)
			continue
		}
		if !cmp.Equal(c.old, p.Old.Decoded) || !cmp.Equal(c.new, p.New.Decoded) ||
			p.New.Raw != c.newRaw {
			t.Errorf("%s: old %#v new %#v raw %q", c.name, p.Old.Decoded, p.New.Decoded, p.New.Raw)
		}
	}
}

// BR-25: the code from status.errorCode or resultType, number or string;
// status.errorCode wins a disagreement; resultSignature is never read; the
// Event Hub and Graph copies of o1 dedupe to one.
func TestBR25ErrorCodeSources(t *testing.T) {
	set := decodeReports(t, "BR-25.ndjson")
	noProblems(t, set)
	if len(set.SignIns) != 2 || set.Duplicates != 1 {
		t.Fatalf("%d sign-ins, %d duplicates; want 2, 1", len(set.SignIns), set.Duplicates)
	}
	if o1, o2 := set.SignIns[0], set.SignIns[1]; o1.ErrorCode != 50126 || o2.ErrorCode != 0 ||
		!o2.HasCode {
		t.Errorf("o1 %d, o2 %d", o1.ErrorCode, o2.ErrorCode)
	}

	cases := []struct {
		name, record string
		code         int
		has          bool
		warning      string
	}{
		{"disagree", `{"time":"2024-08-01T10:00:30Z","category":"SignInLogs","resultType":"0","properties":` +
			`{"id":"a","createdDateTime":"2024-08-01T10:00:05Z","status":{"errorCode":50126}}}`,
			50126, true, "signin.errorCode: status.errorCode and resultType disagree, status.errorCode used"},
		{"signature ignored", `{"time":"2024-08-01T10:00:30Z","category":"SignInLogs","resultType":"50126",` +
			`"resultSignature":"SUCCESS","properties":{"id":"b","createdDateTime":"2024-08-01T10:00:05Z"}}`,
			50126, true, ""},
		{"ResultType number", `{"TimeGenerated":"2024-08-01T10:00:05Z","Type":"SigninLogs","ResultType":53003}`,
			53003, true, ""},
		{"Success word", `{"time":"2024-08-01T10:00:05Z","category":"SignInLogs","resultType":"Success"}`,
			0, true, ""},
		{"Failure word", `{"time":"2024-08-01T10:00:05Z","category":"SignInLogs","resultType":"Failure"}`,
			0, false, "signin.errorCode: failure without a code"},
		{"status error as text", `{"createdDateTime":"2024-08-01T10:00:05Z","status":{"errorCode":"50053"}}`,
			50053, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := decodeString("c.json", c.record)
			s := onlySignIn(t, set)
			if s.ErrorCode != c.code || s.HasCode != c.has {
				t.Errorf("code %d (has %v), want %d (%v)", s.ErrorCode, s.HasCode, c.code, c.has)
			}
			if c.warning != "" && set.Warnings[c.warning] != 1 {
				t.Errorf("warning %q missing: %v", c.warning, set.Warnings)
			}
		})
	}
}

// BR-26: enum-like values are folded for lookup, the raw value kept, and a
// non-empty raw value never becomes empty.
func TestBR26FoldedEnums(t *testing.T) {
	set := decodeReports(t, "BR-26.json")
	noProblems(t, set)
	var got [][2]string
	for _, s := range set.SignIns {
		got = append(got, [2]string{s.AuthProtocol, s.AuthProtocolRaw})
	}
	want := [][2]string{{"devicecode", "deviceCode"}, {"devicecode", "Device Code"},
		{"authenticationtransfer", "Authentication transfer"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("protocols (-want +got):\n%s", diff)
	}
	for _, raw := range []string{"deviceCode", "Device Code", "ROPC", "--", " _ ", "none", "oAuth2"} {
		f := foldEnum(raw)
		if f == "" || f == "none" && entra.Fold(raw) != "none" {
			t.Errorf("foldEnum(%q) = %q", raw, f)
		}
	}
}

// BR-27: one record in five containers and encodings gives the same
// normalised sign-in; two arrays back to back dedupe to one.
func TestBR27ContainersAndEncodings(t *testing.T) {
	const obj = `{ "id": "00000000-0000-0000-0000-0000000000r1", "createdDateTime": "2024-05-09T10:00:00Z", ` +
		`"userPrincipalName": "user_24@example.com", "status": { "errorCode": 0 } }`
	pretty := "[\r\n  {\r\n    \"id\": \"00000000-0000-0000-0000-0000000000r1\",\r\n" +
		"    \"createdDateTime\": \"2024-05-09T10:00:00Z\",\r\n    \"userPrincipalName\": \"user_24@example.com\",\r\n" +
		"    \"status\": {\r\n      \"errorCode\": 0\r\n    }\r\n  }\r\n]\r\n"
	pascal := `{"Id":"00000000-0000-0000-0000-0000000000r1","CreatedDateTime":"2024-05-09T10:00:00Z",` +
		`"UserPrincipalName":"user_24@example.com","Status":{"errorCode":0}}`
	files := []struct {
		name  string
		data  []byte
		shape string
	}{
		{"a.json", utf16LE(pretty), "utf-16le-bom+array"},
		{"b.jsonl", append([]byte("\xef\xbb\xbf"), obj+"\n\n"...), "utf-8-bom+object"},
		{"c.json", []byte(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",` +
			`"@odata.nextLink":"https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=x","value":[ ` + obj + ` ]}`),
			"graph-page"},
		{"d.json", []byte(pascal), "object"},
		{"e.json", []byte("[ " + obj + " ][ " + obj + " ]"), "concatenated"},
		{"f.json", utf16BE(pretty), "utf-16be-bom+array"},
	}
	var want *entra.SignIn
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			set := &Set{}
			Decode(f.name, f.data, set)
			noProblems(t, set)
			if set.Files[0].Shape != f.shape {
				t.Errorf("shape %q, want %q", set.Files[0].Shape, f.shape)
			}
			set.Finish()
			s := onlySignIn(t, set)
			if want == nil {
				want = &s
			}
			if diff := cmp.Diff(*want, s, cmpopts.IgnoreFields(entra.SignIn{}, "Pos"),
				cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Errorf("differs from a.json (-a +%s):\n%s", f.name, diff)
			}
			if f.name == "e.json" && set.Duplicates != 1 {
				t.Errorf("duplicates %d, want 1", set.Duplicates)
			}
		})
	}
	if want == nil || want.UserPrincipalName != "user_24@example.com" || !want.HasCode {
		t.Errorf("record: %+v", want)
	}
}

// BR-31: overlapping export files are merged; the duplicate is dropped and
// counted.
func TestBR31OverlappingFiles(t *testing.T) {
	dir := t.TempDir()
	r1 := `{"id":"00000000-0000-0000-0000-0000000000w1","createdDateTime":"2024-06-26T10:02:00Z",` +
		`"userPrincipalName":"user_33@example.com","status":{"errorCode":0}}`
	r2 := `{"id":"00000000-0000-0000-0000-0000000000w2","createdDateTime":"2024-06-26T10:03:00Z",` +
		`"userPrincipalName":"user_33@example.com","status":{"errorCode":0}}`
	writeFile(t, dir, "poll-a.json", "["+r1+"]")
	writeFile(t, dir, "poll-b.json", "["+r1+","+r2+"]")
	set, err := Read([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, set)
	if len(set.SignIns) != 2 || set.Duplicates != 1 || set.Merged != 0 {
		t.Errorf("%d sign-ins, %d duplicates, %d merged; want 2, 1, 0",
			len(set.SignIns), set.Duplicates, set.Merged)
	}
}

// BR-37: two audit records of one admin action are both kept, with one
// correlationId, for a later stage to group.
func TestBR37TwoAuditRecords(t *testing.T) {
	set := decodeReports(t, "BR-37.json")
	noProblems(t, set)
	if len(set.Audits) != 2 || set.Duplicates != 0 {
		t.Fatalf("%d audits, %d duplicates", len(set.Audits), set.Duplicates)
	}
	a, b := set.Audits[0], set.Audits[1]
	if a.CorrelationID != b.CorrelationID || !a.Time.Equal(b.Time) ||
		a.LoggedByService == b.LoggedByService ||
		a.Targets[0].UserPrincipalName != "user_32@example.com" ||
		a.Actor.UserPrincipalName != "admin_2@example.com" {
		t.Errorf("audits: %+v / %+v", a, b)
	}
}

// TestFieldReportsGolden decodes every field-report input, each as its own
// file, into one set and compares it with a golden file.
func TestFieldReportsGolden(t *testing.T) {
	names := []string{"BR-01.json", "BR-02.json", "BR-03-a.json", "BR-03-b.csv", "BR-04.json",
		"BR-06.json", "BR-07.json", "BR-08.ndjson", "BR-09.ndjson", "BR-11.json", "BR-12.json",
		"BR-13.json", "BR-14.json", "BR-15.json", "BR-16.json", "BR-18.json", "BR-19.json",
		"BR-21.json", "BR-22.ndjson", "BR-23.json", "BR-25.ndjson", "BR-26.json", "BR-33.json",
		"BR-35.json", "BR-36.json", "BR-37.json"}
	set := decodeReports(t, names...)
	noProblems(t, set)
	golden(t, "fieldreports.golden.json", set)
}

package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// one decodes a corpus file that must give exactly one sign-in.
func oneSignIn(t *testing.T, rel string) entra.SignIn {
	t.Helper()
	set := decodeCorpus(t, rel)
	noProblems(t, set)
	if len(set.SignIns) != 1 {
		t.Fatalf("%d sign-ins, want 1", len(set.SignIns))
	}
	return set.SignIns[0]
}

func TestCorpusGraphBeta(t *testing.T) {
	s := oneSignIn(t, graphDocs+"beta__signin-list__example1.json")
	if s.ErrorCode != 50126 || !s.HasCode || s.Class() != entra.ClassCredentialFailure {
		t.Errorf("code = %d (has %v), want 50126", s.ErrorCode, s.HasCode)
	}
	if !strings.Contains(s.AdditionalDetails, "\u00a0") {
		t.Errorf("additionalDetails lost its U+00A0: %q", s.AdditionalDetails)
	}
	wantLoc := entra.Location{City: "Redmond", State: "Washington", Country: "US"}
	if s.Location != wantLoc {
		t.Errorf("location = %+v, want %+v (geoCoordinates {} gives no coordinates)", s.Location, wantLoc)
	}
	if s.Source != entra.SourceInteractive || s.AuthProtocol != "oauth2" ||
		s.AuthProtocolRaw != "oAuth2" {
		t.Errorf("source %q protocol %q raw %q", s.Source, s.AuthProtocol, s.AuthProtocolRaw)
	}
	if s.IPRaw != "131.107.159.37" || !s.IP.IsValid() || s.ASN != 3598 {
		t.Errorf("ip %q asn %d", s.IPRaw, s.ASN)
	}
	if !cmp.Equal(s.NetworkNames, []string{"North America"}) || s.TrustedNetwork {
		t.Errorf("network %v trusted %v", s.NetworkNames, s.TrustedNetwork)
	}

	set := decodeCorpus(t, graphDocs+"beta__signin-list__example2-nextLink.json")
	if link := set.Files[0].NextLink; !strings.Contains(link, "$skiptoken=3cff228c") {
		t.Errorf("nextLink = %q", link)
	}

	// status:{} has no code at all; the misspelt riskLevelDuringsignIn is
	// found because keys are matched without case.
	s = oneSignIn(t, graphDocs+"beta__signin-list__older-example2-password-CAapplied.json")
	if s.HasCode || s.Class() != entra.ClassUnknown {
		t.Errorf("status {} gave code %d (has %v)", s.ErrorCode, s.HasCode)
	}
	if s.RiskLevelDuringSignIn != "none" || s.ConditionalAccessStatus != "applied" ||
		len(s.Policies) != 2 {
		t.Errorf("risk %q CA %q policies %d", s.RiskLevelDuringSignIn, s.ConditionalAccessStatus, len(s.Policies))
	}
}

func TestCorpusNonInteractiveZhCN(t *testing.T) {
	s := oneSignIn(t, "microsoftgraph__microsoft-graph-docs.zh-CN/beta__signin-list__example3-nonInteractive.json")
	// failureReason "Other." with code 0 is a success.
	if s.ErrorCode != 0 || !s.HasCode || s.FailureReason != "Other." ||
		s.Class() != entra.ClassSuccess {
		t.Errorf("code %d %q class %s", s.ErrorCode, s.FailureReason, s.Class())
	}
	if s.Source != entra.SourceNonInteractive || s.IsInteractive || s.Location.Country != "KE" ||
		s.Location.HasCoords || !cmp.Equal(s.NetworkNames, []string{"Suspicious countries"}) {
		t.Errorf("source %q interactive %v location %+v networks %v",
			s.Source, s.IsInteractive, s.Location, s.NetworkNames)
	}
}

func TestCorpusTrainingLabCSV(t *testing.T) {
	set := decodeCorpus(t, "Azure__Azure-Sentinel/Training-Lab__sign-in_adelete.first-9-records.csv")
	noProblems(t, set)
	if len(set.SignIns) != 9 {
		t.Fatalf("%d sign-ins, want 9", len(set.SignIns))
	}
	s := set.SignIns[0]
	// "CreatedDateTime [UTC]" holds "4/28/2021, 2:08:45.221 PM": the header
	// declares UTC and a day of 28 cannot be a month, so it is exact.
	if !s.Time.Equal(utc("2021-04-28T14:08:45.221Z")) || s.TimeApprox {
		t.Errorf("time %v approx %v", s.Time, s.TimeApprox)
	}
	if s.UserPrincipalName != "adelev@m365x816222.onmicrosoft.com" ||
		s.UserDisplayName != "Adele Vance" ||
		s.ID != "cfb68155-70f5-4e28-b046-0a3a7086c401" || s.IPRaw != "175.45.176.99" {
		t.Errorf("user %q/%q id %q ip %q", s.UserPrincipalName, s.UserDisplayName, s.ID, s.IPRaw)
	}
	if s.ResourceID != "797f4846-ba00-4fd7-ba43-dac1f8f63013" ||
		s.Source != entra.SourceInteractive ||
		!s.IsInteractive || s.Location.Country != "IL" || !s.Location.HasCoords ||
		len(s.Policies) != 1 || len(s.AuthSteps) != 1 || s.Device.OS != "Windows 10" {
		t.Errorf("resource %q source %q location %+v policies %d steps %d device %+v",
			s.ResourceID, s.Source, s.Location, len(s.Policies), len(s.AuthSteps), s.Device)
	}
	codes := map[int]int{}
	for _, s := range set.SignIns {
		if !s.HasCode {
			t.Errorf("%s has no code", s.ID)
		}
		codes[s.ErrorCode]++
	}
	for _, c := range []int{0, 16000, 50058} {
		if codes[c] == 0 {
			t.Errorf("no sign-in with ResultType %d; codes %v", c, codes)
		}
	}
	if p := set.SignIns[8].Pos; p.Line != 154 || p.Index != 9 {
		t.Errorf("ninth row at %+v, want line 154 (multi-line cells before it)", p)
	}
}

func TestCorpusElasticTimeFormats(t *testing.T) {
	set := decodeCorpus(t, elastic+"signinlogs__test-time-formats-corner-cases.log")
	noProblems(t, set)
	want := []string{
		"2007-01-09T09:41:00Z", // 01/09/2007 09:41:00, month first
		"2007-01-09T09:41:00Z", // 1/9/2007 09:41:00
		"2007-01-09T09:41:00Z", // 01/09/2007 09:41:00 AM
		"2007-01-09T09:41:00Z", // 1/9/2007 9:41:00 AM
		"2007-01-09T09:41:00Z", // 1/9/2007 10:41:00 AM +01:00
		"2007-01-09T09:41:00Z", // no zone: UTC assumed
		"2007-01-09T09:41:00.22Z",
		"2007-01-09T09:41:00.6816663Z",
		"2007-01-09T09:41:00.535404056Z",
		"2007-01-09T09:41:00.992099Z",
		"2007-01-09T09:41:00Z", // 11:41 at +02:00
	}
	if len(set.SignIns) != len(want) {
		t.Fatalf("%d records, want %d", len(set.SignIns), len(want))
	}
	for i, s := range set.SignIns {
		// Only the Event Hub time is there: every record is approximate.
		if !s.Time.Equal(utc(want[i])) || !s.TimeApprox || s.Pos.Line != i+1 {
			t.Errorf("line %d: %v approx %v, want %s approx", s.Pos.Line, s.Time, s.TimeApprox, want[i])
		}
	}

	s := oneSignIn(t, elastic+"signinlogs__test-alternative-time-and-duration-as-string.log")
	// createdDateTime wins over the US-format time "11/14/2025 1:48:53 AM".
	if !s.Time.Equal(utc("2025-11-14T01:46:16.4282975Z")) || s.TimeApprox {
		t.Errorf("time %v approx %v", s.Time, s.TimeApprox)
	}
	if !s.HasDuration || s.DurationMs != 0 || s.Source != entra.SourceServicePrincipal {
		t.Errorf("duration %v (has %v) source %q", s.DurationMs, s.HasDuration, s.Source)
	}
	if got, approx, err := parseTime("11/14/2025 1:48:53 AM", false); err != nil ||
		!got.Equal(utc("2025-11-14T01:48:53Z")) || !approx {
		t.Errorf("US time = %v, %v, %v", got, approx, err)
	}
}

func TestCorpusElasticSignIns(t *testing.T) {
	set := decodeCorpus(t, elastic+"signinlogs__test-signinlogs-raw.log")
	noProblems(t, set)
	var sources []entra.Source
	for _, s := range set.SignIns {
		sources = append(sources, s.Source)
		if s.ErrorCode != 50140 || !s.Time.Equal(utc("2019-10-18T09:45:48.0729893Z")) ||
			s.TimeApprox {
			t.Errorf("code %d time %v approx %v", s.ErrorCode, s.Time, s.TimeApprox)
		}
	}
	want := []entra.Source{entra.SourceInteractive, entra.SourceNonInteractive,
		entra.SourceServicePrincipal, entra.SourceServicePrincipal, entra.SourceManagedIdentity}
	if diff := cmp.Diff(want, sources); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	// The five rows share an id and a time: Finish keeps one.
	set.Finish()
	if len(set.SignIns) != 1 || set.Duplicates != 4 {
		t.Errorf("after Finish: %d sign-ins, %d duplicates", len(set.SignIns), set.Duplicates)
	}

	s := oneSignIn(t, elastic+"signinlogs__test-non-interactive-user.log")
	if len(s.Policies) != 9 || !s.TrustedNetwork || s.Source != entra.SourceNonInteractive {
		t.Errorf("policies %d trusted %v source %q", len(s.Policies), s.TrustedNetwork, s.Source)
	}
	if !strings.Contains(policyNames(s), "05 - MFA für Gäste") {
		t.Errorf("policy names %q", policyNames(s))
	}

	s = oneSignIn(t, elastic+"signinlogs__test-adfs-signin.log")
	if s.Source != entra.SourceADFS || s.Location.HasCoords || s.RiskDetail != "hidden" ||
		s.IPRaw != "10.205.19.37" {
		t.Errorf("source %q location %+v risk %q ip %q", s.Source, s.Location, s.RiskDetail, s.IPRaw)
	}

	s = oneSignIn(t, elastic+"signinlogs__test-service-principal.log")
	if s.ErrorCode != 7000222 || !s.IsServicePrincipal() || s.UserID != "" {
		t.Errorf("code %d sp %v user %q", s.ErrorCode, s.IsServicePrincipal(), s.UserID)
	}
}

func policyNames(s entra.SignIn) string {
	var names []string
	for _, p := range s.Policies {
		names = append(names, p.DisplayName)
	}
	return strings.Join(names, "|")
}

func TestCorpusPlaceholders(t *testing.T) {
	s := oneSignIn(t, msDocs+"sign-ins-log-schema__example-SignInLogs-placeholders.json")
	if s.IP.IsValid() || s.IPRaw != "<IP ADDRESS>" {
		t.Errorf("placeholder address: %v %q", s.IP, s.IPRaw)
	}
	if !s.Location.HasCoords || s.Location.Lat != 45 || s.Location.Lon != 122 ||
		s.ErrorCode != 50140 {
		t.Errorf("location %+v code %d", s.Location, s.ErrorCode)
	}
	if entra.UserKey(s.UserID, s.UserPrincipalName) != "id:<user id>" {
		t.Errorf("user key %q", entra.UserKey(s.UserID, s.UserPrincipalName))
	}
}

func TestCorpusPowerShellSignIns(t *testing.T) {
	set := decodeCorpus(t, invictus+"20250502132321-managedIdentity-SignInLogs.json")
	noProblems(t, set)
	for _, s := range set.SignIns {
		if s.Source != entra.SourceManagedIdentity || s.IPRaw != "" || s.ErrorCode != 0 ||
			s.FailureReason != "Other." || s.Location.HasCoords {
			t.Errorf("%s: source %q ip %q code %d %q", s.ID, s.Source, s.IPRaw, s.ErrorCode, s.FailureReason)
		}
	}
	if n := set.Warnings["signin.ipAddress: empty address"]; n != 28 {
		t.Errorf("empty-address warnings = %d, want 28", n)
	}
	set = decodeCorpus(t, invictus+"20250502132320-servicePrincipal-SignInLogs.trimmed-first-348-of-494.json")
	for _, s := range set.SignIns {
		if s.Source != entra.SourceServicePrincipal || !s.IP.IsValid() {
			t.Fatalf("%s: source %q ip %q", s.ID, s.Source, s.IPRaw)
		}
	}
}

func TestCorpusAudits(t *testing.T) {
	set := decodeCorpus(t, invictus+"20250502131826-AuditLogs.json")
	noProblems(t, set)
	var sspr *entra.Audit
	for i, a := range set.Audits {
		if strings.HasPrefix(a.ID, "SSPR_") {
			sspr = &set.Audits[i]
		}
	}
	if sspr == nil {
		t.Fatal("the SSPR-service event is missing")
	}
	if sspr.Activity != "Reset password (by admin)" ||
		sspr.LoggedByService != "Self-service Password Management" ||
		sspr.ResultReason != "None" || sspr.Detail("OnPremisesAgent") != "None" ||
		!sspr.Succeeded() ||
		sspr.Actor.Type != entra.ActorUser ||
		sspr.Actor.UserPrincipalName != "charles.taylor@bonacu.onmicrosoft.com" {
		t.Errorf("SSPR event: %+v", *sspr)
	}
	p, ok := set.Audits[1].Property("ForceChangePassword")
	if !ok || p.Old.Decoded != false || p.New.Decoded != true || p.New.Raw != `"True"` {
		t.Errorf("ForceChangePassword = %+v", p)
	}

	set = decodeCorpus(t, msDocs+"audit-log-schema__example1-legacy-Audit-ChangePasswordSelfService.records.json")
	a := set.Audits[0]
	if a.Activity != "Change password (self-service)" ||
		entra.ClassifyActivity(a.Activity) != entra.ActSSPRChange ||
		a.Result != "success" || a.Category != "UserManagement" ||
		a.Actor.UserPrincipalName != "sreens@wingtiptoysonline.com" ||
		len(a.Targets) != 1 || a.Targets[0].Type != "User" || !a.HasDuration ||
		a.DurationMs != -1 || !a.TimeApprox {
		t.Errorf("legacy audit: %+v", a)
	}
	set = decodeCorpus(t, msDocs+"audit-log-schema__example2-legacy-Audit-UpdateServicePrincipal.records.json")
	a = set.Audits[0]
	if len(a.Targets) != 1 || a.Targets[0].DisplayName != "Salesforce" ||
		a.Targets[0].Type != "ServicePrincipal" ||
		len(a.Targets[0].Modified) != 2 || a.Actor.Type != entra.ActorUnknown ||
		a.Actor.IPRaw != "" {
		t.Errorf("legacy audit 2: %+v", a)
	}
	set = decodeCorpus(t, msDocs+"audit-log-schema__example3-AuditLogs-UpdatePolicy.records.json")
	if a = set.Audits[0]; a.Result != "success" || a.Actor.Type != entra.ActorUnknown ||
		a.Category != "Policy" {
		t.Errorf("numeric result 0 / empty initiatedBy: %+v", a)
	}

	set = decodeCorpus(t, elastic+"auditlogs__test-auditlogs-result-reason.log")
	a = set.Audits[0]
	if a.Result != "failure" || a.Actor.Type != entra.ActorApp ||
		a.Actor.IPRaw != "::2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6" ||
		!strings.Contains(a.ResultReason, "quota") {
		t.Errorf("result-reason audit: %+v", a)
	}
	set = decodeCorpus(t, graphDocs+"v1.0__directoryaudit-list__example1.json")
	a = set.Audits[0]
	if len(a.Targets) != 2 || a.Targets[0].Type != "Group" || a.Targets[1].Type != "User" ||
		a.Actor.UserPrincipalName != "bob@wingtiptoysonline.com" {
		t.Errorf("capital-T Type: %+v", a)
	}
}

func TestCorpusRisk(t *testing.T) {
	set := decodeCorpus(t, elastic+"identity_protection__test-userriskevents-raw.log")
	noProblems(t, set)
	d := set.Risks[1]
	// riskType "generic" loses to riskEventType; "T8:48:50.361Z" has an
	// unpadded hour.
	if d.EventType != "passwordSpray" || !d.DetectedTime.Equal(utc("2022-09-09T08:48:50.361Z")) {
		t.Errorf("risk: type %q detected %v", d.EventType, d.DetectedTime)
	}

	set = decodeCorpus(t, graphDocs+"v1.0__riskdetection-list__example2.json")
	d = set.Risks[0]
	if d.IP.IsValid() || d.IPRaw != "123.456.7.89" || d.Location.HasCoords ||
		d.RiskDetail != "userPerformedSecuredPasswordReset" || d.EventType != "unfamiliarFeatures" {
		t.Errorf("graph risk: %+v", d)
	}

	set = decodeCorpus(t, invictus+"202504220931-RiskyDetections.csv")
	noProblems(t, set)
	types := map[string]int{}
	v6 := 0
	for _, d := range set.Risks {
		types[d.EventType]++
		if d.IP.Is6() {
			v6++
		}
	}
	wantTypes := map[string]int{"unfamiliarFeatures": 22, "anonymizedIPAddress": 19, "unlikelyTravel": 15, "anomalousToken": 2}
	if diff := cmp.Diff(wantTypes, types); diff != "" || v6 != 1 {
		t.Errorf("types (-want +got):\n%s; IPv6 %d", diff, v6)
	}
	d = set.Risks[0]
	if d.ID != "7ab12e5b2e42054a71963c6370ac289e1e41e900783c284718d30afb84bb158d" ||
		d.RequestID != "667ec883-02ae-4eed-a49b-fbc911382b00" || d.Location.Country != "NL" ||
		!d.ActivityTime.Equal(utc("2025-01-26T20:20:44Z")) || !d.TimeApprox ||
		!strings.HasPrefix(d.AdditionalInfo, `[{"Key":"userAgent"`) {
		t.Errorf("CSV risk: %+v", d)
	}
}

func TestCorpusRiskyUsers(t *testing.T) {
	set := decodeCorpus(t, invictus+"202504220931-RiskyUsers.csv")
	noProblems(t, set)
	states, deleted := map[string]int{}, 0
	for _, u := range set.RiskyUsers {
		states[u.RiskState]++
		if u.IsDeleted {
			deleted++
		}
	}
	if diff := cmp.Diff(map[string]int{"dismissed": 58, "atRisk": 39, "remediated": 1}, states); diff != "" || deleted != 3 {
		t.Errorf("states (-want +got):\n%s; deleted %d", diff, deleted)
	}

	set = decodeCorpus(t, elastic+"identity_protection__test-rickyusers-raw.log")
	u := set.RiskyUsers[1]
	if !u.IsDeleted || !u.LastUpdated.Equal(utc("2022-09-09T09:59:27.958Z")) ||
		u.RiskLevel != "high" {
		t.Errorf("risky user: %+v", u)
	}

	set = decodeCorpus(t, graphDocs+"v1.0__riskyuser-list__placeholder-values.json")
	u = set.RiskyUsers[0]
	if u.IsDeleted || u.IsProcessing || !u.LastUpdated.IsZero() ||
		set.Warnings["riskyUser.isDeleted: placeholder read as false"] != 1 {
		t.Errorf("placeholder risky user: %+v, warnings %v", u, set.Warnings)
	}
}

func TestCorpusPanther(t *testing.T) {
	set := decodeCorpus(t, panther+"azure_failed_signins.yml.tests.ndjson")
	s := set.SignIns[0]
	// Lower-cased top-level keys, an integer resulttype, and a
	// createdDateTime with a space and no zone.
	if s.ErrorCode != 7000215 || !s.Time.Equal(utc("2023-07-26T22:58:30.9832019Z")) ||
		!s.TimeApprox ||
		s.Source != entra.SourceServicePrincipal {
		t.Errorf("panther sign-in: code %d time %v approx %v source %q", s.ErrorCode, s.Time, s.TimeApprox, s.Source)
	}
	// Hand-written events put the audit category "Policy" where the log
	// category belongs.
	set = decodeCorpus(t, panther+"azure_auth_methods_policy_oidc_change.yml.tests.ndjson")
	if len(set.Audits) != 2 ||
		set.Warnings["audit.category: directory category in the log category field"] != 2 ||
		set.Audits[0].Category != "Policy" {
		t.Errorf("audits %d warnings %v", len(set.Audits), set.Warnings)
	}
}

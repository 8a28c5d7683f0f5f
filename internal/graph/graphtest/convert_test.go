package graphtest

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLowerFirstWord(t *testing.T) {
	tests := map[string]string{
		"IPAddress":      "ipAddress",
		"UserId":         "userId",
		"Id":             "id",
		"ID":             "id",
		"AppDisplayName": "appDisplayName",
		"IsInteractive":  "isInteractive",
		"MfaDetail":      "mfaDetail",
		"already":        "already",
	}
	for in, want := range tests {
		if got := lowerFirstWord(in); got != want {
			t.Errorf("lowerFirstWord(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFromLogAnalytics converts one workspace sign-in row, as CSV gives
// it, to the Graph record.
func TestFromLogAnalytics(t *testing.T) {
	row := obj{"TenantId": "t", "TimeGenerated": "2026-09-15T02:35:17.2676477",
		"CreatedDateTime": "2026-09-15T02:33:42.2676477", "Id": "s1", "Category": "SignInLogs",
		"ResultType": "0", "UserPrincipalName": "daniel@example.net", "IPAddress": "203.0.113.77",
		"AutonomousSystemNumber": "64498", "Location": "RO",
		"LocationDetails": `{"city":"Bucharest","countryOrRegion":"RO"}`,
		"IsInteractive":   "TRUE", "ConditionalAccessPolicies": `[{"id":"p1","result":"success"}]`,
		"Status": `{"errorCode":0}`, "RiskEventTypes_V2": `["unfamiliarFeatures"]`,
		"Type": "SigninLogs"}
	got, table := fromLogAnalytics(row)
	want := obj{"createdDateTime": "2026-09-15T02:33:42.2676477Z", "id": "s1",
		"userPrincipalName": "daniel@example.net", "ipAddress": "203.0.113.77",
		"autonomousSystemNumber":           json.Number("64498"),
		"location":                         obj{"city": "Bucharest", "countryOrRegion": "RO"},
		"isInteractive":                    true,
		"appliedConditionalAccessPolicies": []any{obj{"id": "p1", "result": "success"}},
		"status":                           obj{"errorCode": json.Number("0")},
		"riskEventTypes_v2":                []any{"unfamiliarFeatures"}}
	if table != "SigninLogs" {
		t.Errorf("table = %q", table)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Graph record (-want +got):\n%s", diff)
	}
}

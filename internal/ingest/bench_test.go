package ingest

import (
	"fmt"
	"strings"
	"testing"
)

// signInTemplate is one Graph beta sign-in shaped like the documentation's
// examples, with our own values. JSON allows the line breaks.
const signInTemplate = `{"id":"00000000-0000-0000-0000-%012d",
"createdDateTime":"2024-05-02T08:%02d:%02d.1234567Z","userDisplayName":"User %d",
"userPrincipalName":"user_%d@example.com","userId":"00000000-0000-0000-0000-000000000001",
"appId":"c44b4083-3bb0-49c1-b47d-974e53cbdf3c","appDisplayName":"Azure Portal",
"ipAddress":"203.0.113.%d","clientAppUsed":"Browser","userAgent":"Mozilla/5.0 (Windows NT 10.0)",
"correlationId":"00000000-0000-0000-0000-0000000000cc","conditionalAccessStatus":"success",
"originalRequestId":"00000000-0000-0000-0000-%012d","isInteractive":true,
"authenticationProtocol":"oAuth2","riskDetail":"none","riskLevelAggregated":"none",
"riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes_v2":[],
"resourceDisplayName":"Windows Azure Service Management API",
"resourceId":"797f4846-ba00-4fd7-ba43-dac1f8f63013",
"authenticationRequirement":"multiFactorAuthentication","signInEventTypes":["interactiveUser"],
"autonomousSystemNumber":64500,
"status":{"errorCode":%d,"failureReason":"Other.","additionalDetails":null},
"deviceDetail":{"deviceId":"","displayName":"","operatingSystem":"Windows 10",
 "browser":"Edge 124.0","isCompliant":false,"isManaged":false,"trustType":""},
"location":{"city":"Tegucigalpa","state":"Francisco Morazan","countryOrRegion":"HN",
 "geoCoordinates":{"altitude":null,"latitude":14.08,"longitude":-87.2}},
"appliedConditionalAccessPolicies":[{"id":"p-1","displayName":"Require MFA",
 "enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":"success",
 "conditionsSatisfied":3,"conditionsNotSatisfied":0}],
"networkLocationDetails":[{"networkType":"namedNetwork","networkNames":["Office"]}],
"authenticationDetails":[{"authenticationStepDateTime":"2024-05-02T08:00:00Z",
 "authenticationMethod":"Password","authenticationMethodDetail":"Password in the cloud",
 "succeeded":true,"authenticationStepResultDetail":"Correct password",
 "authenticationStepRequirement":"Primary authentication"}],
"authenticationRequirementPolicies":[{"requirementProvider":"multiConditionalAccess",
 "detail":"Conditional Access"}]}`

// graphPage builds a Graph beta sign-in page of n records.
func graphPage(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",`)
	b.WriteString(`"value":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		code := []int{0, 50126, 53003}[i%3]
		fmt.Fprintf(&b, signInTemplate, i, (i/60)%60, i%60, i, i, i%250, i, code)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// BenchmarkDecodeGraphPage measures Decode and Finish on a 1,000-record
// Graph page.
func BenchmarkDecodeGraphPage(b *testing.B) {
	data := graphPage(1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		set := &Set{}
		Decode("page.json", data, set)
		set.Finish()
		if len(set.SignIns) != 1000 || len(set.Problems) != 0 {
			b.Fatalf("%d sign-ins, problems %v", len(set.SignIns), set.Problems)
		}
	}
}

package investigate

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/ipintel"
)

// The tests below take the inputs of ../../../shared/field-reports.md (our own
// rewrites of public bug reports) and assert its "right behaviour" on the
// investigation side. Decoding is tested in package ingest.

// BR-13: 50076 and 70044 set conditionalAccessStatus failure but are
// interrupts; only 53003 is a block, and the report names its policy.
func TestBR13InterruptIsNotBlock(t *testing.T) {
	set := setOf(t, map[string]string{"br13.json": `[
 {"id":"f1","createdDateTime":"2026-03-12T09:00:00Z","userPrincipalName":"user_9@example.com","ipAddress":"192.0.2.91","status":{"errorCode":50076},"conditionalAccessStatus":"failure","riskLevelDuringSignIn":"high","riskState":"atRisk"},
 {"id":"f2","createdDateTime":"2026-03-12T09:05:00Z","userPrincipalName":"user_9@example.com","ipAddress":"192.0.2.91","status":{"errorCode":70044},"conditionalAccessStatus":"failure","riskLevelDuringSignIn":"high","riskState":"atRisk"},
 {"id":"f3","createdDateTime":"2026-03-12T09:10:00Z","userPrincipalName":"user_9@example.com","ipAddress":"203.0.113.92","status":{"errorCode":53003},"conditionalAccessStatus":"failure","riskLevelDuringSignIn":"high","riskState":"atRisk","appliedConditionalAccessPolicies":[{"id":"p-block-geo","displayName":"Block outside allowed countries","result":"failure","enforcedGrantControls":["Block"]}]}
]`})
	c := runCase(t, set, "")

	blocked := finding(t, c, "blocked")
	mustContain(t, "blocked statement", blocked.Statement, "stopped 1 attempt")
	mustContain(t, "blocked statement", blocked.Statement, "Block outside allowed countries")
	mustContain(t, "blocked statement", blocked.Statement, "the block worked")
	outcomes := map[string]string{}
	for _, e := range c.Timeline {
		outcomes[e.ID] = e.Outcome
	}
	want := map[string]string{"f1": "interrupt", "f2": "interrupt", "f3": "blocked"}
	for id, w := range want {
		if outcomes[id] != w {
			t.Errorf("timeline outcome of %s = %q, want %q", id, outcomes[id], w)
		}
	}
}

// BR-11: four rows, two attempts, one explicit denial, a method switch that
// succeeded: no MFA fatigue.
func TestBR11DeniedRowsAreNotAttempts(t *testing.T) {
	set := setOf(t, map[string]string{"br11.json": `[
 {"id":"d1","originalRequestId":"d1","correlationId":"cc","createdDateTime":"2024-04-02T10:15:07.1111111Z","userPrincipalName":"user_7@example.com","ipAddress":"203.0.113.70","status":{"errorCode":500121},"authenticationDetails":[{"authenticationStepDateTime":"2024-04-02T10:15:07Z","authenticationMethod":"Mobile app notification","succeeded":false,"authenticationStepResultDetail":"MFA denied; user declined the authentication"}]},
 {"id":"d1","originalRequestId":"d1","correlationId":"cc","createdDateTime":"2024-04-02T10:15:07.1111111Z","userPrincipalName":"user_7@example.com","ipAddress":"203.0.113.70","status":{"errorCode":500121},"authenticationDetails":[{"authenticationStepDateTime":"2024-04-02T10:15:07Z","authenticationMethod":"Mobile app notification","succeeded":false,"authenticationStepResultDetail":"MFA denied; user declined the authentication"}]},
 {"id":"d2","originalRequestId":"d2","correlationId":"cc","createdDateTime":"2024-04-02T10:16:30.2222222Z","userPrincipalName":"user_7@example.com","ipAddress":"203.0.113.70","status":{"errorCode":500121},"authenticationDetails":[{"authenticationStepDateTime":"2024-04-02T10:16:30Z","authenticationMethod":"Mobile app notification","succeeded":false,"authenticationStepResultDetail":"MFA denied; duplicate authentication attempt"}]},
 {"id":"d2","originalRequestId":"d2","correlationId":"cc","createdDateTime":"2024-04-02T10:16:41.3333333Z","userPrincipalName":"user_7@example.com","ipAddress":"203.0.113.70","status":{"errorCode":0},"authenticationDetails":[{"authenticationStepDateTime":"2024-04-02T10:16:41Z","authenticationMethod":"Text message","succeeded":true,"authenticationStepResultDetail":"MFA successfully completed"}]}
]`})
	c := runCase(t, set, "")

	if c.Sources.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", c.Sources.Attempts)
	}
	f := finding(t, c, "mfa-prompts")
	if f.Kind != KindRuledOut {
		t.Errorf("mfa finding kind = %s, want ruled_out: %s", f.Kind, f.Statement)
	}
	mustContain(t, "mfa statement", f.Statement, "1 attempt had a denied")
	if hasDetection(c, "ENTRA-MFA-FATIGUE") {
		t.Error("MFA fatigue fired on one denial")
	}
}

// S-07 malicious and BR-36: seven denied attempts then an approval from one
// unfamiliar address is fatigue that worked; a fraud report alone is a
// high-severity signal.
func TestS07MFAFatigueAndBR36Fraud(t *testing.T) {
	start := mustTime("2026-05-10T22:00:00Z")
	user := "user_43@example.com"
	base := baselineRecs(user, "198.51.100.43", "PT", 38.7, -9.1, start, 10)

	var attack []rec
	for i := range 7 {
		attack = append(attack, signIn(fmt.Sprintf("att-%d", i), start.Add(time.Duration(i)*
			2*time.Minute), user, "203.0.113.99", "RU", 55.7, 37.6, 500121).
			with("authenticationDetails", []any{
				map[string]any{"authenticationMethod": "Password", "succeeded": true,
					"authenticationStepResultDetail": "Correct password"},
				map[string]any{"authenticationMethod": "Mobile app notification",
					"succeeded": false,
					"authenticationStepResultDetail": "MFA denied; user did not respond " +
						"to mobile app notification"}}))
	}
	attack = append(attack, signIn("att-ok", start.Add(18*time.Minute), user, "203.0.113.99",
		"RU", 55.7, 37.6, 0))

	c := runCase(t, setOf(t, map[string]string{"s07.json": array(t, base, attack)}), "")
	if c.Verdict.Outcome != OutcomeCompromised {
		t.Fatalf("verdict = %+v, want compromised", c.Verdict)
	}
	f := finding(t, c, "mfa-prompts")
	mustContain(t, "mfa statement", f.Statement, "7 denied or unanswered MFA prompts")
	if !hasDetection(c, "ENTRA-MFA-FATIGUE") {
		t.Error("ENTRA-MFA-FATIGUE did not fire")
	}

	fraud := setOf(t, map[string]string{"br36.json": `{"id":"y1","originalRequestId":"y1","createdDateTime":"2022-04-04T22:10:00Z","userPrincipalName":"user_31@example.com","ipAddress":"203.0.113.210","status":{"errorCode":500121},"authenticationDetails":[{"authenticationStepDateTime":"2022-04-04T22:10:00Z","authenticationMethod":"Mobile app notification","succeeded":false,"authenticationStepResultDetail":"MFA denied; Phone App Reported Fraud"}]}`})
	c = runCase(t, fraud, "")
	if f := finding(t, c, "mfa-prompts"); f.Kind != KindConfirmed ||
		!strings.Contains(f.Statement, "reported 1 MFA prompt as fraud") {
		t.Errorf("fraud finding = %s: %s", f.Kind, f.Statement)
	}
}

// BR-33: a blocked risky attempt is informational; a dismissed risk is
// shown as an earlier decision; an open risk on a failed attempt is a
// finding.
func TestBR33RiskStates(t *testing.T) {
	set := setOf(t, map[string]string{"br33.json": `[
 {"id":"t1","createdDateTime":"2026-07-08T10:00:00Z","userPrincipalName":"user_25@example.com","riskLevelDuringSignIn":"high","riskLevelAggregated":"none","riskState":"none","status":{"errorCode":53003}},
 {"id":"t2","createdDateTime":"2026-07-08T10:05:00Z","userPrincipalName":"user_26@example.com","riskLevelDuringSignIn":"high","riskLevelAggregated":"high","riskState":"dismissed","status":{"errorCode":0}},
 {"id":"t3","createdDateTime":"2026-07-08T10:10:00Z","userPrincipalName":"user_27@example.com","riskLevelDuringSignIn":"high","riskLevelAggregated":"high","riskState":"atRisk","status":{"errorCode":50126}}
]`})

	c := runCase(t, set, "user_25@example.com")
	if c.Verdict.Disposition == TruePositive {
		t.Errorf("t1 alone gave %s, want no takeover verdict", c.Verdict.Label)
	}

	c = runCase(t, set, "user_26@example.com")
	if f := finding(t, c, "prior-triage"); f.Kind != KindPivot ||
		!strings.Contains(f.Statement, "dismissed") {
		t.Errorf("t2 prior triage = %s: %s", f.Kind, f.Statement)
	}
	if c.Verdict.Outcome == OutcomeCompromised {
		t.Errorf("t2 (dismissed) gave %s", c.Verdict.Label)
	}
	if len(c.Timeline) != 1 {
		t.Errorf("t2 timeline has %d events, want the dismissed record kept", len(c.Timeline))
	}

	c = runCase(t, set, "user_27@example.com")
	if f := finding(t, c, "risky-signins"); f.Kind != KindConfirmed {
		t.Errorf("t3 risky finding = %s: %s", f.Kind, f.Statement)
	}
}

// BR-35: device, MFA, KMSI and sign-in-frequency interrupts ending in
// success are zero password failures.
func TestBR35NonPasswordCodes(t *testing.T) {
	set := setOf(t, map[string]string{"br35.json": `[
 {"id":"x1","createdDateTime":"2023-12-21T09:00:00Z","userPrincipalName":"user_30@example.com","ipAddress":"192.0.2.30","status":{"errorCode":50097}},
 {"id":"x2","createdDateTime":"2023-12-21T09:01:00Z","userPrincipalName":"user_30@example.com","ipAddress":"192.0.2.30","status":{"errorCode":50074}},
 {"id":"x3","createdDateTime":"2023-12-21T09:02:00Z","userPrincipalName":"user_30@example.com","ipAddress":"192.0.2.30","status":{"errorCode":50140}},
 {"id":"x4","createdDateTime":"2023-12-21T09:03:00Z","userPrincipalName":"user_30@example.com","ipAddress":"192.0.2.30","status":{"errorCode":70043}},
 {"id":"x5","createdDateTime":"2023-12-21T09:04:00Z","userPrincipalName":"user_30@example.com","ipAddress":"192.0.2.30","status":{"errorCode":0}}
]`})
	c := runCase(t, set, "")
	for _, e := range c.Timeline {
		if e.Outcome == "failed" {
			t.Errorf("%s counted as failed: %s", e.ID, e.Summary)
		}
	}
	if hasDetection(c, "ENTRA-LOCKOUT-BURST") {
		t.Error("password guessing fired on interrupts")
	}
}

// BR-21 and BR-16: a 344 km jump within one country, and two spellings of
// one IPv6 address, are no impossible travel and one address.
func TestBR21AndBR16Places(t *testing.T) {
	set := setOf(t, map[string]string{"br21.json": `[
 {"id":"m1","createdDateTime":"2023-05-25T09:00:00Z","userPrincipalName":"user_17@example.com","ipAddress":"198.51.100.170","location":{"countryOrRegion":"TR","city":"Istanbul","geoCoordinates":{"latitude":41.0,"longitude":29.0}},"status":{"errorCode":0}},
 {"id":"m2","createdDateTime":"2023-05-25T09:15:00Z","userPrincipalName":"user_17@example.com","ipAddress":"198.51.100.171","location":{"countryOrRegion":"TR","city":"Ankara","geoCoordinates":{"latitude":39.9,"longitude":32.8}},"status":{"errorCode":0}}
]`, "br16.json": `[
 {"id":"h1","createdDateTime":"2023-06-15T10:00:00Z","userPrincipalName":"user_12@example.com","appDisplayName":"Office 365 SharePoint Online","ipAddress":"2001:db8:10::25","status":{"errorCode":0}},
 {"id":"h2","createdDateTime":"2023-06-15T10:04:00Z","userPrincipalName":"user_12@example.com","appDisplayName":"Office 365 SharePoint Online","ipAddress":"2001:DB8:10:0:0:0:0:25","status":{"errorCode":50126}},
 {"id":"h3","createdDateTime":"2023-06-15T10:06:00Z","userPrincipalName":"user_12@example.com","appDisplayName":"Office 365 SharePoint Online","ipAddress":"::ffff:203.0.113.5","status":{"errorCode":0}}
]`})

	c := runCase(t, set, "user_17@example.com")
	if f := finding(t, c, "impossible-travel"); f.Kind == KindConfirmed {
		t.Errorf("Istanbul to Ankara is impossible travel: %s", f.Statement)
	}

	c = runCase(t, set, "user_12@example.com")
	var ips []string
	for _, ip := range c.IPs {
		ips = append(ips, ip.IP)
	}
	if got := strings.Join(ips, " "); got != "2001:db8:10::25 203.0.113.5" {
		t.Errorf("addresses = %q, want the two canonical forms", got)
	}
}

// BR-19: placeholder and empty principal names are nobody; case variants
// of one name are one person.
func TestBR19Identity(t *testing.T) {
	set := setOf(t, map[string]string{"br19.json": `[
 {"id":"k1","createdDateTime":"2024-09-25T09:00:00Z","userId":"u5","userPrincipalName":"User_15@Example.com","ipAddress":"198.51.100.150","location":{"countryOrRegion":"DE"},"status":{"errorCode":0}},
 {"id":"k2","createdDateTime":"2024-09-25T09:10:00Z","userId":"u5","userPrincipalName":"user_15@example.com","ipAddress":"198.51.100.150","location":{"countryOrRegion":"DE"},"status":{"errorCode":0}},
 {"id":"k3","createdDateTime":"2024-09-25T09:12:00Z","userId":"","userPrincipalName":"","ipAddress":"203.0.113.151","location":{"countryOrRegion":"BR"},"status":{"errorCode":50034}},
 {"id":"k4","createdDateTime":"2024-09-25T09:13:00Z","userId":"","userPrincipalName":"Not Available","ipAddress":"203.0.113.152","location":{"countryOrRegion":"VN"},"status":{"errorCode":50034}}
]`})
	c := runCase(t, set, "")
	if c.User != "user_15@example.com" || c.Sources.SignIns != 2 {
		t.Errorf("user %q with %d sign-ins, want user_15@example.com with 2", c.User,
			c.Sources.SignIns)
	}
	if f := finding(t, c, "impossible-travel"); f.Kind == KindConfirmed {
		t.Errorf("impossible travel across unrelated people: %s", f.Statement)
	}
}

// BR-32 and BR-30: an export of interactive sign-ins only, and one that
// stops at a known cap, lower the confidence and say why.
func TestBR32AndBR30Coverage(t *testing.T) {
	start := mustTime("2024-06-08T00:00:00Z")
	recs := baselineRecs("user_33@example.com", "198.51.100.33", "FR", 48.8, 2.3, start, 1000)
	c := runCase(t, setOf(t, map[string]string{"cap.json": array(t, recs)}), "")

	got := strings.Join(c.Coverage, "\n")
	mustContain(t, "coverage", got, "not covered: non-interactive sign-ins")
	mustContain(t, "coverage", got, "known export cap (1000)")
}

// BR-37: one admin action written twice appears once in the timeline, both
// records kept.
func TestBR37OneActionTwoRecords(t *testing.T) {
	set := setOf(t, map[string]string{"br37.json": `[
 {"id":"Audit_0001","activityDateTime":"2026-08-20T14:00:00.100Z","loggedByService":"Authentication Methods","category":"UserManagement","activityDisplayName":"Admin registered security info","result":"success","correlationId":"z1","initiatedBy":{"user":{"userPrincipalName":"admin_2@example.com"}},"targetResources":[{"type":"User","userPrincipalName":"user_32@example.com"}]},
 {"id":"Audit_0002","activityDateTime":"2026-08-20T14:00:00.100Z","loggedByService":"Core Directory","category":"UserManagement","activityDisplayName":"Update user","result":"success","correlationId":"z1","initiatedBy":{"user":{"userPrincipalName":"admin_2@example.com"}},"targetResources":[{"type":"User","userPrincipalName":"user_32@example.com","modifiedProperties":[{"displayName":"StrongAuthenticationPhoneAppDetail","oldValue":"[]","newValue":"[{\"DeviceName\":\"phone-x\"}]"}]}]}
]`})
	if len(set.Audits) != 2 {
		t.Fatalf("kept %d audit records, want 2", len(set.Audits))
	}
	c := runCase(t, set, "user_32@example.com")
	n := 0
	for _, e := range c.Timeline {
		if e.Kind == "audit" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("timeline shows the action %d times, want once", n)
	}
}

// S-01: a traveller whose VPN egress is a trusted named location gets no
// impossible travel and no many-countries finding, and a benign verdict.
func TestS01TrustedVPNEgress(t *testing.T) {
	user := "user_40@example.com"
	start := mustTime("2026-02-02T08:00:00Z")
	recs := baselineRecs(user, "192.0.2.40", "PT", 38.72, -9.14, start, 14)
	for i := range 12 {
		at := start.Add(time.Duration(i) * 7 * time.Minute)
		r := signIn(fmt.Sprintf("split-%02d", i), at, user, "192.0.2.40", "PT", 38.72, -9.14, 0)
		if i%2 == 1 {
			r = signIn(fmt.Sprintf("split-%02d", i), at, user, "198.51.100.7", "DE", 50.11,
				8.68, 0).with("networkLocationDetails", []any{map[string]any{
				"networkType": "trustedNamedLocation", "networkNames": []string{"Corp VPN"}}})
		}
		if i == 3 {
			r = r.with("riskLevelDuringSignIn", "medium").with("riskState", "atRisk").
				with("riskEventTypes_v2", []string{"unlikelyTravel"})
		}
		recs = append(recs, r.with("deviceDetail", map[string]any{"deviceId": "dev-user_4",
			"isManaged": true}))
	}

	c := runCase(t, setOf(t, map[string]string{"s01.json": array(t, recs)}), "")
	if f := finding(t, c, "impossible-travel"); f.Kind == KindConfirmed {
		t.Errorf("impossible travel through a trusted egress: %s", f.Statement)
	}
	if f := finding(t, c, "distinct-countries"); f.Kind == KindConfirmed {
		t.Errorf("many countries through a trusted egress: %s", f.Statement)
	}
	if c.Verdict.Disposition != BenignPositive {
		t.Errorf("verdict = %s (%s), want benign", c.Verdict.Label, c.Verdict.Rule)
	}
	mustContain(t, "signals", fmt.Sprint(c.Verdict.Signals), "trusted named networks (Corp VPN)")
}

// BR-18 and S-10: non-interactive sign-ins from configured provider networks
// never count as the user's presence.
func TestBR18ProviderInfrastructure(t *testing.T) {
	user := "user_14@example.com"
	start := mustTime("2024-09-13T07:00:00Z")
	recs := baselineRecs(user, "198.51.100.140", "BE", 50.85, 4.35, start, 10)
	recs = append(recs,
		signIn("j1", start, user, "198.51.100.140", "BE", 50.85, 4.35, 0),
		signIn("j2", start.Add(20*time.Minute), user, "192.0.2.200", "IE", 53.35, -6.26, 0).
			with("isInteractive", false).with("signInEventTypes", []string{"nonInteractiveUser"}).
			with("appDisplayName", "Office 365 Exchange Online"))
	set := setOf(t, map[string]string{"br18.json": array(t, recs)})

	cfg := DefaultConfig()
	cfg.ProviderNetworks = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	c, err := Run(set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.Verdict.Outcome == OutcomeCompromised || len(c.Pivots) > 0 {
		t.Errorf("provider sign-in read as an attacker: %s, pivots %v", c.Verdict.Label,
			c.Pivots)
	}
	found := false
	for _, e := range c.Timeline {
		found = found || e.ID == "j2"
	}
	if !found {
		t.Error("provider sign-in missing from the timeline")
	}

	// Without the provider list the same record is an unexplained success.
	c = runCase(t, set, "")
	if c.Verdict.Outcome != OutcomeCompromised {
		t.Errorf("without provider networks: %s, want the success flagged", c.Verdict.Label)
	}
}

func TestUserSelection(t *testing.T) {
	two := map[string]string{"two.json": `[
 {"id":"a","createdDateTime":"2024-01-01T00:00:00Z","userPrincipalName":"a@example.com","status":{"errorCode":0}},
 {"id":"b","createdDateTime":"2024-01-01T00:00:00Z","userPrincipalName":"b@example.com","status":{"errorCode":0}}
]`}
	_, err := Run(setOf(t, two), DefaultConfig())
	if !isAmbiguous(err) {
		t.Fatalf("two users, no alert: err = %v, want AmbiguousUserError", err)
	}
	mustContain(t, "error", err.Error(), "a@example.com, b@example.com")

	cfg := DefaultConfig()
	cfg.User = "nobody@example.com"
	if _, err := Run(setOf(t, two), cfg); err == nil ||
		!strings.Contains(err.Error(), "does not appear") {
		t.Errorf("unknown user: err = %v", err)
	}

	two["alert.json"] = `{"value":[{"id":"u-b","userPrincipalName":"B@example.com","riskLevel":"high","riskState":"atRisk","riskDetail":"none","riskLastUpdatedDateTime":"2024-01-01T00:00:00Z"}]}`
	c, err := Run(setOf(t, two), DefaultConfig())
	if err != nil || c.User != "b@example.com" {
		t.Errorf("alert names b: user %v, err %v", c, err)
	}

	if _, err := Run(setOf(t, map[string]string{}), DefaultConfig()); err != ErrNoUser {
		t.Errorf("empty input: err = %v, want ErrNoUser", err)
	}
}

// BR-15, BR-22, BR-35: the run summary says how many failures came without
// authenticationDetails, which categories and codes were unknown, and how
// many rows were merged or dropped.
func TestBR15InputNotes(t *testing.T) {
	set := setOf(t, map[string]string{"br15.json": `[
 {"id":"g1","createdDateTime":"2025-11-20T04:54:15.2503419Z","userPrincipalName":"user_11@example.com","ipAddress":"203.0.113.111","status":{"errorCode":50126,"failureReason":"Invalid username or password."},"authenticationDetails":[]},
 {"id":"g2","createdDateTime":"2025-11-20T04:55:15Z","userPrincipalName":"user_11@example.com","ipAddress":"203.0.113.111","status":{"errorCode":50126},"authenticationDetails":[{"authenticationMethod":"Password","succeeded":false,"authenticationStepResultDetail":"Invalid username or password"}]},
 {"id":"g3","createdDateTime":"2025-11-20T04:56:15Z","userPrincipalName":"user_11@example.com","ipAddress":"203.0.113.111","status":{"errorCode":99999}},
 {"id":"g3","createdDateTime":"2025-11-20T04:56:15Z","userPrincipalName":"user_11@example.com","ipAddress":"203.0.113.111","status":{"errorCode":99999}}
]`})
	c := runCase(t, set, "")
	notes := strings.Join(c.InputNotes, "\n")
	mustContain(t, "notes", notes, "50% of failed sign-ins (1 of 2) carry no authenticationDetails")
	mustContain(t, "notes", notes, "does not know, reported rather than guessed: 99999 (1)")
	mustContain(t, "notes", notes, "1 record dropped as exact duplicates")
	if c.Sources.SignIns != 3 {
		t.Errorf("sign-ins = %d, want 3 (the failure without details still counts)",
			c.Sources.SignIns)
	}
}

// S-09: a new hire's first sign-ins from a new place, right after the
// account was created, carry the onboarding context.
func TestS09Onboarding(t *testing.T) {
	user := "new_1@example.com"
	start := mustTime("2026-04-06T09:00:00Z")
	recs := baselineRecs(user, "198.51.100.90", "NL", 52.37, 4.9, start, 6)
	recs = append(recs, signIn("n1", start, user, "203.0.113.90", "BE", 51.2, 4.4, 0).
		with("riskLevelDuringSignIn", "medium").with("riskState", "atRisk"))
	audit := `[{"id":"Directory_add","activityDateTime":"2026-03-30T08:00:00Z","activityDisplayName":"Add user","category":"UserManagement","result":"success","initiatedBy":{"user":{"userPrincipalName":"admin_9@example.com"}},"targetResources":[{"type":"User","userPrincipalName":"new_1@example.com"}]}]`
	c := runCase(t, setOf(t, map[string]string{"s09.json": array(t, recs), "audit.json": audit}),
		"")
	mustContain(t, "signals", fmt.Sprint(c.Verdict.Signals), "the account was created on 2026-03-30")
}

// S-01 without named locations in the records: the tenant's known-networks
// file marks the VPN egress trusted, and that is enough.
func TestS01KnownNetworksFile(t *testing.T) {
	user := "user_41@example.com"
	start := mustTime("2026-02-02T08:00:00Z")
	recs := baselineRecs(user, "192.0.2.41", "PT", 38.72, -9.14, start, 14)
	for i := range 10 {
		at := start.Add(time.Duration(i) * 7 * time.Minute)
		ip, c, lat, lon := "192.0.2.41", "PT", 38.72, -9.14
		if i%2 == 1 {
			ip, c, lat, lon = "198.51.100.7", "DE", 50.11, 8.68
		}
		r := signIn(fmt.Sprintf("kn-%02d", i), at, user, ip, c, lat, lon, 0)
		if i == 3 {
			r = r.with("riskLevelDuringSignIn", "medium").with("riskState", "atRisk")
		}
		recs = append(recs, r)
	}
	known := filepath.Join(t.TempDir(), "known.csv")
	if err := os.WriteFile(known, []byte("cidr,name,trusted\n198.51.100.0/24,"+
		"Corp VPN Frankfurt,true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := ipintel.Open(context.Background(), ipintel.Config{KnownNetworks: known})
	defer res.Close()

	cfg := DefaultConfig()
	cfg.Intel = func(tab *ipintel.Table, addrs []string) []string {
		res.Resolve(context.Background(), tab, addrs)
		return nil
	}
	c, err := Run(setOf(t, map[string]string{"s01k.json": array(t, recs)}), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f := finding(t, c, "impossible-travel"); f.Kind == KindConfirmed {
		t.Errorf("impossible travel through a trusted egress: %s", f.Statement)
	}
	if c.Verdict.Disposition != BenignPositive {
		t.Errorf("verdict = %s (%s), want benign", c.Verdict.Label, c.Verdict.Rule)
	}
	mustContain(t, "signals", fmt.Sprint(c.Verdict.Signals), "Corp VPN Frankfurt")
}

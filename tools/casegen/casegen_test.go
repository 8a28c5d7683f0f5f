package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// repoRoot is where the committed outputs live, seen from this package.
var repoRoot = filepath.Join("..", "..")

// TestCommittedOutputsMatchGenerator is the drift guard: the committed files
// must be exactly what the generator writes now.
func TestCommittedOutputsMatchGenerator(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range generate() {
		want, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.path)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(f.path)))
		switch {
		case err != nil:
			t.Errorf("%s: not committed (%v); run go run ./tools/casegen", f.path, err)
		case !bytes.Equal(got, want):
			t.Errorf("%s differs from the generator's output; run go run ./tools/casegen and commit", f.path)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := generate(), generate()
	if len(a) != len(b) {
		t.Fatalf("two runs wrote %d and %d files", len(a), len(b))
	}
	for i := range a {
		if a[i].path != b[i].path || !bytes.Equal(a[i].data, b[i].data) {
			t.Errorf("%s: two runs differ", a[i].path)
		}
	}
}

// outputs returns the generated files by path.
func outputs(t *testing.T) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, f := range generate() {
		if _, dup := m[f.path]; dup {
			t.Fatalf("%s written twice", f.path)
		}
		m[f.path] = f.data
	}
	return m
}

func decodePage[T any](t *testing.T, data []byte) []T {
	t.Helper()
	var page struct {
		Context string `json:"@odata.context"`
		Value   []T    `json:"value"`
	}
	if err := json.Unmarshal(data, &page); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(page.Context, "https://graph.microsoft.com/") {
		t.Errorf("@odata.context = %q", page.Context)
	}
	return page.Value
}

// TestReferenceCaseTellsTheDesignStory checks the numbers DESIGN.md and the
// brief fix, from the written files rather than the generator's state.
func TestReferenceCaseTellsTheDesignStory(t *testing.T) {
	out := outputs(t)
	type signInRec struct {
		ID              string   `json:"id"`
		Created         string   `json:"createdDateTime"`
		IP              string   `json:"ipAddress"`
		App             string   `json:"appDisplayName"`
		CAStatus        string   `json:"conditionalAccessStatus"`
		RiskState       string   `json:"riskState"`
		RiskEventTypes  []string `json:"riskEventTypes_v2"`
		SignInEventType []string `json:"signInEventTypes"`
		Status          struct {
			ErrorCode int `json:"errorCode"`
		} `json:"status"`
		Location struct {
			Country string `json:"countryOrRegion"`
		} `json:"location"`
		Steps []struct {
			Result string `json:"authenticationStepResultDetail"`
		} `json:"authenticationDetails"`
	}
	signIns := decodePage[signInRec](t, out[refDir+"/signins.json"])
	if len(signIns) != 82 {
		t.Errorf("sign-ins = %d, want 82", len(signIns))
	}

	var blocked []signInRec
	codes := map[int]int{}
	var prev time.Time
	for i, s := range signIns {
		codes[s.Status.ErrorCode]++
		ts, err := time.Parse(time.RFC3339Nano, s.Created)
		if err != nil || len(s.Created) != len("2026-11-17T02:10:14.1234567Z") {
			t.Errorf("%s: createdDateTime %q is not seven-digit UTC", s.ID, s.Created)
		}
		if i > 0 && ts.After(prev) {
			t.Errorf("%s: not newest first", s.ID)
		}
		prev = ts
		if s.Status.ErrorCode == 53003 || s.Status.ErrorCode == 53004 {
			blocked = append(blocked, s)
		}
	}
	if codes[53003] != 3 || codes[53004] != 2 || codes[50053] != 2 {
		t.Errorf("codes = %v, want 3 × 53003, 2 × 53004, 2 × 50053", codes)
	}
	countries := map[string]bool{}
	var first, last time.Time
	for _, s := range blocked {
		countries[s.Location.Country] = true
		ts, _ := time.Parse(time.RFC3339Nano, s.Created)
		if first.IsZero() || ts.Before(first) {
			first = ts
		}
		if ts.After(last) {
			last = ts
		}
		if s.CAStatus != "failure" || s.RiskState != "atRisk" || len(s.RiskEventTypes) == 0 {
			t.Errorf("%s: blocked attempt with CA %q, risk %q %v", s.ID, s.CAStatus, s.RiskState, s.RiskEventTypes)
		}
		for _, st := range s.Steps {
			if st.Result == "Correct password" {
				t.Errorf("%s: a blocked attempt shows a correct password", s.ID)
			}
		}
	}
	for _, c := range []string{"BD", "MY", "ES", "PH", "MX"} {
		if !countries[c] {
			t.Errorf("no blocked attempt from %s", c)
		}
	}
	if span := last.Sub(first); span > 21*time.Hour {
		t.Errorf("blocked attempts span %v, want at most 21h", span)
	}

	type auditRec struct {
		ID       string `json:"id"`
		Activity string `json:"activityDisplayName"`
		Result   string `json:"result"`
		Reason   string `json:"resultReason"`
		When     string `json:"activityDateTime"`
		By       struct {
			User *struct {
				UPN string `json:"userPrincipalName"`
				IP  string `json:"ipAddress"`
			} `json:"user"`
		} `json:"initiatedBy"`
	}
	audits := decodePage[auditRec](t, out[refDir+"/audits.json"])
	if len(audits) != 44 {
		t.Errorf("audits = %d, want 44", len(audits))
	}
	var unlocks, onPrem, fuzzy int
	var resetTimes []time.Time
	for _, a := range audits {
		switch {
		case a.Activity == actUnlock && a.Result == "success":
			unlocks++
			if a.By.User == nil || a.By.User.IP != "186.2.128.77" || !strings.Contains(a.Reason, "SMS") {
				t.Errorf("%s: unlock not by SMS from 186.2.128.77", a.ID)
			}
		case a.Activity == actReset && a.Result == "failure":
			ts, _ := time.Parse(time.RFC3339Nano, a.When)
			resetTimes = append(resetTimes, ts)
			if strings.Contains(a.Reason, "OnPremisesPolicyViolation") {
				onPrem++
			}
			if strings.Contains(a.Reason, "FuzzyPolicyViolation") {
				fuzzy++
			}
			if a.By.User == nil || a.By.User.IP != "186.2.128.77" {
				t.Errorf("%s: failed reset not from 186.2.128.77", a.ID)
			}
		case a.Activity == actReset, strings.Contains(strings.ToLower(a.Activity), "security info"):
			t.Errorf("%s: %s %s must not exist in the reference case", a.ID, a.Activity, a.Result)
		}
	}
	if unlocks != 2 || onPrem != 2 || fuzzy != 2 || len(resetTimes) != 4 {
		t.Errorf("unlocks %d, failed resets %d (OnPrem %d, Fuzzy %d); want 2, 4 (2, 2)", unlocks, len(resetTimes), onPrem, fuzzy)
	}
	if len(resetTimes) == 4 && resetTimes[0].Sub(resetTimes[3]) > time.Hour {
		t.Errorf("failed resets span %v, want within an hour", resetTimes[0].Sub(resetTimes[3]))
	}

	// One IPData answer per address the sign-ins use.
	ips := map[string]bool{}
	for _, s := range signIns {
		ips[s.IP] = true
	}
	sc := bufio.NewScanner(bytes.NewReader(out[refDir+"/ipdata.ndjson"]))
	answered := map[string]bool{}
	for sc.Scan() {
		var a struct {
			IP  string `json:"ip"`
			ASN struct {
				ASN  string `json:"asn"`
				Type string `json:"type"`
			} `json:"asn"`
			Threat struct {
				Scores struct {
					VPN int `json:"vpn_score"`
				} `json:"scores"`
			} `json:"threat"`
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		answered[a.IP] = true
		if a.IP == "103.106.24.57" && (a.Threat.Scores.VPN != 99 || a.ASN.Type != "hosting") {
			t.Errorf("the Bangladesh address must be a hosting VPN scored 99")
		}
		if strings.HasPrefix(a.IP, "186.2.128.") && a.ASN.ASN != "AS27884" {
			t.Errorf("%s: ASN %s, want AS27884", a.IP, a.ASN.ASN)
		}
	}
	if len(answered) != len(ips) {
		t.Errorf("ipdata answers %d addresses, sign-ins use %d", len(answered), len(ips))
	}
	for ip := range ips {
		if !answered[ip] {
			t.Errorf("no IPData answer for %s", ip)
		}
	}
}

// TestFixturesDecode reads every fixture in its own shape and checks its
// expectation and size.
func TestFixturesDecode(t *testing.T) {
	out := outputs(t)
	records := map[string]int{}
	for path, data := range out {
		if !strings.HasPrefix(path, casesDir+"/") {
			continue
		}
		name := strings.Split(strings.TrimPrefix(path, casesDir+"/"), "/")[0]
		base := filepath.Base(path)
		switch {
		case base == "expect.json":
			checkExpect(t, path, data)
		case strings.HasSuffix(base, ".ndjson"):
			for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
				if !json.Valid([]byte(line)) {
					t.Errorf("%s: line %d is not JSON", path, i+1)
				}
				records[name]++
			}
		case strings.HasSuffix(base, ".csv"):
			rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			records[name] += len(rows) - 1
		default:
			text := string(data)
			switch {
			case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
				text = decodeUTF16LE(data[2:])
			case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
				text = string(data[3:])
			}
			var v any
			if err := json.Unmarshal([]byte(text), &v); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			switch v := v.(type) {
			case []any:
				records[name] += len(v)
			case map[string]any:
				if r, ok := v["records"].([]any); ok {
					records[name] += len(r)
				} else {
					records[name]++
				}
			}
		}
	}
	for _, name := range []string{"compromised-sspr-mfa-registered", "mfa-fatigue-approved",
		"travel-corporate-vpn", "own-sspr-from-home", "thin-evidence"} {
		n := records[name]
		if n == 0 {
			t.Errorf("%s: no records", name)
		}
		if name != "thin-evidence" && (n < 10 || n > 40) {
			t.Errorf("%s: %d records, want 10 to 40", name, n)
		}
	}
}

func checkExpect(t *testing.T, path string, data []byte) {
	t.Helper()
	var e expectation
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	valid := map[string][]string{
		"disposition": {"true_positive", "benign_positive", "false_positive", "undetermined"},
		"outcome":     {"", "blocked", "compromised"},
		"confidence":  {"low", "medium", "high", "confirmed"},
	}
	for field, got := range map[string]string{"disposition": e.Disposition, "outcome": e.Outcome, "confidence": e.Confidence} {
		if !contains(valid[field], got) {
			t.Errorf("%s: %s %q is not one of %q", path, field, got, valid[field])
		}
	}
	if e.Outcome != "" && e.Disposition != "true_positive" {
		t.Errorf("%s: only a true positive has an outcome", path)
	}
	if !strings.HasSuffix(e.User, "@example.com") && !strings.HasSuffix(e.User, "@example.org") &&
		!strings.HasSuffix(e.User, "@example.net") {
		t.Errorf("%s: user %q is not on a reserved example domain", path, e.User)
	}
	if e.Why == "" || strings.Count(e.Why, ". ") > 0 {
		t.Errorf("%s: why must be one sentence", path)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func decodeUTF16LE(b []byte) string {
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(units))
}

// TestPowerShellLayout pins the Windows PowerShell 5.1 layout on a small
// value, so a change to psJSON shows up here before it shows up as a diff
// in the fixtures.
func TestPowerShellLayout(t *testing.T) {
	got := string(psJSON([]obj{{{"id", "a'b<c"}, {"list", []string{}}, {"nested", obj{{"n", 1}}}}}))
	want := "[\r\n" +
		"    {\r\n" +
		"        \"id\":  \"a\\u0027b\\u003cc\",\r\n" +
		"        \"list\":  [\r\n" +
		"\r\n" +
		"                 ],\r\n" +
		"        \"nested\":  {\r\n" +
		"                       \"n\":  1\r\n" +
		"                   }\r\n" +
		"    }\r\n" +
		"]\r\n"
	if got != want {
		t.Errorf("psJSON:\n%q\nwant\n%q", got, want)
	}
}

package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBadBodies(t *testing.T) {
	n := embeddedNode(t, options{maxBody: 4096})
	tok := addTokens(t, n.store)
	caseID := postJSON(t, n, tok.analyst, riskyUser(1))[0]
	waitCases(t, n.store, 1, 30*time.Second)

	alerts := "/api/v1/alerts"
	decisions := "/api/v1/cases/" + caseID + "/decisions"
	ctype, form := multipartBody(t, "", riskyUser(2), map[string][]byte{
		"big.json": []byte(strings.Repeat(" ", 5000))})
	tests := []struct {
		name, path, ctype, body string
		want                    int
		says                    string
	}{
		{"malformed alert JSON", alerts, "application/json", `{"id": "x",`, 400,
			"malformed JSON"},
		{"alert JSON with a syntax error", alerts, "application/json", `{"id" "x"}`, 400,
			"at byte"},
		{"empty alert", alerts, "application/json", ``, 400, "malformed JSON"},
		{"alert over the limit", alerts, "application/json",
			`{"pad":"` + strings.Repeat("x", 5000) + `"}`, 413, "limit"},
		{"form over the limit", alerts, ctype, string(form), 413, "limit"},
		{"JSON that is no alert", alerts, "application/json", `{"hello":"world"}`, 422,
			"no riskyUser or riskDetection"},
		{"alert with no user", alerts, "application/json",
			`{"id":"u1","riskLevel":"high","riskState":"atRisk",` +
				`"riskLastUpdatedDateTime":"2026-11-17T22:56:05Z"}`, 422, "userPrincipalName"},
		{"unsupported type", alerts, "text/plain", `hello`, 415, "Content-Type"},
		{"form without an alert", alerts, "multipart/form-data; boundary=x",
			"--x\r\nContent-Disposition: form-data; name=\"tenant\"\r\n\r\nt\r\n--x--\r\n", 400,
			"holding the alert JSON"},
		{"malformed decision", decisions, "application/json", `{"action":`, 400,
			"malformed JSON"},
		{"decision with an unknown field", decisions, "application/json",
			`{"action":"confirm","note":"x","verdict":"tp"}`, 400, "unknown field"},
		{"decision with a wrong type", decisions, "application/json",
			`{"action":"confirm","note":7}`, 400, "wants string"},
		{"decision without a note", decisions, "application/json", `{"action":"confirm"}`,
			400, "note"},
		{"overturn without a label", decisions, "application/json",
			`{"action":"overturn","note":"no"}`, 400, "label"},
		{"unknown action", decisions, "application/json", `{"action":"maybe","note":"x"}`,
			400, "action"},
		{"decision over the limit", decisions, "application/json",
			`{"action":"confirm","note":"` + strings.Repeat("x", 70<<10) + `"}`, 413, "limit"},
		{"decision on no case", "/api/v1/cases/nope/decisions", "application/json",
			`{"action":"confirm","note":"x"}`, 404, "no case"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, b := call(t, "POST", n.http.URL+tt.path, tok.analyst, tt.ctype,
				[]byte(tt.body))
			if status != tt.want || !strings.Contains(string(b), tt.says) {
				t.Errorf("POST %s = %d %s; want %d saying %q", tt.path, status, b, tt.want,
					tt.says)
			}
			if !strings.Contains(string(b), `"error"`) {
				t.Errorf("the refusal is not a JSON error: %s", b)
			}
		})
	}
	if status, _ := call(t, "GET", n.http.URL+"/api/v1/cases/"+caseID+"?format=pdf",
		tok.reader, "", nil); status != http.StatusBadRequest {
		t.Errorf("format=pdf = %d, want 400", status)
	}
}

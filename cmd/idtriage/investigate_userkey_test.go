package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestHandOffByObjectID: a user whose sign-ins carry a userId and no
// userPrincipalName is flagged by hunt as "id:" and the object id, and
// investigate takes that key, or the bare object id, and shows the same
// detection under the key given.
func TestHandOffByObjectID(t *testing.T) {
	const id = "1a2b3c4d-2222-4333-8444-55555555555e"
	dir := t.TempDir()
	var rows []string
	for i := range 12 {
		rows = append(rows, fmt.Sprintf(`{"id": "a-%d", "createdDateTime": "2026-11-17T10:%02d:00Z",
  "userId": %q, "appDisplayName": "Office 365 Exchange Online", "ipAddress": "203.0.113.7",
  "clientAppUsed": "Browser", "isInteractive": true,
  "status": {"errorCode": 50126, "failureReason": "Invalid username or password"}}`, i, i,
			id))
	}
	writeFile(t, filepath.Join(dir, "signins.json"),
		`{"value": [`+strings.Join(rows, ",\n")+`]}`)

	alerts := huntJSON(t, dir)
	if len(alerts) != 1 || alerts[0]["rule"] != "ENTRA-BRUTE-FORCE" ||
		alerts[0]["user"] != "id:"+id {
		t.Fatalf("hunt alerts = %v, want one ENTRA-BRUTE-FORCE for id:%s", alerts, id)
	}

	for _, user := range []string{"id:" + id, id, strings.ToUpper(id)} {
		t.Run(user, func(t *testing.T) {
			code, out, errOut := execute(t, "investigate", "--format", "json", "--user", user,
				dir)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var c struct {
				User       string
				Detections []struct{ ID string }
			}
			if err := json.Unmarshal([]byte(out), &c); err != nil {
				t.Fatal(err)
			}
			if c.User != "id:"+id {
				t.Errorf("report user = %q, want id:%s", c.User, id)
			}
			if !slices.ContainsFunc(c.Detections, func(d struct{ ID string }) bool {
				return d.ID == "ENTRA-BRUTE-FORCE"
			}) {
				t.Errorf("detections = %v, want ENTRA-BRUTE-FORCE", c.Detections)
			}
		})
	}
}

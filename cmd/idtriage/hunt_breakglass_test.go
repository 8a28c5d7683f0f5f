package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestHuntBreakGlassByIDSeesNameOnlyRows: an emergency-access account
// given by object id, with no users export, signs in (a row with its id
// and name) and then changes a role in an audit whose initiator gives only
// its name. The sign-in ties the id to the name, hunt reads the input
// again with that tie, and the change counts for the account: one critical
// alert, in time order, newest first and with the audit in its own file.
func TestHuntBreakGlassByIDSeesNameOnlyRows(t *testing.T) {
	const id = "0b5e7a11-2c3d-4e5f-8a9b-0000000b0888"
	signIn := `{"id":"00000000-0000-0000-0000-00000000b801","createdDateTime":` +
		`"2026-07-02T03:00:00Z","userId":"` + strings.ToUpper(id) + `","userPrincipalName":` +
		`"BG_8@example.com","appDisplayName":"Azure Portal","ipAddress":"203.0.113.44",` +
		`"status":{"errorCode":0},"location":{"countryOrRegion":"US"}}`
	audit := `{"id":"Audit_00b802","activityDateTime":"2026-07-02T03:05:00Z",` +
		`"activityDisplayName":"Add member to role","loggedByService":"Core Directory",` +
		`"category":"RoleManagement","result":"success","initiatedBy":{"user":` +
		`{"userPrincipalName":"bg_8@example.com","ipAddress":"203.0.113.44"}},` +
		`"targetResources":[{"type":"User","id":"0b5e7a11-2c3d-4e5f-8a9b-000000000092",` +
		`"userPrincipalName":"user_92@example.com"}]}`

	for _, tc := range []struct {
		name  string
		files map[string]string
	}{
		{"in time order", map[string]string{"logs.ndjson": signIn + "\n" + audit + "\n"}},
		{"newest first", map[string]string{"logs.ndjson": audit + "\n" + signIn + "\n"}},
		{"the audit in its own file, read first", map[string]string{
			"a-audits.ndjson": audit + "\n", "b-signins.ndjson": signIn + "\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, a := range huntJSON(t, "--break-glass", "id:"+id, dir) {
				if a["rule"] == "ENTRA-BREAK-GLASS-USE" {
					got = append(got, a["user"].(string)+" "+a["severity"].(string))
				}
			}
			if want := []string{"id:" + id + " critical"}; !slices.Equal(got, want) {
				t.Errorf("break-glass alerts %q, want %q", got, want)
			}
		})
	}
}

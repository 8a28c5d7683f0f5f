package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestHuntUsersExportJoinsObjectIDs: sign-ins that give only the user's
// object id (an empty name, none, or the id where the name belongs) count
// for the person the tenant's users export names, read before any record,
// in a time-ordered file and in one newest first (which hunt sorts on
// disk) alike. Without the export they are another key, as the README
// says.
func TestHuntUsersExportJoinsObjectIDs(t *testing.T) {
	const id = "6f2b0c1d-5e1a-4c2b-9a11-00000000d0a1"
	var rows []string
	for i, name := range []string{`"Dana.Kim@Example.com"`, `""`, "", `"` + id + `"`,
		`"dana.kim@example.com"`} {
		upn := ""
		if name != "" {
			upn = `"userPrincipalName":` + name + `,`
		}
		rows = append(rows, fmt.Sprintf(`{"id":"blk-%d","createdDateTime":`+
			`"2026-03-14T%02d:00:00Z","userId":%q,%s"appDisplayName":"Office 365 Exchange `+
			`Online","ipAddress":"203.0.113.%d","status":{"errorCode":53003},`+
			`"conditionalAccessStatus":"failure","location":{"countryOrRegion":"DE"}}`,
			i, 8+i, id, upn, 10+i))
	}
	users := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users",` +
		`"value":[{"id":"` + id + `","userPrincipalName":"dana.kim@example.com",` +
		`"displayName":"Dana Kim","accountEnabled":true}]}`

	newest := slices.Clone(rows)
	slices.Reverse(newest)
	for _, tc := range []struct {
		name      string
		rows      []string
		withUsers bool
		want      []string // users with a CA-block alert
	}{
		{"in time order with the users export", rows, true, []string{"dana.kim@example.com"}},
		{"newest first with the users export", newest, true, []string{"dana.kim@example.com"}},
		{"without the users export", rows, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeLines(t, filepath.Join(dir, "signins.ndjson"), tc.rows)
			if tc.withUsers {
				if err := os.WriteFile(filepath.Join(dir, "users.json"), []byte(users),
					0o600); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, a := range huntJSON(t, dir) {
				if a["rule"] == "ENTRA-CA-BLOCK-BURST" {
					got = append(got, a["user"].(string))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("CA-block alerts for %q, want %q", got, tc.want)
			}
		})
	}
}

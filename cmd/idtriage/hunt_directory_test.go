package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestHuntUsersExportJoinsObjectIDs: sign-ins that give only the user's
// object id (an empty name, none, or the id where the name belongs) count
// for the person the tenant's users export names, read before any record,
// in a time-ordered file and in one newest first (which hunt sorts on
// disk) alike; two exports naming the id differently give the smaller
// name in any order. Without the export, the rows that give the id with
// a name tie it, and hunt reads the input again with those ties; a user
// record among the sign-ins is not used, which the log says.
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
	users := func(name string) string {
		return `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(id,` +
			`userPrincipalName)","value":[{"id":"` + id + `","userPrincipalName":"` + name +
			`"}]}`
	}
	lines := func(rows []string) string { return strings.Join(rows, "\n") + "\n" }
	newest := slices.Clone(rows)
	slices.Reverse(newest)
	userLine := `{"id":"` + id + `","userPrincipalName":"dana.kim@example.com"}`

	const dana = "dana.kim@example.com"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string // users with a CA-block alert
		warn  string   // in the log, when not ""
	}{
		{"in time order with the users export", map[string]string{
			"signins.ndjson": lines(rows), "users.json": users(dana)}, []string{dana}, ""},
		{"newest first with the users export", map[string]string{
			"signins.ndjson": lines(newest), "users.json": users(dana)}, []string{dana}, ""},
		// A user renamed between two exports: the smaller name, whichever
		// file is read first.
		{"two exports, the other name last", map[string]string{
			"signins.ndjson": lines(rows), "a-users.json": users(dana),
			"b-users.json": users("dana.lee@example.com")}, []string{dana}, ""},
		{"two exports, the other name first", map[string]string{
			"signins.ndjson": lines(rows), "a-users.json": users("dana.lee@example.com"),
			"b-users.json": users(dana)}, []string{dana}, ""},
		// Without the export, the rows that name the id tie it: hunt
		// reads the input again with those ties, in any order.
		{"without the users export", map[string]string{"signins.ndjson": lines(rows)},
			[]string{dana}, "reading the input again to count them as one"},
		{"newest first without the users export", map[string]string{
			"signins.ndjson": lines(newest)}, []string{dana},
			"reading the input again to count them as one"},
		{"split over files without the users export", map[string]string{
			"a.ndjson": lines(rows[1:4]), "b.ndjson": lines([]string{rows[4], rows[0]})},
			[]string{dana}, "reading the input again to count them as one"},
		// No row names the id: the rows stay keyed by it.
		{"no name anywhere", map[string]string{"signins.ndjson": lines(slices.Concat(
			rows[1:4], []string{strings.Replace(rows[1], "blk-1", "blk-7", 1),
				strings.Replace(rows[2], "blk-2", "blk-8", 1)}))}, []string{"id:" + id}, ""},
		// A user record after the sign-ins is not used, wherever it sits
		// in the file, and the log says so; the rows' own ties still join.
		{"a user record among the sign-ins", map[string]string{
			"signins.ndjson": lines(append(slices.Clone(rows), userLine))}, []string{dana},
			"user records among other records were not used"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			code, out, errOut := execute(t, "hunt", "--format", "json", dir)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var alerts []map[string]any
			if err := json.Unmarshal([]byte(out), &alerts); err != nil {
				t.Fatalf("output is not a JSON array: %v", err)
			}
			var got []string
			for _, a := range alerts {
				if a["rule"] == "ENTRA-CA-BLOCK-BURST" {
					got = append(got, a["user"].(string))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("CA-block alerts for %q, want %q", got, tc.want)
			}
			if tc.warn != "" && !strings.Contains(errOut, tc.warn) {
				t.Errorf("log lacks %q:\n%s", tc.warn, errOut)
			}
		})
	}
}

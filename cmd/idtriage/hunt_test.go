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

// huntJSON runs hunt with --format json and decodes the alerts.
func huntJSON(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	code, out, errOut := execute(t, append([]string{"hunt", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var alerts []map[string]any
	if err := json.Unmarshal([]byte(out), &alerts); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, out)
	}
	return alerts
}

// TestHuntExample: hunting the reference example flags its user with the
// reference case's rules, and nobody else.
func TestHuntExample(t *testing.T) {
	alerts := huntJSON(t, example)
	fired := map[string]bool{}
	for _, a := range alerts {
		if a["user"] != "ana.reyes@example.com" {
			t.Errorf("alert for %v, want only ana.reyes@example.com", a["user"])
		}
		fired[a["rule"].(string)] = true
	}
	for _, id := range []string{"ENTRA-CA-BLOCK-BURST", "ENTRA-PROOFUP-BLOCKED",
		"ENTRA-SSPR-FAILED-RESETS", "ENTRA-SSPR-DURING-RISK", "ENTRA-RISKY-COUNTRIES",
		"ENTRA-IMPOSSIBLE-TRAVEL", "ENTRA-ANON-ADMIN", "ENTRA-SSPR-UNLOCK-THEN-FAIL"} {
		if !fired[id] {
			t.Errorf("%s did not fire on the reference example", id)
		}
	}
	if first := alerts[0]["severity"]; first != "high" {
		t.Errorf("first alert is %v, want the most severe (high) first", first)
	}
}

// TestHuntJSONFields holds the JSON contract: these names, these types.
func TestHuntJSONFields(t *testing.T) {
	a := huntJSON(t, example)[0]
	for _, k := range []string{"rule", "title", "technique", "tactic", "severity", "user",
		"start", "end", "reason", "records"} {
		if _, ok := a[k]; !ok {
			t.Errorf("alert has no %q field: %v", k, a)
		}
	}
	if recs, _ := a["records"].([]any); len(recs) == 0 {
		t.Errorf("records = %v, want the ids behind the alert", a["records"])
	}
	if !slices.Contains([]string{"low", "medium", "high", "critical"}, a["severity"].(string)) {
		t.Errorf("severity %v", a["severity"])
	}
}

// TestHuntCorpus runs hunt over every real public sample in place.
func TestHuntCorpus(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Fatalf("the corpus must sit beside the clone as ../shared: %v", err)
	}
	for _, format := range []string{"table", "json", "ndjson"} {
		code, out, errOut := execute(t, "hunt", "--format", format, corpus)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		if format == "ndjson" {
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if line != "" && !json.Valid([]byte(line)) {
					t.Errorf("ndjson line is not JSON: %s", line)
				}
			}
		}
	}
}

func TestHuntFormats(t *testing.T) {
	code, out, _ := execute(t, "hunt", example)
	if code != 0 || !strings.HasPrefix(out, "SEVERITY") ||
		!strings.Contains(out, "ana.reyes@example.com") ||
		!strings.Contains(out, "idtriage investigate --user") {
		t.Errorf("table: exit %d:\n%s", code, out)
	}
	code, out, _ = execute(t, "hunt", "--format", "ndjson", example)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != len(huntJSON(t, example)) {
		t.Errorf("ndjson: exit %d, %d lines", code, len(lines))
	}
}

// TestHuntHandOff: a user hunt names can be investigated as is.
func TestHuntHandOff(t *testing.T) {
	user := huntJSON(t, example)[0]["user"].(string)
	code, out, errOut := execute(t, "investigate", "--format", "json", "--user", user,
		example)
	if code != 0 || !strings.Contains(out, "True Positive - Blocked") {
		t.Errorf("investigate --user %s: exit %d: %s", user, code, errOut)
	}
}

func TestHuntOptions(t *testing.T) {
	dir := t.TempDir()
	off := filepath.Join(dir, "off.yaml")
	writeFile(t, off, "ENTRA-CA-BLOCK-BURST:\n  enabled: false\n")
	for _, a := range huntJSON(t, "--rules", off, example) {
		if a["rule"] == "ENTRA-CA-BLOCK-BURST" {
			t.Error("a rule disabled by --rules fired")
		}
	}
	// Nothing from --since on: no alerts, and the status says nothing was
	// hunted.
	code, out, errOut := execute(t, "hunt", "--format", "json", "--since", "2026-11-18",
		example)
	if code != exitEmpty || strings.TrimSpace(out) != "[]" {
		t.Errorf("--since after the attack: exit %d, output %s; want 3 and []\n%s", code, out,
			errOut)
	}
	bg := huntJSON(t, "--break-glass", "ana.reyes@example.com", example)
	if !slices.ContainsFunc(bg, func(a map[string]any) bool {
		return a["rule"] == "ENTRA-BREAK-GLASS-USE"
	}) {
		t.Error("--break-glass did not enable the break-glass rule")
	}
}

func TestHuntExitStatus(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "ENTRA-CA-BLOCK-BURST:\n  minAtempts: 3\n")
	tests := []struct {
		name   string
		args   []string
		want   int
		stderr string
	}{
		{"no path", []string{"hunt"}, 2, "needs at least one PATH"},
		{"bad format", []string{"hunt", "--format", "xml", example}, 2, "--format"},
		{"bad since", []string{"hunt", "--since", "yesterday", example}, 2, "--since"},
		{"bad rules file", []string{"hunt", "--rules", bad, example}, 1, "minAtempts"},
		{"missing rules file", []string{"hunt", "--rules", filepath.Join(dir, "x"), example},
			1, "read rules"},
		{"missing path", []string{"hunt", filepath.Join(dir, "absent")}, 1, "absent"},
		{"no sort memory", []string{"hunt", "--sort-memory", "0", example}, 2,
			"--sort-memory 0"},
		{"sort memory past 1 TiB", []string{"hunt", "--sort-memory", "17592186044416", example},
			2, "between 1 and 1048576 MiB"},
		{"missing temp dir", []string{"hunt", "--temp-dir", filepath.Join(dir, "none"), example},
			2, "--temp-dir cannot hold sorted runs"},
		{"temp dir is a file", []string{"hunt", "--temp-dir", bad, example}, 2,
			"--temp-dir cannot hold sorted runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := execute(t, tt.args...)
			if code != tt.want || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.want, errOut,
					tt.stderr)
			}
		})
	}
}

// TestHuntWarnsWithoutNonInteractive: an export with only the interactive
// log gets a warning naming the rules that need the other one; the
// example, which has both, gets none.
func TestHuntWarnsWithoutNonInteractive(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i, at := range []string{"2026-03-02T08:00:00Z", "2026-03-02T08:05:00Z"} {
		lines = append(lines, fmt.Sprintf(`{"id":"s%d","createdDateTime":%q,`+
			`"userPrincipalName":"a@example.com","ipAddress":"203.0.113.9",`+
			`"isInteractive":true,"status":{"errorCode":0}}`, i, at))
	}
	path := filepath.Join(dir, "signins.ndjson")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const warning = "no non-interactive sign-ins in the input"
	for _, c := range []struct {
		path string
		warn bool
	}{{dir, true}, {example, false}} {
		code, _, errOut := execute(t, "hunt", "--format", "json", c.path)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.path, code, errOut)
		}
		if got := strings.Contains(errOut, warning); got != c.warn {
			t.Errorf("%s: warned %v, want %v; stderr:\n%s", c.path, got, c.warn, errOut)
		}
		if c.warn && !strings.Contains(errOut, "ENTRA-SPRAY-DISTRIBUTED") {
			t.Errorf("the warning names no rule:\n%s", errOut)
		}
	}
}

// TestHuntMergesLogsByTime hunts a generated tenant kept as a storage
// account keeps it, one folder per log: the files are merged by time, so
// hunt streams them (no sorted second read) and finds what it finds in the
// tenant's daily files.
func TestHuntMergesLogsByTime(t *testing.T) {
	out, logs, days, risk := simulatedTenant(t, "4")
	split := filepath.Join(out, "by-log")
	writeLines(t, filepath.Join(split, "insights-logs-userriskevents", "all.ndjson"), risk)
	for i, lines := range days {
		parts := map[string][]string{}
		for _, line := range lines {
			folder := "signinlogs"
			switch {
			case strings.Contains(line, `"activityDisplayName"`):
				folder = "auditlogs"
			case strings.Contains(line, `"isInteractive":false`):
				folder = "noninteractiveusersigninlogs"
			}
			parts[folder] = append(parts[folder], line)
		}
		for folder, lines := range parts {
			writeLines(t, filepath.Join(split, "insights-logs-"+folder,
				fmt.Sprintf("day-%d.ndjson", i)), lines)
		}
	}

	code, want, errOut := execute(t, "hunt", "--format", "ndjson", logs,
		filepath.Join(out, "risk"))
	if code != 0 {
		t.Fatalf("hunt daily files: exit %d: %s", code, errOut)
	}
	if !strings.Contains(want, "ENTRA-RISK-DETECTION-SUCCESS") {
		t.Errorf("no risk detection was tied in the tenant; the test needs one:\n%s", want)
	}
	code, got, errOut := execute(t, "hunt", "--format", "ndjson", split)
	if code != 0 {
		t.Fatalf("hunt by log: exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut, "not in time order") {
		t.Errorf("hunt read the folders by log again whole:\n%s", errOut)
	}
	if want == "" || got != want {
		t.Errorf("alerts differ between the daily files and the folders by log:\n"+
			"daily:\n%s\nby log:\n%s", want, got)
	}
}

// simulatedDays generates a tenant of 60 users over 2 days with the given
// seed and returns its folder, its logs folder and each day's lines.
func simulatedDays(t *testing.T, seed string) (out, logs string, days [][]string) {
	out, logs, days, _ = simulatedTenant(t, seed)
	return out, logs, days
}

// simulatedTenant is simulatedDays with the tenant's risk detections: the
// lines of its risk file.
func simulatedTenant(t *testing.T, seed string) (out, logs string, days [][]string,
	risk []string) {
	t.Helper()
	out = t.TempDir()
	if code, _, errOut := execute(t, "simulate", "--users", "60", "--days", "2", "--seed", seed,
		"--out", out); code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	logs = filepath.Join(out, "logs")
	files, _ := filepath.Glob(filepath.Join(logs, "*.ndjson"))
	if len(files) != 2 {
		t.Fatalf("simulate wrote %v, want a file a day", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		days = append(days, strings.Split(strings.TrimSpace(string(data)), "\n"))
	}
	data, err := os.ReadFile(filepath.Join(out, "risk", "risk-detections.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	risk = strings.Split(strings.TrimSpace(string(data)), "\n")
	return out, logs, days, risk
}

// TestHuntTableIsSafe: strings from the logs reach the table without the
// characters that could rewrite a terminal or reorder what it shows.
func TestHuntTableIsSafe(t *testing.T) {
	dir := t.TempDir()
	upn := "ev\u202Eil\u200B\x1b[2J@contoso.example"
	// %q writes \x1b, which JSON spells \u001b.
	line := signInLine("s1", "2026-03-06T10:00:00Z", upn, "45.60.0.50", "NL", "IMAP4", 0)
	writeLines(t, filepath.Join(dir, "signins.ndjson"),
		[]string{strings.ReplaceAll(line, `\x1b`, `\u001b`)})
	code, out, errOut := execute(t, "hunt", dir)
	if code != 0 || !strings.Contains(out, "ENTRA-LEGACY-AUTH-SUCCESS") {
		t.Fatalf("exit %d, no legacy alert:\n%s\n%s", code, out, errOut)
	}
	if strings.ContainsAny(out, "\x1b\u202E\u200B") {
		t.Errorf("table holds control, bidi or invisible characters:\n%q", out)
	}
	if !strings.Contains(out, "evil[2j@contoso.example") {
		t.Errorf("table lost the user's visible name:\n%s", out)
	}
}

// TestHuntWarnsWhenItSawLittle: a Graph page whose next page was not
// saved gets a warning; an empty folder, a folder of text only and --since
// past the data say nothing was hunted and exit with status 3, so that
// "No alerts" is not read as a clean tenant by a person or a script.
func TestHuntWarnsWhenItSawLittle(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page", "signins.json")
	writeLines(t, page, []string{`{"@odata.nextLink":"https://graph.example/next",` +
		`"value":[` + signInLine("p1", "2026-03-06T10:00:00Z", "ana@contoso.example",
		"45.60.0.50", "NL", "Browser", 0) + `]}`})
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "text")
	writeLines(t, filepath.Join(text, "notes.txt"), []string{"nothing to see here"})
	services := filepath.Join(dir, "services", "signins.ndjson")
	writeLines(t, services, []string{`{"id":"sp1","createdDateTime":"2026-03-06T10:00:00Z",` +
		`"servicePrincipalId":"5c3a0000-0000-4000-8000-000000000001","servicePrincipalName":` +
		`"backup-job","signInEventTypes":["servicePrincipal"],"ipAddress":"45.60.0.50",` +
		`"status":{"errorCode":0}}`})
	for _, tc := range []struct {
		name, warning string
		args          []string
		code          int
	}{
		{"next page not saved", "Graph page says more pages follow",
			[]string{filepath.Dir(page)}, 0},
		{"empty folder", "nothing was hunted", []string{empty}, 3},
		{"text only", "nothing was hunted", []string{text}, 3},
		{"service principals only", "nothing was hunted", []string{filepath.Dir(services)}, 3},
		{"since past the data", "nothing was hunted (none from --since on)",
			[]string{"--since", "2030-01-01", example}, 3},
		{"example", "", []string{example}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := execute(t, append([]string{"hunt"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errOut)
			}
			if tc.code == 3 && !strings.Contains(out, "No alerts.") {
				t.Errorf("stdout lacks the table's line:\n%s", out)
			}
			warned := strings.Contains(errOut, "more pages follow") ||
				strings.Contains(errOut, "nothing was hunted")
			if tc.warning == "" && warned {
				t.Errorf("warned on the example:\n%s", errOut)
			}
			if tc.warning != "" && !strings.Contains(errOut, tc.warning) {
				t.Errorf("no warning %q:\n%s", tc.warning, errOut)
			}
		})
	}
}

// TestHuntReasonWithoutApp: a sign-in that names no application gets a
// reason that does not end in a dangling "to".
func TestHuntReasonWithoutApp(t *testing.T) {
	dir := t.TempDir()
	line := signInLine("s1", "2026-03-06T10:00:00Z", "ana@contoso.example", "45.60.0.50", "NL",
		"IMAP4", 0)
	line = strings.Replace(line, `"appDisplayName":"OfficeHome",`, "", 1)
	writeLines(t, filepath.Join(dir, "signins.ndjson"), []string{line})
	alerts := huntJSON(t, dir)
	if len(alerts) != 1 {
		t.Fatalf("got %d alerts, want the legacy one: %v", len(alerts), alerts)
	}
	reason := alerts[0]["reason"].(string)
	if !strings.HasSuffix(reason, "latest from 45.60.0.50 (NL)") {
		t.Errorf("reason %q, want it to end at the address", reason)
	}
}

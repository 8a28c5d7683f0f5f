package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const example = "../../examples/sspr-takeover"

// corpus is the real public sample data, beside the clone as CI lays it.
const corpus = "../../../shared/corpus/real"

// execute runs the program in-process and returns its exit status and output.
func execute(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// timing matches the lines that carry the run's wall time, the only part of
// a report allowed to change between runs.
var timing = regexp.MustCompile(`(?m)^- This run took .*$|"wallTimeMs": [0-9.e+-]+`)

func normalise(s string) string {
	return timing.ReplaceAllString(s, "<timing>")
}

func TestExampleGolden(t *testing.T) {
	for _, format := range []string{"md", "json"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := execute(t, "investigate", "--format", format, example)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden := filepath.Join("testdata", "sspr-takeover."+format)
			got := normalise(out)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run go test -update once): %v", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("report differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// TestExampleVerdict checks the reference case's answer directly, so that a
// careless -update cannot bless a wrong verdict.
func TestExampleVerdict(t *testing.T) {
	code, out, errOut := execute(t, "investigate", "--format", "json", example)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var c struct {
		User    string
		Verdict struct{ Label, Disposition, Outcome, Confidence, Summary string }
		Sources struct {
			SignIns int `json:"signins"`
			Audits  int `json:"audits"`
		}
		Findings   []struct{ Question int }
		Detections []struct{ ID, Technique string }
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}

	want := [4]string{"True Positive - Blocked", "true_positive", "blocked", "high"}
	got := [4]string{c.Verdict.Label, c.Verdict.Disposition, c.Verdict.Outcome,
		c.Verdict.Confidence}
	if got != want {
		t.Errorf("verdict = %v, want %v", got, want)
	}
	if c.Sources.SignIns != 82 || c.Sources.Audits != 44 {
		t.Errorf("sources = %d sign-ins, %d audits; want 82 and 44", c.Sources.SignIns,
			c.Sources.Audits)
	}
	if !strings.Contains(c.Verdict.Summary, "attacker passed MFA during recovery") {
		t.Errorf("summary does not say the attacker passed MFA during recovery: %s",
			c.Verdict.Summary)
	}
	questions := map[int]bool{}
	for _, f := range c.Findings {
		questions[f.Question] = true
	}
	for q := 1; q <= 5; q++ {
		if !questions[q] {
			t.Errorf("no finding answers question %d", q)
		}
	}
	ids := map[string]bool{}
	for _, d := range c.Detections {
		ids[d.ID] = true
	}
	for _, id := range []string{"ENTRA-CA-BLOCK-BURST", "ENTRA-PROOFUP-BLOCKED",
		"ENTRA-SSPR-FAILED-RESETS", "ENTRA-SSPR-DURING-RISK"} {
		if !ids[id] {
			t.Errorf("detection %s did not fire on the reference case", id)
		}
	}
}

func TestDeterministic(t *testing.T) {
	_, a, _ := execute(t, "investigate", "--format", "json", example)
	_, b, _ := execute(t, "investigate", "--format", "json", example)
	if normalise(a) != normalise(b) {
		t.Error("two runs over the same input differ")
	}

	// The same files under other names, in another order and twice over,
	// give the same case: only the file list may differ.
	dir := t.TempDir()
	entries, err := os.ReadDir(example)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		data, err := os.ReadFile(filepath.Join(example, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, fmt.Sprintf("%02d-export", len(entries)-i)), string(data))
		writeFile(t, filepath.Join(dir, fmt.Sprintf("copy-%02d", i)), string(data))
	}
	_, c, errOut := execute(t, "investigate", "--format", "json", dir)
	if diff := cmp.Diff(withoutFiles(t, a), withoutFiles(t, c)); diff != "" {
		t.Errorf("renamed, reordered, duplicated files change the case (-want +got):\n%s\n%s",
			diff, errOut)
	}
}

// withoutFiles decodes a JSON case and drops what names the input files:
// the file list, the cost and the note on duplicates dropped.
func withoutFiles(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"files", "cost", "inputNotes", "problems"} {
		delete(m, k)
	}
	src := m["sources"].(map[string]any)
	delete(src, "filesSkipped")
	return m
}

func TestExitStatus(t *testing.T) {
	dir := t.TempDir()
	two := filepath.Join(dir, "two.json")
	writeFile(t, two, `[{"id":"a","createdDateTime":"2024-01-01T00:00:00Z",`+
		`"userPrincipalName":"a@example.com","status":{"errorCode":0}},`+
		`{"id":"b","createdDateTime":"2024-01-01T00:00:00Z",`+
		`"userPrincipalName":"b@example.com","status":{"errorCode":0}}]`)

	tests := []struct {
		name   string
		args   []string
		want   int
		stderr string
	}{
		{"help", []string{"investigate", "--help"}, 0, ""},
		{"no path", []string{"investigate"}, 2, "needs at least one PATH"},
		{"bad flag", []string{"investigate", "--nope", example}, 2, "unknown flag"},
		{"bad format", []string{"investigate", "--format", "pdf", example}, 2, "--format"},
		{"missing path", []string{"investigate", filepath.Join(dir, "absent")}, 1, "absent"},
		{"several users", []string{"investigate", two}, 2, "a@example.com, b@example.com"},
		{"unknown user", []string{"investigate", "--user", "c@example.com", two}, 1,
			"does not appear"},
		{"user named like a usage error", []string{"investigate", "--user", "accepts x", two},
			1, "does not appear"},
		{"path named like a usage error", []string{"investigate",
			filepath.Join(dir, "invalid argument")}, 1, "invalid argument"},
		{"zero speed", []string{"investigate", "--max-speed", "0", example}, 2, "--max-speed"},
		{"NaN speed", []string{"investigate", "--max-speed", "NaN", example}, 2, "--max-speed"},
		{"negative distance", []string{"investigate", "--min-distance", "-1", example}, 2,
			"--min-distance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := execute(t, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.want, errOut)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.stderr)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stderr holds a stack trace: %s", errOut)
			}
		})
	}
}

func TestOutFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "case.md")
	code, stdout, errOut := execute(t, "investigate", "--out", out, example)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if stdout != "" {
		t.Errorf("--out also wrote to stdout: %q", stdout[:min(len(stdout), 80)])
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(b), "True Positive - Blocked") {
		t.Errorf("report file: err %v, content %.80q", err, b)
	}
	if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("report file mode = %v (%v), want 0644", info.Mode().Perm(), err)
	}
}

// TestRealExport runs the investigation over real exports: the
// Microsoft-Extractor-Suite folder of the corpus for a user it names, then
// the whole corpus, which holds notes and invalid documentation samples that
// must be listed as skipped or rejected with their position.
func TestRealExport(t *testing.T) {
	dir := filepath.Join(corpus, "invictus-ir__Microsoft-Extractor-Suite")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the corpus must sit beside the clone as ../shared: %v", err)
	}
	const user = "charles.taylor@bonacu.onmicrosoft.com"
	c := investigateJSON(t, "--user", user, dir)
	if c.Verdict.Label == "" || c.Sources.Audits == 0 {
		t.Errorf("no verdict or no audits read: %+v", c)
	}
	if c.Sources.TenantSignIns != 348+28 {
		t.Errorf("tenant sign-ins = %d, want 376 (service principal and managed identity)",
			c.Sources.TenantSignIns)
	}
	if len(c.Files) != 5 {
		t.Errorf("files = %d, want the 5 files of the folder listed", len(c.Files))
	}

	c = investigateJSON(t, "--user", user, corpus)
	skipped := map[string]string{}
	for _, f := range c.Files {
		if f.Skipped {
			skipped[filepath.Base(f.Path)] = f.Reason
		}
	}
	if skipped["SOURCES.md"] != "not JSON or CSV" {
		t.Errorf("SOURCES.md not listed as skipped with its reason: %v", skipped)
	}
	trailing := 0
	for _, p := range c.Problems {
		if strings.Contains(p, "INVALID-trailing-comma") && regexp.MustCompile(
			`\.json:\d+:\d+: `).MatchString(p) {
			trailing++
		}
	}
	if trailing != 3 {
		t.Errorf("want the 3 invalid documentation samples named with line and column, "+
			"got %d in %q", trailing, c.Problems)
	}
}

// realCase is the part of the JSON report TestRealExport reads.
type realCase struct {
	Verdict struct{ Label string }
	Sources struct {
		Audits        int `json:"audits"`
		TenantSignIns int `json:"tenantSignins"`
	}
	Files []struct {
		Path, Reason string
		Skipped      bool
	}
	Problems []string
}

func investigateJSON(t *testing.T, args ...string) realCase {
	t.Helper()
	code, out, errOut := execute(t, append([]string{"investigate", "--format", "json"},
		args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var c realCase
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

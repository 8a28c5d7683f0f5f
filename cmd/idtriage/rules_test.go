package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestRulesList(t *testing.T) {
	code, out, errOut := execute(t, "rules", "list")
	if code != 0 || !strings.Contains(out, "ENTRA-SSPR-FAILED-RESETS") ||
		!strings.Contains(out, "T1078.004") {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	code, out, _ = execute(t, "rules", "list", "--format", "json")
	var rules []struct{ ID, Technique, Tactic, Severity string }
	if err := json.Unmarshal([]byte(out), &rules); code != 0 || err != nil || len(rules) < 15 {
		t.Errorf("json list: exit %d, %v, %d rules", code, err, len(rules))
	}
}

func TestRulesExport(t *testing.T) {
	tests := []struct{ format, want string }{
		{"sigma", "correlation:"},
		{"kql", "SigninLogs"},
	}
	for _, tt := range tests {
		code, out, errOut := execute(t, "rules", "export", "--format", tt.format)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("%s: exit %d: %s", tt.format, code, errOut)
		}
	}
	if code, _, errOut := execute(t, "rules", "export", "--format", "spl"); code != 2 {
		t.Errorf("unknown format: exit %d (%s), want 2", code, errOut)
	}
}

// TestRulesExportFormatRequired: export without --format says the flag is
// required and lists its values, rather than refusing the format "".
func TestRulesExportFormatRequired(t *testing.T) {
	code, _, errOut := execute(t, "rules", "export")
	if code != 2 || !strings.Contains(errOut, "--format is required: sigma or kql") ||
		strings.Contains(errOut, `--format ""`) {
		t.Errorf("exit %d, stderr %q; want 2 and --format is required", code, errOut)
	}
}

// TestRulesDefaults: the printed defaults are a valid --rules file.
func TestRulesDefaults(t *testing.T) {
	code, out, _ := execute(t, "rules", "defaults")
	if code != 0 || !strings.Contains(out, "ENTRA-IMPOSSIBLE-TRAVEL:") {
		t.Fatalf("exit %d", code)
	}
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, out)
	if code, _, errOut := execute(t, "rules", "list", "--rules", path); code != 0 {
		t.Errorf("defaults do not load back: exit %d: %s", code, errOut)
	}
	// A file given to defaults would be ignored: it is refused instead.
	code, _, errOut := execute(t, "rules", "defaults", "--rules", path)
	if code != 2 || !strings.Contains(errOut, "takes no --rules file") {
		t.Errorf("rules defaults --rules: exit %d: %s", code, errOut)
	}
}

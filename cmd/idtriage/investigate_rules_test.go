package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestInvestigateRulesAsHunted: investigate takes the rule parameters and
// emergency-access accounts a hunt ran with, so the case's detections are
// the hunt's: a raised threshold silences its rule, the file's travel
// speed applies unless --max-speed is given, and a break-glass account's
// sign-ins become a detection.
func TestInvestigateRulesAsHunted(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	fewer := write("fewer.yaml", "ENTRA-CA-BLOCK-BURST:\n  minAttempts: 50\n")
	slow := write("slow.yaml", "ENTRA-IMPOSSIBLE-TRAVEL:\n  minSpeedKmh: 50000\n")

	const (
		burst  = "ENTRA-CA-BLOCK-BURST"
		travel = "ENTRA-IMPOSSIBLE-TRAVEL"
		glass  = "ENTRA-BREAK-GLASS-USE"
	)
	tests := []struct {
		name      string
		args      []string
		want, not []string
		statement string // in the travel finding, when not ""
	}{
		{"defaults", nil, []string{burst, travel}, []string{glass}, "faster than 800 km/h"},
		{"a raised threshold", []string{"--rules", fewer}, []string{travel}, []string{burst}, ""},
		{"the file's travel speed", []string{"--rules", slow}, []string{burst},
			[]string{travel}, ""},
		{"--max-speed over the file", []string{"--rules", slow, "--max-speed", "900"},
			[]string{travel}, nil, "faster than 900 km/h"},
		{"a break-glass account", []string{"--break-glass", "Ana.Reyes@Example.com"},
			[]string{glass}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"investigate", "--format", "json"}, tt.args...)
			code, out, errOut := execute(t, append(args, example)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var c struct {
				Detections []struct{ ID string }        `json:"detections"`
				Findings   []struct{ Statement string } `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &c); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, d := range c.Detections {
				ids = append(ids, d.ID)
			}
			for _, id := range tt.want {
				if !slices.Contains(ids, id) {
					t.Errorf("detections %v lack %s", ids, id)
				}
			}
			for _, id := range tt.not {
				if slices.Contains(ids, id) {
					t.Errorf("detections %v hold %s", ids, id)
				}
			}
			if tt.statement != "" && !slices.ContainsFunc(c.Findings, func(f struct {
				Statement string
			}) bool {
				return strings.Contains(f.Statement, tt.statement)
			}) {
				t.Errorf("no finding says %q", tt.statement)
			}
		})
	}

	code, _, errOut := execute(t, "investigate", "--rules", write("bad.yaml",
		"ENTRA-NOPE:\n  enabled: true\n"), example)
	if code == 0 || !strings.Contains(errOut, "bad.yaml") {
		t.Errorf("an unknown rule in --rules: exit %d, %s", code, errOut)
	}
}

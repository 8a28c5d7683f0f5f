package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{
		"examples/sspr-takeover": "examples/sspr-takeover",
		"my rules.yaml":          "'my rules.yaml'",
		"it's":                   `'it'\''s'`,
		"":                       "''",
		"$(rm -rf x)":            "'$(rm -rf x)'",
		"a\x1b[31mb":             "PATH",
		"bg@example.com":         "bg@example.com",
		"=logs":                  "'=logs'",
		"a\u202eslog":            "PATH",
		"a\u2028b":               "PATH",
		"a\xffb":                 "PATH",
		"café":                   "'café'",
	} {
		if got := shellWord(in); got != want {
			t.Errorf("shellWord(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestHuntHandoff: the table's closing line gives the investigate command
// with the hunt's own rule parameters, provider networks, break-glass
// accounts and paths, so that the case judges as the hunt did (a tryout's
// case: without --break-glass, the case lost ENTRA-BREAK-GLASS-USE).
func TestHuntHandoff(t *testing.T) {
	var out, errOut bytes.Buffer
	cmd := newRoot(&out, &errOut)
	cmd.SetArgs([]string{"hunt", "--break-glass", "ana.reyes@example.com",
		"../../examples/sspr-takeover"})
	if err := cmd.Execute(); err != nil {
		t.Fatalf("hunt: %v\n%s", err, errOut.String())
	}
	want := "idtriage investigate --user USER --at START --break-glass " +
		"ana.reyes@example.com ../../examples/sspr-takeover\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("the table does not end with %q:\n%s", want, out.String())
	}
}

// TestHandoffDashPath: a path that starts with a dash is given as ./-path,
// which investigate reads as a path, not a flag (a reviewer's case).
func TestHandoffDashPath(t *testing.T) {
	got := handoff(huntFlags{}, []string{"-logs", "/abs/path", "rel"})
	if got != "./-logs /abs/path rel" {
		t.Errorf("handoff = %q", got)
	}
}

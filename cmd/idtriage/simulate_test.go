package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulateRefusesAnEarlierTenant: generating into a folder that holds
// a tenant is a usage error that names the folder and what to do, and
// leaves the earlier tenant as it was; a new folder is written (a new
// user's report: a shorter tenant over a longer one left the earlier days'
// files beside the new truth).
func TestSimulateRefusesAnEarlierTenant(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tenant")
	args := []string{"simulate", "--users", "20", "--days", "2", "--out", out}
	if code, _, errOut := execute(t, args...); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errOut)
	}
	before, err := os.ReadFile(filepath.Join(out, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}

	code, _, errOut := execute(t, "simulate", "--users", "20", "--days", "1", "--out", out)
	if code != exitUsage || !strings.Contains(errOut, out+" holds an earlier tenant") ||
		!strings.Contains(errOut, "give another --out") {
		t.Errorf("second run: exit %d: %s", code, errOut)
	}
	after, err := os.ReadFile(filepath.Join(out, "truth.json"))
	if err != nil || string(after) != string(before) {
		t.Errorf("the earlier truth changed (err %v)", err)
	}
}

// TestSimulateRefusesAFile: an --out that names a file is a usage error
// saying to give a folder.
func TestSimulateRefusesAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "afile")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := execute(t, "simulate", "--users", "20", "--days", "1", "--out", file)
	if code != exitUsage || !strings.Contains(errOut, "is a file: give a folder to --out") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHuntRefusesPipes: a named pipe among the paths is an error naming
// it, not a hunt that waits forever for a writer gone.
func TestHuntRefusesPipes(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "signins.ndjson")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := execute(t, "hunt", example, pipe)
	if code != 1 || !strings.Contains(errOut, pipe+" is not a regular file") {
		t.Errorf("exit %d, stderr %q; want 1 and an error naming the pipe", code, errOut)
	}
}

// TestHuntRefusesStandardInput: "-" gets a usage error that says standard
// input is not read and what to do, not a missing file named "-".
func TestHuntRefusesStandardInput(t *testing.T) {
	code, _, errOut := execute(t, "hunt", "-")
	if code != exitUsage || !strings.Contains(errOut, "(standard input) is not read") ||
		!strings.Contains(errOut, "save the input to a file") {
		t.Errorf("exit %d, stderr %q; want 2 and the reason", code, errOut)
	}
}

package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// TestVersion: --version names the build and the Go release it was built
// with, so that a report or a bug can say which idtriage made it.
func TestVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	cmd := newRoot(&out, &errOut)
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"--version"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "idtriage ") || !strings.Contains(got, runtime.Version()) {
		t.Errorf("--version printed %q, want idtriage, the build and %s", got,
			runtime.Version())
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHuntWarnsWithoutCoordinates: an input whose sign-ins carry no
// coordinates (a portal CSV export) leaves the travel rule blind, and the
// hunt says so (a tryout's case: no travel alert and no word); an input
// with coordinates gets no such warning.
func TestHuntWarnsWithoutCoordinates(t *testing.T) {
	csv := filepath.Join(t.TempDir(), "portal.csv")
	text := "Date (UTC),Request ID,Username,IP address,Location,Status\n" +
		"2026-03-02T08:00:00Z,r1,ana@example.com,192.0.2.1,\"Dhaka, Dhaka, BD\",Failure\n" +
		"2026-03-02T09:00:00Z,r2,ana@example.com,198.51.100.1,\"Madrid, Madrid, ES\",Failure\n"
	if err := os.WriteFile(csv, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	const warning = "no sign-in in the input carries coordinates"
	for _, c := range []struct {
		path string
		warn bool
	}{{csv, true}, {"../../examples/sspr-takeover", false}} {
		var out, errOut bytes.Buffer
		cmd := newRoot(&out, &errOut)
		cmd.SetArgs([]string{"hunt", c.path})
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if got := strings.Contains(errOut.String(), warning); got != c.warn {
			t.Errorf("%s: warned %v, want %v\n%s", c.path, got, c.warn, errOut.String())
		}
	}
}

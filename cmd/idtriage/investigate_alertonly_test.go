package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestAlertOnlyWindow: an alert with no activity of the user beside it has
// no suspicious window, and the reports say why instead of printing
// "unknown to unknown, and what follows ()" (a tryout's case).
func TestAlertOnlyWindow(t *testing.T) {
	for _, format := range []string{"md", "html", "json"} {
		var out, errOut bytes.Buffer
		cmd := newRoot(&out, &errOut)
		cmd.SetArgs([]string{"investigate", "-f", format,
			"../../examples/sspr-takeover/alert.json"})
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%s: %v\n%s", format, err, errOut.String())
		}
		got := out.String()
		if !strings.Contains(got, "none: the input holds no sign-in") ||
			strings.Contains(got, "unknown to unknown") || strings.Contains(got, "follows ()") {
			t.Errorf("%s: the window is not said to be none:\n%.2000s", format, got)
		}
	}
}

package main

import (
	"strings"
	"testing"
)

// TestBreakGlassFlagWording checks that a bad --break-glass account is
// explained in the flag's terms, not in a rules file's ("accounts: ...
// give one account an entry").
func TestBreakGlassFlagWording(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"hunt", []string{"hunt", "--break-glass", "bogus", example},
			`--break-glass "bogus" is neither a principal name (name@domain) nor an object ` +
				`id (a GUID, bare or as id:<guid>); give each account its own --break-glass, ` +
				`or separate accounts with commas`},
		{"investigate, two accounts in one", []string{"investigate", "--break-glass",
			"a@x.org b@x.org", example}, `--break-glass "a@x.org b@x.org" is neither`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := execute(t, tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
			for _, not := range []string{"accounts:", "an entry"} {
				if strings.Contains(errOut, not) {
					t.Errorf("stderr %q says %q, a rules file's wording", errOut, not)
				}
			}
		})
	}
}

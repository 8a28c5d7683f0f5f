package detect

import (
	"strings"
	"testing"
)

// TestLoadTabIndent checks that a line indented with a tab is named by
// line and column with what to do, rather than the parser's "found
// character '\t' that cannot start any token" with a raw tab in it.
func TestLoadTabIndent(t *testing.T) {
	tests := []struct {
		name, yaml string
		err        string // "" when the file loads
	}{
		{"tab indent", "ENTRA-BRUTE-FORCE:\n\tenabled: false\n",
			"rules file: line 2, column 1: a tab; indent with spaces"},
		{"tab after spaces", "ENTRA-BRUTE-FORCE:\n  enabled: false\n \t window: 1h\n",
			"line 3, column 2: a tab; indent with spaces"},
		{"tab in a list", "at-risk:\n  levels:\n  - high\n\t- medium\n",
			"line 4, column 1: a tab; indent with spaces"},
		{"tab before a comment", "ENTRA-BRUTE-FORCE:\n  enabled: false\t# off\n", ""},
		{"tab on a blank line", "ENTRA-BRUTE-FORCE:\n\t\n  enabled: false\n",
			"line 2, column 1: a tab; indent with spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.yaml))
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("err = %v, want the file to load", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("err = %v, want it to contain %q", err, tt.err)
			case err != nil && strings.Contains(err.Error(), "\t"):
				t.Errorf("err = %q holds a raw tab", err)
			}
		})
	}
}

package detect

import "testing"

// TestLoadTabIndent checks that a line indented with a tab is named by
// line and column with what to do, rather than the parser's "found
// character '\t' that cannot start any token" with a raw tab in it.
func TestLoadTabIndent(t *testing.T) {
	tests := []loadCase{
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
	checkLoads(t, tests)
}

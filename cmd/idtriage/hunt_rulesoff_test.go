package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/detect"
)

// TestHuntEveryRuleOff: a rules file that turns every rule off is a usage
// error before anything is read (a tryout's case: the hunt read the input
// and printed "No alerts."); with only the break-glass rule left on, it
// says the rule needs accounts, and the flag's accounts make it hunt; a
// --break-glass with no account in it is refused.
func TestHuntEveryRuleOff(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, keep string) string {
		var b strings.Builder
		for _, r := range detect.Rules(detect.DefaultParams()) {
			if r.ID != keep {
				fmt.Fprintf(&b, "%s:\n  enabled: false\n", r.ID)
			}
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	allOff := write("off.yaml", "")
	onlyBreakGlass := write("bg.yaml", "ENTRA-BREAK-GLASS-USE")

	for _, c := range []struct {
		args  []string
		usage string // what the usage error says, "" when the hunt runs
	}{
		{[]string{"--rules", allOff}, "every rule off"},
		{[]string{"--rules", onlyBreakGlass}, "names no account"},
		{[]string{"--rules", onlyBreakGlass, "--break-glass", "ana.reyes@example.com"}, ""},
		{[]string{"--break-glass", " "}, "is empty"},
		{[]string{"--break-glass", "id:"}, "gives no object id"},
	} {
		var out, errOut bytes.Buffer
		cmd := newRoot(&out, &errOut)
		cmd.SetArgs(append(append([]string{"hunt"}, c.args...), "../../examples/sspr-takeover"))
		err := cmd.Execute()
		_, usage := err.(*usageError)
		if usage != (c.usage != "") || (usage && !strings.Contains(err.Error(), c.usage)) {
			t.Errorf("%v: error %v, want a usage error saying %q", c.args, err, c.usage)
		}
		if c.usage == "" && !strings.Contains(out.String(), "ENTRA-BREAK-GLASS-USE") {
			t.Errorf("%v: no break-glass alert:\n%s", c.args, out.String())
		}
	}
}

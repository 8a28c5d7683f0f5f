package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvestigateOutChecked: an --out that names a folder, or a file in a
// folder that is not there, is a usage error before anything is read (a
// tryout's case: the whole investigation ran, then the rename failed with
// "file exists"); a file in an existing folder is written.
func TestInvestigateOutChecked(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(t.TempDir(), "signins.json")
	b, err := os.ReadFile("../../examples/sspr-takeover/signins.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(input, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		out, want string
	}{
		{dir, "is a folder; give a file name"},
		{filepath.Join(dir, "missing", "r.md"), "does not exist"},
		// A reviewer's case: the report overwrote the sign-ins it read.
		{input, "is one of the input files"},
		{filepath.Join(dir, "r.md"), ""},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		cmd := newRoot(&out, &errOut)
		cmd.SetArgs([]string{"investigate", "--out", c.out, "../../examples/sspr-takeover",
			filepath.Dir(input)})
		err := cmd.Execute()
		if c.want == "" {
			if err != nil {
				t.Errorf("--out %s: %v", c.out, err)
			} else if b, rerr := os.ReadFile(c.out); rerr != nil || !bytes.Contains(b,
				[]byte("# Investigation")) {
				t.Errorf("--out %s: no report written (%v)", c.out, rerr)
			}
			continue
		}
		if _, usage := err.(*usageError); !usage || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--out %s: error %v, want a usage error saying %q", c.out, err, c.want)
		}
		if strings.Contains(errOut.String(), "input read") {
			t.Errorf("--out %s: the input was read before the error", c.out)
		}
	}
}

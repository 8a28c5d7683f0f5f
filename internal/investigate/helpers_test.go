package investigate

import (
	"errors"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/ingest"
)

// setOf decodes named file contents into a finished set, failing the test on
// any problem: field-report inputs are all valid.
func setOf(t *testing.T, files map[string]string) *ingest.Set {
	t.Helper()
	set := &ingest.Set{}
	for _, name := range sortedFileNames(files) {
		ingest.Decode(name, []byte(files[name]), set)
	}
	set.Finish()
	for _, p := range set.Problems {
		t.Errorf("unexpected problem decoding the test input: %v", p)
	}
	return set
}

func sortedFileNames(files map[string]string) []string {
	m := map[string]bool{}
	for k := range files {
		m[k] = true
	}
	return sortedKeys(m)
}

// runCase investigates the set for user with the default thresholds.
func runCase(t *testing.T, set *ingest.Set, user string) *Case {
	t.Helper()
	cfg := DefaultConfig()
	cfg.User = user
	c, err := Run(set, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return c
}

// finding returns the case's finding for step, failing when there is none.
func finding(t *testing.T, c *Case, step string) Finding {
	t.Helper()
	for _, f := range c.Findings {
		if f.Step == step {
			return f
		}
	}
	t.Fatalf("no finding for step %q", step)
	return Finding{}
}

func hasDetection(c *Case, id string) bool {
	for _, d := range c.Detections {
		if d.ID == id {
			return true
		}
	}
	return false
}

func mustContain(t *testing.T, what, s, want string) {
	t.Helper()
	if !strings.Contains(s, want) {
		t.Errorf("%s = %q, want it to contain %q", what, s, want)
	}
}

func isAmbiguous(err error) bool {
	var a *AmbiguousUserError
	return errors.As(err, &a)
}

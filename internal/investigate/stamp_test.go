package investigate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/ingest"
)

// TestStampsSeeAChangedFile: a file that grows, shrinks or is rewritten
// between the passes stops the read, naming it; one left alone does not.
func TestStampsSeeAChangedFile(t *testing.T) {
	dir := t.TempDir()
	still, moving := filepath.Join(dir, "still.ndjson"), filepath.Join(dir, "moving.ndjson")
	for _, f := range []string{still, moving} {
		if err := os.WriteFile(f, []byte("{}\n{}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	st := stampFiles([]string{still, moving})
	if err := st.check([]string{still, moving}); err != nil {
		t.Fatalf("nothing changed, yet: %v", err)
	}
	for name, change := range map[string]func() error{
		"appended": func() error {
			return os.WriteFile(moving, []byte("{}\n{}\n{}\n"), 0o600)
		},
		"truncated": func() error { return os.Truncate(moving, 1) },
	} {
		st := stampFiles([]string{still, moving})
		if err := change(); err != nil {
			t.Fatal(err)
		}
		err := st.check([]string{still, moving})
		if err == nil || !strings.Contains(err.Error(), moving) {
			t.Errorf("%s: check = %v, want an error naming %s", name, err, moving)
		}
	}
}

// TestOpenableReportsWhatCannotBeOpened: a file gone (or locked) by the
// time it is opened is reported as ingest.Read reports it and left out.
func TestOpenableReportsWhatCannotBeOpened(t *testing.T) {
	dir := t.TempDir()
	here, gone := filepath.Join(dir, "here.json"), filepath.Join(dir, "gone.json")
	if err := os.WriteFile(here, []byte("[]"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := &ingest.Set{}
	got := openable([]string{here, gone}, bad)
	if len(got) != 1 || got[0] != here {
		t.Errorf("openable = %v, want only %s", got, here)
	}
	if len(bad.Files) != 1 || bad.Files[0].Path != gone || !bad.Files[0].Skipped ||
		!strings.HasPrefix(bad.Files[0].Reason, "cannot be read: open ") ||
		len(bad.Problems) != 1 {
		t.Errorf("reports %+v, problems %v", bad.Files, bad.Problems)
	}
}

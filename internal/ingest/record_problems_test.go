package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRecordProblemsLeaveUnreadableFiles: a broken link and a link to a
// folder are listed as unreadable files and among the problems, but are no
// rejected record (a tryout's case: investigate logged them as "record
// rejected" and counted them in recordsRejected); a damaged record is.
func TestRecordProblemsLeaveUnreadableFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "signins.ndjson")
	text := `{"id":"s1","createdDateTime":"2026-03-02T08:00:00Z",` +
		`"userPrincipalName":"a@example.com","ipAddress":"192.0.2.1","status":{"errorCode":0}}` +
		"\n" + `{"id":"s2","createdDateTime":` + "\n"
	if err := os.WriteFile(good, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "broken")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), filepath.Join(dir, "folder-link")); err != nil {
		t.Fatal(err)
	}

	set, err := Read([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	records := set.RecordProblems()
	if len(set.Problems) != 3 || len(records) != 1 || records[0].File != good {
		t.Errorf("problems %v, of records %v; want the two links and the damaged line, "+
			"of which only the line is a record", set.Problems, records)
	}
}

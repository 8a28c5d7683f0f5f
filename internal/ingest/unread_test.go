package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestStreamCountsUnread: entries the caller could not read come first in
// the summary, skipped with their reason, whether the files are streamed
// in turn or merged by time.
func TestStreamCountsUnread(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "signins.ndjson")
	line := `{"id":"a","createdDateTime":"2026-03-01T10:00:00Z","userPrincipalName":"u@x.test",` +
		`"ipAddress":"198.51.100.1","status":{"errorCode":0}}` + "\n"
	if err := os.WriteFile(f, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	unread := []FileReport{{Path: filepath.Join(dir, "gone.json"), Reason: "broken link"}}
	opts := Options{Unread: unread}

	for name, stream := range map[string]func() (*Summary, error){
		"Stream": func() (*Summary, error) {
			return Stream([]string{f}, opts, func(Record) error { return nil })
		},
		"StreamByTime": func() (*Summary, error) {
			return StreamByTime([]string{f}, opts, func(Record) error { return nil })
		},
	} {
		t.Run(name, func(t *testing.T) {
			sum, err := stream()
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Files) != 2 {
				t.Fatalf("%d files in the summary, want 2: %+v", len(sum.Files), sum.Files)
			}
			got := sum.Files[0]
			if got.Path != unread[0].Path || !got.Skipped || got.Reason != "broken link" {
				t.Errorf("first file %+v, want the unread entry, skipped", got)
			}
			if sum.Files[1].Path != f || sum.Files[1].Skipped {
				t.Errorf("second file %+v, want %s read", sum.Files[1], f)
			}
			if sum.Counts[KindSignIn] != 1 {
				t.Errorf("%d sign-ins, want 1", sum.Counts[KindSignIn])
			}
		})
	}
}

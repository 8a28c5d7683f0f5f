package ingest

import (
	"os"
	"path/filepath"
	"strings"
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
	g := filepath.Join(dir, "more.ndjson")
	more := strings.NewReplacer(`"a"`, `"b"`, "10:00", "09:00").Replace(line) +
		strings.NewReplacer(`"a"`, `"c"`, "10:00", "11:00").Replace(line)
	if err := os.WriteFile(g, []byte(more), 0o600); err != nil {
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
		// Two files whose times overlap are merged record by record, which
		// puts the summaries together another way.
		"StreamByTime merged": func() (*Summary, error) {
			return StreamByTime([]string{f, g}, opts, func(Record) error { return nil })
		},
	} {
		t.Run(name, func(t *testing.T) {
			sum, err := stream()
			if err != nil {
				t.Fatal(err)
			}
			got := sum.Files[0]
			if got.Path != unread[0].Path || !got.Skipped || got.Reason != "broken link" {
				t.Errorf("first file %+v, want the unread entry, skipped", got)
			}
			skipped := 0
			for _, r := range sum.Files {
				if r.Skipped {
					skipped++
				}
			}
			if skipped != 1 || len(sum.Files) < 2 || sum.Files[1].Path != f {
				t.Errorf("files %+v, want the unread entry then %s read", sum.Files, f)
			}
			if n := sum.Counts[KindSignIn]; n != 1 && n != 3 {
				t.Errorf("%d sign-ins, want every one", n)
			}
		})
	}
}

package ingest

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadWalksFolders(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "b/late.json", "["+goodB+"]")
	writeFile(t, dir, "a.json", "["+goodA+"]")
	writeFile(t, dir, ".hidden.json", `[{"id":"h","createdDateTime":"2024-01-01T00:00:00Z","status":{}}]`)
	writeFile(t, dir, ".git/x.json", `[{"id":"g","createdDateTime":"2024-01-01T00:00:00Z","status":{}}]`)
	explicit := writeFile(t, t.TempDir(), ".given.json", `{"id":"e","createdDateTime":"2024-01-02T00:00:00Z","status":{}}`)

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	set, err := Read([]string{dir, explicit}, Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range set.Files {
		paths = append(paths, f.Path)
	}
	want := []string{filepath.Join(dir, "a.json"), filepath.Join(dir, "b", "late.json"), explicit}
	if strings.Join(paths, "|") != strings.Join(want, "|") {
		t.Errorf("files %v, want %v", paths, want)
	}
	wantIDs(t, set, "a1", "a2", "e")
	for _, msg := range []string{"msg=\"file read\"", "msg=\"input read\"", "signins=3"} {
		if !strings.Contains(logs.String(), msg) {
			t.Errorf("log lacks %s:\n%s", msg, logs.String())
		}
	}
	if strings.Contains(logs.String(), "u@example.com") {
		t.Errorf("log carries record content:\n%s", logs.String())
	}
}

func TestReadMissingPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.json")
	_, err := Read([]string{missing}, Options{})
	if err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("err = %v, want a not-exist error naming the path", err)
	}
}

// TestDeterministic reads the same input twice, in two orders of Decode
// calls within a file set, and expects the same order of records.
func TestDeterministic(t *testing.T) {
	a := decodeReports(t, "BR-11.json", "BR-12.json", "BR-25.ndjson", "BR-09.ndjson")
	b := decodeReports(t, "BR-11.json", "BR-12.json", "BR-25.ndjson", "BR-09.ndjson")
	for i := range a.SignIns {
		if a.SignIns[i].ID != b.SignIns[i].ID || !a.SignIns[i].Time.Equal(b.SignIns[i].Time) {
			t.Fatalf("order differs at %d: %s / %s", i, a.SignIns[i].ID, b.SignIns[i].ID)
		}
	}
	for i := 1; i < len(a.SignIns); i++ {
		if a.SignIns[i].Time.Before(a.SignIns[i-1].Time) {
			t.Errorf("sign-ins not in time order at %d", i)
		}
	}
}

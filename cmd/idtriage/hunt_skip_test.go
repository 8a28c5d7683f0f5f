package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHuntReportsWhatItCannotRead: a broken link and a link to a folder
// beside the example are logged as skipped, each naming its path, and the
// hunt goes on with the same alerts as over the example alone; the read's
// summary counts them.
func TestHuntReportsWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(example, "signins.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "signins.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	broken, folder := filepath.Join(dir, "gone.json"), filepath.Join(dir, "folder")
	if err := os.Symlink(filepath.Join(dir, "nothing"), broken); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), folder); err != nil {
		t.Fatal(err)
	}

	_, alone, _ := execute(t, "hunt", "--format", "ndjson", filepath.Join(dir, "signins.json"))
	code, out, errOut := execute(t, "hunt", "--format", "ndjson", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != alone || out == "" {
		t.Errorf("alerts differ from the file's alone:\n%s\nwant\n%s", out, alone)
	}
	for _, path := range []string{broken, folder} {
		if !strings.Contains(errOut, `msg="file skipped" path=`+path) {
			t.Errorf("log does not say %s was skipped:\n%s", path, errOut)
		}
	}
	// The summary of the read counts them among the files it left out.
	if !strings.Contains(errOut, `msg="input streamed" files=3 skipped=2 `) {
		t.Errorf("the input summary does not count the two entries skipped:\n%s", errOut)
	}
}

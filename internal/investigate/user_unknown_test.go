package investigate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/ingest"
)

// TestUnknownUserSaysWhy: a --user asked of an input that names no user
// at all says why, file by file (a tryout's case: an empty file gave only
// "does not appear in the input"), in the streamed read and the whole one.
func TestUnknownUserSaysWhy(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "signins.json")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	_, _, err := ReadUser([]string{empty}, "x@example.com", ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "names no user at all") ||
		!strings.Contains(err.Error(), "signins.json: empty file") {
		t.Errorf("streamed read: %v", err)
	}

	set, rerr := ingest.Read([]string{empty}, ingest.Options{})
	if rerr != nil {
		t.Fatal(rerr)
	}
	cfg := DefaultConfig()
	cfg.User = "x@example.com"
	if _, err := Run(set, cfg); err == nil || !strings.Contains(err.Error(), "empty file") {
		t.Errorf("whole read: %v", err)
	}
}

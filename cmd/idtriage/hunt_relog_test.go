package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestRereadLog: the second read drops the lines the first said word for
// word, and says every other; the first says its own repeats.
func TestRereadLog(t *testing.T) {
	var buf bytes.Buffer
	base := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
	var r rereadLog
	first, second := r.first(base), r.second(base)

	first.Warn("file skipped", "path", "a/README.md")
	first.Warn("file skipped", "path", "a/README.md")
	first.With("part", 1).Info("read", "files", 2)
	second.Warn("file skipped", "path", "a/README.md")
	second.Warn("file skipped", "path", "b/notes.txt")
	second.Info("read", "files", 2)
	second.With("part", 1).Info("read", "files", 2)
	second.With("part", 1).Info("read", "files", 3)

	want := []string{
		`level=WARN msg="file skipped" path=a/README.md`,
		`level=WARN msg="file skipped" path=a/README.md`,
		`level=INFO msg=read part=1 files=2`,
		`level=WARN msg="file skipped" path=b/notes.txt`,
		`level=INFO msg=read files=2`,
		`level=INFO msg=read part=1 files=3`,
	}
	got := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logged:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestHuntSaysFileLinesOnce: the example is not in time order, so hunt
// reads it twice; its stray README and its IP intelligence are each
// logged once.
func TestHuntSaysFileLinesOnce(t *testing.T) {
	code, _, errOut := execute(t, "hunt", example)
	if code != 0 || !strings.Contains(errOut, "sorting it on disk") {
		t.Fatalf("exit %d, or the example was not read twice:\n%s", code, errOut)
	}
	for _, line := range []string{`msg="file passed over"`, "ip_intel=8"} {
		if n := strings.Count(errOut, line); n != 1 {
			t.Errorf("%s logged %d times, want once:\n%s", line, n, errOut)
		}
	}
}

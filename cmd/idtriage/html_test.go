package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// htmlTiming matches the one line of the HTML report that changes between
// runs.
var htmlTiming = regexp.MustCompile(`<li class="timing">[^<]*</li>`)

func TestExampleHTMLGolden(t *testing.T) {
	code, out, errOut := execute(t, "investigate", "--format", "html", example)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden := filepath.Join("testdata", "sspr-takeover.html")
	got := htmlTiming.ReplaceAllString(out, `<li class="timing"><timing></li>`)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (run go test -update once): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("report differs from %s (-want +got):\n%s", golden, diff)
	}
}

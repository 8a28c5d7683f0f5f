package detect

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestExportGolden holds the KQL and Sigma exports of the default rules,
// with one break-glass account configured so that every rule is exported.
func TestExportGolden(t *testing.T) {
	p := DefaultParams()
	p.BreakGlass.Accounts = []string{"breakglass@example.com"}
	for name, export := range map[string]func(*bytes.Buffer) error{
		"export.kql":       func(b *bytes.Buffer) error { return ExportKQL(b, p) },
		"export.sigma.yml": func(b *bytes.Buffer) error { return ExportSigma(b, p) },
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := export(&b); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run go test -update once): %v", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", golden, diff)
			}
		})
	}
}

package detect

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// nonInteractiveText are the columns AADNonInteractiveUserSignInLogs holds
// as JSON text where SigninLogs holds them as dynamic values (BR-04), and
// NetworkLocationDetails, which Microsoft's table reference types the same
// way.
var nonInteractiveText = []string{"Status", "MfaDetail", "LocationDetails", "DeviceDetail",
	"ConditionalAccessPolicies", "NetworkLocationDetails"}

// TestKQLUnionsTypeColumns: a query over both sign-in tables reads one of
// those columns only after the non-interactive side made it dynamic; a
// union of the two types would split it into two columns and the query
// would fail.
func TestKQLUnionsTypeColumns(t *testing.T) {
	p := DefaultParams()
	p.BreakGlass.Accounts = []string{"breakglass@example.com"}
	unions := 0
	for _, r := range p.rules() {
		q := r.kql()
		if !strings.Contains(q, "AADNonInteractiveUserSignInLogs") {
			continue
		}
		unions++
		for _, col := range nonInteractiveText {
			used := regexp.MustCompile(`\b` + col + `\b`).MatchString(q)
			if used && !strings.Contains(q, col+" = todynamic("+col+")") {
				t.Errorf("%s reads %s over both sign-in tables without todynamic:\n%s",
					r.meta().ID, col, q)
			}
		}
	}
	if unions < 3 {
		t.Errorf("%d queries read both sign-in tables; expected several", unions)
	}
}

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

// exportGlassID is a break-glass account given by object id, upper case
// as some portals copy it, so that the exports show how ids are matched.
const exportGlassID = "5B0C2A7E-1D3F-4A6B-9C8D-7E6F5A4B3C2D"

// TestExportGolden holds the KQL and Sigma exports of the default rules,
// with one break-glass account configured so that every rule is exported.
func TestExportGolden(t *testing.T) {
	p := DefaultParams()
	p.BreakGlass.Accounts = []string{"breakglass@example.com", exportGlassID}
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
	p.BreakGlass.Accounts = []string{"breakglass@example.com", exportGlassID}
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

// TestBreakGlassExportColumns: an account given by object id (bare or as
// hunt prints it, id:<guid>) is matched on the id columns, a name on the
// principal-name columns, and no export writes the id: prefix.
func TestBreakGlassExportColumns(t *testing.T) {
	const id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	tests := []struct {
		name     string
		accounts []string
		want     []string // in both exports
		wantKQL  []string
		absent   []string
	}{
		{"name", []string{"BG@Example.com"}, []string{"bg@example.com"},
			[]string{"UserPrincipalName in~ (breakGlass)"}, []string{"UserId in~", "UserId:"}},
		{"id prefixed", []string{"id:" + id}, []string{id},
			[]string{"UserId in~ (breakGlassIds)", "InitiatedBy.user.id) in~"},
			[]string{"id:" + id, "UserPrincipalName in~", "UserPrincipalName:"}},
		{"bare id", []string{strings.ToUpper(id)}, []string{id},
			[]string{"UserId in~ (breakGlassIds)"}, []string{"id:" + id}},
		// One account written three ways, and an empty entry, is one.
		{"one id three ways", []string{"id: " + id, id, "ID:" + strings.ToUpper(id), ""},
			[]string{id}, []string{`dynamic(["` + id + `"])`},
			[]string{`" ` + id, "2 accounts", "3 accounts", "4 accounts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultParams()
			p.BreakGlass.Accounts = tt.accounts
			r := &breakGlass{p: p.BreakGlass}
			kql := r.kql()
			var sig bytes.Buffer
			if err := ExportSigma(&sig, p); err != nil {
				t.Fatal(err)
			}
			doc := sig.String()
			doc = doc[strings.Index(doc, "title: Emergency-access account used"):]
			doc = doc[:strings.Index(doc, "\n---")]
			for _, w := range tt.want {
				if !strings.Contains(kql, w) || !strings.Contains(doc, w) {
					t.Errorf("%q missing:\nKQL:\n%s\nSigma:\n%s", w, kql, doc)
				}
			}
			for _, w := range tt.wantKQL {
				if !strings.Contains(kql, w) {
					t.Errorf("KQL lacks %q:\n%s", w, kql)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(kql, a) || strings.Contains(doc, a) {
					t.Errorf("%q present:\nKQL:\n%s\nSigma:\n%s", a, kql, doc)
				}
			}
		})
	}
}

// TestBreakGlassAccountsChecked: an entry that is neither a principal name
// nor an object id is refused, and a list of empty entries leaves the rule
// off, as the engine treats it.
func TestBreakGlassAccountsChecked(t *testing.T) {
	for _, bad := range []string{"bob", "{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}", "bg@",
		"@contoso.com", "a@b@contoso.com", "mailto:bg@contoso.com", "bg @contoso.com",
		"u@x.com;v@y.com", "u@x.com v@y.com", "bg@contoso", "id:not-a-guid"} {
		if err := CheckAccounts([]string{"bg@example.com", bad}); err == nil ||
			!strings.Contains(err.Error(), "neither a principal name") {
			t.Errorf("CheckAccounts(%q) = %v, want a refusal", bad, err)
		}
	}
	if err := CheckAccounts([]string{"bg@example.com", "alice_contoso.com#EXT#@fabrikam." +
		"onmicrosoft.com", "bg+test@Example.COM", "id:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
		"0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", ""}); err != nil {
		t.Errorf("good accounts refused: %v", err)
	}
	p := DefaultParams()
	p.BreakGlass.Accounts = []string{"", "  "}
	if (&breakGlass{p: p.BreakGlass}).enabled() {
		t.Error("the rule is on with only empty accounts")
	}
}

package ingest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// corpusWant is what one corpus file must give, written by hand after
// reading each file (SOURCES.md gives the record counts).
type corpusWant struct {
	shape    string
	counts   map[Kind]int
	rejected int
	skipped  bool
	// at is the line and column of the one rejected record's fault.
	at [2]int
}

func signins(n int) map[Kind]int    { return map[Kind]int{KindSignIn: n} }
func audits(n int) map[Kind]int     { return map[Kind]int{KindAudit: n} }
func risks(n int) map[Kind]int      { return map[Kind]int{KindRisk: n} }
func riskyUsers(n int) map[Kind]int { return map[Kind]int{KindRiskyUser: n} }

const (
	graphDocs = "microsoftgraph__microsoft-graph-docs-contrib/"
	elastic   = "elastic__integrations/"
	invictus  = "invictus-ir__Microsoft-Extractor-Suite/"
	msDocs    = "MicrosoftDocs__azure-docs/"
	panther   = "panther-labs__panther-analysis/"
)

var corpusTable = map[string]corpusWant{
	"Azure__Azure-Sentinel/Training-Lab__sign-in_adelete.first-9-records.csv": {shape: "csv", counts: signins(9)},
	"SOURCES.md": {shape: "text", skipped: true},

	msDocs + "audit-log-schema__example1-legacy-Audit-ChangePasswordSelfService.records.json": {shape: "eventhub-records", counts: audits(1)},
	msDocs + "audit-log-schema__example2-legacy-Audit-UpdateServicePrincipal.records.json":    {shape: "eventhub-records", counts: audits(1)},
	msDocs + "audit-log-schema__example3-AuditLogs-UpdatePolicy.records.json":                 {shape: "eventhub-records", counts: audits(1)},
	msDocs + "sign-ins-log-schema__example-SignInLogs-placeholders.json":                      {shape: "object", counts: signins(1)},

	elastic + "auditlogs__test-audit-logs-edgecases.log":                     {shape: "ndjson", counts: audits(2)},
	elastic + "auditlogs__test-auditlogs-raw.log":                            {shape: "ndjson", counts: audits(3)},
	elastic + "auditlogs__test-auditlogs-result-reason.log":                  {shape: "object", counts: audits(1)},
	elastic + "identity_protection__test-rickyusers-raw.log":                 {shape: "ndjson", counts: riskyUsers(2)},
	elastic + "identity_protection__test-userriskevents-raw.log":             {shape: "ndjson", counts: risks(2)},
	elastic + "signinlogs__test-adfs-signin.log":                             {shape: "object", counts: signins(1)},
	elastic + "signinlogs__test-alternative-time-and-duration-as-string.log": {shape: "object", counts: signins(1)},
	elastic + "signinlogs__test-non-interactive-user.log":                    {shape: "object", counts: signins(1)},
	elastic + "signinlogs__test-service-principal.log":                       {shape: "object", counts: signins(1)},
	elastic + "signinlogs__test-signinlogs-raw.log":                          {shape: "ndjson", counts: signins(5)},
	elastic + "signinlogs__test-signinlogs-sample.log":                       {shape: "ndjson", counts: signins(2)},
	elastic + "signinlogs__test-time-formats-corner-cases.log":               {shape: "ndjson", counts: signins(11)},

	invictus + "202504220931-RiskyDetections.csv":                                         {shape: "utf-8-bom+csv", counts: risks(58)},
	invictus + "202504220931-RiskyUsers.csv":                                              {shape: "utf-8-bom+csv", counts: riskyUsers(98)},
	invictus + "20250502131826-AuditLogs.json":                                            {shape: "utf-8-bom+array", counts: audits(123)},
	invictus + "20250502132320-servicePrincipal-SignInLogs.trimmed-first-348-of-494.json": {shape: "utf-8-bom+array", counts: signins(348)},
	invictus + "20250502132321-managedIdentity-SignInLogs.json":                           {shape: "utf-8-bom+array", counts: signins(28)},

	graphDocs + "beta__riskdetection-list__example2.INVALID-trailing-comma.json":          {shape: "graph-page", rejected: 1, at: [2]int{28, 180}},
	graphDocs + "beta__signin-list__example1.json":                                        {shape: "graph-page", counts: signins(1)},
	graphDocs + "beta__signin-list__example2-nextLink.json":                               {shape: "graph-page", counts: signins(1)},
	graphDocs + "beta__signin-list__older-example1-FIDO2-MFA.INVALID-trailing-comma.json": {shape: "graph-page", rejected: 1, at: [2]int{78, 18}},
	graphDocs + "beta__signin-list__older-example2-password-CAapplied.json":               {shape: "graph-page", counts: signins(1)},
	graphDocs + "v1.0__directoryaudit-list__example1.json":                                {shape: "graph-page", counts: audits(1)},
	graphDocs + "v1.0__directoryaudit-list__example2-filter-initiatedBy.json":             {shape: "graph-page", counts: audits(1)},
	graphDocs + "v1.0__riskdetection-list__example2.json":                                 {shape: "graph-page", counts: risks(1)},
	graphDocs + "v1.0__riskyuser-list__placeholder-values.json":                           {shape: "graph-page", counts: riskyUsers(1)},
	graphDocs + "v1.0__signin-list__example1.INVALID-trailing-comma.json":                 {shape: "graph-page", rejected: 1, at: [2]int{63, 18}},

	"microsoftgraph__microsoft-graph-docs.zh-CN/beta__signin-list__example3-nonInteractive.json": {shape: "graph-page", counts: signins(1)},

	panther + "azure_auth_methods_policy_oidc_change.yml.tests.ndjson":     {shape: "ndjson", counts: audits(2)},
	panther + "azure_device_code_broker_client.yml.tests.ndjson":           {shape: "ndjson", counts: signins(2)},
	panther + "azure_domain_trust_settings_modified.yml.tests.ndjson":      {shape: "ndjson", counts: audits(2)},
	panther + "azure_elevate_user_access_admin.yml.tests.ndjson":           {shape: "ndjson", counts: audits(2)},
	panther + "azure_excessive_account_lockouts.yml.tests.ndjson":          {shape: "ndjson", counts: signins(3)},
	panther + "azure_failed_signins.yml.tests.ndjson":                      {shape: "ndjson", counts: signins(2)},
	panther + "azure_graph_session_multiple_ips.yml.tests.ndjson":          {shape: "ndjson", counts: signins(3)},
	panther + "azure_high_risk_signin.yml.tests.ndjson":                    {shape: "ndjson", counts: signins(2)},
	panther + "azure_invite_external_users.yml.tests.ndjson":               {shape: "ndjson", counts: audits(4)},
	panther + "azure_legacyauth.yml.tests.ndjson":                          {shape: "ndjson", counts: signins(3)},
	panther + "azure_mfa_disabled.yml.tests.ndjson":                        {shape: "ndjson", counts: audits(3)},
	panther + "azure_multiple_protection_alerts.yml.tests.ndjson":          {shape: "ndjson", counts: signins(2)},
	panther + "azure_policy_changed.yml.tests.ndjson":                      {shape: "ndjson", counts: audits(3)},
	panther + "azure_risklevel_passthrough.yml.tests.ndjson":               {shape: "ndjson", counts: signins(5)},
	panther + "azure_role_changed_pim.yml.tests.ndjson":                    {shape: "ndjson", counts: audits(3)},
	panther + "azure_ropc_login_no_mfa.yml.tests.ndjson":                   {shape: "ndjson", counts: signins(2)},
	panther + "azure_service_principal_credentials_added.yml.tests.ndjson": {shape: "ndjson", counts: audits(2)},
	panther + "azure_vscode_oauth_phishing.yml.tests.ndjson":               {shape: "ndjson", counts: signins(2)},
}

// TestCorpusFiles decodes every file of the corpus on its own and checks
// its shape, the records kept per kind and the records rejected. A file in
// the corpus that the table does not list fails the test.
func TestCorpusFiles(t *testing.T) {
	seen := map[string]bool{}
	for _, rel := range corpusFiles(t) {
		seen[rel] = true
		t.Run(rel, func(t *testing.T) {
			want, ok := corpusTable[rel]
			if !ok {
				t.Fatalf("corpus file not in the table; read it and add it")
			}
			set := decodeCorpus(t, rel)
			rep := set.Files[0]
			if rep.Shape != want.shape {
				t.Errorf("shape = %q, want %q", rep.Shape, want.shape)
			}
			if diff := cmp.Diff(want.counts, rep.Counts); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if rep.Rejected != want.rejected || rep.Skipped != want.skipped {
				t.Errorf("rejected, skipped = %d, %v; want %d, %v (problems %v)",
					rep.Rejected, rep.Skipped, want.rejected, want.skipped, set.Problems)
			}
			checkCorpusProblems(t, set, want)
		})
	}
	for rel := range corpusTable {
		if !seen[rel] {
			t.Errorf("%s is in the table but not in the corpus", rel)
		}
	}
}

func checkCorpusProblems(t *testing.T, set *Set, want corpusWant) {
	t.Helper()
	switch {
	case want.skipped:
		// A text file that is not an export is skipped with its reason and
		// is no problem: no record was lost.
		if len(set.Problems) != 0 || !strings.HasSuffix(set.Files[0].Reason, "not JSON or CSV") {
			t.Errorf("problems = %v, reason %q; want none, \"not JSON or CSV\"",
				set.Problems, set.Files[0].Reason)
		}
	case want.rejected == 1:
		if len(set.Problems) != 1 {
			t.Fatalf("problems = %v, want one", set.Problems)
		}
		p := set.Problems[0]
		if got := [2]int{p.Line, p.Column}; got != want.at || p.Record != 1 {
			t.Errorf("error at %v record %d, want %v record 1: %v", got, p.Record, want.at, p)
		}
	default:
		for _, p := range set.Problems {
			t.Errorf("unexpected problem: %v", p)
		}
	}
}

// TestCorpusSummary reads the whole corpus with Read and compares what it
// reports (files, problems, warnings, counts after merging) with a golden
// file. Records themselves are not written out: the corpus carries other
// projects' licences.
func TestCorpusSummary(t *testing.T) {
	requireCorpus(t)
	set, err := Read([]string{corpusDir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type summary struct {
		Files      []FileReport
		Problems   []*Error
		Warnings   map[string]int
		Kept       map[Kind]int
		Duplicates int
		Merged     int
	}
	s := summary{Files: set.Files, Problems: set.Problems, Warnings: set.Warnings,
		Duplicates: set.Duplicates, Merged: set.Merged, Kept: map[Kind]int{
			KindSignIn: len(set.SignIns), KindAudit: len(set.Audits), KindRisk: len(set.Risks),
			KindRiskyUser: len(set.RiskyUsers), KindUser: len(set.Users), KindIPInfo: len(set.IPs),
		}}
	// Paths are made relative to the corpus so the file does not depend on
	// where the corpus sits.
	for i := range s.Files {
		s.Files[i].Path = strings.TrimPrefix(s.Files[i].Path, corpusDir+"/")
	}
	for _, p := range s.Problems {
		p.File = strings.TrimPrefix(p.File, corpusDir+"/")
	}
	golden(t, "corpus-summary.golden.json", s)
}

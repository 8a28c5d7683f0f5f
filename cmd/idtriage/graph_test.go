package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/graph/graphtest"
)

const (
	cases   = "../../internal/investigate/testdata/cases"
	ipIntel = example + "/ipdata.ndjson"
	ana     = "ana.reyes@example.com"
)

// exampleNow is a moment just after the reference case, so that its four
// weeks fit Graph's 30 days.
var exampleNow = time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)

// fakeTenant starts a fake Graph that holds the given case folders and
// throttles, fails and overlaps pages at random, and sets the AZURE_*
// variables of its app registration. The default credential chain is
// limited to its environment credential, the one the variables feed, so
// that no test probes a managed identity endpoint.
func fakeTenant(t *testing.T, opts graphtest.Options, dirs ...string) *graphtest.Server {
	t.Helper()
	opts.Now, opts.Retention = exampleNow, 30*24*time.Hour
	srv := graphtest.New(opts)
	t.Cleanup(srv.Close)
	if _, err := srv.Load(dirs...); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AZURE_TENANT_ID", graphtest.TenantID)
	t.Setenv("AZURE_CLIENT_ID", graphtest.ClientID)
	t.Setenv("AZURE_CLIENT_SECRET", graphtest.ClientSecret)
	t.Setenv("AZURE_TOKEN_CREDENTIALS", "EnvironmentCredential")
	return srv
}

// fakeClock runs with real time, but a sleep moves it on at once.
type fakeClock struct {
	mu    sync.Mutex
	base  time.Time
	start time.Time
	slept time.Duration
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.start) + c.slept)
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept += d
	return ctx.Err()
}

// executeGraph runs the program in-process against srv, at exampleNow.
func executeGraph(t *testing.T, srv *graphtest.Server, args ...string) (int, string, string) {
	t.Helper()
	clk := &fakeClock{base: exampleNow, start: time.Now()}
	ctx := context.WithValue(context.Background(), graphHooksKey{},
		graphHooks{client: srv.HTTPClient(), now: clk.now, sleep: clk.sleep})
	args = append(args, "--graph-host", srv.GraphHost(), "--login-host", srv.LoginHost())
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var (
	fileTable = regexp.MustCompile(`(?m)^\| File \| Shape \|.*\n(^\|.*\n)*`)
	fileList  = regexp.MustCompile(`(?s)\n  "files": \[.*?\n  \],?`)
)

// sameCase removes the timing and the list of files, which name the files
// their own way, from a report.
func sameCase(s string) string {
	s = normalise(s)
	s = fileTable.ReplaceAllString(s, "<files>\n")
	return fileList.ReplaceAllString(s, "\n  <files>")
}

// exampleServed is the example without its README, the files the fake
// serves, and the report offline investigation gives of them.
func exampleServed(t *testing.T, format string) string {
	t.Helper()
	var files []string
	for _, f := range []string{"alert.json", "audits.json", "ipdata.ndjson",
		"risk-detections.json", "signins.json", "user.json"} {
		files = append(files, filepath.Join(example, f))
	}
	code, out, errOut := execute(t, append([]string{"investigate", "--format", format},
		files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	return out
}

func TestPullThenInvestigate(t *testing.T) {
	srv := fakeTenant(t, graphtest.Options{Seed: 11, Throttle: 0.1, Unavailable: 0.05,
		ServerError: 0.05, Overlap: 0.25}, example)
	dir := filepath.Join(t.TempDir(), "case-42")
	code, out, errOut := executeGraph(t, srv, "pull", "--graph", "--user", ana, "--since", "30d",
		"--out", dir)
	if code != 0 {
		t.Fatalf("pull: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, ana+": complete") {
		t.Errorf("summary does not say the pull is complete:\n%s", out)
	}
	if strings.Contains(errOut, graphtest.ClientSecret) || strings.Contains(errOut, "fake-token") {
		t.Error("stderr carries the client secret or a token")
	}
	st := srv.Stats()
	t.Logf("fake Graph: %d requests, %d pages, %d answered 429, %d 503, %d 500, %d overlaps",
		st.Requests, st.Pages, st.Throttled, st.Unavailable, st.ServerErrors, st.Overlaps)

	for _, format := range []string{"md", "json"} {
		code, got, errOut := execute(t, "investigate", "--format", format, dir, ipIntel)
		if code != 0 {
			t.Fatalf("investigate the pull: exit %d: %s", code, errOut)
		}
		if diff := cmp.Diff(sameCase(exampleServed(t, format)), sameCase(got)); diff != "" {
			t.Errorf("%s report of the pull differs (-files +pull):\n%s", format, diff)
		}
	}
}

func TestInvestigateGraph(t *testing.T) {
	srv := fakeTenant(t, graphtest.Options{Seed: 12, Throttle: 0.1, ServerError: 0.05,
		Overlap: 0.2}, example)
	code, first, errOut := executeGraph(t, srv, "investigate", "--graph", "--user", ana,
		"--format", "json", ipIntel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if diff := cmp.Diff(sameCase(exampleServed(t, "json")), sameCase(first)); diff != "" {
		t.Errorf("report differs from the offline one (-files +graph):\n%s", diff)
	}
	_, second, _ := executeGraph(t, srv, "investigate", "--graph", "--user", ana,
		"--format", "json", ipIntel)
	if normalise(first) != normalise(second) {
		t.Error("two investigations of the same tenant differ")
	}
	if !strings.Contains(first, `"path": "graph/signins-interactive.json"`) {
		t.Error("the report does not name the pulled files graph/...")
	}

	// A shorter window still investigates, with fewer records.
	code, week, errOut := executeGraph(t, srv, "investigate", "--graph", "--user", ana,
		"--since", "7d", "--format", "json")
	if code != 0 {
		t.Fatalf("--since 7d: exit %d: %s", code, errOut)
	}
	var c struct {
		Sources struct {
			SignIns int `json:"signins"`
		}
	}
	if err := json.Unmarshal([]byte(week), &c); err != nil || c.Sources.SignIns == 0 ||
		c.Sources.SignIns >= 82 {
		t.Errorf("--since 7d read %d sign-ins (err %v), want some of the 82", c.Sources.SignIns,
			err)
	}
}

func TestInvestigateAlerts(t *testing.T) {
	// Valentina's risk was remediated and Kenji has no risky-user record:
	// only Ana is at risk.
	srv := fakeTenant(t, graphtest.Options{Seed: 13, Throttle: 0.1, PageSize: 1}, example,
		cases+"/own-sspr-from-home", cases+"/thin-evidence")
	code, out, errOut := executeGraph(t, srv, "investigate", "--graph", "--alerts",
		"--format", "json", ipIntel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var reports []struct {
		User    string
		Verdict struct{ Label, Confidence string }
	}
	if err := json.Unmarshal([]byte(out), &reports); err != nil {
		t.Fatalf("output is not a JSON array: %v", err)
	}
	if len(reports) != 1 || reports[0].User != ana ||
		reports[0].Verdict.Label != "True Positive - Blocked" {
		t.Errorf("reports = %+v, want Ana's, True Positive - Blocked", reports)
	}

	dir := t.TempDir()
	code, _, errOut = executeGraph(t, srv, "investigate", "--graph", "--alerts", "--format",
		"md", "--out", dir)
	if code != 0 {
		t.Fatalf("--out: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, ana+".md")); err != nil {
		t.Errorf("no report per user in --out: %v", err)
	}

	pulled := filepath.Join(t.TempDir(), "at-risk")
	code, out, errOut = executeGraph(t, srv, "pull", "--graph", "--alerts", "--out", pulled)
	if code != 0 || !strings.Contains(out, "users at risk: 1") {
		t.Fatalf("pull --alerts: exit %d, stdout %q: %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(pulled, ana, "signins-interactive.json")); err != nil {
		t.Errorf("pull --alerts wrote no folder for the user: %v", err)
	}
}

func TestPullMissingPermission(t *testing.T) {
	tests := []struct{ deny, want string }{
		{"User.Read.All", "missing permission User.Read.All"},
		{"IdentityRiskyUser.Read.All", "missing permission IdentityRiskyUser.Read.All"},
		{"IdentityRiskEvent.Read.All", "missing permission IdentityRiskEvent.Read.All"},
		{"AuditLog.Read.All", "missing permission AuditLog.Read.All"},
	}
	for _, tt := range tests {
		t.Run(tt.deny, func(t *testing.T) {
			srv := fakeTenant(t, graphtest.Options{Deny: []string{tt.deny}}, example)
			code, out, errOut := executeGraph(t, srv, "pull", "--graph", "--user", ana,
				"--out", t.TempDir(), "--log-format", "json")
			if code != 1 {
				t.Fatalf("exit %d, want 1: %s", code, errOut)
			}
			var msg []string
			for _, l := range strings.Split(strings.TrimSpace(errOut), "\n") {
				if strings.HasPrefix(l, "idtriage: ") {
					msg = append(msg, l)
				}
			}
			if len(msg) != 1 || !strings.Contains(msg[0], tt.want) ||
				!strings.Contains(msg[0], "admin consent") {
				t.Errorf("error lines %q, want one naming %s", msg, tt.deny)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
}

func TestGraphUsage(t *testing.T) {
	full := t.TempDir()
	writeFile(t, filepath.Join(full, "old.json"), "[]")
	tests := []struct {
		name   string
		args   []string
		want   int
		stderr string
	}{
		{"pull without --graph", []string{"pull", "--user", ana, "--out", t.TempDir()}, 2,
			"add --graph"},
		{"pull without --out", []string{"pull", "--graph", "--user", ana}, 2, "--out DIR"},
		{"pull without user", []string{"pull", "--graph", "--out", t.TempDir()}, 2,
			"--user UPN or --alerts"},
		{"pull into a full folder", []string{"pull", "--graph", "--user", ana, "--out", full},
			2, "not empty"},
		{"beyond retention", []string{"pull", "--graph", "--user", ana, "--since", "45d",
			"--out", t.TempDir()}, 2, "keeps sign-in logs for 30 days"},
		{"bad since", []string{"investigate", "--graph", "--user", ana, "--since", "7w"}, 2,
			"--since"},
		{"no user", []string{"investigate", "--graph"}, 2, "--user UPN or --alerts"},
		{"bad auth", []string{"investigate", "--graph", "--user", ana, "--auth", "magic"}, 2,
			"--auth"},
		{"bad cloud", []string{"investigate", "--graph", "--user", ana, "--cloud", "mars"}, 2,
			"--cloud"},
		{"no budget", []string{"investigate", "--graph", "--user", ana, "--budget", "0s"}, 2,
			"--budget"},
		{"unknown user", []string{"investigate", "--graph", "--user", "nobody@example.com"}, 1,
			"no user nobody@example.com in the tenant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeTenant(t, graphtest.Options{}, example)
			code, _, errOut := executeGraph(t, srv, tt.args...)
			if code != tt.want || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.want, tt.stderr)
			}
			if tt.want == 2 && srv.Stats().Requests+srv.Stats().Tokens > 0 {
				t.Errorf("a usage error sent %d requests", srv.Stats().Requests)
			}
		})
	}

	t.Run("secret method without a secret", func(t *testing.T) {
		srv := fakeTenant(t, graphtest.Options{}, example)
		t.Setenv("AZURE_CLIENT_SECRET", "")
		code, _, errOut := executeGraph(t, srv, "investigate", "--graph", "--user", ana,
			"--auth", "secret")
		if code != 2 || !strings.Contains(errOut, "AZURE_CLIENT_SECRET") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

func TestPullBudget(t *testing.T) {
	// Unbounded, this pull takes seconds: some 70 pages at 40 ms each.
	srv := fakeTenant(t, graphtest.Options{Latency: 40 * time.Millisecond, PageSize: 2},
		example)
	dir := t.TempDir()
	began := time.Now()
	code, out, errOut := executeGraph(t, srv, "pull", "--graph", "--user", ana, "--out", dir,
		"--budget", "400ms")
	took := time.Since(began)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The slack covers the command's start and a loaded machine.
	if took > 400*time.Millisecond+time.Second {
		t.Errorf("the pull took %s with a budget of 400ms", took)
	}
	if !strings.Contains(out, "PARTIAL") || !strings.Contains(out, "NOT READ") {
		t.Errorf("summary does not say what was not read:\n%s", out)
	}
	code, report, errOut := execute(t, "investigate", "--format", "json", dir)
	if code != 0 {
		t.Fatalf("investigate the partial pull: exit %d: %s", code, errOut)
	}
	if !strings.Contains(report, "incomplete export") {
		t.Error("the report of a partial pull does not say the export is incomplete")
	}
}

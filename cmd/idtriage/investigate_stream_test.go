package main

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
	"github.com/idtriage/idtriage/internal/simulate"
)

// runTiming matches what differs between two runs on the same input: the
// wall time in JSON and in Markdown.
var runTiming = regexp.MustCompile(`"wallTimeMs": *[0-9.e+-]+|This run took [^\n]*`)

// TestStreamedReadMatchesWholeRead: investigate --user reads in two
// streamed passes (readInput, investigate.ReadUser); the report must be
// the one the whole read gives, byte for byte but for the runTiming, in every
// format and with --redact, on the example, the field reports, the fixture
// cases, input with a bad record, and a generated tenant's flagged users.
func TestStreamedReadMatchesWholeRead(t *testing.T) {
	tenant := t.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 200, Days: 5, Seed: 7,
		Out: tenant}); err != nil {
		t.Fatal(err)
	}
	logs := filepath.Join(tenant, simulate.LogsDir)
	// A folder with a bad record and a link to nothing, which the whole
	// read lists as a file skipped and a problem.
	badDir := t.TempDir()
	bad := filepath.Join(badDir, "bad.ndjson")
	gone := filepath.Join(badDir, "gone")
	if err := os.Symlink(gone, filepath.Join(badDir, "gone.json")); err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile("../../examples/sspr-takeover/signins.json")
	if err != nil {
		t.Fatal(err)
	}
	// A sign-in whose policies are a string: a decoder warning that only
	// a full decode gives, which the report's input notes list.
	odd := []byte(`{"id":"odd-1","createdDateTime":"2026-03-02T22:34:22Z",` +
		`"userPrincipalName":"eve@x.example","ipAddress":"203.0.113.5",` +
		`"appliedConditionalAccessPolicies":"x"}` + "\n")
	if err := os.WriteFile(filepath.Join(badDir, "odd.ndjson"), odd, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, append([]byte("{\"id\": oops}\n"), sample...), 0o644); err != nil {
		t.Fatal(err)
	}

	// A day of the tenant newest first, as a Graph pull writes it: the
	// sign-ins around the user come out of time order, and the spray rules
	// read them again in any order.
	day, err := os.ReadFile(filepath.Join(logs, "2026-03-03.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(day, []byte("\n"))
	slices.Reverse(lines)
	reversed := filepath.Join(t.TempDir(), "newest-first.ndjson")
	if err := os.WriteFile(reversed, bytes.Join(lines, nil), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		paths []string
		// users are the --user values; nil means every person present.
		users []string
		// flagged adds up to that many users a hunt of the paths flags.
		flagged int
	}{
		{name: "example", paths: []string{"../../examples/sspr-takeover"}},
		{name: "field reports", paths: []string{"../../internal/ingest/testdata/fieldreports"}},
		{name: "fixture cases", paths: []string{"../../internal/investigate/testdata/cases"}},
		{name: "example beside field reports, a bad record, a decoder warning and a broken link",
			paths: []string{"../../examples/sspr-takeover",
				"../../internal/ingest/testdata/fieldreports", badDir}},
		{name: "unknown user", paths: []string{"../../examples/sspr-takeover"},
			users: []string{"nobody@example.com", "id:00000000-0000-0000-0000-0000000000aa"}},
		{name: "generated tenant", paths: []string{logs}, users: []string{}, flagged: 6},
		{name: "generated day newest first", paths: []string{reversed}, users: []string{},
			flagged: 3},
	}
	variants := []investigateFlags{
		{format: "json"},
		{format: "json", redact: true},
		{format: "json", redact: true, keepPfx: true},
		{format: "md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			whole, err := ingest.Read(tt.paths, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			users := tt.users
			if users == nil {
				users = presentUsers(t, whole)
			}
			users = append(users, flaggedUsers(whole, tt.flagged)...)
			if len(users) == 0 {
				t.Fatal("no user to investigate")
			}
			for _, u := range users {
				// One streamed read serves every variant: Run leaves the Set
				// and the Tenant as it found them.
				read := investigateFlags{user: u, redact: true}
				set, ten, readErr := readInput(tt.paths, read, slog.New(slog.DiscardHandler))
				if readErr == nil && ten == nil {
					t.Fatalf("%s: the input was read whole, not streamed", u)
				}
				for _, v := range variants {
					v.user, v.maxSpeed, v.minDist = u, 1000, 500
					want, wantErr := render(whole, nil, v)
					var got []byte
					gotErr := readErr
					if readErr == nil {
						got, gotErr = render(set, ten, v)
					}
					if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
						t.Fatalf("%s %s: error %v, want %v", u, v.format, gotErr, wantErr)
					}
					if diff := cmp.Diff(string(want), string(got)); diff != "" {
						t.Errorf("%s %s redact=%v keep-prefix=%v (-whole +streamed):\n%s", u,
							v.format, v.redact, v.keepPfx, diff)
					}
				}
			}
		})
	}
}

// render renders the case of fl.user without its runTiming.
func render(set *ingest.Set, ten *investigate.Tenant, fl investigateFlags) ([]byte, error) {
	b, err := investigateSet(set, ten, fl, nil, time.Now(), slog.New(slog.DiscardHandler))
	return runTiming.ReplaceAll(b, nil), err
}

// presentUsers is every person the input names, as --user takes them.
func presentUsers(t *testing.T, set *ingest.Set) []string {
	t.Helper()
	_, err := investigate.Run(set, investigate.Config{User: "nobody@invalid.example"})
	var unknown *investigate.UnknownUserError
	if !errors.As(err, &unknown) {
		t.Fatalf("listing the users present: %v", err)
	}
	return slices.DeleteFunc(unknown.Present, func(u string) bool {
		return regexp.MustCompile(`^and \d+ more$`).MatchString(u)
	})
}

// flaggedUsers returns up to n users a hunt over set names, one per rule
// first, so that the spray rules' users are among them.
func flaggedUsers(set *ingest.Set, n int) []string {
	if n == 0 {
		return nil
	}
	en := detect.NewEngine(detect.DefaultParams(), detect.Options{})
	for i := range set.SignIns {
		en.SignIn(&set.SignIns[i])
	}
	for i := range set.Audits {
		en.Audit(&set.Audits[i])
	}
	var out []string
	rules := map[string]bool{}
	for _, a := range en.Close() {
		u := a.User
		if u == "" && len(a.Users) > 0 {
			u = a.Users[0]
		}
		if u == "" || rules[a.Rule] || slices.Contains(out, u) || len(out) == n {
			continue
		}
		rules[a.Rule] = true
		out = append(out, u)
	}
	return out
}

// TestPipeIsReadWhole: a pipe cannot be read twice, so investigate --user
// reads it whole (no Tenant) and still finds the user's records, and the
// log says why.
func TestPipeIsReadWhole(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "signins.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile("../../examples/sspr-takeover/signins.json")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		w.Write(sample)
	}()
	var logs bytes.Buffer
	set, ten, err := readInput([]string{fifo}, investigateFlags{user: "ana.reyes@example.com"},
		slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if ten != nil || len(set.SignIns) == 0 {
		t.Errorf("read %d sign-ins, streamed %v; want the whole read of the pipe",
			len(set.SignIns), ten != nil)
	}
	if !bytes.Contains(logs.Bytes(), []byte("cannot be read twice")) {
		t.Errorf("log does not say the input was read whole:\n%s", logs.String())
	}
}

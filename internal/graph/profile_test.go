package graph_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/graph/graphtest"
	"github.com/idtriage/idtriage/internal/ingest"
)

// TestProfileWithManager pulls a profile that names a manager, from a
// principal name with a quote in it, and checks that investigate reads
// the manager, the job title and the department from the pulled file.
func TestProfileWithManager(t *testing.T) {
	dir := t.TempDir()
	user := `{"id":"u-9","userPrincipalName":"o'neil@example.com","displayName":"Pat O'Neil",` +
		`"jobTitle":"Payroll Officer","department":"Finance","country":"Ireland",` +
		`"mobilePhone":"+353 1 000 0000","manager":{"id":"u-1",` +
		`"userPrincipalName":"lead@example.com","displayName":"Lead"}}`
	signIn := `[{"id":"s-1","createdDateTime":"2026-11-17T09:00:00Z","userId":"u-9",` +
		`"userPrincipalName":"o'neil@example.com","ipAddress":"192.0.2.7",` +
		`"status":{"errorCode":0},"signInEventTypes":["interactiveUser"]}]`
	os.WriteFile(filepath.Join(dir, "user.json"), []byte(user), 0o600)
	os.WriteFile(filepath.Join(dir, "signins.json"), []byte(signIn), 0o600)

	srv := graphtest.New(graphtest.Options{})
	defer srv.Close()
	if _, err := srv.Load(dir); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)
	w, _ := graph.ParseSince("7d", now)
	out := t.TempDir()
	if _, err := newClient(t, config(srv, newClock(now))).Pull(context.Background(),
		"o'neil@example.com", w, out); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(out, "user.json"))
	if strings.Contains(string(raw), "mobilePhone") {
		t.Error("the profile holds a field the pull did not $select")
	}
	set, err := ingest.Read([]string{out}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Users) != 1 || len(set.SignIns) != 1 {
		t.Fatalf("read %d profiles and %d sign-ins, want 1 and 1", len(set.Users),
			len(set.SignIns))
	}
	u := set.Users[0]
	if u.Manager != "lead@example.com" || u.JobTitle != "Payroll Officer" ||
		u.Department != "Finance" {
		t.Errorf("profile = %+v, want the manager, job title and department", u)
	}
	// The other sources filter on the object id the profile gave, which
	// survives a renamed principal name.
	for _, f := range srv.Filters() {
		if !strings.Contains(f, "'u-9'") {
			t.Errorf("a filter does not name the user's object id: %s", f)
		}
	}
}

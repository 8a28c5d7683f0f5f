package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A raw escape sequence in one user agent (attacker-controlled) costs
// neither that record nor the rest of the file.
func TestRawControlCharacters(t *testing.T) {
	page := "{\"value\": [\n" +
		"  {\"id\": \"c1\", \"createdDateTime\": \"2024-05-01T10:00:00Z\",\n" +
		"   \"userPrincipalName\": \"u@example.com\", \"userAgent\": \"x\x1b[2Jy\",\n" +
		"   \"status\": {\"errorCode\": 0}},\n" +
		"  {\"id\": \"c2\", \"createdDateTime\": \"2024-05-01T10:01:00Z\",\n" +
		"   \"userPrincipalName\": \"u@example.com\", \"status\": {\"errorCode\": 0}}\n]}\n"
	set := decodeString("page.json", page)
	wantIDs(t, set, "c1", "c2")
	if len(set.Problems) != 0 {
		t.Errorf("problems = %v", set.Problems)
	}
	if got := set.SignIns[0].UserAgent; got != "x\x1b[2Jy" {
		t.Errorf("user agent = %q, want the value as logged", got)
	}

	csv := "Id,UserPrincipalName,TimeGenerated [UTC],ResultType,UserAgent\n" +
		"r1,u@example.com,2024-05-01T10:00:00Z,0,a\x00b\x1bc\n" +
		"r2,u@example.com,2024-05-01T10:01:00Z,0,ok\n"
	set = decodeString("rows.csv", csv)
	wantIDs(t, set, "r1", "r2")
}

// Log Analytics JSON exports carry the same " [UTC]" column suffix as CSV.
func TestUnitSuffixInJSON(t *testing.T) {
	set := decodeString("la.json", `[{"TimeGenerated [UTC]":"2024-05-07T10:00:00.1234567",`+
		`"UserPrincipalName":"u@example.com","IPAddress":"192.0.2.1","ResultType":"50126",`+
		`"Id":"la1"}]`)
	wantIDs(t, set, "la1")
	if len(set.SignIns) == 1 && set.SignIns[0].ErrorCode != 50126 {
		t.Errorf("code = %d", set.SignIns[0].ErrorCode)
	}
}

// A folder named through a link is read; a dangling link, a link to a
// folder and an unreadable file are listed as skipped with the reason, and
// the rest is read.
func TestWalkLinksAndUnreadable(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	good := `[{"id":"w1","createdDateTime":"2024-05-01T10:00:00Z",` +
		`"userPrincipalName":"u@example.com","status":{"errorCode":0}}]`
	must(t, os.WriteFile(filepath.Join(data, "good.json"), []byte(good), 0o644))
	must(t, os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(data, "dangling.json")))
	must(t, os.Symlink(data, filepath.Join(data, "loop")))
	locked := filepath.Join(data, "locked.json")
	must(t, os.WriteFile(locked, []byte(good), 0o000))
	link := filepath.Join(dir, "link")
	must(t, os.Symlink(data, link))

	set, err := Read([]string{link}, Options{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	wantIDs(t, set, "w1")

	reasons := map[string]string{}
	for _, f := range set.Files {
		if f.Skipped {
			reasons[filepath.Base(f.Path)] = f.Reason
		}
	}
	if !strings.Contains(reasons["dangling.json"], "broken symbolic link") ||
		!strings.Contains(reasons["loop"], "not followed") {
		t.Errorf("skipped = %v", reasons)
	}
	// Root reads any file whatever its mode; the check only holds for others.
	if os.Geteuid() != 0 && !strings.Contains(reasons["locked.json"], "cannot be read") {
		t.Errorf("unreadable file not reported: %v", reasons)
	}
	for _, f := range set.Files {
		if !strings.HasPrefix(f.Path, link) {
			t.Errorf("%s is not reported under the name given (%s)", f.Path, link)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

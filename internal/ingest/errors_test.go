package ingest

import (
	"strings"
	"testing"
)

const (
	goodA = `{"id":"a1","createdDateTime":"2024-01-01T00:00:00Z","userPrincipalName":"u@example.com","status":{"errorCode":0}}`
	goodB = `{"id":"a2","createdDateTime":"2024-01-01T00:01:00Z","userPrincipalName":"u@example.com","status":{"errorCode":0}}`
)

// lineCol returns the 1-based line and column of the first occurrence of
// needle in text, for expectations that do not count by hand.
func lineCol(t *testing.T, text, needle string) (int, int) {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not in text", needle)
	}
	line := strings.Count(text[:i], "\n") + 1
	return line, i - strings.LastIndex(text[:i], "\n")
}

// wantProblem checks that set has exactly one problem, where and what.
func wantProblem(t *testing.T, set *Set, line, col, record int, field, msg string) {
	t.Helper()
	if len(set.Problems) != 1 {
		t.Fatalf("problems = %v, want one", set.Problems)
	}
	p := set.Problems[0]
	if p.Line != line || p.Column != col || p.Record != record || p.Field != field ||
		!strings.Contains(p.Msg, msg) || p.File != set.Files[len(set.Files)-1].Path {
		t.Errorf("problem %v (record %d, field %q); want %d:%d record %d field %q containing %q",
			p, p.Record, p.Field, line, col, record, field, msg)
	}
}

func wantIDs(t *testing.T, set *Set, ids ...string) {
	t.Helper()
	var got []string
	for _, s := range set.SignIns {
		got = append(got, s.ID)
	}
	if strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Errorf("sign-ins %v, want %v", got, ids)
	}
}

func TestTruncatedPage(t *testing.T) {
	cut := `{"id":"a3","createdDateTime":"2024-01-01T00:0`
	text := "{\"value\":[\n" + goodA + ",\n" + goodB + ",\n" + cut
	set := decodeString("cut.json", text)
	wantIDs(t, set, "a1", "a2")
	wantProblem(t, set, 4, strings.Index(cut, `"2024`)+1, 3, "", "string is not closed before the end of the input")
	if rep := set.Files[0]; rep.Records != 2 || rep.Rejected != 1 || rep.Shape != "graph-page" {
		t.Errorf("report %+v", rep)
	}

	// Cut after a comma: the fault is reported just after the last byte.
	text = "[\n" + goodA + ",\n" + `{"id":"a3",` + "\n"
	set = decodeString("cut2.json", text)
	wantIDs(t, set, "a1")
	wantProblem(t, set, 3, len(`{"id":"a3",`)+1, 2, "", "unexpected end of input")
}

func TestTruncatedNDJSONLine(t *testing.T) {
	cut := `{"id":"b2","createdDateTime":`
	text := goodA + "\n" + cut + "\n" + goodB + "\n"
	set := decodeString("cut.ndjson", text)
	wantIDs(t, set, "a1", "a2")
	wantProblem(t, set, 2, len(cut)+1, 2, "", "reading resumes at line 3")

	// An unclosed string stops at the end of its line.
	text = goodA + "\n" + `{"id":"b2}` + "\n" + goodB + "\n"
	set = decodeString("quote.ndjson", text)
	wantIDs(t, set, "a1", "a2")
	wantProblem(t, set, 2, 7, 2, "", "not closed before the end of the line")

	// A line of garbage.
	text = goodA + "\nhello world\n" + goodB + "\n"
	set = decodeString("junk.ndjson", text)
	wantIDs(t, set, "a1", "a2")
	wantProblem(t, set, 2, 1, 2, "", "invalid character 'h'")
}

func TestTrailingCommaRejectsOneRecord(t *testing.T) {
	bad := `{"id":"x","createdDateTime":"2024-01-01T00:00:00Z","policies":[{"id":"p"},]}`
	text := "[\n" + goodA + ",\n" + bad + ",\n" + goodB + "\n]\n"
	set := decodeString("comma.json", text)
	wantIDs(t, set, "a1", "a2")
	_, col := lineCol(t, text, `,]}`)
	wantProblem(t, set, 3, col, 2, "", "trailing comma before ']'")
}

func TestBinaryFile(t *testing.T) {
	data := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
	set := &Set{}
	Decode("picture.json", data, set)
	wantProblem(t, set, 1, 1, 0, "", "89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52 ...")
	if rep := set.Files[0]; !rep.Skipped || rep.Reason == "" || rep.Rejected != 0 ||
		rep.Shape != "unknown" {
		t.Errorf("report %+v", rep)
	}

	set = &Set{}
	Decode("utf32.json", []byte{0xFF, 0xFE, 0, 0, '[', 0, 0, 0}, set)
	wantProblem(t, set, 1, 1, 0, "", "UTF-32")

	// Text that is neither JSON nor CSV is a note beside the export: skipped
	// with the reason, not a rejected record. Only a file named as a note
	// is marked one (logged at Info); other text is skipped with a warning.
	set = decodeString("notes.txt", "just some notes\nabout nothing\n")
	if len(set.Problems) != 0 || len(set.Files) != 1 || !set.Files[0].Skipped ||
		!set.Files[0].Note || set.Files[0].Shape != "text" ||
		set.Files[0].Reason != "a note beside the logs (.txt), not JSON or CSV" {
		t.Errorf("notes.txt: problems %v, report %+v", set.Problems, set.Files)
	}
	// Records behind a title line, saved as .txt, are not a note.
	set = decodeString("signins.txt", "Sign-ins, exported Monday\n{\"id\":\"a\"}\n")
	if len(set.Files) != 1 || !set.Files[0].Skipped || set.Files[0].Note ||
		set.Files[0].Reason != "not JSON or CSV" {
		t.Errorf("signins.txt: report %+v", set.Files)
	}
	set = decodeString("signins.log", "just some notes\nabout nothing\n")
	if len(set.Problems) != 0 || len(set.Files) != 1 || !set.Files[0].Skipped ||
		set.Files[0].Note || set.Files[0].Reason != "not JSON or CSV" {
		t.Errorf("signins.log: problems %v, report %+v", set.Problems, set.Files)
	}
}

func TestUnknownCategory(t *testing.T) {
	odd := `{"time":"2024-01-01T00:00:30Z","category":"ProvisioningLogs","properties":{"id":"p1"}}`
	text := goodA + "\n" + odd + "\n" + goodB + "\n"
	set := decodeString("cat.ndjson", text)
	wantIDs(t, set, "a1", "a2")
	wantProblem(t, set, 2, 1, 2, "category", `unknown category "ProvisioningLogs"`)
	if set.Warnings["unknown category: ProvisioningLogs"] != 1 || set.Files[0].Rejected != 1 {
		t.Errorf("warnings %v report %+v", set.Warnings, set.Files[0])
	}

	// A Log Analytics table name that is not read is reported the same way.
	set = decodeString("la.json", `[{"TimeGenerated":"2024-01-01T00:00:00Z","Type":"AADProvisioningLogs"}]`)
	wantProblem(t, set, 1, 2, 1, "category", "AADProvisioningLogs")
}

func TestRecordWithoutTime(t *testing.T) {
	noTime := `  {"id":"n1","createdDateTime":"yesterday","userPrincipalName":"u@example.com","status":{"errorCode":0}}`
	text := "[\n" + goodA + ",\n" + noTime + ",\n" + goodB + "\n]"
	set := decodeString("notime.json", text)
	wantIDs(t, set, "a1", "a2")
	wantProblem(t, set, 3, 3, 2, "createdDateTime", "no readable time")
	if set.Warnings["signin.createdDateTime: unreadable time"] != 1 {
		t.Errorf("warnings %v", set.Warnings)
	}

	audit := `{"id":"d1","activityDisplayName":"Update user","initiatedBy":{}}`
	set = decodeString("audit.json", audit)
	wantProblem(t, set, 1, 1, 1, "activityDateTime", "no readable time")
}

func TestNotAnEntraFile(t *testing.T) {
	set := decodeString("config.json", `[{"name":"a","enabled":true},{"name":"b"}]`)
	if len(set.Problems) != 0 {
		t.Errorf("problems %v", set.Problems)
	}
	rep := set.Files[0]
	if !rep.Skipped || rep.Reason != "no Entra ID records: first record has keys enabled, name" {
		t.Errorf("report %+v", rep)
	}

	// Next to a recognised record, an unrecognised one is an error.
	set = decodeString("mixed.json", "["+goodA+",\n"+`{"name":"a"}`+"]")
	wantIDs(t, set, "a1")
	wantProblem(t, set, 2, 1, 2, "", "keys name")

	set = decodeString("empty.json", " \n")
	if rep := set.Files[0]; !rep.Skipped || rep.Reason != "empty file" {
		t.Errorf("empty: %+v", rep)
	}
	set = decodeString("page.json", `{"value":[]}`)
	if rep := set.Files[0]; !rep.Skipped || rep.Reason != "no records" ||
		rep.Shape != "graph-page" {
		t.Errorf("empty page: %+v", rep)
	}
}

func TestContainerFaults(t *testing.T) {
	// A scalar where a record belongs.
	set := decodeString("scalar.json", "[42,\n"+goodA+"]")
	wantIDs(t, set, "a1")
	wantProblem(t, set, 1, 2, 1, "", "not an object")

	// A missing comma between records breaks the array itself.
	text := "[\n" + goodA + "\n" + goodB + "\n]\n"
	set = decodeString("nocomma.json", text)
	wantIDs(t, set, "a1")
	wantProblem(t, set, 3, 1, 0, "", "expected ',' or ']' after a record")

	// Nesting deeper than the limit is refused before decoding.
	deep := strings.Repeat("[", maxDepth+5) + strings.Repeat("]", maxDepth+5)
	set = decodeString("deep.json", deep+"\n"+goodA+"\n")
	wantIDs(t, set, "a1")
	if len(set.Problems) != 1 || !strings.Contains(set.Problems[0].Msg, "nesting deeper") {
		t.Errorf("problems %v", set.Problems)
	}

	// A trailing comma after the last record of an array is tolerated.
	set = decodeString("tail.json", "["+goodA+",]")
	wantIDs(t, set, "a1")
	noProblems(t, set)
	if set.Warnings["container: trailing comma in an array of records"] != 1 {
		t.Errorf("warnings %v", set.Warnings)
	}
}

func TestCSVFaults(t *testing.T) {
	text := "Id,CreatedDateTime,UserPrincipalName,ResultType\n" +
		"c1,2024-01-01T00:00:00Z,u@example.com,0\n" +
		"c2,2024-01-01T00:01:00Z,u\"x@example.com,0\n" +
		"c3,2024-01-01T00:02:00Z,u@example.com,50126\n"
	set := decodeString("rows.csv", text)
	wantIDs(t, set, "c1", "c3")
	_, col := lineCol(t, text, `"x@`)
	wantProblem(t, set, 3, col, 2, "", "CSV row")
}

// TestManyCutLines: in an NDJSON file every cut line costs only itself,
// however many there are.
func TestManyCutLines(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		b.WriteString(goodA[:40] + "\n" + strings.Replace(goodB, `"a2"`, `"n`+strings.Repeat("x", i%7)+`"`, 1) + "\n")
	}
	set := &Set{}
	Decode("cut.ndjson", []byte(b.String()), set)
	if rep := set.Files[0]; rep.Records != 2000 || rep.Rejected != 2000 ||
		len(set.Problems) != 2000 {
		t.Errorf("report %+v, %d problems", rep, len(set.Problems))
	}
}

// TestDamageBudget: a file made only of unclosed brackets is given up on
// with a message rather than read again from every line.
func TestDamageBudget(t *testing.T) {
	set := decodeString("hostile.json", strings.Repeat("{\n", 200_000))
	last := set.Problems[len(set.Problems)-1]
	if len(set.Problems) >= 200_000 ||
		!strings.Contains(last.Msg, "too much of the file is damaged") {
		t.Errorf("%d problems, last %v", len(set.Problems), last)
	}
}

// TestHoldsJSON: a brace anywhere, or a line that opens an array, makes a
// text file more than a note; Markdown links and prose do not.
func TestHoldsJSON(t *testing.T) {
	for text, want := range map[string]bool{
		"# Title\n\n[the export](signins.json) beside it\n": false,
		"Prose only.\n":                        false,
		"WARNING: partial\n[{\"id\":\"a\"}]\n": true,
		"Title\n{\"id\":\"a\"}\n":              true,
		"1: {\"id\":\"a\"}\n":                  true,
		"- {\"id\":\"a\"}\n":                   true,
		"\"value\": [{\"id\":\"a\"\n":          true,
		"Title\n[\n  \"a\"\n]\n":               true,
		"[\"quoted list\"] is prose here\n":    false,
	} {
		if got := holdsJSON([]byte(text)); got != want {
			t.Errorf("holdsJSON(%q) = %v, want %v", text, got, want)
		}
	}
	for path, want := range map[string]string{"README.md": ".md", "notes.txt": ".txt",
		"SOURCES.txt": ".txt", "signins.txt": "", "export.log": "", "guide.html": ".html"} {
		if got := noteExt(path); got != want {
			t.Errorf("noteExt(%q) = %q, want %q", path, got, want)
		}
	}
}

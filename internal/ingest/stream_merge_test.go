package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// splitByLog writes the lines of a generated tenant's daily files into one
// folder per log, as a storage account keeps them: audits, interactive and
// non-interactive sign-ins, each folder a file per day in time order. Read
// in path order, every audit comes before every sign-in. reverse writes
// each file newest first instead.
func splitByLog(t *testing.T, logs string, reverse bool) string {
	t.Helper()
	out := t.TempDir()
	days, err := filepath.Glob(filepath.Join(logs, "*.ndjson"))
	if err != nil || len(days) == 0 {
		t.Fatalf("no daily files in %s: %v", logs, err)
	}
	for _, day := range days {
		data, err := os.ReadFile(day)
		if err != nil {
			t.Fatal(err)
		}
		parts := map[string][]string{}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			line := sc.Text()
			folder := "c-noninteractive"
			switch {
			case strings.Contains(line, `"activityDisplayName"`):
				folder = "a-audits"
			case strings.Contains(line, `"isInteractive":true`):
				folder = "b-interactive"
			}
			parts[folder] = append(parts[folder], line)
		}
		for folder, lines := range parts {
			if reverse {
				slices.Reverse(lines)
			}
			dir := filepath.Join(out, folder)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			text := strings.Join(lines, "\n") + "\n"
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(day)), []byte(text),
				0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// streamed gathers what a stream function gave: the records' ids and
// times, in the order they came.
type streamed struct {
	ids   []string
	times []time.Time
	sum   *Summary
}

func runStream(t *testing.T, stream func([]string, Options, func(Record) error) (*Summary, error),
	path string) streamed {
	t.Helper()
	var got streamed
	sum, err := stream([]string{path}, Options{Lean: true}, func(r Record) error {
		switch {
		case r.SignIn != nil:
			got.ids = append(got.ids, r.SignIn.ID)
		case r.Audit != nil:
			got.ids = append(got.ids, r.Audit.ID)
		default:
			return nil
		}
		got.times = append(got.times, r.Time())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got.sum = sum
	return got
}

// ordered reports the first place where times go backwards, or -1.
func ordered(times []time.Time) int {
	for i := 1; i < len(times); i++ {
		if times[i].Before(times[i-1]) {
			return i
		}
	}
	return -1
}

// streamBoth reads path with Stream, which must give its records out of
// time order (else the test proves nothing), and with StreamByTime, which
// must give them in order.
func streamBoth(t *testing.T, path string) (plain, merged streamed) {
	t.Helper()
	plain = runStream(t, Stream, path)
	if ordered(plain.times) < 0 {
		t.Fatal("Stream read the files in time order; the test proves nothing")
	}
	merged = runStream(t, StreamByTime, path)
	if i := ordered(merged.times); i >= 0 {
		t.Errorf("record %d (%s) comes before the one ahead of it (%s)", i,
			merged.times[i], merged.times[i-1])
	}
	return plain, merged
}

// TestStreamByTimeMerges reads a tenant split by log: Stream gives the logs
// one after another, StreamByTime one time line, with the same records and
// the same summary.
func TestStreamByTimeMerges(t *testing.T) {
	logs := smallTenant(t)
	split := splitByLog(t, logs, false)

	plain, merged := streamBoth(t, split)

	want, got := slices.Clone(plain.ids), slices.Clone(merged.ids)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		t.Errorf("StreamByTime gave %d records, Stream %d, or other ones", len(got), len(want))
	}
	if len(merged.sum.Files) != len(plain.sum.Files) {
		t.Errorf("summary has %d files, want %d", len(merged.sum.Files), len(plain.sum.Files))
	}
	for i := range plain.sum.Files {
		if merged.sum.Files[i].Path != plain.sum.Files[i].Path {
			t.Errorf("file %d is %s, want %s (path order)", i, merged.sum.Files[i].Path,
				plain.sum.Files[i].Path)
		}
	}
	for k, n := range plain.sum.Counts {
		if merged.sum.Counts[k] != n {
			t.Errorf("count of %v = %d, want %d", k, merged.sum.Counts[k], n)
		}
	}
	if merged.sum.Fast != plain.sum.Fast || merged.sum.Bytes != plain.sum.Bytes {
		t.Errorf("fast %d, bytes %d; want %d, %d", merged.sum.Fast, merged.sum.Bytes,
			plain.sum.Fast, plain.sum.Bytes)
	}
}

// TestStreamByTimeUnordered: files that run newest first are not merged
// into order (nothing can be without reading them whole), but every record
// still comes once.
func TestStreamByTimeUnordered(t *testing.T) {
	logs := smallTenant(t)
	plain := runStream(t, Stream, logs)
	merged := runStream(t, StreamByTime, splitByLog(t, logs, true))
	if len(merged.ids) != len(plain.ids) {
		t.Errorf("StreamByTime gave %d records, want %d", len(merged.ids), len(plain.ids))
	}
	if ordered(merged.times) < 0 {
		t.Error("newest-first files came out in time order; the caller could not tell")
	}
}

// TestStreamByTimeStops: an error from the callback ends the merge with
// that error, the lanes reading ahead stopped.
func TestStreamByTimeStops(t *testing.T) {
	split := splitByLog(t, smallTenant(t), false)
	stop := errors.New("enough")
	n := 0
	_, err := StreamByTime([]string{split}, Options{Lean: true}, func(Record) error {
		if n++; n == 500 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 500 {
		t.Errorf("err = %v after %d records, want %v after 500", err, n, stop)
	}
}

// TestStreamByTimeLogsFiles: files read in lanes log their lines as Stream
// does (a skipped file warns), under one summary; and a file with no time
// among files in path order does not force lanes.
func TestStreamByTimeLogsFiles(t *testing.T) {
	split := splitByLog(t, smallTenant(t), false)
	stray := filepath.Join(split, "b-interactive", "notes.json")
	if err := os.WriteFile(stray, []byte(`{"hello":"world"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if _, err := StreamByTime([]string{split}, Options{Logger: log, Lean: true},
		func(Record) error { return nil }); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "file skipped") || !strings.Contains(out, "notes.json") {
		t.Errorf("no warning for the skipped file:\n%s", out)
	}
	if n := strings.Count(out, "input streamed"); n != 1 {
		t.Errorf("%d summaries, want one:\n%s", n, out)
	}

	srcs := []mergeSource{{ord: 1}, {ord: 0, first: time.Unix(10, 0)},
		{ord: 2, first: time.Unix(20, 0)}}
	if !inPathOrder(srcs, 3) {
		t.Error("a file with no time between files in order forced lanes")
	}
	srcs[2].first = time.Unix(5, 0)
	if inPathOrder(srcs, 3) {
		t.Error("files out of path order read in path order")
	}
}

// TestStreamByTimeWholePeriodLogs reads a tenant kept as one file per log
// over the whole period (sign-ins beside audits), named so that path order
// is the order of their first records: the files overlap, so they are
// merged, not read one after the other.
func TestStreamByTimeWholePeriodLogs(t *testing.T) {
	logs := smallTenant(t)
	days, _ := filepath.Glob(filepath.Join(logs, "*.ndjson"))
	var signIns, audits []string
	for _, day := range days {
		data, err := os.ReadFile(day)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if strings.Contains(line, `"activityDisplayName"`) {
				audits = append(audits, line)
			} else {
				signIns = append(signIns, line)
			}
		}
	}
	if len(audits) == 0 || len(signIns) == 0 {
		t.Fatalf("%d audits and %d sign-ins; the test needs both", len(audits), len(signIns))
	}
	dir := t.TempDir()
	names := []string{"a.ndjson", "b.ndjson"}
	if lineTime(t, audits[0]) > lineTime(t, signIns[0]) {
		names[0], names[1] = names[1], names[0]
	}
	for i, lines := range [][]string{audits, signIns} {
		text := strings.Join(lines, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, names[i]), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	plain, merged := streamBoth(t, dir)
	if len(merged.ids) != len(plain.ids) {
		t.Errorf("StreamByTime gave %d records, Stream %d", len(merged.ids), len(plain.ids))
	}
}

// lineTime is the time of the record on one NDJSON line, as text that
// sorts as time does (RFC 3339 in UTC).
func lineTime(t *testing.T, line string) string {
	t.Helper()
	set := &Set{}
	Decode("line", []byte(line), set)
	recs := setRecords(set)
	if len(recs) != 1 {
		t.Fatalf("line holds %d records: %.80s", len(recs), line)
	}
	return recs[0].Time().UTC().Format(time.RFC3339Nano)
}

// TestLastTime reads the last record's time of NDJSON files and gives
// none where the last line is not a whole record.
func TestLastTime(t *testing.T) {
	logs := smallTenant(t)
	days, _ := filepath.Glob(filepath.Join(logs, "*.ndjson"))
	data, err := os.ReadFile(days[0])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	last := lines[len(lines)-1]
	dir := t.TempDir()
	for _, tc := range []struct {
		name, text string
		want       bool
	}{
		{"ndjson", string(data), true},
		{"trailing blank lines", string(data) + "\n\r\n  \n", true},
		{"one record", last, true},
		{"array", "[" + strings.Join(lines[len(lines)-2:], ",\n") + "]\n", false},
		{"cut last line", string(data[:len(data)-40]), false},
		{"empty", "", false},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
		if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		got := lastTime(path)
		switch {
		case tc.want && got.UTC().Format(time.RFC3339Nano) != lineTime(t, last):
			t.Errorf("%s: lastTime = %v, want %s", tc.name, got, lineTime(t, last))
		case !tc.want && !got.IsZero():
			t.Errorf("%s: lastTime = %v, want none", tc.name, got)
		}
	}
}

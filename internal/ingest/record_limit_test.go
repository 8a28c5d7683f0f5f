package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hugeLine is a sign-in whose user agent takes it to size bytes.
func hugeLine(size int) string {
	head := `{"id":"huge","createdDateTime":"2026-03-01T10:00:00Z","userAgent":"`
	return head + strings.Repeat("A", size-len(head)-2) + `"}`
}

// TestRecordLimit puts a record over MaxRecord (lowered to 2,000 bytes) at
// the start, middle and end of NDJSON files, in an array and in a Graph
// page, and checks that Read and Stream (with blocks larger and smaller
// than the record, so that the splitter both cuts the line out and passes
// over it) reject it alone, where it starts and with its size, and read
// every other record.
func TestRecordLimit(t *testing.T) {
	old := recordLimit
	recordLimit = 2000
	defer func() { recordLimit = old }()

	const size = 5000
	big := hugeLine(size)
	lines := func(s ...string) string { return strings.Join(s, "\n") }
	g := good
	cases := []struct {
		name, text string
		line, col  int
		record     int
		// size is the size the problem gives: the line in NDJSON, the
		// braces elsewhere.
		size int
		// others is how many sign-ins besides the huge one are read.
		others int
	}{
		{"ndjson first line", lines(big, g(2), g(3)) + "\n", 1, 1, 1, size, 2},
		{"ndjson middle line", lines(g(1), big, g(3)) + "\n", 2, 1, 2, size, 2},
		{"ndjson last line", lines(g(1), g(2), big) + "\n", 3, 1, 3, size, 2},
		{"ndjson last line, no final newline", lines(g(1), g(2), big), 3, 1, 3, size, 2},
		{"ndjson first line, no final newline", big, 1, 1, 1, size, 0},
		// The line holds the indent and the carriage return too.
		{"ndjson crlf, indented", g(1) + "\r\n  " + big + "\r\n" + g(3) + "\r\n",
			2, 3, 2, size + 3, 2},
		{"ndjson after damage", lines(g(1), `{"id":"x`, big, g(4)) + "\n", 3, 1, 3, size, 2},
		{"array", "[" + g(1) + ",\n" + big + ",\n" + g(3) + "]", 2, 1, 2, size, 2},
		{"graph page", `{"value":[` + g(1) + "," + big + "]}", 1, 11 + len(g(1)) + 1, 2, size, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "in.json")
			if err := os.WriteFile(p, []byte(c.text), 0o600); err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("%s:%d:%d: record %d: record is %d bytes, over the limit of 2000",
				p, c.line, c.col, c.record, c.size)
			read, err := Read([]string{p}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkLimit(t, "Read", read, want, c.others)
			for _, bs := range []int{4 << 20, 300, 37} {
				withBlockSize(t, bs, func() {
					set, _ := streamSet(t, p)
					checkLimit(t, fmt.Sprintf("Stream, block %d", bs), set, want, c.others)
					compareStream(t, p)
				})
			}
		})
	}
}

// checkLimit checks that the one problem of set, other than damage the
// input was built with, starts with want, and that every sign-in but the
// huge one was read.
func checkLimit(t *testing.T, how string, set *Set, want string, others int) {
	t.Helper()
	found := 0
	for _, e := range set.Problems {
		switch {
		case strings.HasPrefix(e.Error(), want):
			found++
		case !strings.Contains(e.Error(), "string is not closed"):
			t.Errorf("%s: unexpected problem %v", how, e)
		}
	}
	if found != 1 {
		t.Errorf("%s: %d problems start with %q, want 1; problems: %v", how, found, want,
			set.Problems)
	}
	var ids []string
	for _, s := range set.SignIns {
		ids = append(ids, s.ID)
	}
	if slices.Contains(ids, "huge") || len(ids) != others {
		t.Errorf("%s: read sign-ins %v, want the %d besides the huge one", how, ids, others)
	}
	if rep := set.Files[0]; rep.Records != len(ids) || rep.Rejected != len(set.Problems) {
		t.Errorf("%s: report says %d read, %d rejected; want %d and %d", how, rep.Records,
			rep.Rejected, len(ids), len(set.Problems))
	}
}

// TestRecordLimitDamage checks Stream against Read where a line over
// MaxRecord meets damage: recovery from an unclosed record may resume at
// the line or pass over it (an indented line is no place to resume), and a
// line that does not open with '{' is kept whole rather than passed over.
func TestRecordLimitDamage(t *testing.T) {
	old := recordLimit
	recordLimit = 2000
	defer func() { recordLimit = old }()

	big := hugeLine(5000)
	g := good
	cases := map[string]string{
		"indented after damage":  g(1) + "\n" + `{"id":"x` + "\n  " + big + "\n" + g(4) + "\n",
		"two after damage":       g(1) + "\n{\"a\":[\n" + big + "\n" + big + "\n" + g(5) + "\n",
		"damaged and long":       g(1) + "\n" + big[:4000] + "\n" + g(3) + "\n",
		"long junk line":         g(1) + "\n" + strings.Repeat("x", 5000) + "\n" + g(3) + "\n",
		"long array line":        g(1) + "\n[" + big + "]\n" + g(3) + "\n",
		"two records, long line": g(1) + "\n" + g(2) + " " + big + "\n" + g(4) + "\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) { streamText(t, "in.ndjson", text) })
	}
}

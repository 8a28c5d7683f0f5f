package report

import (
	"bytes"
	"encoding/json"
	"html"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
)

// seenFinding is a finding as a reader of one format sees it.
type seenFinding struct {
	Question  int
	Kind      string // as printed: "Confirmed", "Pivot", ...
	Title     string
	Statement string
	Source    string
	Read      int
	Evidence  []string // record ids, in order
}

func fromJSON(t *testing.T, b []byte) []seenFinding {
	t.Helper()
	var c investigate.Case
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("JSON report does not parse: %v", err)
	}
	var out []seenFinding
	for _, f := range c.Findings {
		s := seenFinding{Question: f.Question, Kind: kindNames[f.Kind], Title: Clean(f.Title),
			Statement: Clean(f.Statement), Source: Clean(f.Source), Read: f.Read}
		for _, r := range f.Evidence {
			s.Evidence = append(s.Evidence, Clean(r.ID))
		}
		out = append(out, s)
	}
	return out
}

var (
	mdQuestionRE = regexp.MustCompile(`^### (\d)\. `)
	mdFindingRE  = regexp.MustCompile(`^- \*\*(.+?): (.+?)\.\*\* (.*)$`)
	mdSourceRE   = regexp.MustCompile(`^  - Source: (.*), (\d+) records read\.$`)
	mdEvidenceRE = regexp.MustCompile("^  - \\S+ (`+) ?(.*?) ?`+ at ")
	mdEscape     = regexp.MustCompile(`\\([\\` + "`" + `*_\[\]<>|~&#!])`)
)

// fromMarkdown reads the findings back from the Questions section.
func fromMarkdown(t *testing.T, md string) []seenFinding {
	t.Helper()
	unescape := func(s string) string { return mdEscape.ReplaceAllString(s, "$1") }
	var out []seenFinding
	q := 0
	for _, line := range strings.Split(md, "\n") {
		if line == "## Verdict" {
			break
		}
		if m := mdQuestionRE.FindStringSubmatch(line); m != nil {
			q, _ = strconv.Atoi(m[1])
			continue
		}
		if m := mdFindingRE.FindStringSubmatch(line); m != nil && q > 0 {
			out = append(out, seenFinding{Question: q, Kind: m[1], Title: unescape(m[2]),
				Statement: unescape(m[3])})
			continue
		}
		if len(out) == 0 {
			continue
		}
		f := &out[len(out)-1]
		if m := mdSourceRE.FindStringSubmatch(line); m != nil {
			f.Source = unescape(m[1])
			f.Read, _ = strconv.Atoi(m[2])
		} else if m := mdEvidenceRE.FindStringSubmatch(line); m != nil {
			f.Evidence = append(f.Evidence, m[2])
		}
	}
	return out
}

var (
	htmlQuestionRE = regexp.MustCompile(`^<h3>(\d)\. `)
	htmlFindingRE  = regexp.MustCompile(
		`^<p><span class="kind">(.*?)</span> <strong>(.*?)\.</strong> (.*)</p>$`)
	htmlSourceRE = regexp.MustCompile(
		`^<p class="source">Source: (.*), (\d+) records read\.</p>$`)
	htmlEvidenceRE = regexp.MustCompile(`^<li>\S+ (?:<a href="[^"]*">)?<code>(.*?)</code>`)
)

// fromHTML reads the findings back from the questions section of the page.
func fromHTML(t *testing.T, page string) []seenFinding {
	t.Helper()
	start := strings.Index(page, `<section id="questions">`)
	end := strings.Index(page, `<section id="signals">`)
	if start < 0 || end < start {
		t.Fatal("HTML report has no questions section")
	}
	var out []seenFinding
	q := 0
	for _, line := range strings.Split(page[start:end], "\n") {
		if m := htmlQuestionRE.FindStringSubmatch(line); m != nil {
			q, _ = strconv.Atoi(m[1])
			continue
		}
		if m := htmlFindingRE.FindStringSubmatch(line); m != nil {
			out = append(out, seenFinding{Question: q, Kind: html.UnescapeString(m[1]),
				Title: html.UnescapeString(m[2]), Statement: html.UnescapeString(m[3])})
			continue
		}
		if len(out) == 0 {
			continue
		}
		f := &out[len(out)-1]
		if m := htmlSourceRE.FindStringSubmatch(line); m != nil {
			f.Source = html.UnescapeString(m[1])
			f.Read, _ = strconv.Atoi(m[2])
		} else if m := htmlEvidenceRE.FindStringSubmatch(line); m != nil {
			f.Evidence = append(f.Evidence, html.UnescapeString(m[1]))
		}
	}
	return out
}

// TestFormatsCarrySameFindings renders each case in every format and reads
// the findings back from each: question, kind, title, statement, source,
// records read and cited records must agree, plain and redacted.
func TestFormatsCarrySameFindings(t *testing.T) {
	type named struct {
		name string
		c    *investigate.Case
	}
	ex, exSet := exampleCase(t)
	cases := []named{{"example", ex}, {"hostile", hostileCase(t)},
		{"example redacted", Redact(ex, exSet, RedactOptions{})}}
	dirs, _ := filepath.Glob(fixtureGlob)
	for _, dir := range dirs {
		set, err := ingest.Read([]string{dir}, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := investigate.Run(set, investigate.DefaultConfig())
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		cases = append(cases, named{filepath.Base(dir), c})
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			render := func(format string) string {
				var buf bytes.Buffer
				if err := Write(&buf, tc.c, format); err != nil {
					t.Fatal(err)
				}
				return buf.String()
			}
			want := fromJSON(t, []byte(render("json")))
			if len(want) == 0 {
				t.Fatal("the case has no findings to compare")
			}
			if diff := cmp.Diff(want, fromMarkdown(t, render("md"))); diff != "" {
				t.Errorf("Markdown findings differ from JSON (-json +md):\n%s", diff)
			}
			if diff := cmp.Diff(want, fromHTML(t, render("html"))); diff != "" {
				t.Errorf("HTML findings differ from JSON (-json +html):\n%s", diff)
			}
		})
	}
}

package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
)

// hostile is a sign-in export whose log strings carry HTML, script,
// Markdown links and terminal escape sequences, as an attacker controls the
// user agent and can choose app display names in their own tenant.
const hostile = `[
{"id":"h1","createdDateTime":"2026-01-05T10:00:00Z","userPrincipalName":"victim@example.com",
 "ipAddress":"203.0.113.9","appDisplayName":"<script>alert(1)</script>",
 "userAgent":"\"><img src=x onerror=alert(document.domain)>\u001b[2J",
 "location":{"city":"[click](http://evil.example) \u009b31m","countryOrRegion":"ZZ"},
 "riskLevelDuringSignIn":"high","riskState":"atRisk","status":{"errorCode":53003,
 "failureReason":"*blocked* | ok"},
 "appliedConditionalAccessPolicies":[{"id":"p","displayName":"Block | <b>all</b>",
 "result":"failure","enforcedGrantControls":["Block"]}]}
]`

func hostileCase(t *testing.T) *investigate.Case {
	t.Helper()
	set := &ingest.Set{}
	ingest.Decode("hostile.json", []byte(hostile), set)
	set.Finish()
	if len(set.Problems) > 0 {
		t.Fatalf("decode: %v", set.Problems[0])
	}
	c, err := investigate.Run(set, investigate.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	codeSpan = regexp.MustCompile("`+[^`]*`+")
	tag      = regexp.MustCompile(`(^|[^\\])<(script|img|b>)`)
	link     = regexp.MustCompile(`(^|[^\\])\]\(http`)
)

func TestMarkdownEscapesLogStrings(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, hostileCase(t)); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, bad := range []string{"\x1b", "\u009b"} {
		if strings.Contains(md, bad) {
			t.Errorf("Markdown report contains raw %q", bad)
		}
	}
	// Outside code spans no tag may open and no link may form; inside them
	// text is literal, but a table cell must not be split by a pipe.
	prose := codeSpan.ReplaceAllString(md, "")
	if m := tag.FindString(prose); m != "" {
		t.Errorf("Markdown prose opens a raw tag: %q", m)
	}
	if link.MatchString(md) {
		t.Errorf("Markdown report forms a link from log text: %q", link.FindString(md))
	}
	if !strings.Contains(md, `\<script\>`) {
		t.Error("the hostile app name is missing from the report instead of escaped")
	}
}

func TestJSONKeepsValuesButNotControls(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, hostileCase(t)); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Timeline []struct{ App, Summary string }
		Pivots   []struct{ Value string }
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("JSON output does not parse: %v", err)
	}
	if len(back.Timeline) != 1 || back.Timeline[0].App != "<script>alert(1)</script>" {
		t.Errorf("JSON should keep the value as logged, got %+v", back.Timeline)
	}
	// What `jq -r` would print: the decoded values, free of escape sequences.
	for _, p := range back.Pivots {
		if strings.ContainsAny(p.Value, "\x1b\u009b") {
			t.Errorf("decoded value %q carries a terminal control character", p.Value)
		}
	}
	if len(back.Pivots) == 0 || !strings.Contains(fmt.Sprint(back.Pivots), "[2J") {
		t.Errorf("the hostile user agent is missing from the pivots: %+v", back.Pivots)
	}
}

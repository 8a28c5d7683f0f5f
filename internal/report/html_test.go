package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestHTMLEscapesLogStrings(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, hostileCase(t)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "<img", "\x1b", "\u009b", "\u202e"} {
		if strings.Contains(lower, bad) {
			t.Errorf("HTML report contains raw %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;",
		"&lt;img src=x onerror=alert(document.domain)&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML report lacks the escaped value %q", want)
		}
	}
	// The Markdown link in the city must stay text, not become a link.
	if strings.Contains(page, `href="http://evil.example`) {
		t.Error("HTML report turned log text into a link")
	}
}

var (
	cspMeta  = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]+)">`)
	styleTag = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	loadAttr = regexp.MustCompile(`(?i)<[a-z][^>]*\s(src|srcset|poster|data|action|xlink:href)=`)
)

// TestHTMLSelfContained checks what the browser test checks again in a
// real browser: a policy that forbids outside loads, the one style block it
// allows by hash, and no element that would load anything.
func TestHTMLSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, hostileCase(t)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	m := cspMeta.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no Content-Security-Policy meta element")
	}
	csp := strings.ReplaceAll(m[1], "&#39;", "'")
	for _, want := range []string{"default-src 'none'", "script-src 'none'", "img-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("policy %q lacks %q", csp, want)
		}
	}
	styles := styleTag.FindAllStringSubmatch(page, -1)
	if len(styles) != 1 {
		t.Fatalf("%d style blocks, want 1", len(styles))
	}
	sum := sha256.Sum256([]byte(styles[0][1]))
	h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if !strings.Contains(csp, h) {
		t.Errorf("policy does not allow the style block by its hash %s", h)
	}
	if a := loadAttr.FindString(page); a != "" {
		t.Errorf("page has an attribute that loads a resource: %q", a)
	}
	if strings.Contains(page, "@import") || strings.Contains(page, "url(http") {
		t.Error("style sheet loads from outside")
	}
}

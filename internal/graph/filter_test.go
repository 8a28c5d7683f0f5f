package graph

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestFilterTimesIgnoreLocale checks BR-28: whatever the zone of the
// times given (a Finnish desktop, an Indian one, a US one), filters carry
// UTC in one layout, with a T, a Z and no quotes.
func TestFilterTimesIgnoreLocale(t *testing.T) {
	helsinki := time.FixedZone("EEST", 3*3600)
	kolkata := time.FixedZone("IST", 5*3600+1800)
	newYork := time.FixedZone("EDT", -4*3600)
	tests := []struct {
		name  string
		w     Window
		field string
		want  string
	}{
		{"Finnish local times", Window{time.Date(2025, 9, 1, 10, 0, 0, 0, helsinki),
			time.Date(2025, 9, 2, 10, 0, 0, 0, helsinki)}, "createdDateTime",
			"createdDateTime ge 2025-09-01T07:00:00Z and createdDateTime le 2025-09-02T07:00:00Z"},
		{"half-hour zone", Window{time.Date(2025, 9, 1, 5, 30, 0, 0, kolkata),
			time.Date(2025, 9, 1, 6, 0, 0, 0, kolkata)}, "activityDateTime",
			"activityDateTime ge 2025-09-01T00:00:00Z and activityDateTime le 2025-09-01T00:30:00Z"},
		{"day rolls back", Window{time.Date(2025, 12, 31, 22, 0, 0, 0, newYork),
			time.Date(2026, 1, 1, 1, 0, 0, 0, newYork)}, "detectedDateTime",
			"detectedDateTime ge 2026-01-01T02:00:00Z and detectedDateTime le 2026-01-01T05:00:00Z"},
		{"fraction dropped", Window{time.Date(2025, 9, 1, 7, 0, 0, 999, time.UTC),
			time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)}, "createdDateTime",
			"createdDateTime ge 2025-09-01T07:00:00Z and createdDateTime le 2025-09-01T08:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := between(tt.field, tt.w); got != tt.want {
				t.Errorf("between = %q\nwant      %q", got, tt.want)
			}
		})
	}
}

func TestODataString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ana@example.com", "'ana@example.com'"},
		{"o'brien@example.com", "'o''brien@example.com'"},
		{"", "''"},
	}
	for _, tt := range tests {
		if got := odataString(tt.in); got != tt.want {
			t.Errorf("odataString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestQueryEncoding checks that a request keeps the dollar signs, encodes
// spaces as %20 and decodes back to the filter that was built.
func TestQueryEncoding(t *testing.T) {
	w := Window{time.Date(2026, 10, 19, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)}
	for _, q := range userQueries("00000000-0000-0000-0000-0000000000u1", w, w, 500) {
		u := q.url("https://graph.microsoft.com")
		if strings.Contains(u, "+") || strings.Contains(u, "%24") {
			t.Errorf("%s: %s has + or an encoded $", q.source, u)
		}
		p, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.Query().Get("$filter"), q.params.Get("$filter"); got != want {
			t.Errorf("%s: filter decodes to %q, want %q", q.source, got, want)
		}
		if p.Query().Get("$top") != "500" {
			t.Errorf("%s: $top = %q", q.source, p.Query().Get("$top"))
		}
	}
}

func TestProfileURL(t *testing.T) {
	u := profileURL("https://graph.microsoft.com", "guest_contoso.com#EXT#@example.onmicrosoft.com")
	if !strings.HasPrefix(u, "https://graph.microsoft.com/v1.0/users/"+
		"guest_contoso.com%23EXT%23@example.onmicrosoft.com?") {
		t.Errorf("profile URL does not escape the principal name: %s", u)
	}
	p, _ := url.Parse(u)
	for _, f := range []string{"jobTitle", "department", "country", "officeLocation"} {
		if !strings.Contains(p.Query().Get("$select"), f) {
			t.Errorf("$select lacks %s", f)
		}
	}
	if !strings.HasPrefix(p.Query().Get("$expand"), "manager(") {
		t.Errorf("$expand = %q, want the manager", p.Query().Get("$expand"))
	}
}

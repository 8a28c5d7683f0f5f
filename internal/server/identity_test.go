package server_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestAlertIdentity checks which posts are one case and which are several:
// the id comes from the tenant, the user and the alert's own id.
func TestAlertIdentity(t *testing.T) {
	detections, err := os.ReadFile(filepath.Join(example, "risk-detections.json"))
	if err != nil {
		t.Fatal(err)
	}
	later := bytes.Replace(riskyUser(1), []byte("2026-11-17T22:56:05Z"),
		[]byte("2026-11-18T09:00:00Z"), 1)
	type post struct {
		tenant string
		body   []byte
	}
	tests := []struct {
		name  string
		posts []post
		cases int
	}{
		{"the same alert twice", []post{{"", riskyUser(1)}, {"", riskyUser(1)}}, 1},
		{"the same alert in two tenants", []post{{"a", riskyUser(1)}, {"b", riskyUser(1)}},
			2},
		{"a user flagged again later", []post{{"", riskyUser(1)}, {"", later}}, 2},
		{"a page of risk detections, twice", []post{{"", detections}, {"", detections}}, 7},
		{"an array of two risky users", []post{{"", append(append([]byte("["),
			riskyUser(1)...), append([]byte(","), append(riskyUser(2), ']')...)...)}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := embeddedNode(t, options{})
			tok := addTokens(t, n.store)
			ids := map[string]bool{}
			for _, p := range tt.posts {
				url := n.http.URL + "/api/v1/alerts?tenant=" + p.tenant
				status, b := call(t, "POST", url, tok.analyst, "application/json", p.body)
				if status != 200 && status != 202 {
					t.Fatalf("post = %d %s", status, b)
				}
				for _, a := range decode[postResult](t, b).Alerts {
					ids[a.ID] = true
				}
			}
			if len(ids) != tt.cases {
				t.Errorf("%d distinct alert ids, want %d", len(ids), tt.cases)
			}
			waitCases(t, n.store, tt.cases, 30*time.Second)
			time.Sleep(200 * time.Millisecond) // a doubled case would show by now
			if got := waitCases(t, n.store, 0, time.Second); len(got) != tt.cases {
				t.Errorf("%d cases, want %d", len(got), tt.cases)
			}
		})
	}
}

package server_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/store"
)

// caseJSON is the part of GET /api/v1/cases/{id} the tests read.
type caseJSON struct {
	ID      string `json:"id"`
	User    string `json:"user"`
	Node    string `json:"node"`
	Verdict struct {
		Label       string `json:"label"`
		Disposition string `json:"disposition"`
		Confidence  string `json:"confidence"`
	} `json:"verdict"`
	Decisions []struct {
		Analyst, Action, Label, Note string
	} `json:"decisions"`
	Records []string `json:"records"`
	Report  struct {
		Findings []struct {
			Step      string `json:"step"`
			Kind      string `json:"kind"`
			Statement string `json:"statement"`
		} `json:"findings"`
	} `json:"report"`
}

func TestExampleThroughTheAPI(t *testing.T) {
	n := embeddedNode(t, options{})
	tok := addTokens(t, n.store)
	ctype, body := exampleUpload(t)

	status, b := call(t, "POST", n.http.URL+"/api/v1/alerts", tok.analyst, ctype, body)
	if status != http.StatusAccepted {
		t.Fatalf("post = %d %s, want 202", status, b)
	}
	posted := decode[postResult](t, b)
	if len(posted.Alerts) != 1 || posted.Alerts[0].User != "ana.reyes@example.com" {
		t.Fatalf("posted alerts = %+v, want Ana's one", posted.Alerts)
	}
	id := posted.Alerts[0].ID
	if a := waitAlert(t, n.store, id); a.State != store.StateDone {
		t.Fatalf("alert state %s (%s), want done", a.State, a.Error)
	}

	// The same alert again is the same case, not a second one.
	status, b = call(t, "POST", n.http.URL+"/api/v1/alerts", tok.analyst, ctype, body)
	again := decode[postResult](t, b)
	if status != http.StatusOK || !again.Alerts[0].Duplicate || again.Alerts[0].ID != id {
		t.Errorf("second post = %d %+v, want 200, the same id, duplicate", status, again)
	}

	status, b = call(t, "GET", n.http.URL+"/api/v1/cases/"+id, tok.reader, "", nil)
	c := decode[caseJSON](t, b)
	if status != http.StatusOK || c.Verdict.Label != "True Positive - Blocked" ||
		c.Verdict.Confidence != "high" {
		t.Errorf("case = %d %+v, want True Positive - Blocked, high", status, c.Verdict)
	}
	if len(c.Records) < 100 {
		t.Errorf("case cites %d records, want the example's 126 or so", len(c.Records))
	}

	formats := []struct {
		query, accept, ctype, want string
	}{
		{"?format=md", "", "text/markdown", "True Positive - Blocked"},
		{"", "text/markdown", "text/markdown", "True Positive - Blocked"},
		{"?format=html", "", "text/html", "<html"},
		{"", "text/html", "text/html", "<html"},
	}
	for _, f := range formats {
		req, _ := http.NewRequest("GET", n.http.URL+"/api/v1/cases/"+id+f.query, nil)
		req.Header.Set("Authorization", "Bearer "+tok.reader)
		if f.accept != "" {
			req.Header.Set("Accept", f.accept)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"),
			f.ctype) || !strings.Contains(buf.String(), f.want) {
			t.Errorf("GET %s (Accept %q) = %d %s, want %s holding %q", f.query, f.accept,
				res.StatusCode, res.Header.Get("Content-Type"), f.ctype, f.want)
		}
	}
	if cases, _ := n.store.Cases(context.Background(), store.Filter{}); len(cases) != 1 {
		t.Errorf("%d cases stored, want 1", len(cases))
	}
}

func TestDecisionsFeedTheNextCase(t *testing.T) {
	n := embeddedNode(t, options{})
	tok := addTokens(t, n.store)
	first := postJSON(t, n, tok.analyst, riskyUser(7))[0]
	waitAlert(t, n.store, first)

	url := n.http.URL + "/api/v1/cases/" + first + "/decisions"
	decision := `{"action":"overturn","label":"False Positive","note":"tester's lab VPN"}`
	status, b := call(t, "POST", url, tok.analyst, "application/json", []byte(decision))
	if status != http.StatusCreated {
		t.Fatalf("decision = %d %s, want 201", status, b)
	}
	_, b = call(t, "GET", n.http.URL+"/api/v1/cases/"+first, tok.reader, "", nil)
	c := decode[caseJSON](t, b)
	if len(c.Decisions) != 1 || c.Decisions[0].Analyst != "analyst-1" ||
		c.Decisions[0].Label != "False Positive" {
		t.Errorf("decisions = %+v, want analyst-1's overturn", c.Decisions)
	}
	if c.Verdict.Label == "False Positive" {
		t.Error("the overturn replaced the machine's verdict; it must stand beside it")
	}
	_, md := call(t, "GET", n.http.URL+"/api/v1/cases/"+first+"?format=md", tok.reader, "", nil)
	if !strings.Contains(string(md), "## Analyst decisions") {
		t.Error("Markdown case does not show the analysts' decisions")
	}

	// The same user flagged again later: question 1 reads the first case.
	later := bytes.Replace(riskyUser(7), []byte("2026-11-17T22:56:05Z"),
		[]byte("2026-11-20T08:00:00Z"), 1)
	second := postJSON(t, n, tok.analyst, later)[0]
	if second == first {
		t.Fatal("a later flag of the same user got the same id")
	}
	waitAlert(t, n.store, second)
	_, b = call(t, "GET", n.http.URL+"/api/v1/cases/"+second, tok.reader, "", nil)
	for _, f := range decode[caseJSON](t, b).Report.Findings {
		if f.Step != "prior-triage" {
			continue
		}
		if f.Kind != "pivot" || !strings.Contains(f.Statement, "overturned by analyst-1 "+
			"to False Positive") || !strings.Contains(f.Statement, "tester's lab VPN") {
			t.Errorf("prior-triage = %s: %s; want the earlier overturn and its note",
				f.Kind, f.Statement)
		}
		return
	}
	t.Error("second case has no prior-triage finding")
}

func TestListFilters(t *testing.T) {
	n := embeddedNode(t, options{})
	tok := addTokens(t, n.store)
	for i := range 3 {
		postJSON(t, n, tok.analyst, riskyUser(i))
	}
	waitCases(t, n.store, 3, 30*time.Second)
	tests := []struct {
		query  string
		status int
		count  int
	}{
		{"", 200, 3},
		{"?user=USER1@example.com", 200, 1},
		{"?verdict=true_positive", 200, 0},
		{"?since=2000-01-01", 200, 3},
		{"?until=2000-01-01T00:00:00Z", 200, 0},
		{"?limit=2", 200, 2},
		{"?verdict=bad", 400, 0},
		{"?since=yesterday", 400, 0},
		{"?limit=-1", 400, 0},
	}
	for _, tt := range tests {
		status, b := call(t, "GET", n.http.URL+"/api/v1/cases"+tt.query, tok.reader, "", nil)
		if status != tt.status {
			t.Errorf("GET cases%s = %d %s, want %d", tt.query, status, b, tt.status)
			continue
		}
		if status == 200 {
			got := decode[struct{ Cases []caseJSON }](t, b)
			if len(got.Cases) != tt.count {
				t.Errorf("GET cases%s = %d cases, want %d", tt.query, len(got.Cases), tt.count)
			}
		}
	}
}

func TestMetrics(t *testing.T) {
	n := embeddedNode(t, options{})
	tok := addTokens(t, n.store)
	waitAlert(t, n.store, postJSON(t, n, tok.analyst, riskyUser(1))[0])
	time.Sleep(100 * time.Millisecond) // the ack follows the commit
	status, b := call(t, "GET", n.http.URL+"/metrics", tok.reader, "", nil)
	if status != 200 {
		t.Fatalf("metrics = %d", status)
	}
	for _, want := range []string{
		"idtriage_jobs_queued ", "idtriage_jobs_running 0", "idtriage_jobs_done_total 1",
		"idtriage_jobs_failed_total 0", "idtriage_investigation_duration_seconds_count 1",
		`idtriage_alerts_received_total{result="new"} 1`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestBrokenPayloadFails(t *testing.T) {
	n := embeddedNode(t, options{})
	ctx := context.Background()
	a := store.Alert{ID: "broken", Tenant: "t", User: "u@example.com", AlertID: "x",
		Kind: "riskyUser", Received: time.Now(), Payload: []byte("{not json")}
	if _, err := n.store.PutAlert(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := n.queue.Publish(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	got := waitAlert(t, n.store, a.ID)
	if got.State != store.StateFailed || !strings.Contains(got.Error, "decode payload") ||
		got.Attempts != 1 {
		t.Errorf("alert = %s after %d attempts (%s); want failed at once on its input",
			got.State, got.Attempts, got.Error)
	}
}

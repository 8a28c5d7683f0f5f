package graph_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/ingest"
)

// staticToken is the credential seam: it hands out a fixed token and
// counts the calls and the scopes asked for.
type staticToken struct {
	mu     sync.Mutex
	calls  int
	scopes []string
}

func (s *staticToken) GetToken(_ context.Context, o policy.TokenRequestOptions) (
	azcore.AccessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	s.scopes = append(s.scopes, o.Scopes...)
	return azcore.AccessToken{Token: fmt.Sprintf("static-%d", s.calls),
		ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// step is one scripted answer to the interactive sign-in query.
type step struct {
	status     int
	retryAfter string
	ids        []string // records of the page
	next       string   // query of the next page, "" for the last
}

// scripted serves a profile, the interactive sign-ins by script (each
// page named by its skiptoken), and an empty page for every other query.
func scripted(t *testing.T, script map[string][]step) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Header.Get("Authorization"))
		if strings.HasPrefix(r.URL.Path, "/v1.0/users/") {
			fmt.Fprint(w, `{"id":"u1","userPrincipalName":"a@example.com"}`)
			return
		}
		if !strings.Contains(r.URL.Query().Get("$filter"), "'interactiveUser'") {
			fmt.Fprint(w, `{"value":[]}`)
			return
		}
		key := r.URL.Query().Get("$skiptoken")
		steps := script[key]
		if len(steps) == 0 {
			t.Errorf("unscripted request for page %q", key)
			w.WriteHeader(http.StatusTeapot)
			return
		}
		s := steps[0]
		script[key] = steps[1:]
		if s.retryAfter != "" {
			w.Header().Set("Retry-After", s.retryAfter)
		}
		if s.status != http.StatusOK {
			w.WriteHeader(s.status)
			fmt.Fprintf(w, `{"error":{"code":"Scripted","message":"status %d"}}`, s.status)
			return
		}
		var recs []string
		for _, id := range s.ids {
			recs = append(recs, fmt.Sprintf(`{"id":%q,"createdDateTime":"2026-11-17T10:00:00Z",`+
				`"userPrincipalName":"a@example.com","status":{"errorCode":0}}`, id))
		}
		next := ""
		if s.next != "" {
			q := r.URL.Query()
			q.Set("$skiptoken", s.next)
			next = fmt.Sprintf(`,"@odata.nextLink":"%s%s?%s"`, srv.URL, r.URL.Path, q.Encode())
		}
		fmt.Fprintf(w, `{"value":[%s]%s}`, strings.Join(recs, ","), next)
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func scriptedClient(t *testing.T, srv *httptest.Server, cred *staticToken, clk *clock,
	budget time.Duration) *graph.Client {
	t.Helper()
	return newClient(t, graph.Config{GraphHost: srv.URL, HTTPClient: srv.Client(),
		Credential: cred, Now: clk.Now, Sleep: clk.Sleep, Budget: budget, MaxRetries: 3,
		BaseDelay: time.Second, MaxDelay: 8 * time.Second})
}

var scriptNow = time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)

// TestThrottledPull plays the script of BR-29: a page, two 429s with
// Retry-After 7, a page that repeats a record, a 503, then the last page.
func TestThrottledPull(t *testing.T) {
	srv, _ := scripted(t, map[string][]step{
		"": {{status: 200, ids: []string{"r1", "r2", "r3"}, next: "L2"}},
		"L2": {{status: 429, retryAfter: "7"}, {status: 429, retryAfter: "7"},
			{status: 200, ids: []string{"r3", "r4", "r5"}, next: "L3"}},
		"L3": {{status: 503}, {status: 500}, {status: 200, ids: []string{"r6", "r7"}}},
	})
	cred, clk := &staticToken{}, newClock(scriptNow)
	dir := t.TempDir()
	w, _ := graph.ParseSince("7d", scriptNow)
	rep, err := scriptedClient(t, srv, cred, clk, time.Hour).Pull(context.Background(),
		"a@example.com", w, dir)
	if err != nil {
		t.Fatal(err)
	}

	if len(clk.sleeps) != 4 || clk.sleeps[0] != 7*time.Second || clk.sleeps[1] != 7*time.Second {
		t.Errorf("waits = %v, want 7s, 7s and two backoffs", clk.sleeps)
	}
	for i, want := range []time.Duration{time.Second, 2 * time.Second} {
		if d := clk.sleeps[2+i]; d < want/2 || d > want {
			t.Errorf("backoff %d = %v, want within [%v, %v]", i+1, d, want/2, want)
		}
	}
	if rep.Retries != 4 || rep.Throttled != 3 || rep.Partial() {
		t.Errorf("report: %d retries, %d throttled, %s; want 4, 3, complete", rep.Retries,
			rep.Throttled, rep.Status)
	}
	set, err := ingest.Read([]string{filepath.Join(dir, "signins-interactive.json")},
		ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range set.SignIns {
		ids = append(ids, s.ID)
	}
	if diff := cmp.Diff([]string{"r1", "r2", "r3", "r4", "r5", "r6", "r7"}, ids); diff != "" {
		t.Errorf("sign-ins written (-want +got):\n%s", diff)
	}
	if set.Duplicates != 0 {
		t.Errorf("the export holds %d duplicates", set.Duplicates)
	}
	if got := cred.scopes[0]; got != srv.URL+"/.default" {
		t.Errorf("token scope = %q, want the Graph host's default scope", got)
	}
	if cred.calls != 1 {
		t.Errorf("%d tokens asked for; one lasts the whole pull", cred.calls)
	}
}

func TestPullFailures(t *testing.T) {
	tests := []struct {
		name   string
		script map[string][]step
		want   string
	}{
		{"server errors outlast the retries", map[string][]step{"": {{status: 500},
			{status: 500}, {status: 502}, {status: 504}}}, "answered 504"},
		{"bad request shows the filter", map[string][]step{"": {{status: 400}}},
			"$filter sent: createdDateTime ge 2026-11-11T12:00:00Z and createdDateTime le " +
				"2026-11-18T12:00:00Z and userId eq 'u1'"},
		{"unknown status", map[string][]step{"": {{status: 418}}}, "answered 418"},
		{"token refused again after renewal", map[string][]step{"": {{status: 401},
			{status: 401}}}, "answered 401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := scripted(t, tt.script)
			w, _ := graph.ParseSince("7d", scriptNow)
			dir := t.TempDir()
			_, err := scriptedClient(t, srv, &staticToken{}, newClock(scriptNow), time.Hour).Pull(
				context.Background(), "a@example.com", w, dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the error spans lines: %q", err)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".*.part"))
			if len(left) > 0 {
				t.Errorf("a failed pull left %v", left)
			}
		})
	}
}

// TestRefusedTokenIsRenewed answers 401 once, after a throttled attempt:
// the client asks for a new token and goes on.
func TestRefusedTokenIsRenewed(t *testing.T) {
	srv, auths := scripted(t, map[string][]step{"": {{status: 429, retryAfter: "1"},
		{status: 401}, {status: 200, ids: []string{"r1"}}}})
	cred := &staticToken{}
	w, _ := graph.ParseSince("7d", scriptNow)
	if _, err := scriptedClient(t, srv, cred, newClock(scriptNow), time.Hour).Pull(
		context.Background(), "a@example.com", w, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if cred.calls != 2 || (*auths)[len(*auths)-1] != "Bearer static-2" {
		t.Errorf("%d tokens asked for, last request sent %q", cred.calls,
			(*auths)[len(*auths)-1])
	}
}

// TestNextLinkStaysOnHost serves a nextLink to another host: the client
// refuses to send its token there.
func TestNextLinkStaysOnHost(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1.0/users/") {
			fmt.Fprint(w, `{"id":"u1"}`)
			return
		}
		fmt.Fprint(w, `{"value":[],"@odata.nextLink":"https://collector.example/steal?x=1"}`)
	}))
	defer srv.Close()
	w, _ := graph.ParseSince("7d", scriptNow)
	_, err := scriptedClient(t, srv, &staticToken{}, newClock(scriptNow), time.Hour).Pull(
		context.Background(), "a@example.com", w, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "refusing to follow") {
		t.Errorf("err = %v, want a refusal", err)
	}
}

// TestRetentionRefusedBeforeSending asks for 45 days: nothing is sent,
// not even a token request.
func TestRetentionRefusedBeforeSending(t *testing.T) {
	srv, auths := scripted(t, nil)
	cred := &staticToken{}
	w, _ := graph.ParseSince("45d", scriptNow)
	_, err := scriptedClient(t, srv, cred, newClock(scriptNow), time.Hour).Pull(
		context.Background(), "a@example.com", w, t.TempDir())
	var re *graph.RetentionError
	if !errors.As(err, &re) || re.Source != graph.SourceSignInsInteractive {
		t.Fatalf("err = %v, want a RetentionError for sign-ins", err)
	}
	if len(*auths) != 0 || cred.calls != 0 {
		t.Errorf("%d requests and %d token calls were made", len(*auths), cred.calls)
	}
	if !strings.Contains(err.Error(), "2026-10-04T12:00:00Z") {
		t.Errorf("the message does not give the start asked for: %v", err)
	}
}

// TestPartialExportKeepsNextLinks checks the files a budget cut leaves:
// the source being read ends with the nextLink where it stopped, every
// source not reached is an empty page pointing at its first page, and
// ingest reports each as an incomplete export.
func TestPartialExportKeepsNextLinks(t *testing.T) {
	srv, _ := scripted(t, map[string][]step{
		"":   {{status: 200, ids: []string{"r1", "r2"}, next: "L2"}},
		"L2": {{status: 429, retryAfter: "3600"}},
	})
	dir := t.TempDir()
	w, _ := graph.ParseSince("7d", scriptNow)
	rep, err := scriptedClient(t, srv, &staticToken{}, newClock(scriptNow), 10*time.Minute).Pull(
		context.Background(), "a@example.com", w, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Partial() || !strings.Contains(rep.Reason, "would pass the deadline") {
		t.Fatalf("status %s (%s), want PARTIAL because of the wait", rep.Status, rep.Reason)
	}
	unread := map[graph.Source]bool{}
	for _, s := range rep.Unread() {
		unread[s] = true
	}
	for _, s := range []graph.Source{graph.SourceSignInsInteractive, graph.SourceAuditsInitiated,
		graph.SourceAuditsTargeted, graph.SourceSignInsNonInteractive} {
		if !unread[s] {
			t.Errorf("%s is not listed as unread", s)
		}
	}
	set, err := ingest.Read([]string{dir}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	links := map[string]string{}
	for _, f := range set.Files {
		links[filepath.Base(f.Path)] = f.NextLink
	}
	if l := links["signins-interactive.json"]; !strings.Contains(l, "skiptoken=L2") {
		t.Errorf("signins-interactive.json nextLink = %q, want the page that was cut", l)
	}
	if l := links["signins-noninteractive.json"]; !strings.Contains(l, "nonInteractiveUser") {
		t.Errorf("signins-noninteractive.json nextLink = %q, want its first page", l)
	}
	if len(set.SignIns) != 2 {
		t.Errorf("%d sign-ins kept, want the 2 read before the cut", len(set.SignIns))
	}
	if _, err := os.Stat(filepath.Join(dir, graph.ManifestFile)); err != nil {
		t.Errorf("no manifest: %v", err)
	}
}

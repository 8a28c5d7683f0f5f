package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/graph/graphtest"
)

// TestPollerOutlastsFailures makes Graph fail one poll: the failure is
// logged with its reason and counted in the metrics, the server keeps
// serving, and the next poll takes the flag in, even one past the overlap
// by then.
func TestPollerOutlastsFailures(t *testing.T) {
	tests := []struct {
		name      string
		fail      func(*graphtest.Server)
		heal      func(*graphtest.Server)
		wantMsg   string
		wantLevel string
		reason    string
	}{
		{"403 on the at-risk list",
			func(f *graphtest.Server) { f.Deny(graph.PermRiskyUser) },
			func(f *graphtest.Server) { f.Deny() },
			"graph poll failed; the next poll asks again", "ERROR", "permission"},
		{"403 on the user's sign-ins",
			func(f *graphtest.Server) { f.Deny(graph.PermAuditLog) },
			func(f *graphtest.Server) { f.Deny() },
			"risky user not taken in; the next poll tries again", "ERROR", "permission"},
		{"throttled past the retries",
			func(f *graphtest.Server) { f.SetFaults(1, 0, 0) },
			func(f *graphtest.Server) { f.SetFaults(0, 0, 0) },
			"graph poll failed; the next poll asks again", "WARN", "throttled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t0 := time.Now().UTC().Truncate(time.Second)
			fake := graphtest.New(graphtest.Options{Seed: 11})
			t.Cleanup(fake.Close)
			// Older than the first poll's start less the overlap.
			put(t, fake, t0, flag{1, -20 * time.Minute})
			tt.fail(fake)
			n := startPollNode(t, fake, t0, true)

			if err := n.wait(t); err == nil {
				t.Fatal("the first poll succeeded; want it to fail")
			}
			logged := n.logs.records(tt.wantMsg)
			if len(logged) != 1 || logged[0]["level"] != tt.wantLevel ||
				logged[0]["reason"] != tt.reason || logged[0]["error"] == "" {
				t.Errorf("logged %v, want one %s with reason %s", logged, tt.wantLevel,
					tt.reason)
			}
			tok := addTokens(t, n.store)
			if got := pollErrors(t, n, tok.reader, tt.reason); got != "1" {
				t.Errorf("%s errors counted: %v, want 1", tt.reason, got)
			}
			if status, _ := call(t, "GET", n.http.URL+"/api/v1/ready", "", "", nil); status !=
				http.StatusOK {
				t.Errorf("ready answered %d after the failure", status)
			}

			tt.heal(fake)
			// The flag is past the overlap: only a poll that remembers the
			// failure asks for it again.
			if err := n.next(t, t0.Add(5*time.Minute)); err != nil {
				t.Fatalf("second poll: %v", err)
			}
			cases := waitCases(t, n.store, 1, 30*time.Second)
			if len(cases) != 1 || cases[0].User != "user1@example.com" {
				t.Errorf("cases %v, want one of user1", cases)
			}
		})
	}
}

// pollErrors reads idtriage_graph_poll_errors_total for reason.
func pollErrors(t *testing.T, n *pollNode, token, reason string) string {
	t.Helper()
	status, body := call(t, "GET", n.http.URL+"/metrics", token, "", nil)
	if status != http.StatusOK {
		t.Fatalf("metrics: %d", status)
	}
	re := regexp.MustCompile(`(?m)^idtriage_graph_poll_errors_total\{reason="` + reason +
		`"\} (\S+)$`)
	m := re.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no poll error series for %s in:\n%s", reason, body)
	}
	return string(m[1])
}

// TestPollerStopsAtShutdown stops a node whose poller is in the middle of
// a slow poll: shutdown returns at once and Graph hears nothing more.
func TestPollerStopsAtShutdown(t *testing.T) {
	t0 := time.Now().UTC().Truncate(time.Second)
	fake := graphtest.New(graphtest.Options{Latency: 100 * time.Millisecond})
	t.Cleanup(fake.Close)
	put(t, fake, t0, flag{1, -time.Minute}, flag{2, -time.Minute})
	n := startPollNode(t, fake, t0, false)

	deadline := time.Now().Add(30 * time.Second)
	for fake.Stats().Requests < 3 {
		if time.Now().After(deadline) {
			t.Fatal("the poller sent nothing in 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n.srv.Shutdown(ctx)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("shutdown took %s with a poll in hand", took)
	}
	sent := fake.Stats().Requests
	time.Sleep(300 * time.Millisecond)
	if got := fake.Stats().Requests; got != sent {
		t.Errorf("%d Graph requests after shutdown", got-sent)
	}
	if !strings.Contains(n.logs.String(), `"msg":"graph poller stopped"`) {
		t.Errorf("no stop in the log:\n%s", n.logs)
	}
}

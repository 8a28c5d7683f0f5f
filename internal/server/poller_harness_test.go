package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/graph/graphtest"
	"github.com/idtriage/idtriage/internal/queue"
	"github.com/idtriage/idtriage/internal/queue/queuetest"
	"github.com/idtriage/idtriage/internal/server"
	"github.com/idtriage/idtriage/internal/store/storetest"
)

// pollNode is a one-node server (SQLite, embedded NATS) whose poller reads
// a fake Graph on loopback TLS. The poller runs one poll, then waits in
// its AfterPoll hook until the test lets it go on, so each poll sees the
// tenant and the clock the test set before it.
type pollNode struct {
	*node
	fake  *graphtest.Server
	clock atomic.Pointer[time.Time]
	logs  *logBuffer

	polls  chan error
	resume chan struct{}
	stop   chan struct{}
}

// startPollNode starts the node at clock t0; its first poll runs at once.
// A nil pacing hook lets the poller run freely every interval.
func startPollNode(t *testing.T, fake *graphtest.Server, t0 time.Time, paced bool) *pollNode {
	t.Helper()
	n := &pollNode{fake: fake, logs: &logBuffer{}, polls: make(chan error),
		resume: make(chan struct{}), stop: make(chan struct{})}
	n.clock.Store(&t0)
	client, err := graph.New(graph.Config{GraphHost: fake.GraphHost(),
		LoginHost: fake.LoginHost(), HTTPClient: fake.HTTPClient(),
		Auth: graph.Auth{Method: graph.AuthSecret, TenantID: graphtest.TenantID,
			ClientID: graphtest.ClientID, ClientSecret: graph.NewSecret(graphtest.ClientSecret)},
		MaxRetries: 2, Budget: time.Minute,
		// Retry-After is honoured at once, so throttling costs no time.
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}

	st := storetest.Open(t, storetest.SQLite(t))
	qcfg := queuetest.Embedded(t)
	qcfg.AckWait = 5 * time.Second
	q, err := queue.Open(context.Background(), qcfg)
	if err != nil {
		t.Fatalf("open queue: %v", err)
	}
	var hooks server.Hooks
	if paced {
		hooks.AfterPoll = n.pace
	}
	srv, err := server.New(server.Config{Store: st, Queue: q, Workers: 2, Hooks: hooks,
		Logger: slog.New(slog.NewJSONHandler(n.logs, &slog.HandlerOptions{
			Level: slog.LevelDebug})),
		Poll: &server.PollConfig{Graph: client, Tenant: "contoso",
			Interval: 10 * time.Millisecond, Now: func() time.Time { return *n.clock.Load() }}})
	if err != nil {
		t.Fatal(err)
	}
	n.node = &node{srv: srv, http: httptest.NewServer(srv.Handler()), store: st, queue: q}
	t.Cleanup(func() {
		n.http.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		q.Close()
		if t.Failed() {
			t.Logf("log:\n%s", n.logs)
		}
	})
	// Runs before the shutdown above, so a poller waiting in its hook goes.
	t.Cleanup(func() { close(n.stop) })
	srv.Start()
	return n
}

// pace is the AfterPoll hook: it hands the poll's result to the test and
// waits until the test lets the poller go on.
func (n *pollNode) pace(err error) {
	select {
	case n.polls <- err:
	case <-n.stop:
		return
	}
	select {
	case <-n.resume:
	case <-n.stop:
	}
}

// wait waits for the poll under way to end and returns its result.
func (n *pollNode) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-n.polls:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("no poll ended in 30 s; log:\n%s", n.logs)
		return nil
	}
}

// next sets the clock of the next poll, lets it run and returns its result.
func (n *pollNode) next(t *testing.T, at time.Time) error {
	t.Helper()
	n.clock.Store(&at)
	n.resume <- struct{}{}
	return n.wait(t)
}

// logBuffer collects JSON log lines from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records returns the log records whose message is msg, oldest first.
func (b *logBuffer) records(msg string) []map[string]any {
	var out []map[string]any
	for line := range strings.Lines(b.String()) {
		var r map[string]any
		if json.Unmarshal([]byte(line), &r) == nil && r["msg"] == msg {
			out = append(out, r)
		}
	}
	return out
}

// flag is a user Identity Protection flags: made-up user n, at an offset
// from the test's t0.
type flag struct {
	user int
	at   time.Duration
}

func userID(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// put shows the flags in the fake Graph, each with one sign-in of the user
// an hour before the flag, for the pull to bring.
func put(t *testing.T, fake *graphtest.Server, t0 time.Time, flags ...flag) {
	t.Helper()
	for _, f := range flags {
		at := t0.Add(f.at).UTC()
		risky := fmt.Appendf(nil, `{"id":%q,"userPrincipalName":"user%d@example.com",`+
			`"userDisplayName":"User %d","riskLevel":"high","riskState":"atRisk",`+
			`"riskDetail":"none","isDeleted":false,"isProcessing":false,`+
			`"riskLastUpdatedDateTime":%q}`, userID(f.user), f.user, f.user,
			at.Format(time.RFC3339Nano))
		signIn := fmt.Appendf(nil, `{"id":"%s","createdDateTime":%q,`+
			`"userPrincipalName":"user%d@example.com","userId":%q,"appId":"app-1",`+
			`"appDisplayName":"Office 365","ipAddress":"203.0.113.%d","isInteractive":true,`+
			`"signInEventTypes":["interactiveUser"],"status":{"errorCode":0}}`,
			signInID(f), at.Add(-time.Hour).Format(time.RFC3339), f.user, userID(f.user),
			f.user)
		if err := fake.Put(risky, signIn); err != nil {
			t.Fatal(err)
		}
	}
}

func signInID(f flag) string { return fmt.Sprintf("signin-%d-%d", f.user, int(f.at.Minutes())) }

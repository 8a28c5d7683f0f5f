package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/queue"
	"github.com/idtriage/idtriage/internal/queue/queuetest"
	"github.com/idtriage/idtriage/internal/server"
	"github.com/idtriage/idtriage/internal/store"
	"github.com/idtriage/idtriage/internal/store/storetest"
)

// TestShutdownWithAJobInHand stops a node while one of its workers holds a
// job: within the grace the job finishes on that node; past it the job is
// released at once (well before the ack wait) and another node commits it.
func TestShutdownWithAJobInHand(t *testing.T) {
	tests := []struct {
		name     string
		grace    time.Duration
		holdFor  time.Duration
		wantNode string
	}{
		{"finishes within the grace", 5 * time.Second, 200 * time.Millisecond, "first"},
		{"released past the grace", 200 * time.Millisecond, time.Second, "second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, storetest.SQLite(t))
			qcfg := queuetest.Embedded(t)
			qcfg.AckWait = time.Minute // only a release can hand the job over in time
			q, err := queue.Open(ctx, qcfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { q.Close() })

			held := make(chan string, 1)
			first := newServer(t, st, q, "first", server.Hooks{BeforeCommit: func(id string) {
				held <- id
				time.Sleep(tt.holdFor)
			}})
			first.Start()
			id := store.Key("t", "user1@example.com", "a1")
			a := store.Alert{ID: id, Tenant: "t", User: "user1@example.com", AlertID: "a1",
				Kind: "riskyUser", Received: time.Now(), Payload: payloadOf(t, riskyUser(1))}
			if _, err := st.PutAlert(ctx, a); err != nil {
				t.Fatal(err)
			}
			if err := q.Publish(ctx, id); err != nil {
				t.Fatal(err)
			}
			<-held

			stopCtx, cancel := context.WithTimeout(ctx, tt.grace)
			defer cancel()
			first.Shutdown(stopCtx)
			second := newServer(t, st, q, "second", server.Hooks{})
			second.Start()
			t.Cleanup(func() { second.Shutdown(ctx) })

			start := time.Now()
			got := waitAlert(t, st, id)
			c, err := st.Case(ctx, id)
			if err != nil {
				t.Fatalf("case: %v (alert %s: %s)", err, got.State, got.Error)
			}
			if c.Node != tt.wantNode {
				t.Errorf("case committed by %s, want %s", c.Node, tt.wantNode)
			}
			if waited := time.Since(start); waited > qcfg.AckWait/2 {
				t.Errorf("the job took %s to come back: it was not released", waited)
			}
		})
	}
}

func newServer(t *testing.T, st store.Store, q *queue.Queue, name string,
	hooks server.Hooks) *server.Server {
	t.Helper()
	s, err := server.New(server.Config{Store: st, Queue: q, Workers: 1, Node: name,
		Hooks: hooks, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// payloadOf is the stored form of an alert posted alone as JSON.
func payloadOf(t *testing.T, alert []byte) []byte {
	t.Helper()
	return []byte(`{"files":[{"name":"alert.json","data":"` + b64(alert) + `"}]}`)
}

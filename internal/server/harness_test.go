package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/queue"
	"github.com/idtriage/idtriage/internal/queue/queuetest"
	"github.com/idtriage/idtriage/internal/server"
	"github.com/idtriage/idtriage/internal/store"
	"github.com/idtriage/idtriage/internal/store/storetest"
)

// example is the reference case shipped with the repository.
const example = "../../examples/sspr-takeover"

// node is one server instance under test, on loopback.
type node struct {
	srv   *server.Server
	http  *httptest.Server
	store store.Store
	queue *queue.Queue
}

// options adjusts a node before it starts.
type options struct {
	workers int
	hooks   server.Hooks
	name    string
	maxBody int64
}

// startNode runs a server with its own connections to the store at addr
// and the queue of qcfg; everything stops when the test ends.
func startNode(t testing.TB, addr string, qcfg queue.Config, o options) *node {
	t.Helper()
	st := storetest.Open(t, addr)
	qcfg.Logger = testLogger(t)
	q, err := queue.Open(context.Background(), qcfg)
	if err != nil {
		t.Fatalf("open queue: %v", err)
	}
	if o.workers == 0 {
		o.workers = 2
	}
	srv, err := server.New(server.Config{Store: st, Queue: q, Workers: o.workers,
		Node: o.name, Hooks: o.hooks, MaxBody: o.maxBody, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	n := &node{srv: srv, http: httptest.NewServer(srv.Handler()), store: st, queue: q}
	t.Cleanup(func() {
		n.http.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		q.Close()
	})
	return n
}

// embeddedNode is the one-node setup: SQLite and the embedded NATS server.
func embeddedNode(t testing.TB, o options) *node {
	t.Helper()
	qcfg := queuetest.Embedded(t)
	qcfg.AckWait = 5 * time.Second
	return startNode(t, storetest.SQLite(t), qcfg, o)
}

// testLogger sends logs to the test's output only with -v.
func testLogger(t testing.TB) *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type tlog struct{ t testing.TB }

func (w tlog) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// tokens holds one token per role.
type tokens struct{ reader, analyst, admin string }

func addTokens(t testing.TB, st store.Store) tokens {
	t.Helper()
	var out tokens
	for _, r := range []struct {
		dst  *string
		role store.Role
	}{{&out.reader, store.RoleReader}, {&out.analyst, store.RoleAnalyst},
		{&out.admin, store.RoleAdmin}} {
		sec, err := server.AddToken(context.Background(), st, string(r.role)+"-1", r.role)
		if err != nil {
			t.Fatal(err)
		}
		*r.dst = sec.Reveal()
	}
	return out
}

// call makes a request and returns the status and body.
func call(t testing.TB, method, url, token, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// decode unmarshals a response body, failing the test when it is not JSON.
func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("response is not the JSON expected: %v\n%s", err, b)
	}
	return v
}

// postResult is the answer to POST /api/v1/alerts.
type postResult struct {
	Alerts []struct {
		ID        string `json:"id"`
		User      string `json:"user"`
		State     string `json:"state"`
		Duplicate bool   `json:"duplicate"`
	} `json:"alerts"`
}

// postJSON posts an alert body as JSON and returns the alert ids.
func postJSON(t testing.TB, n *node, token string, body []byte) []string {
	t.Helper()
	status, b := call(t, "POST", n.http.URL+"/api/v1/alerts", token, "application/json", body)
	if status != http.StatusAccepted && status != http.StatusOK {
		t.Fatalf("post alert: %d %s", status, b)
	}
	var ids []string
	for _, a := range decode[postResult](t, b).Alerts {
		ids = append(ids, a.ID)
	}
	return ids
}

// multipartBody builds a form with the alert and the files.
func multipartBody(t testing.TB, tenant string, alert []byte, files map[string][]byte) (
	string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if tenant != "" {
		mw.WriteField("tenant", tenant)
	}
	fw, _ := mw.CreateFormFile("alert", "alert.json")
	fw.Write(alert)
	for name, data := range files {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// exampleUpload returns the reference case as a form: alert.json as the
// alert, every other file as a log.
func exampleUpload(t testing.TB) (string, []byte) {
	t.Helper()
	entries, err := os.ReadDir(example)
	if err != nil {
		t.Fatal(err)
	}
	var alert []byte
	files := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(example, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "alert.json" {
			alert = b
			continue
		}
		files[e.Name()] = b
	}
	return multipartBody(t, "contoso", alert, files)
}

// riskyUser is a Graph riskyUser for a made-up user i.
func riskyUser(i int) []byte {
	return fmt.Appendf(nil, `{"id":"00000000-0000-4000-8000-%012d",`+
		`"userPrincipalName":"user%d@example.com","riskLevel":"high","riskState":"atRisk",`+
		`"riskDetail":"none","riskLastUpdatedDateTime":"2026-11-17T22:56:05Z"}`, i, i)
}

// waitCases waits until the store holds n cases, failing after limit.
func waitCases(t testing.TB, st store.Store, n int, limit time.Duration) []store.Case {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		cases, err := st.Cases(context.Background(), store.Filter{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) >= n {
			return cases
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d cases after %s, want %d", len(cases), limit, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitAlert waits until the alert leaves the queued state.
func waitAlert(t testing.TB, st store.Store, id string) store.Alert {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		a, err := st.Alert(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if a.State != store.StateQueued {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("alert %s still queued after 30 s (attempts %d)", id, a.Attempts)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/graph/graphtest"
)

// TestServePollsGraph runs serve --poll-graph against the fake Graph
// holding the reference case: the poller takes Ana's flag in, and her
// case is investigated on the records it pulled.
func TestServePollsGraph(t *testing.T) {
	fake := fakeTenant(t, graphtest.Options{Seed: 5, Throttle: 0.05}, example)
	clk := &fakeClock{base: exampleNow, start: time.Now()}
	ctx, stop := context.WithCancel(context.WithValue(context.Background(), graphHooksKey{},
		graphHooks{client: fake.HTTPClient(), now: clk.now, sleep: clk.sleep}))
	defer stop()

	data, addr := t.TempDir(), freeAddr(t)
	done := make(chan int)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--data", data, "--addr", addr, "--workers", "1",
			"--poll-graph", "--poll-interval", "1h", "--graph-host", fake.GraphHost(),
			"--login-host", fake.LoginHost()}, &bytes.Buffer{}, &stderr)
	}()
	base := "http://" + addr
	waitHealthy(t, base)
	token, err := os.ReadFile(filepath.Join(data, adminTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) []byte {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return b
	}

	deadline := time.Now().Add(60 * time.Second)
	var list struct {
		Cases []struct{ ID, User, Tenant string }
	}
	for len(list.Cases) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no case after 60 s; log:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
		json.Unmarshal(get("/api/v1/cases"), &list)
	}
	if c := list.Cases[0]; len(list.Cases) != 1 || c.User != ana ||
		c.Tenant != graphtest.TenantID {
		t.Errorf("cases %+v, want one of %s in tenant %s", list.Cases, ana, graphtest.TenantID)
	}
	if report := get("/api/v1/cases/" + list.Cases[0].ID); !bytes.Contains(report,
		[]byte("graph/signins-interactive.json")) {
		t.Errorf("the case was not investigated on the pulled sign-ins:\n%.2000s", report)
	}

	stop()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop")
	}
	log := stderr.String()
	for _, want := range []string{"graph poll done", "graph poller stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, graphtest.ClientSecret) || strings.Contains(log,
		strings.TrimSpace(string(token))) {
		t.Error("the log shows a secret")
	}
}
